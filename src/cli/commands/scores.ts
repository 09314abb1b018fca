/**
 * `si scores`: one CSV row per training sample of a run (`position`, `index` in the official
 * split, `label`) with every training-dynamics score the record gives (docs/SCORES.md); several
 * `--run`s of the same samples (seeds) give each score's mean.
 *
 * @example
 *   si scores --run runs/mnist-4e6abb0dbb77 --epoch 10 --out scores.csv
 *   si scores --run runs/a --run runs/b --scores el2n,forgetting --out mean.csv
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import { UsageError } from '../errors';
import { dataDirOption, integer, pathValue } from '../options';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), pathValue(value)];

export function scoresCommand() {
  return new Command('scores')
    .description(
      'training-dynamics scores of every training sample of a run (τ, GraNd, EL2N, forgetting, AUM, …) as CSV',
    )
    .addOption(
      new Option('--run <dir>', 'run folder (repeat for several seeds of the same samples: scores are averaged)')
        .argParser(collect)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--epoch <T>',
        'use epochs 1 … T; GraNd and EL2N at epoch T (default: the last complete one)',
      ).argParser(integer({ min: 1 })),
    )
    .addOption(new Option('--scores <names>', 'comma-separated scores (default: every score the records give)'))
    .addOption(new Option('--out <file>', 'CSV file to write').argParser(pathValue).makeOptionMandatory())
    .addOption(dataDirOption())
    .action(async (o) => {
      const { openRun } = await import('../../run/open-run');
      const { loadRunData, sampleIdentity, withLabelNoise } = await import('../../run/run-data');
      const { isNpzDataset } = await import('../../data/npz');
      const { labelsByPosition } = await import('../../analysis/run-arrays');
      const { scoreCsv, scoreTable } = await import('../../scores/score-table');
      const runs = o.run.map((dir) => {
        if (!fs.existsSync(path.join(dir, 'run.json')))
          throw new UsageError(`--run ${dir} is not a run folder (it has no run.json)`);
        return openRun(dir);
      });
      const first = runs[0]!;
      const { config } = first.meta;
      const npz = isNpzDataset(config.dataset);
      if (config.data && !npz)
        throw new UsageError(
          `${first.dir} was trained on samples other than ${config.dataset}'s published files ` +
            `(${config.data}); their labels are not in the dataset folder`,
        );
      // A run's content hash is of the samples before any label noise; the labels written are the ones it trained on.
      const clean = loadRunData({ ...config, labelNoise: undefined }, o.dataDir);
      if (npz && sampleIdentity(clean) !== config.data)
        throw new UsageError(
          `${config.dataset.slice(4)} has changed since ${first.dir} was trained on it (its samples' hash is ` +
            `${sampleIdentity(clean)}, the run's ${config.data}): the labels would not be the run's`,
        );
      const labels = labelsByPosition(first, withLabelNoise(clean, config.labelNoise).train);
      const table = scoreTable(runs, labels, {
        epoch: o.epoch,
        scores: o.scores?.split(',').map((s) => s.trim()),
      });
      for (const [name, why] of Object.entries(table.skipped)) process.stderr.write(`${name}: left out (${why})\n`);
      fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
      fs.writeFileSync(o.out, scoreCsv(table));
      const names = Object.keys(table.scores);
      process.stdout.write(
        `${o.out}: ${table.index.length} samples × ${names.length} scores (${names.join(', ')}), ` +
          `epochs 1–${table.epoch}, mean over ${table.runs} run${table.runs === 1 ? '' : 's'}\n`,
      );
    });
}
