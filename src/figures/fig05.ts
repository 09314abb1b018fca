/**
 * Figure 5: three representative clusters of MNIST digit “5” (paper: 20 clusters).
 *
 * @example
 *   const frames = fig05.compute(inputs);
 *   await renderSvg(fig05.spec(frames, { dataset: 'mnist' }));
 */
import { paperClusterFigure } from './cluster-figure';

/** The cluster figure on the class the paper uses for mnist (see PAPER_CLUSTER_CLASS). */
export const fig05 = paperClusterFigure({
  id: 'fig05',
  notebook: 'mnist-clusters',
  title: 'Clusters of MNIST “5” samples by importance',
  claim:
    'Easy samples act early and on the output layer; ' +
    'as difficulty grows, impact moves to lower layers and later epochs.',
  paperDataset: 'mnist',
  texts: {
    timing: {
      id: 'easy-early-mnist',
      text: 'Easy samples matter early, hard samples late (§3.5, MNIST "5")',
      rule:
        'holds: importance-weighted centre epochs ordered easy < hard and easy ≤ medium ≤ hard, with the same ' +
        'verdict for 5 k-means seeds; partly: easy < hard only, or a seed changes the verdict',
    },
    layers: {
      id: 'easy-top-mnist',
      text: 'Easy samples shape the output layer, hard samples the bottom layer (§3.5, MNIST "5")',
      rule:
        "holds: the easy cluster's Out share exceeds the hard one's, " +
        "and the hard cluster's L1 share exceeds the easy one's; partly: one of the two",
    },
  },
});
