/**
 * `si noisy`: the noisy-label benchmark (src/experiments/noisy-labels.ts) — train on labels with a
 * fraction flipped and ask each score, epoch by epoch, how well it finds them; written to
 * figures/data/<profile>/<dataset>/fig12.json (Figure 12's data) and printed as a table.
 *
 * @example
 *   OPENBLAS_NUM_THREADS=1 si noisy --profile quick --datasets mnist
 *   si noisy --profile smoke --datasets mnist --fractions 0.1
 */
import { Option } from '@commander-js/extra-typings';
import { decimal, integer } from '../options';
import { sideSweepCommand } from '../side-sweep';

export function noisyCommand() {
  return sideSweepCommand({
    name: 'noisy',
    description: 'noisy-label benchmark: flip a fraction of the labels, then how well each score finds them',
    ownData: true,
    dataId: 'fig12',
    options: [
      new Option('--fractions <list>', "fractions of training labels flipped (default: the profile's)").argParser((v) =>
        v.split(',').map((part) => decimal({ min: 0.001, max: 0.999 })(part.trim())),
      ),
      new Option('--noise-seed <n>', 'seeds which labels flip, and to what')
        .argParser(integer({ min: 0, max: 0xffffffff }))
        .default(1),
    ],
    load: async () => {
      const { noisyLabelBenchmark, noisyLabelsMarkdown } = await import('../../experiments/noisy-labels');
      return {
        run: (profile, dataset, ctx, flags) =>
          noisyLabelBenchmark(profile, dataset, {
            ...ctx,
            fractions: flags.fractions as number[] | undefined,
            noiseSeed: flags.noiseSeed as number,
          }),
        markdown: noisyLabelsMarkdown,
      };
    },
  });
}
