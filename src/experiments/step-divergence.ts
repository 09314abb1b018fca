/**
 * Whether the CIFAR-10 divergences of the ordered constructions (REPRODUCTION.md: RNLO 4 of 5 runs,
 * RSIO 3 of 5 at η = 0.1, in epochs 21–38) follow the order or the step: the same orders (seed 1's,
 * the profile's) trained again at η = 0.05 with initialisation seeds 1..runs, beside the same
 * seeds at the profile's step. Halving η halves the distance a run travels per epoch, so the
 * smaller step trains long enough to pass the step budget η·t of every divergence seen at the
 * profile's step (80% of its whole budget: 80 epochs at η = 0.05 against 50 at η = 0.1); each
 * divergence is reported with its η·t.
 *
 * @example
 *   const frames = await stepDivergenceSweep(getProfile('paper'), 'cifar10', { engine, runsDir: 'runs', runs: 2 });
 *   console.log(stepDivergenceMarkdown(frames));
 */
import { batchConstructions, type ConstructionName } from '../analysis/batch-constructions';
import { frameFromRows, frameRows, type Frames, type Row } from '../analysis/frames';
import { mean, standardError } from '../analysis/stats';
import type { DatasetName } from '../data/registry';
import { meanSeText } from '../figures/inputs';
import { resolveRunConfig, runDir, type RunConfig } from '../run/config';
import { openRun } from '../run/open-run';
import { readRunMeta, type RunMeta } from '../run/record';
import { loadRunData } from '../run/run-data';
import type { OrderSourceOptions } from './order-sources';
import { constructionRunConfig, seedRunConfig } from './plan';
import { finishedOrTrained } from './sweep-trainer';
import type { Profile } from './profiles';

/** The constructions that diverged most often at the paper's step. */
export const DIVERGING_CONSTRUCTIONS: readonly ConstructionName[] = ['RNLO', 'RSIO'];
/** The smaller step tried beside the profile's. */
export const SMALLER_STEP = 0.05;
/** The share of the profile's step budget η·t the smaller step's runs reach: past epoch 38 of 50. */
export const SMALLER_STEP_BUDGET = 0.8;

/** Epochs at the smaller step for SMALLER_STEP_BUDGET of a run's budget (80 for the paper's 50 at η = 0.1). */
export function smallerStepEpochs(atProfileStep: Pick<RunConfig, 'epochs' | 'lr'>): number {
  return Math.round((SMALLER_STEP_BUDGET * atProfileStep.epochs * atProfileStep.lr) / SMALLER_STEP);
}

/** As the order-sources sweep's: `runs` initialisation seeds per construction and step. */
export type StepDivergenceOptions = OrderSourceOptions;

/** One finished run as a row: its step, outcome, and the full-set training loss it reached. */
export function divergenceRow(construction: string, run: number, meta: RunMeta): Row {
  const last = meta.metrics[meta.metrics.length - 1];
  // Epoch 5 on: the first epochs' loss falls from ln 10 whatever the order.
  const losses = meta.metrics.filter((m) => m.epoch >= 5 && Number.isFinite(m.trainLoss)).map((m) => m.trainLoss);
  return {
    construction,
    lr: meta.config.lr,
    run,
    status: meta.status,
    divergedIn: meta.divergence?.epoch ?? 0,
    epochs: last?.epoch ?? 0,
    plannedEpochs: meta.config.epochs,
    testError: last?.testError ?? Number.NaN,
    maxTrainLoss: losses.length ? Math.max(...losses) : Number.NaN,
  };
}

export async function stepDivergenceSweep(
  profile: Profile,
  dataset: DatasetName,
  opts: StepDivergenceOptions,
): Promise<Frames> {
  const seedDir = runDir(opts.runsDir, seedRunConfig(profile, dataset, profile.seeds[0]));
  if (readRunMeta(seedDir)?.status !== 'complete') {
    opts.log?.(`${dataset}: the seed-${profile.seeds[0]} run is not complete; its orders wait for it`);
    return { runs: frameFromRows([], ['construction', 'lr', 'run', 'status']) };
  }
  const from = openRun(seedDir);
  const orders = batchConstructions(from.finalNll!, from.tau(), profile.batchSize, 1);
  const data = opts.finishedOnly ? undefined : loadRunData(seedRunConfig(profile, dataset, 1), opts.dataDir);
  const rows: Row[] = [];
  for (let run = 1; run <= opts.runs; run++) {
    for (const construction of DIVERGING_CONSTRUCTIONS) {
      const order = orders[construction];
      const atProfileStep = constructionRunConfig(profile, dataset, construction, order, run);
      const atSmallerStep = resolveRunConfig({
        ...atProfileStep,
        lr: SMALLER_STEP,
        epochs: smallerStepEpochs(atProfileStep),
        snapshotEvery: 0,
      });
      for (const cfg of [atProfileStep, atSmallerStep]) {
        const trained = await finishedOrTrained(cfg, {
          ...opts,
          data,
          fixedOrder: order,
          label: `${dataset} ${construction} at η = ${cfg.lr}, run ${run}`,
        });
        if (trained) rows.push(divergenceRow(construction, run, trained.meta));
      }
    }
  }
  return {
    runs: frameFromRows(rows, [
      'construction',
      'lr',
      'run',
      'status',
      'divergedIn',
      'epochs',
      'plannedEpochs',
      'testError',
      'maxTrainLoss',
    ]),
  };
}

/** How many of the runs diverged within a step budget η·t (t in epochs). */
export function divergedByBudget(rows: Row[], budget: number): number {
  return rows.filter((r) => r.status === 'diverged' && Number(r.lr) * Number(r.divergedIn) <= budget + 1e-9).length;
}

/**
 * Per construction and step: the runs' divergences with their step budget η·t, how many diverged
 * within the smaller step's budget, the final test error of the complete runs, and the highest
 * full-set training loss from epoch 5 on.
 */
export function stepDivergenceMarkdown(frames: Frames): string {
  const rows = frameRows(frames.runs!);
  if (!rows.length) return 'No runs finished yet.\n';
  const budgetOf = (r: Row) => Number(r.lr) * Number(r.plannedEpochs);
  const smallest = Math.min(...rows.map(budgetOf));
  const budget = (n: number) => Number(n.toFixed(2));
  const lines = [
    `| construction | η | epochs | runs | diverged in epoch (η·t) | diverged by η·t = ${budget(smallest)} | ` +
      'final test error (complete runs) | highest training loss, epoch 5 on |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const constructions = [...new Set(rows.map((r) => String(r.construction)))];
  for (const construction of constructions) {
    const ofConstruction = rows.filter((r) => r.construction === construction);
    for (const lr of [...new Set(ofConstruction.map((r) => Number(r.lr)))].sort((a, b) => b - a)) {
      const runs = ofConstruction.filter((r) => Number(r.lr) === lr);
      const diverged = runs
        .filter((r) => r.status === 'diverged')
        .map((r) => `${r.divergedIn} (${budget(lr * Number(r.divergedIn))})`);
      const done = runs.filter((r) => r.status === 'complete').map((r) => Number(r.testError));
      const losses = runs.map((r) => Number(r.maxTrainLoss)).filter(Number.isFinite);
      const error = done.length
        ? `${meanSeText(mean(done), done.length > 1 ? standardError(done) : 0, done.length)} (${done.length})`
        : '—';
      const loss = losses.length ? `${Math.min(...losses).toFixed(2)}–${Math.max(...losses).toFixed(2)} nats` : '—';
      const epochs = [...new Set(runs.map((r) => r.plannedEpochs))].join(', ');
      lines.push(
        `| ${construction} | ${lr} | ${epochs} | ${runs.length} | ${diverged.join(', ') || 'none'} | ` +
          `${divergedByBudget(runs, smallest)} | ${error} | ${loss} |`,
      );
    }
  }
  return `${lines.join('\n')}\n\nη·t: the step budget, η times the epochs trained.\n`;
}
