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
import { bufferDigests, checksumMismatch, fileDigests } from './checksum';
import { readMaybeGzipped } from './read';
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
  const asPublished = checksumMismatch(file.published, await fileDigests(path));
  if (!asPublished) return { path, ok: true, matched: 'published' };
  if (file.content) {
    const asContent = checksumMismatch(file.content, bufferDigests(readMaybeGzipped(path)));
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
