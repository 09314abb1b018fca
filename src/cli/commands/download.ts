/**
 * `si download <dataset...>`: fetches the official files into the data directory, each checked
 * against its published checksum before it is kept.
 *
 * @example
 *   si download mnist cifar10 --data-dir ./data/raw
 */
import { downloadDataset } from '../../data/download';
import { DATASET_NAMES, isDatasetName } from '../../data/registry';
import { dataDir } from '../../paths';
import { parseFlags, UsageError, type FlagTable } from '../args';

export const DOWNLOAD_FLAGS = {
  dataDir: { type: 'string', help: 'dataset folder (default: SI_DATA_DIR, then data/raw/)' },
  mirror: { type: 'string', help: 'base URL to fetch from instead of the official locations' },
  force: { type: 'bool', default: false, help: 'fetch again even when the files are present and verified' },
} satisfies FlagTable;

export async function downloadCommand(argv: readonly string[]): Promise<number> {
  const f = parseFlags(argv, DOWNLOAD_FLAGS);
  if (f._.length === 0) throw new UsageError(`name at least one dataset: ${DATASET_NAMES.join(', ')}`);
  const unknown = f._.filter((n) => !isDatasetName(n));
  if (unknown.length > 0) throw new UsageError(`unknown dataset ${unknown.join(', ')}; valid datasets: ${DATASET_NAMES.join(', ')}`);
  const target = dataDir(f.dataDir);
  for (const name of f._) {
    console.error(`${name}: into ${target}`);
    let lastReport = 0;
    const files = await downloadDataset(name, {
      dataDir: target,
      force: f.force,
      mirrors: f.mirror ? [f.mirror] : undefined,
      onProgress: (p) => {
        if (Date.now() - lastReport < 500) return;
        lastReport = Date.now();
        const total = p.total ? ` of ${(p.total / 1e6).toFixed(1)} MB` : '';
        process.stderr.write(`  ${p.file}: ${(p.received / 1e6).toFixed(1)} MB${total}\r`);
      },
    });
    for (const file of files) console.log(`  ${file.action.padEnd(10)} ${file.path}`);
  }
  return 0;
}
