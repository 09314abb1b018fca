/**
 * What figure computations read, and the helpers figure files share to turn frames into
 * Vega-Lite inline data and numbers for summaries.
 *
 * @example
 *   const inputs: FigureInputs = { dataset: 'mnist', classNames, trainLabels: labelsByPosition(run, train),
 *     images: imagesFrom(train), seedRuns: [run], constructionRuns: {} };
 *   const frames = computeFig02(inputs);
 */
import type { ConstructionName } from '../analysis/batch-constructions';
import { frameRows, type Frames, type Row } from '../analysis/frames';
import type { AlphaSeries } from '../analysis/seed-stability';
import type { OpenRun } from '../run/open-run';
import type { Verdict } from './figure';

export interface ImageBatch {
  /** [height, width, channels]; pixels planar in [0, 1] (src/data/part.ts). */
  shape: readonly [number, number, number];
  pixels: Float32Array[];
}

export interface FigureInputs {
  dataset: string;
  classNames: readonly string[];
  /** Label of each training position of the seed runs. */
  trainLabels: Int32Array;
  /** Images at training positions (figures 5 and 6 show examples). */
  images?: (positions: number[]) => ImageBatch;
  /** Runs that differ only in initialisation seed, seed 1 first (figures 2–6, 9, 10 use the first). */
  seedRuns: OpenRun[];
  /** Runs of each batch construction (figures 7 and 8). */
  constructionRuns: Partial<Record<ConstructionName, OpenRun[]>>;
  /** k of the cluster figures (5, 6); default the paper's (20 on MNIST, 30 on CIFAR-10). */
  clusters?: number;
  /** Figure 1 under readings of the protocol other than the default: α series per seed, compared pairwise. */
  stabilityVariants?: StabilityVariant[];
  /** The pruning benchmark's frames (experiments/pruning.ts), for Figure 11. */
  pruning?: Frames;
  /** The noisy-label benchmark's frames (experiments/noisy-labels.ts), for Figure 12. */
  noisyLabels?: Frames;
}

export interface StabilityVariant {
  /** How α was measured, e.g. 'at checkpoints, shared order'. */
  name: string;
  series: AlphaSeries[];
}

/** Images from a data part whose rows are the runs' training positions. */
export function imagesFrom(part: {
  x: Float32Array;
  inputSize: number;
  shape: readonly [number, number, number];
}): (positions: number[]) => ImageBatch {
  return (positions) => ({
    shape: part.shape,
    pixels: positions.map((p) => part.x.slice(p * part.inputSize, (p + 1) * part.inputSize)),
  });
}

export function firstSeedRun(inputs: FigureInputs): OpenRun {
  const run = inputs.seedRuns[0];
  if (!run) throw new Error('this figure needs at least one seed run (inputs.seedRuns is empty)');
  return run;
}

/** The rows of frame `name`, or an error naming what is missing. */
export function rowsOf(frames: Frames, name: string): Row[] {
  const frame = frames[name];
  if (!frame)
    throw new Error(`figure data lacks the frame '${name}' (has: ${Object.keys(frames).join(', ') || 'none'})`);
  return frameRows(frame);
}

export function num(row: Row, field: string): number {
  return Number(row[field]);
}

/** `list[index]` (a negative index counts from the end), or an error naming what is missing. */
export function item<T>(list: readonly T[], index: number, what: string): T {
  const value = list[index < 0 ? list.length + index : index];
  if (value === undefined) throw new RangeError(`figure data has no ${what} (${list.length} available)`);
  return value;
}

/** `shares[key]`, or NaN where the data has no such entry (a layer the network lacks): comparisons with it fail. */
export function share(shares: Readonly<Record<string, number>>, key: string): number {
  return shares[key] ?? NaN;
}

/** Compact number for summaries: 3 significant digits, exponent form when tiny or huge. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}

export function pct(v: number): string {
  return `${(100 * v).toFixed(1)}%`;
}

/** Error rates as the tables quote them, to two decimals: '48.20%'. */
export function pct2(v: number): string {
  return `${(100 * v).toFixed(2)}%`;
}

/** Seconds as hours with two decimals: '1.25 h'. */
export function hoursText(seconds: number): string {
  return `${(seconds / 3600).toFixed(2)} h`;
}

/** An error rate's mean with its standard error over `n` runs: '48.20% ± 0.12', the ± only when n > 1. */
export function meanSeText(mean: number, se: number, n: number): string {
  return `${pct2(mean)}${n > 1 ? ` ± ${(100 * se).toFixed(2)}` : ''}`;
}

/** Shares per layer as text: 'L1 45.9%, L2 26.3%, L3 24.2%, Out 3.5%'. */
export function sharesText(shares: Readonly<Record<string, number>>): string {
  return Object.entries(shares)
    .map(([layer, v]) => `${layer} ${pct(v)}`)
    .join(', ');
}

/** The layers named in rows (their `layer` field), in order of first appearance: the run's layer order. */
export function layersIn(rows: readonly Row[]): string[] {
  return [...new Set(rows.map((r) => String(r.layer)).filter((l) => l !== 'All'))];
}

/**
 * The layers the paper's claims name, on any network: its L1, L2 and L3 are the first, second and
 * third parameterised layers (a CNN's conv1, conv2, fc1), its Out the last, and "lower layers"
 * every layer but the last.
 */
export function layerRoles(names: readonly string[]): {
  first: string;
  second: string;
  third: string;
  output: string;
  lower: string[];
} {
  return {
    first: names[0] ?? 'L1',
    second: names[1] ?? 'L2',
    third: names[2] ?? 'L3',
    output: names[names.length - 1] ?? 'Out',
    lower: names.slice(0, -1),
  };
}

/** For claims about "lower layers" (`lower`, first to last): holds when all pass, partly when the first does. */
export function lowerLayersVerdict(lower: readonly string[], passes: (layer: string) => boolean): Verdict {
  const results = lower.map(passes);
  return results.every(Boolean) ? 'holds' : results[0] ? 'partly holds' : 'does not hold';
}
