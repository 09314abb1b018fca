/**
 * Checking dataset files against the registry's checksums. A file passes if it is byte-identical
 * to the published file, or if its decompressed content is: Debian's Fashion-MNIST .gz files
 * are recompressed (no file name in the gzip header), and users may keep files decompressed.
 *
 * @example
 *   for (const r of await verifyDataset('mnist', { dataDir: '/work/shared/data' })) {
 *     console.log(r.path, r.ok ? r.matched : r.problem);
 *   }
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { writeFileAtomic } from '../io/atomic';
import { bufferDigests, checksumMismatch, fileDigests } from './checksum';
import { readFileNamed, readMaybeGzipped, requireRegularFile } from './read';
import { locateDataset, type LocateOptions } from './locate';
import { resolveSpec, type DatasetFile, type DatasetSpec } from './registry';

export interface FileVerification {
  readonly path: string;
  readonly ok: boolean;
  /** Which checksum agreed: the published file's or its decompressed content's. */
  readonly matched?: 'published' | 'content';
  /** Why it failed, naming the expected and actual checksums. */
  readonly problem?: string;
}

export async function verifyFile(path: string, file: DatasetFile): Promise<FileVerification> {
  return contentVerdict(path, file, checksumMismatch(file.published, await fileDigests(path)));
}

/** Given how the file itself compares (`asPublished`), the verdict, trying its decompressed content. */
function contentVerdict(path: string, file: DatasetFile, asPublished: string | undefined): FileVerification {
  if (!asPublished) return { path, ok: true, matched: 'published' };
  if (file.content) {
    let asContent: string | undefined;
    try {
      asContent = checksumMismatch(file.content, bufferDigests(readMaybeGzipped(path)));
    } catch (err) {
      // A truncated or corrupt .gz is a file to fetch again, not a reason to stop.
      return { path, ok: false, problem: `${asPublished}, and its content cannot be read (${(err as Error).message})` };
    }
    if (!asContent) return { path, ok: true, matched: 'content' };
    return {
      path,
      ok: false,
      problem: `neither the file nor its decompressed content matches (file: ${asPublished}; content: ${asContent})`,
    };
  }
  return { path, ok: false, problem: asPublished };
}

/** Verifies every file of the dataset where it would be loaded from (throws if it is missing). */
export async function verifyDataset(
  dataset: string | DatasetSpec,
  opts: LocateOptions = {},
): Promise<FileVerification[]> {
  const spec = resolveSpec(dataset);
  const { paths } = locateDataset(spec, opts);
  const results: FileVerification[] = [];
  for (let i = 0; i < spec.files.length; i++) results.push(await verifyFile(paths[i]!, spec.files[i]!));
  return results;
}

/** verifyFile, synchronously, hashing the file now. */
export function verifyFileAgain(path: string, file: DatasetFile): FileVerification {
  return contentVerdict(path, file, checksumMismatch(file.published, bufferDigests(readFileNamed(path))));
}

/** Where the verdicts on files already checked are kept: $SI_CACHE_DIR, else ~/.cache/sample-importance. */
function verdictCacheFile(): string {
  const root =
    process.env.SI_CACHE_DIR ||
    nodePath.join(process.env.XDG_CACHE_HOME || nodePath.join(os.homedir(), '.cache'), 'sample-importance');
  return nodePath.join(root, 'verified-data-files.json');
}

/** Names this very file as it is now: a changed byte changes its modification or change time. */
function fileIdentity(path: string, file: DatasetFile): string {
  const s = fs.statSync(path);
  const expected = file.published.sha256 ?? file.published.md5;
  return [nodePath.resolve(path), s.dev, s.ino, s.size, s.mtimeMs, s.ctimeMs, expected].join('|');
}

function readVerdicts(): Record<string, FileVerification['matched']> {
  try {
    return JSON.parse(fs.readFileSync(verdictCacheFile(), 'utf8')) as Record<string, FileVerification['matched']>;
  } catch {
    return {};
  }
}

/**
 * verifyFile for each of `files`, synchronously, with passes remembered per file (its device,
 * inode, size and times) so a file is hashed once, not on every load (CIFAR-10's 180 MB take about
 * a second). The remembered verdicts are read once and written once per call; only passes are
 * remembered, and a cache that cannot be written is simply not used.
 */
export function verifyFilesCached(files: readonly { path: string; file: DatasetFile }[]): FileVerification[] {
  const verdicts = readVerdicts();
  let learned = false;
  const results = files.map(({ path, file }) => {
    requireRegularFile(path);
    const key = fileIdentity(path, file);
    const known = verdicts[key];
    if (known) return { path, ok: true, matched: known };
    const verdict = verifyFileAgain(path, file);
    if (verdict.ok) {
      // One entry per file: its earlier versions' verdicts go.
      for (const k of Object.keys(verdicts)) if (k.startsWith(`${nodePath.resolve(path)}|`)) delete verdicts[k];
      verdicts[key] = verdict.matched;
      learned = true;
    }
    return verdict;
  });
  if (learned) {
    try {
      writeFileAtomic(verdictCacheFile(), JSON.stringify(verdicts));
    } catch {
      // A read-only home: verify again next time.
    }
  }
  return results;
}
