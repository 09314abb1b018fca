/**
 * The noisy-label benchmark (`si noisy`): flip a seeded fraction of the training labels, train the
 * profile's seed-1 configuration on them, and ask of every training-dynamics score, epoch by
 * epoch, how well it finds the flipped samples: ROC-AUC, and precision at k = the number flipped.
 * The flipped positions are saved with each run (flipped.npy).
 *
 * @example
 *   const frames = await noisyLabelBenchmark(getProfile('smoke'), 'mnist', { engine, runsDir: 'runs' });
 *   console.log(noisyLabelsMarkdown(frames));
 */
import { frameFromRows, frameRows, type Frames, type Row } from '../analysis/frames';
import { isNpzDataset } from '../data/npz';
import type { Engine } from '../engine/types';
import { pct2 } from '../figures/inputs';
import { resolveRunConfig, type RunConfig, type RunDataset } from '../run/config';
import type { OpenRun } from '../run/open-run';
import { loadRunData, sampleIdentity, withLabelNoise, type RunData } from '../run/run-data';
import type { TrainProgress } from '../run/train';
import { sampleScores, scoreNames, unavailableScores } from '../scores/sample-scores';
import { groupBy } from '../util/group-by';
import { Rng } from '../util/rng';
import { ownDataProfile } from './own-data';
import { seedRunConfig } from './plan';
import type { Profile } from './profiles';
import { finishedOrTrained } from './sweep-trainer';

/**
 * Scores for which a low value flags a mislabelled sample, as each score's source reads it: a small
 * margin (Pleiss et al.), and the data map's hard-to-learn region, low confidence and low
 * variability, where Swayamdipta et al. find most mislabelled samples. Every other score flags
 * high values. Fixed before any result, never chosen by the AUC.
 */
const NOISY_IS_LOW: ReadonlySet<string> = new Set(['aum', 'confidence', 'variability']);

/** One score's detection quality at one epoch (a row of the `curves` frame). */
type CurveRow = { noise: number; score: string; epoch: number; auc: number; precisionAtK: number };

/** Samples of each noise level's data map kept in the figure data (a seeded draw; the figure draws each as a point). */
export const DATA_MAP_SAMPLES = 2000;

export interface NoisyLabelOptions {
  /** Needed unless finishedOnly. */
  engine?: Engine;
  runsDir: string;
  dataDir?: string;
  /** The samples instead of the dataset's published files (tests). */
  data?: RunData;
  finishedOnly?: boolean;
  /** Fractions of flipped labels; default the profile's (Profile.noisyLabels). */
  fractions?: readonly number[];
  /** Seeds which labels flip, and to what. */
  noiseSeed?: number;
  log?: (line: string) => void;
  onProgress?: (p: TrainProgress) => void;
}

/**
 * ROC-AUC of `suspicion` for telling the `positive` samples from the rest: the probability that
 * a random positive scores above a random negative, ties counting one half (Mann–Whitney).
 */
export function rocAuc(suspicion: Float64Array, positive: Uint8Array): number {
  const order = Array.from(suspicion.keys()).sort((a, b) =>
    suspicion[a]! < suspicion[b]! ? -1 : suspicion[a]! > suspicion[b]! ? 1 : 0,
  );
  let rankSum = 0;
  let positives = 0;
  for (let k = 0; k < order.length; ) {
    let end = k;
    while (end + 1 < order.length && suspicion[order[end + 1]!] === suspicion[order[k]!]) end++;
    const rank = (k + end) / 2 + 1; // average rank of the tied group, from 1
    for (let j = k; j <= end; j++) {
      if (positive[order[j]!]) {
        rankSum += rank;
        positives++;
      }
    }
    k = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * The share of flipped samples among the k most suspicious (k = the number flipped); a tie at the
 * cut counts as its expected share under a random tie-break.
 */
export function precisionAtK(suspicion: Float64Array, positive: Uint8Array): number {
  const k = positive.reduce((s, v) => s + v, 0);
  if (k === 0) return Number.NaN;
  const sorted = Float64Array.from(suspicion).sort();
  const cut = sorted[sorted.length - k]!;
  let above = 0;
  let positiveAbove = 0;
  let tied = 0;
  let positiveTied = 0;
  suspicion.forEach((v, i) => {
    if (v > cut) {
      above++;
      positiveAbove += positive[i]!;
    } else if (v === cut) {
      tied++;
      positiveTied += positive[i]!;
    }
  });
  return (positiveAbove + ((k - above) * positiveTied) / tied) / k;
}

/** Each score's AUC and precision at k for every epoch T of the run (scores from epochs 1 … T). */
function detectionCurves(run: OpenRun, noise: number): CurveRow[] {
  const positive = new Uint8Array(run.n);
  for (const p of run.flipped!) positive[p] = 1;
  const missing = unavailableScores(run);
  const names = scoreNames(run).filter((s) => s !== 'final_nll' && !(s in missing));
  const rows: CurveRow[] = [];
  for (let T = 1; T <= run.epochs; T++) {
    const scores = sampleScores(run, { epoch: T, scores: names });
    for (const score of names) {
      const values = scores[score]!;
      const suspicion = NOISY_IS_LOW.has(score) ? values.map((v) => -v) : values;
      rows.push({
        noise,
        score,
        epoch: T,
        auc: rocAuc(suspicion, positive),
        precisionAtK: precisionAtK(suspicion, positive),
      });
    }
  }
  return rows;
}

/** Confidence and variability of a seeded draw of samples at the last epoch, flipped marked. */
function dataMap(run: OpenRun, noise: number): Row[] {
  const { confidence, variability } = sampleScores(run, { scores: ['confidence', 'variability'] });
  const flipped = new Set(run.flipped);
  const draw = new Rng(1).permutation(run.n).subarray(0, Math.min(DATA_MAP_SAMPLES, run.n));
  return Array.from(draw, (p) => ({
    noise,
    position: p,
    confidence: confidence![p]!,
    variability: variability![p]!,
    flipped: flipped.has(p),
  }));
}

/** Per noise level and score: the best AUC and its epoch, the AUC at the last epoch, precision at k at the best. */
function bestEpochs(curves: CurveRow[]): Row[] {
  return [...groupBy(curves, (r) => `${r.noise}|${r.score}`).values()].map((rows) => {
    const best = rows.reduce((a, r) => (r.auc > a.auc ? r : a));
    const last = rows[rows.length - 1]!;
    return {
      noise: best.noise,
      score: best.score,
      bestAuc: best.auc,
      bestEpoch: best.epoch,
      precisionAtBest: best.precisionAtK,
      lastAuc: last.auc,
      lastEpoch: last.epoch,
    };
  });
}

export async function noisyLabelBenchmark(
  profile: Profile,
  dataset: RunDataset,
  opts: NoisyLabelOptions,
): Promise<Frames> {
  if (isNpzDataset(dataset) && !opts.data) {
    const own = ownDataProfile(profile, dataset);
    return noisyLabelBenchmark(own.profile, dataset, { ...opts, data: own.data });
  }
  const fractions = opts.fractions ?? profile.noisyLabels;
  const noiseSeed = opts.noiseSeed ?? 1;
  const clean = seedRunConfig(profile, dataset, profile.seeds[0]);
  const runRows: Row[] = [];
  const curves: CurveRow[] = [];
  const maps: Row[] = [];
  for (const fraction of fractions) {
    if (Math.round(fraction * clean.trainSize) === 0)
      throw new RangeError(
        `${pct2(fraction)} of ${clean.trainSize} training samples flips no label: nothing to find; ` +
          'take a larger fraction',
      );
    let cfg: RunConfig = resolveRunConfig({ ...clean, labelNoise: { fraction, seed: noiseSeed } });
    let data: RunData | undefined;
    if (opts.data) {
      data = withLabelNoise(opts.data, cfg.labelNoise);
      cfg = resolveRunConfig({ ...cfg, data: sampleIdentity(opts.data) });
    } else if (!opts.finishedOnly) data = loadRunData(cfg, opts.dataDir);
    const label = `${dataset} with ${pct2(fraction)} of labels flipped`;
    const run = await finishedOrTrained(cfg, { ...opts, data, label });
    if (!run) continue;
    const last = run.meta.metrics[run.meta.metrics.length - 1]!;
    runRows.push({
      noise: fraction,
      key: run.meta.key,
      status: run.meta.status,
      epochs: run.epochs,
      flipped: run.flipped!.length,
      trainError: last.trainError,
      testError: last.testError,
    });
    if (run.epochs === 0) continue;
    curves.push(...detectionCurves(run, fraction));
    maps.push(...dataMap(run, fraction));
  }
  return {
    runs: frameFromRows(runRows, ['noise', 'key', 'status', 'epochs', 'flipped', 'trainError', 'testError']),
    curves: frameFromRows(curves, ['noise', 'score', 'epoch', 'auc', 'precisionAtK']),
    best: frameFromRows(bestEpochs(curves)),
    dataMap: frameFromRows(maps, ['noise', 'position', 'confidence', 'variability', 'flipped']),
  };
}

/** Per noise level: each score's best AUC (epoch), AUC at the last epoch, precision at k at the best epoch. */
export function noisyLabelsMarkdown(frames: Frames): string {
  const best = frameRows(frames.best!);
  const runs = frameRows(frames.runs!);
  const sections = runs.map((run) => {
    const rows = best
      .filter((r) => r.noise === run.noise)
      .sort((a, b) => (b.bestAuc as number) - (a.bestAuc as number))
      .map(
        (r) =>
          `| ${r.score} | ${(r.bestAuc as number).toFixed(3)} (epoch ${r.bestEpoch}) | ` +
          `${(r.lastAuc as number).toFixed(3)} | ${pct2(r.precisionAtBest as number)} |`,
      );
    return [
      `${pct2(run.noise as number)} of labels flipped (${run.flipped} samples; ${run.status} after ${run.epochs} ` +
        `epochs, final train error ${pct2(run.trainError as number)}, test error ${pct2(run.testError as number)}):`,
      '',
      '| score | best ROC-AUC (epoch) | AUC at the last epoch | precision at k, best epoch |',
      '|---|---|---|---|',
      ...rows,
    ].join('\n');
  });
  return `${sections.join('\n\n')}\n`;
}
