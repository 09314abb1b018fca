/**
 * Fetching the official files. Each download goes to a temporary file in the destination folder
 * and is renamed into place only once its size and checksums agree, so an interrupted or
 * corrupted fetch never leaves a file that looks like data. Failures are retried with backoff,
 * mirrors tried in order; a mirror answering 4xx or serving the wrong bytes is not asked again.
 *
 * @example
 *   await downloadDataset('mnist', {
 *     onProgress: (p) => process.stderr.write(`\r${p.file} ${p.received}/${p.total}`),
 *   });
 *   // tests and private mirrors: downloadDataset('cifar10', { mirrors: ['http://127.0.0.1:8080/'] })
 *   // fetches http://127.0.0.1:8080/cifar-10-binary.tar.gz
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { bufferDigests, checksumMismatch, fileDigests, type Checksums } from './checksum';
import { dataDir as resolveDataDir } from '../paths';
import { DatasetFileError } from './errors';
import { readTarGzMembers } from './archive';
import { datasetFolder } from './locate';
import { resolveSpec, type DatasetSpec } from './registry';
import { verifyFile } from './verify';

export interface DownloadProgress {
  /** The destination file's name. */
  readonly file: string;
  readonly url: string;
  readonly received: number;
  /** From Content-Length, else the registry's size, when either is known. */
  readonly total?: number;
}

export interface FetchOptions {
  /** Tries per mirror before giving up (default 3). */
  readonly attempts?: number;
  /** Wait before the second round of tries; doubled each round (default 1000 ms). */
  readonly backoffMs?: number;
  /** Give up on a connection silent for this long (default 60 s). */
  readonly timeoutMs?: number;
  readonly onProgress?: (progress: DownloadProgress) => void;
}

export interface DownloadOptions extends FetchOptions {
  /** The data directory; default: SI_DATA_DIR, then data/raw/. */
  readonly dataDir?: string;
  /**
   * Base URLs to fetch from instead of the registry's: each file (or, for CIFAR-10, the archive
   * by its file name) is fetched as `<mirror>/<name>`.
   */
  readonly mirrors?: readonly string[];
  /** Fetch even files that are present and verified. */
  readonly force?: boolean;
}

export interface DownloadedFile {
  readonly path: string;
  readonly action: 'present' | 'downloaded' | 'extracted';
}

/** Fetches the dataset's missing or corrupt files into `<dataDir>/<folder>/`. */
export async function downloadDataset(
  dataset: string | DatasetSpec,
  opts: DownloadOptions = {},
): Promise<DownloadedFile[]> {
  const spec = resolveSpec(dataset);
  const folder = datasetFolder(spec, opts.dataDir);
  fs.mkdirSync(folder, { recursive: true });
  const present = await Promise.all(
    spec.files.map(async (f) => {
      const dest = path.join(folder, f.name);
      return !opts.force && fs.existsSync(dest) && (await verifyFile(dest, f)).ok;
    }),
  );
  const results: DownloadedFile[] = spec.files
    .filter((_, i) => present[i])
    .map((f) => ({ path: path.join(folder, f.name), action: 'present' as const }));
  if (present.every(Boolean)) return results;

  const source = spec.source;
  if (source.kind === 'files') {
    const mirrors = opts.mirrors ?? source.mirrors;
    for (const [i, f] of spec.files.entries()) {
      if (present[i]) continue;
      const dest = path.join(folder, f.name);
      await downloadVerified(
        mirrors.map((m) => joinUrl(m, f.name)),
        dest,
        f.published,
        opts,
      );
      results.push({ path: dest, action: 'downloaded' });
    }
    return results;
  }

  // An archive already there (fetched by hand, or left by an extraction that failed) is reused.
  const archive = path.join(resolveDataDir(opts.dataDir), source.fileName);
  const archiveReady = fs.existsSync(archive) && !checksumMismatch(source.published, await fileDigests(archive));
  const urls = opts.mirrors ? opts.mirrors.map((m) => joinUrl(m, source.fileName)) : source.urls;
  if (!archiveReady) await downloadVerified(urls, archive, source.published, opts);
  const missing = spec.files.filter((_, i) => !present[i]);
  const member = (f: (typeof missing)[number]) => `${source.memberFolder}/${f.name}`;
  const members = await readTarGzMembers(archive, missing.map(member));
  for (const f of missing) {
    const data = members.get(member(f));
    if (!data) throw new DatasetFileError(archive, `has no member ${member(f)}`);
    const dest = path.join(folder, f.name);
    const problem = checksumMismatch(f.published, bufferDigests(data));
    if (problem) throw new DatasetFileError(`${archive}:${member(f)}`, problem);
    const tmp = tempPathFor(dest);
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, dest);
    results.push({ path: dest, action: 'extracted' });
  }
  // The extracted batches are what gets loaded; the 170 MB archive would only take space.
  fs.rmSync(archive);
  return results;
}

/**
 * Downloads the first URL that serves the expected bytes to `dest`. Throws the last failure,
 * naming the file and, for a checksum mismatch, both checksums; nothing is left at `dest` or in
 * temporary files on failure.
 */
export async function downloadVerified(
  urls: readonly string[],
  dest: string,
  expected: Checksums & { readonly bytes?: number },
  opts: FetchOptions = {},
): Promise<void> {
  const attempts = opts.attempts ?? 3;
  const backoffMs = opts.backoffMs ?? 1000;
  const live = new Set(urls);
  let lastError: Error = new Error(`${dest}: no URL to download from`);
  for (let attempt = 0; attempt < attempts && live.size > 0; attempt++) {
    if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1));
    for (const url of live) {
      const tmp = tempPathFor(dest);
      try {
        await fetchToFile(url, tmp, dest, expected, opts);
        fs.renameSync(tmp, dest);
        return;
      } catch (err) {
        fs.rmSync(tmp, { force: true });
        lastError = err as Error;
        if (err instanceof PermanentFailure) live.delete(url);
      }
    }
  }
  throw lastError;
}

/** A failure that asking the same URL again would repeat (4xx, wrong bytes). */
class PermanentFailure extends DatasetFileError {}

async function fetchToFile(
  url: string,
  tmp: string,
  dest: string,
  expected: Checksums & { readonly bytes?: number },
  opts: FetchOptions,
): Promise<void> {
  const response = await openUrl(url, dest, opts.timeoutMs ?? 60_000, 5);
  const lengthHeader = response.headers['content-length'];
  const announced = lengthHeader === undefined ? undefined : Number(lengthHeader);
  const total = announced ?? expected.bytes;
  const md5 = crypto.createHash('md5');
  const sha256 = crypto.createHash('sha256');
  const out = fs.openSync(tmp, 'w');
  let received = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      fs.writeSync(out, chunk);
      md5.update(chunk);
      sha256.update(chunk);
      received += chunk.length;
      opts.onProgress?.({ file: path.basename(dest), url, received, total });
    }
  } catch (err) {
    throw new DatasetFileError(
      dest,
      `download from ${url} broke off after ${received} bytes (${(err as Error).message})`,
    );
  } finally {
    fs.closeSync(out);
  }
  if (announced !== undefined && received !== announced) {
    throw new DatasetFileError(dest, `truncated download from ${url}: ${received} of ${announced} bytes`);
  }
  const problem = checksumMismatch(expected, { md5: md5.digest('hex'), sha256: sha256.digest('hex') });
  if (problem) throw new PermanentFailure(dest, `${problem} (from ${url})`);
}

/** GETs `url`, following redirects; resolves with a 200 response. */
function openUrl(url: string, dest: string, timeoutMs: number, redirectsLeft: number): Promise<http.IncomingMessage> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(
      url,
      { timeout: timeoutMs, headers: { 'user-agent': 'sample-importance' } },
      (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location) {
          response.resume();
          if (redirectsLeft === 0) reject(new PermanentFailure(dest, `too many redirects from ${url}`));
          else resolve(openUrl(new URL(location, url).toString(), dest, timeoutMs, redirectsLeft - 1));
        } else if (status !== 200) {
          response.resume();
          const Failure = status >= 400 && status < 500 ? PermanentFailure : DatasetFileError;
          reject(new Failure(dest, `HTTP ${status} from ${url}`));
        } else {
          resolve(response);
        }
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no data from ${url} for ${timeoutMs} ms`)));
    request.on('error', (err) => reject(new DatasetFileError(dest, `cannot download ${url} (${err.message})`)));
  });
}

function tempPathFor(dest: string): string {
  return `${dest}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`;
}

function joinUrl(base: string, name: string): string {
  return base.endsWith('/') ? base + name : `${base}/${name}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
