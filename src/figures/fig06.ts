/**
 * Figure 6: three representative clusters of CIFAR-10 class “horse” (paper: 30 clusters).
 *
 * @example
 *   const frames = fig06.compute(inputs);
 *   await renderSvg(fig06.spec(frames, { dataset: 'cifar10' }));
 */
import { paperClusterFigure } from './cluster-figure';
import { verdictOf } from './figure';
import { pct, share } from './inputs';

/** The cluster figure on the class the paper uses for cifar10 (see PAPER_CLUSTER_CLASS). */
export const fig06 = paperClusterFigure({
  id: 'fig06',
  notebook: 'cifar10-clusters',
  title: 'Clusters of CIFAR-10 “horse” samples by importance',
  claim:
    'The easy/medium/hard pattern of figure 5 holds on CIFAR-10, ' +
    'with a large impact on the first layer in every cluster.',
  paperDataset: 'cifar10',
  texts: {
    timing: { id: 'easy-early-cifar', text: 'The same timing holds on CIFAR-10 (§3.5, "horse")', rule: 'as for MNIST' },
    layers: {
      id: 'easy-top-cifar',
      text: 'The same layer pattern holds on CIFAR-10 (§3.5, "horse")',
      rule: 'as for MNIST',
    },
  },
  extraClaims: [
    {
      id: 'l1-every-cluster-cifar',
      datasets: ['cifar10'],
      text: 'On CIFAR-10 all three clusters have a very large impact on the bottom layer (§3.5)',
      rule: 'holds: L1 has the largest share of β in each of the three clusters',
      evaluate: (frames) => {
        const clusters = Object.entries(fig06.measure(frames).byDifficulty);
        // The bottom layer: the first the shares name (L1, a CNN's conv1).
        const first = (c: { shares: Record<string, number> }) => Object.keys(c.shares)[0] ?? 'L1';
        const l1Largest = clusters.map(([, c]) => Object.values(c.shares).every((v) => v <= share(c.shares, first(c))));
        return {
          verdict: verdictOf(...l1Largest),
          measured: clusters.map(([d, c]) => `${d} ${first(c)} ${pct(share(c.shares, first(c)))}`).join(', '),
        };
      },
    },
  ],
});
