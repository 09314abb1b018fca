/**
 * `si step-divergence`: the diverging batch constructions (RNLO, RSIO) at the profile's step and at
 * η = 0.05 (src/experiments/step-divergence.ts), written to
 * figures/data/<profile>/<dataset>/fig07-step-divergence.json and printed as a table.
 *
 * @example
 *   OPENBLAS_NUM_THREADS=1 si step-divergence --profile paper --datasets cifar10 --runs 2
 *   si step-divergence --profile paper --datasets cifar10 --runs 2 --finished-only --into REPRODUCTION.md
 */
import { Option } from '@commander-js/extra-typings';
import type { DatasetName } from '../../data/registry';
import { integer } from '../options';
import { sideSweepCommand } from '../side-sweep';

export function stepDivergenceCommand() {
  return sideSweepCommand({
    name: 'step-divergence',
    description: 'whether the diverging batch constructions (RNLO, RSIO) diverge at a smaller step',
    datasets: ['cifar10'],
    dataId: 'fig07-step-divergence',
    options: [
      new Option('--runs <n>', 'runs per construction and step').argParser(integer({ min: 1, max: 100 })).default(2),
    ],
    load: async () => {
      const { stepDivergenceSweep, stepDivergenceMarkdown } = await import('../../experiments/step-divergence');
      return {
        // Without ownData the command only ever passes registered datasets.
        run: (profile, dataset, ctx, flags) =>
          stepDivergenceSweep(profile, dataset as DatasetName, { ...ctx, runs: Number(flags.runs) }),
        markdown: stepDivergenceMarkdown,
      };
    },
  });
}
