/**
 * Per-figure data files, the one module that knows their format and where they live: the frames
 * a figure is drawn from plus a meta object (run keys, run counts), as one small JSON file written
 * atomically to figures/data/<profile>/<dataset>/<figure>.json. These files are committed, so the
 * analyses keep frames small (no per-sample table above ~5,000 rows) and numbers are rounded to
 * SIGNIFICANT_DIGITS.
 *
 * @example
 *   saveFigureData(figureDataFile('quick', 'mnist', 'fig02'), fig02.compute(inputs), { profile: 'quick' });
 *   for (const { dataset, file } of figureDataFiles('quick', 'fig02')) loadFigureData(file);
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { frameFromRows, frameRows, type Frames, type Row } from '../analysis/frames';
import { writeFileAtomic } from '../io/atomic';
import { figureDataDir } from '../paths';
import { DATASET_ORDER } from './figure';

const FORMAT = 'sample-importance/figure-data@1';

/**
 * Significant digits kept for non-integers: far beyond what a figure or summary shows, and it keeps
 * committed files small.
 */
export const SIGNIFICANT_DIGITS = 6;

function compactNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) && Number.isFinite(value)
    ? Number(value.toPrecision(SIGNIFICANT_DIGITS))
    : value;
}

export function saveFigureData(file: string, frames: Frames, meta: Record<string, unknown> = {}): void {
  const tables = Object.fromEntries(
    Object.entries(frames).map(([name, f]) => [name, { columns: f.columns, rows: frameRows(f) }]),
  );
  writeFileAtomic(file, `${JSON.stringify({ format: FORMAT, meta, frames: tables }, compactNumbers)}\n`);
}

interface FigureFile {
  format?: string;
  meta: Record<string, unknown>;
  frames: Record<string, { columns: string[]; rows: Row[] }>;
}

function parseFigureFile(file: string, text: string): FigureFile {
  let parsed: FigureFile;
  try {
    parsed = JSON.parse(text) as FigureFile;
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw new Error(`${file} is not a figure data file: ${err.message}`);
  }
  if (parsed.format !== FORMAT)
    throw new Error(`${file} is not a figure data file (format ${parsed.format ?? 'missing'}, expected ${FORMAT})`);
  return parsed;
}

function readFigureFile(file: string): FigureFile {
  return parseFigureFile(file, fs.readFileSync(file, 'utf8'));
}

function framesOf({ frames }: FigureFile): Frames {
  return Object.fromEntries(Object.entries(frames).map(([name, t]) => [name, frameFromRows(t.rows, t.columns)]));
}

/** The frames of a figure data file, ready for a figure's spec, measure and claims. */
export function loadFigureData(file: string): Frames {
  return framesOf(readFigureFile(file));
}

/**
 * The figure data an earlier call wrote to `file`, if there is any: its frames, the file (`source`,
 * for messages) and its text, which tells whether another process has rewritten it since.
 */
export function recordedFigureData(file: string): { frames: Frames; source: string; text: string } | undefined {
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  return { frames: framesOf(parseFigureFile(file, text)), source: file, text };
}

export function loadFigureMeta(file: string): Record<string, unknown> {
  return readFigureFile(file).meta;
}

export function figureDataFile(profile: string, dataset: string, figure: string): string {
  return path.join(figureDataDir(profile), dataset, `${figure}.json`);
}

/** The data id of a per-seed figure computed from seed `seed`'s run: 'fig02.seed2'. */
export function perSeedDataId(figure: string, seed: number): string {
  return `${figure}.seed${seed}`;
}

/** The figure's data files of a profile, one per dataset that has it, in display order. */
export function figureDataFiles(profile: string, figure: string): { dataset: string; file: string }[] {
  const root = figureDataDir(profile);
  if (!fs.existsSync(root)) {
    throw new Error(
      `no figure data for profile '${profile}' in ${root}; ` +
        `run \`si experiments --profile ${profile}\` (or \`make report\`) first`,
    );
  }
  const rank = (d: string) => DATASET_ORDER.indexOf(d) + 1 || DATASET_ORDER.length + 1;
  return fs
    .readdirSync(root)
    .filter((d) => fs.existsSync(figureDataFile(profile, d, figure)))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((dataset) => ({ dataset, file: figureDataFile(profile, dataset, figure) }));
}
