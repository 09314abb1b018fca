/**
 * A small reader for (uncompressed) tar archives, enough for the official CIFAR-10 archive:
 * ustar/GNU headers, with GNU long names ('L') and pax `path` records ('x') honoured so that no
 * entry is silently misnamed. Entries are views into the archive's bytes; nothing touches disk,
 * so a hostile archive cannot write outside the data folder.
 *
 * @example
 *   const tar = gunzipNamed(fs.readFileSync('cifar-10-binary.tar.gz'), 'cifar-10-binary.tar.gz');
 *   for (const e of readTar(tar, 'cifar-10-binary.tar.gz')) console.log(e.type, e.name, e.data.length);
 */
import { DatasetFileError } from './errors';

const BLOCK = 512;

export interface TarEntry {
  readonly name: string;
  readonly type: 'file' | 'directory' | 'other';
  readonly data: Uint8Array;
}

export function readTar(bytes: Uint8Array, file: string): TarEntry[] {
  const entries: TarEntry[] = [];
  let nextName: string | undefined; // from a preceding GNU long-name or pax header
  let at = 0;
  while (at + BLOCK <= bytes.length) {
    const header = bytes.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) return entries; // end-of-archive marker
    if (checksumOf(header) !== octal(header, 148, 8, file, at)) {
      throw new DatasetFileError(file, `corrupt tar header at byte ${at} (checksum mismatch)`);
    }
    const size = octal(header, 124, 12, file, at);
    const dataStart = at + BLOCK;
    if (dataStart + size > bytes.length) {
      throw new DatasetFileError(file, `truncated tar archive: entry at byte ${at} needs ${size} bytes, ${bytes.length - dataStart} remain`);
    }
    const data = bytes.subarray(dataStart, dataStart + size);
    const flag = String.fromCharCode(header[156]);
    if (flag === 'L') {
      nextName = text(data, 0, data.length);
    } else if (flag === 'x') {
      nextName = paxPath(data) ?? nextName;
    } else if (flag !== 'g') {
      const prefix = text(header, 345, 155);
      const name = nextName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
      nextName = undefined;
      const type = flag === '0' || flag === '\0' ? 'file' : flag === '5' ? 'directory' : 'other';
      entries.push({ name, type, data });
    }
    at = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new DatasetFileError(file, 'truncated tar archive: no end-of-archive marker');
}

/** The header checksum: the sum of its bytes with the checksum field itself read as spaces. */
function checksumOf(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  return sum;
}

function octal(header: Uint8Array, start: number, length: number, file: string, at: number): number {
  const field = text(header, start, length).trim();
  if (!/^[0-7]+$/.test(field)) throw new DatasetFileError(file, `corrupt tar header at byte ${at} (bad number '${field}')`);
  return parseInt(field, 8);
}

function text(bytes: Uint8Array, start: number, length: number): string {
  const field = bytes.subarray(start, start + length);
  const end = field.indexOf(0);
  return Buffer.from(field.subarray(0, end < 0 ? field.length : end)).toString('utf8');
}

/** A pax extended header is records "<len> key=value\n"; only `path` matters here. */
function paxPath(data: Uint8Array): string | undefined {
  const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(Buffer.from(data).toString('utf8'));
  return match?.[1];
}
