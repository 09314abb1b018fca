/**
 * `si ablations`: Figure 1's stability across seeds under the preprocessing, output-layer and
 * step-size choices the paper leaves open (src/experiments/stability-ablations.ts), written to
 * figures/data/<profile>/<dataset>/fig01-ablations.json and printed as a table.
 *
 * @example
 *   OPENBLAS_NUM_THREADS=1 si ablations --profile paper --datasets cifar10
 *   si ablations --profile paper --datasets cifar10 --finished-only --into REPRODUCTION.md
 */
import { sideSweepCommand } from '../side-sweep';

export function ablationsCommand() {
  return sideSweepCommand({
    name: 'ablations',
    description: "Figure 1's stability across seeds under other preprocessing, output-layer init and step size",
    datasets: ['cifar10'],
    dataId: 'fig01-ablations',
    load: async () => {
      const { ablationsMarkdown, stabilityAblations } = await import('../../experiments/stability-ablations');
      return { run: stabilityAblations, markdown: ablationsMarkdown };
    },
  });
}
