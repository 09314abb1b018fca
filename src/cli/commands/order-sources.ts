/**
 * `si order-sources`: Figure 7's batch constructions with their orders built from each seed run and
 * under both readings of the NLL (src/experiments/order-sources.ts), written to
 * figures/data/<profile>/<dataset>/fig07-order-sources.json and printed as a table.
 *
 * @example
 *   OPENBLAS_NUM_THREADS=1 si order-sources --profile paper --datasets cifar10 --runs 2
 *   si order-sources --profile paper --datasets cifar10 --runs 2 --finished-only --into REPRODUCTION.md
 */
import { Option } from '@commander-js/extra-typings';
import type { DatasetName } from '../../data/registry';
import { integer } from '../options';
import { sideSweepCommand } from '../side-sweep';

export function orderSourcesCommand() {
  return sideSweepCommand({
    name: 'order-sources',
    description: 'Figure 7 with the batch orders built from each seed run and under both readings of the NLL',
    datasets: ['cifar10'],
    dataId: 'fig07-order-sources',
    options: [
      new Option('--runs <n>', 'runs per construction and source').argParser(integer({ min: 1, max: 100 })).default(2),
    ],
    load: async () => {
      const { orderSourceSweep, orderSourcesMarkdown } = await import('../../experiments/order-sources');
      return {
        // Without ownData the command only ever passes registered datasets.
        run: (profile, dataset, ctx, flags) =>
          orderSourceSweep(profile, dataset as DatasetName, { ...ctx, runs: Number(flags.runs) }),
        markdown: orderSourcesMarkdown,
      };
    },
  });
}
