/**
 * An .npy file of shape [E, ...slice] filled one epoch at a time, in place. The file is created
 * at full size up front; row t is written and fsynced when epoch t completes. Which rows are
 * valid is recorded in run.json (written atomically after the rows), so an interrupted run never
 * trusts a half-written row.
 *
 * @example
 *   const f = NpyEpochFile.open('nll.npy', 'float32', 50, [50000]);
 *   f.writeEpoch(0, nllOfEpoch0);
 *   f.readEpoch(0);
 */
import * as fs from 'node:fs';
import { describeWriteError, writeAllSync } from './atomic';
import { npyHeader, parseHeader, type NpyArray, type NpyDtype } from './npy';

export type EpochDtype = 'float32' | 'int32' | 'uint8';
const DTYPES: Record<EpochDtype, { npy: NpyDtype; width: number }> = {
  float32: { npy: '<f4', width: 4 },
  int32: { npy: '<i4', width: 4 },
  uint8: { npy: '|u1', width: 1 },
};

export class NpyEpochFile {
  private constructor(
    readonly file: string,
    private readonly dtype: EpochDtype,
    private readonly dataOffset: number,
    private readonly sliceLength: number,
  ) {}

  /** Opens the file, creating it when absent; an existing file must have the same header. */
  static open(file: string, dtype: EpochDtype, epochs: number, slice: readonly number[]): NpyEpochFile {
    const shape = [epochs, ...slice];
    const header = npyHeader(DTYPES[dtype].npy, shape);
    const sliceLength = slice.reduce((a, b) => a * b, 1);
    const total = header.length + epochs * sliceLength * DTYPES[dtype].width;
    if (fs.existsSync(file)) {
      const head = Buffer.alloc(Math.min(header.length + 64, fs.statSync(file).size));
      const fd = fs.openSync(file, 'r');
      try {
        fs.readSync(fd, head, 0, head.length, 0);
      } finally {
        fs.closeSync(fd);
      }
      const found = parseHeader(head, file);
      if (
        found.dtype !== DTYPES[dtype].npy ||
        found.shape.join() !== shape.join() ||
        fs.statSync(file).size !== total
      ) {
        throw new Error(
          `${file}: existing record has shape [${found.shape}] ${found.dtype}, ` +
            `expected [${shape}] ${DTYPES[dtype].npy}; remove the run folder to start over`,
        );
      }
      return new NpyEpochFile(file, dtype, found.dataOffset, sliceLength);
    }
    // Created whole under a temporary name, so a file of this name always has its full size.
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      const fd = fs.openSync(tmp, 'w');
      try {
        writeAllSync(fd, header, 0, tmp);
        fs.ftruncateSync(fd, total);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw describeWriteError(err, file);
    }
    return new NpyEpochFile(file, dtype, header.length, sliceLength);
  }

  writeEpoch(epoch: number, values: NpyArray): void {
    if (values.length !== this.sliceLength)
      throw new Error(`${this.file}: epoch row needs ${this.sliceLength} values, got ${values.length}`);
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    try {
      const fd = fs.openSync(this.file, 'r+');
      try {
        writeAllSync(fd, bytes, this.dataOffset + epoch * bytes.length, this.file);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (err) {
      // Only run.json says which rows are complete, and it is written after this: a row cut short stays unused.
      throw describeWriteError(err, this.file);
    }
  }

  readEpoch(epoch: number): NpyArray {
    const width = DTYPES[this.dtype].width;
    const bytes = new Uint8Array(this.sliceLength * width);
    const fd = fs.openSync(this.file, 'r');
    try {
      fs.readSync(fd, bytes, 0, bytes.length, this.dataOffset + epoch * bytes.length);
    } finally {
      fs.closeSync(fd);
    }
    if (this.dtype === 'float32') return new Float32Array(bytes.buffer);
    if (this.dtype === 'int32') return new Int32Array(bytes.buffer);
    return bytes;
  }
}
