/**
 * `si download <dataset...>`: fetches the official files into the data directory, each checked
 * against its published checksum before it is kept.
 *
 * @example
 *   si download mnist cifar10 --data-dir ./data/raw
 */
import { Argument, Command, Option } from '@commander-js/extra-typings';
import { downloadDataset } from '../../data/download';
import { DATASET_NAMES } from '../../data/registry';
import { dataDir } from '../../paths';
import { dataDirOption } from '../options';

export function downloadCommand() {
  return new Command('download')
    .description('fetch and verify the official dataset files')
    .addArgument(new Argument('<datasets...>', 'datasets to fetch').choices(DATASET_NAMES))
    .addOption(dataDirOption())
    .addOption(new Option('--mirror <url>', 'base URL to fetch from instead of the official locations'))
    .addOption(new Option('--force', 'fetch again even when the files are present and verified').default(false))
    .action(async (datasets, o) => {
      const target = dataDir(o.dataDir);
      for (const name of datasets) {
        console.error(`${name}: into ${target}`);
        let lastReport = 0;
        const files = await downloadDataset(name, {
          dataDir: target,
          force: o.force,
          mirrors: o.mirror ? [o.mirror] : undefined,
          onProgress: (p) => {
            if (Date.now() - lastReport < 500) return;
            lastReport = Date.now();
            const total = p.total ? ` of ${(p.total / 1e6).toFixed(1)} MB` : '';
            process.stderr.write(`  ${p.file}: ${(p.received / 1e6).toFixed(1)} MB${total}\r`);
          },
        });
        for (const file of files) console.log(`  ${file.action.padEnd(10)} ${file.path}`);
      }
    });
}
