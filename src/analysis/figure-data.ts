/**
 * Per-figure data files: the DataFrames a figure is drawn from, plus a meta object (run keys,
 * options, claims' numbers), as one small JSON file written atomically. These files are committed,
 * so frames are kept small by the analyses (no per-sample table above ~5,000 rows).
 *
 * @example
 *   saveFigureData('figures/data/fig02-mnist.json', computeFig02(inputs), { run: run.meta.key });
 *   const frames = loadFigureData('figures/data/fig02-mnist.json');
 *   const meta = loadFigureMeta('figures/data/fig02-mnist.json');
 */
import * as fs from 'fs';
import * as dfd from 'danfojs-node';
import { writeFileAtomic } from '../io/atomic';

export type DataFrame = dfd.DataFrame;
export type Frames = Record<string, DataFrame>;
export type Row = Record<string, number | string | boolean | null>;

const FORMAT = 'sample-importance/figure-data@1';

/** Significant digits kept for non-integers: far beyond what a figure or summary shows, and it keeps committed files small. */
export const SIGNIFICANT_DIGITS = 6;

function compactNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) && Number.isFinite(value) ? Number(value.toPrecision(SIGNIFICANT_DIGITS)) : value;
}

/** A DataFrame from row objects; `columns` keeps the header of an empty table. */
export function frameFromRows(rows: Row[], columns?: string[]): DataFrame {
  const header = columns ?? Object.keys(rows[0] ?? {});
  return rows.length === 0 ? new dfd.DataFrame([], { columns: header }) : new dfd.DataFrame(rows, { columns: header });
}

/** The rows of a frame as plain objects (what Vega-Lite takes as inline data). */
export function frameRows(frame: DataFrame): Row[] {
  return frame.shape[0] === 0 ? [] : (dfd.toJSON(frame, { format: 'column' }) as Row[]);
}

export function saveFigureData(file: string, frames: Frames, meta: Record<string, unknown> = {}): void {
  const tables = Object.fromEntries(Object.entries(frames).map(([name, f]) => [name, { columns: f.columns, rows: frameRows(f) }]));
  writeFileAtomic(file, JSON.stringify({ format: FORMAT, meta, frames: tables }, compactNumbers) + '\n');
}

interface FigureFile {
  format?: string;
  meta: Record<string, unknown>;
  frames: Record<string, { columns: string[]; rows: Row[] }>;
}

function readFigureFile(file: string): FigureFile {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as FigureFile;
  if (parsed.format !== FORMAT) throw new Error(`${file} is not a figure data file (format ${parsed.format ?? 'missing'}, expected ${FORMAT})`);
  return parsed;
}

/** The frames of a figure data file, ready for a spec builder. */
export function loadFigureData(file: string): Frames {
  const { frames } = readFigureFile(file);
  return Object.fromEntries(Object.entries(frames).map(([name, t]) => [name, frameFromRows(t.rows, t.columns)]));
}

export function loadFigureMeta(file: string): Record<string, unknown> {
  return readFigureFile(file).meta;
}
