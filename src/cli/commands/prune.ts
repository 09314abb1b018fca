/**
 * `si prune`: the pruning benchmark (src/experiments/pruning.ts) — retrain on the subsets each
 * score keeps, beside random subsets and the full set, and compare final test errors; written to
 * figures/data/<profile>/<dataset>/fig11.json (Figure 11's data) and printed as a table.
 *
 * @example
 *   OPENBLAS_NUM_THREADS=1 si prune --profile quick --datasets mnist
 *   si prune --profile smoke --datasets mnist --scores tau,el2n --fractions 0.5,0.2 --seeds 2,3
 */
import { InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { decimal, integer, integerList } from '../options';
import type { PruningGrid } from '../../experiments/profiles';
import { sideSweepCommand } from '../side-sweep';

const STRATEGY_NAMES = ['hard', 'easy', 'stratified'];

function fractionList(value: string): number[] {
  const fraction = decimal({ min: 0.001, max: 0.999 });
  return value.split(',').map((part) => fraction(part.trim()));
}

function strategyList(value: string): string[] {
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((s) => !STRATEGY_NAMES.includes(s));
  if (unknown.length)
    throw new InvalidArgumentError(`unknown strategy ${unknown.join(', ')}; strategies: ${STRATEGY_NAMES.join(', ')}.`);
  return names;
}

export function pruneCommand() {
  return sideSweepCommand({
    name: 'prune',
    description: 'pruning benchmark: retrain on the subsets each score keeps, against random subsets of the same size',
    ownData: true,
    dataId: 'fig11',
    recordsRuns: true,
    options: [
      new Option(
        '--scores <names>',
        "scores that choose the subsets (see si scores; default: the profile's)",
      ).argParser((v) => v.split(',').map((s) => s.trim())),
      new Option(
        '--strategies <names>',
        `which samples a score keeps: ${STRATEGY_NAMES.join(', ')} (default: the profile's)`,
      ).argParser(strategyList),
      new Option(
        '--fractions <list>',
        "kept fractions below 1; the full set is always trained (default: the profile's)",
      ).argParser(fractionList),
      new Option(
        '--seeds <list>',
        "seeds of the retrained runs, not the scoring run's (default: the profile's)",
      ).argParser(integerList({ min: 0, max: 0xffffffff })),
      new Option(
        '--scoring-seed <n>',
        "seed of the full-data run whose scores choose the subsets (default: the profile's)",
      ).argParser(integer({ min: 0, max: 0xffffffff })),
      new Option('--score-epoch <T>', "scores from epochs 1 … T (default: the scoring run's last)").argParser(
        integer({ min: 1 }),
      ),
    ],
    load: async () => {
      const { pruningBenchmark, pruningMarkdown } = await import('../../experiments/pruning');
      return {
        run: (profile, dataset, { previous, ...ctx }, flags) =>
          pruningBenchmark(profile, dataset, {
            ...ctx,
            recorded: previous,
            // Options given on the command line replace the profile's grid, one field at a time.
            grid: Object.fromEntries(
              ['scores', 'strategies', 'fractions', 'seeds', 'scoreEpoch', 'scoringSeed']
                .filter((key) => flags[key] !== undefined)
                .map((key) => [key, flags[key]]),
            ) as Partial<PruningGrid>,
          }),
        markdown: pruningMarkdown,
      };
    },
  });
}
