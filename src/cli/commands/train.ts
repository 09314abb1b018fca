/**
 * `si train`: one run with the paper's settings unless overridden, recorded under runs/<key>/.
 *
 * @example
 *   si train --dataset mnist --train-size 5000 --test-size 1000 --epochs 3
 */
import { loadEngine, ENGINE_CHOICES, type EngineChoice } from '../../engine';
import { DATASET_NAMES, PAPER_DEFAULTS, OUTPUT_INITS, resolveRunConfig, type DatasetName } from '../../run/config';
import { loadRunData } from '../../run/run-data';
import { DivergenceError, trainRun } from '../../run/train';
import { dataDir, runsDir } from '../../paths';
import { parseFlags, type FlagTable } from '../args';
import { ProgressBar, formatDuration } from '../progress';

export const TRAIN_FLAGS = {
  dataset: { type: 'string', default: 'mnist', choices: DATASET_NAMES, help: 'dataset to train on' },
  trainSize: { type: 'int', default: PAPER_DEFAULTS.trainSize, min: 1, help: 'first N samples of the paper training split' },
  testSize: { type: 'int', default: PAPER_DEFAULTS.testSize, min: 1, help: 'first N samples of the test split' },
  epochs: { type: 'int', default: PAPER_DEFAULTS.epochs, min: 1, help: 'epochs' },
  seed: { type: 'int', default: PAPER_DEFAULTS.seed, min: 0, help: 'initialisation seed' },
  orderSeed: { type: 'int', default: PAPER_DEFAULTS.orderSeed, min: 0, help: 'seed of the per-epoch shuffles' },
  hidden: { type: 'int-list', default: PAPER_DEFAULTS.hidden, help: 'hidden layer widths' },
  lr: { type: 'number', default: PAPER_DEFAULTS.lr, help: 'learning rate η' },
  batchSize: { type: 'int', default: PAPER_DEFAULTS.batchSize, min: 1, help: 'batch size B' },
  weightDecay: { type: 'number', default: PAPER_DEFAULTS.weightDecay, min: 0, help: 'weight decay λ (weights only)' },
  outputInit: { type: 'string', default: PAPER_DEFAULTS.init.output, choices: OUTPUT_INITS, help: 'output-layer weight init' },
  engine: { type: 'string', default: 'auto', choices: ENGINE_CHOICES, help: 'training engine' },
  snapshotEvery: { type: 'int', default: 0, min: 0, help: 'parameter snapshot every k epochs (0: first and last only)' },
  out: { type: 'string', help: 'runs folder (default: runs/ or SI_RUNS_DIR)' },
  dataDir: { type: 'string', help: 'dataset folder (default: SI_DATA_DIR, then data/raw/)' },
} satisfies FlagTable;

export async function trainCommand(argv: readonly string[]): Promise<number> {
  const f = parseFlags(argv, TRAIN_FLAGS);
  const cfg = resolveRunConfig({
    dataset: f.dataset as DatasetName,
    trainSize: f.trainSize!,
    testSize: f.testSize!,
    epochs: f.epochs!,
    seed: f.seed!,
    orderSeed: f.orderSeed!,
    hidden: f.hidden!,
    lr: f.lr!,
    batchSize: f.batchSize!,
    weightDecay: f.weightDecay!,
    init: { hidden: 'glorot-uniform', output: f.outputInit as 'zero' | 'glorot' },
    snapshotEvery: f.snapshotEvery!,
  });
  const engine = await loadEngine(f.engine as EngineChoice);
  console.error(`engine: ${engine.name} (${engine.backend})`);
  const { train, test, classes } = loadRunData(cfg, dataDir(f.dataDir));
  const bar = new ProgressBar();
  const began = Date.now();
  try {
    const outcome = await trainRun(cfg, { engine, train, test, classes, runsDir: runsDir(f.out), onProgress: (p) => bar.update(p) });
    bar.done();
    const last = outcome.meta.metrics[outcome.meta.metrics.length - 1];
    const how = outcome.cached ? 'cached, nothing trained' : `trained in ${formatDuration((Date.now() - began) / 1000)}`;
    console.log(`${outcome.dir}: ${outcome.meta.status}, ${how}; epoch ${last.epoch}: train error ${(100 * last.trainError).toFixed(2)}%, test error ${(100 * last.testError).toFixed(2)}%`);
    return 0;
  } catch (err) {
    bar.done();
    if (err instanceof DivergenceError) {
      console.error(`error: ${err.message}`);
      return 3;
    }
    throw err;
  }
}
