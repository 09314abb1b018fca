/**
 * Why importance is unstable across seeds on CIFAR-10 (REPRODUCTION.md): Figure 1's measurement
 * repeated under the choices the paper leaves open — inputs standardised per channel, a Glorot
 * (not zero) output layer — and under a smaller step, η = 0.05. Each variant trains the profile's
 * initialisation seeds on the shared order (cached, resumable), and α's Spearman between seeds is
 * compared per epoch with the default's.
 *
 * @example
 *   const frames = await stabilityAblations(getProfile('paper'), 'cifar10', { engine, runsDir: 'runs' });
 *   console.log(ablationsMarkdown(frames));
 */
import { frameFromRows, frameRows, type Frames, type Row } from '../analysis/frames';
import { recordedAlphaSeries, alphaStability } from '../analysis/seed-stability';
import { mean, standardError } from '../analysis/stats';
import type { DatasetName } from '../data/registry';
import type { Engine } from '../engine/types';
import { pct2 } from '../figures/inputs';
import type { OpenRun } from '../run/open-run';
import { resolveRunConfig, type RunConfig } from '../run/config';
import { loadRunData } from '../run/run-data';
import type { TrainProgress } from '../run/train';
import { seedRunConfig } from './plan';
import { finishedOrTrained } from './sweep-trainer';
import type { Profile } from './profiles';

export const DEFAULT_VARIANT = 'default (pixels / 255, zero output layer, η = 0.1)';

/** Each variant's change to the profile's seed-run config. */
export const STABILITY_ABLATIONS: Readonly<Record<string, Partial<RunConfig>>> = {
  'inputs standardised per channel': { preprocessing: 'standardise-channels' },
  'Glorot output layer': { init: { hidden: 'glorot-uniform', output: 'glorot' } },
  'η = 0.05': { lr: 0.05 },
};

export interface AblationOptions {
  /** Needed unless finishedOnly. */
  engine?: Engine;
  runsDir: string;
  dataDir?: string;
  /** Train nothing: the variants' runs finished on disk only. */
  finishedOnly?: boolean;
  log?: (line: string) => void;
  onProgress?: (p: TrainProgress) => void;
}

function variantConfig(profile: Profile, dataset: DatasetName, seed: number, change: Partial<RunConfig>): RunConfig {
  const base = seedRunConfig(profile, dataset, seed);
  return resolveRunConfig({ ...base, ...change, init: { ...base.init, ...change.init } });
}

/** The variant's seed runs, trained where missing (unless finishedOnly); diverged runs are results too. */
async function variantRuns(
  profile: Profile,
  dataset: DatasetName,
  name: string,
  change: Partial<RunConfig>,
  opts: AblationOptions,
): Promise<OpenRun[]> {
  const runs: OpenRun[] = [];
  const configs = profile.seeds.map((seed) => variantConfig(profile, dataset, seed, change));
  const data = opts.finishedOnly ? undefined : loadRunData(configs[0]!, opts.dataDir);
  for (const cfg of configs) {
    const run = await finishedOrTrained(cfg, { ...opts, data, label: `${dataset} ${name}, seed ${cfg.seed}` });
    if (run) runs.push(run);
  }
  return runs;
}

/** α's Spearman between every pair of seeds per compared epoch, and each run's final test error. */
function measure(variant: string, runs: OpenRun[]): { stability: Row[]; errors: Row[] } {
  const complete = runs.filter((r) => r.meta.status === 'complete');
  const stability =
    complete.length >= 2
      ? frameRows(alphaStability(complete.map(recordedAlphaSeries))).map((r) => ({ variant, ...r }))
      : [];
  const errors = runs.map((r) => ({
    variant,
    seed: r.meta.config.seed,
    status: r.meta.status,
    divergedIn: r.meta.divergence?.epoch ?? 0,
    testError: r.meta.metrics[r.meta.metrics.length - 1]?.testError ?? Number.NaN,
  }));
  return { stability, errors };
}

export async function stabilityAblations(
  profile: Profile,
  dataset: DatasetName,
  opts: AblationOptions,
): Promise<Frames> {
  const variants: [string, Partial<RunConfig>][] = [[DEFAULT_VARIANT, {}], ...Object.entries(STABILITY_ABLATIONS)];
  // The default's runs are the profile's own seed runs, which `si experiments` may be training: last.
  const runs = new Map<string, OpenRun[]>();
  for (const [name, change] of [...variants.slice(1), variants[0]!])
    runs.set(name, await variantRuns(profile, dataset, name, change, opts));
  const stability: Row[] = [];
  const errors: Row[] = [];
  for (const [name] of variants) {
    const measured = measure(name, runs.get(name) ?? []);
    stability.push(...measured.stability);
    errors.push(...measured.errors);
  }
  return {
    stability: frameFromRows(stability, ['variant', 'epoch', 'pair', 'spearman']),
    errors: frameFromRows(errors, ['variant', 'seed', 'status', 'divergedIn', 'testError']),
  };
}

/** Per variant: the lowest and mean Spearman over seed pairs at each compared epoch, and the test errors reached. */
export function ablationsMarkdown(frames: Frames): string {
  const stability = frameRows(frames.stability!);
  const errors = frameRows(frames.errors!);
  const variants = [DEFAULT_VARIANT, ...Object.keys(STABILITY_ABLATIONS)];
  const epochs = [...new Set(stability.map((r) => Number(r.epoch)))].sort((a, b) => a - b);
  const cell = (variant: string, epoch: number) => {
    const rho = stability
      .filter((r) => r.variant === variant && Number(r.epoch) === epoch)
      .map((r) => Number(r.spearman));
    return rho.length ? `${Math.min(...rho).toFixed(3)} (${mean(rho).toFixed(3)})` : '—';
  };
  const errorCell = (variant: string) => {
    const runs = errors.filter((r) => r.variant === variant);
    const done = runs.filter((r) => r.status === 'complete').map((r) => Number(r.testError));
    const diverged = runs.filter((r) => r.status === 'diverged').map((r) => `seed ${r.seed} in epoch ${r.divergedIn}`);
    const se = done.length > 1 ? standardError(done) : 0;
    const parts = done.length ? [`${pct2(mean(done))} ± ${(100 * se).toFixed(2)} (${done.length} runs)`] : [];
    if (diverged.length) parts.push(`diverged: ${diverged.join(', ')}`);
    return parts.join('; ') || 'not trained yet';
  };
  const lines = [
    `| variant | ${epochs.map((e) => `ρ epoch ${e}`).join(' | ')} | final test error |`,
    `|---|${epochs.map(() => '---|').join('')}---|`,
    ...variants.map((v) => `| ${v} | ${epochs.map((e) => cell(v, e)).join(' | ')} | ${errorCell(v)} |`),
  ];
  return `${lines.join('\n')}\n\nρ: the lowest Spearman of α between two seeds (the mean over pairs in brackets).\n`;
}
