/**
 * `si train`: one run with the paper's settings unless overridden, recorded under runs/<key>/.
 *
 * @example
 *   si train --dataset mnist --train-size 5000 --test-size 1000 --epochs 3
 */
import { Command, Option } from '@commander-js/extra-typings';
import { loadEngine } from '../../engine';
import {
  DATASET_NAMES,
  OUTPUT_INITS,
  PAPER_DEFAULTS,
  PREPROCESSINGS,
  resolveRunConfig,
  RUN_LIMITS,
} from '../../run/config';
import { loadRunData } from '../../run/run-data';
import { DivergenceError, trainRun } from '../../run/train';
import { dataDir, runsDir } from '../../paths';
import {
  allowEngineChangeOption,
  dataDirOption,
  decimal,
  engineOption,
  integer,
  integerList,
  runsDirOption,
} from '../options';
import { formatDuration } from '../../run/progress-text';
import { ProgressBar } from '../progress';

/** Exit status of a run that diverged: a result, kept on disk, but not a success. */
export const DIVERGED_EXIT = 3;

export function trainCommand() {
  return new Command('train')
    .description('train one run and record per-sample importance')
    .addOption(new Option('--dataset <name>', 'dataset to train on').choices(DATASET_NAMES).default('mnist'))
    .addOption(
      new Option('--train-size <n>', 'first N samples of the paper training split')
        .argParser(integer({ min: 1 }))
        .default(PAPER_DEFAULTS.trainSize),
    )
    .addOption(
      new Option('--test-size <n>', 'first N samples of the test split')
        .argParser(integer({ min: 1 }))
        .default(PAPER_DEFAULTS.testSize),
    )
    .addOption(
      new Option('--epochs <n>', 'epochs')
        .argParser(integer({ min: 1, max: RUN_LIMITS.maxEpochs }))
        .default(PAPER_DEFAULTS.epochs),
    )
    .addOption(
      new Option('--seed <n>', 'initialisation seed')
        .argParser(integer({ min: 0, max: RUN_LIMITS.maxSeed }))
        .default(PAPER_DEFAULTS.seed),
    )
    .addOption(
      new Option('--order-seed <n>', 'seed of the per-epoch shuffles')
        .argParser(integer({ min: 0, max: RUN_LIMITS.maxSeed }))
        .default(PAPER_DEFAULTS.orderSeed),
    )
    .addOption(
      new Option('--hidden <widths>', 'hidden layer widths, comma-separated')
        .argParser(integerList({ min: 1, max: RUN_LIMITS.maxWidth }))
        .default([...PAPER_DEFAULTS.hidden]),
    )
    .addOption(
      new Option('--lr <eta>', 'learning rate η')
        .argParser(decimal({ min: Number.MIN_VALUE }))
        .default(PAPER_DEFAULTS.lr),
    )
    .addOption(
      new Option('--batch-size <n>', 'batch size B')
        .argParser(integer({ min: 1, max: RUN_LIMITS.maxBatchSize }))
        .default(PAPER_DEFAULTS.batchSize),
    )
    .addOption(
      new Option('--weight-decay <lambda>', 'weight decay λ (weights only)')
        .argParser(decimal({ min: 0 }))
        .default(PAPER_DEFAULTS.weightDecay),
    )
    .addOption(
      new Option('--output-init <init>', 'output-layer weight init')
        .choices(OUTPUT_INITS)
        .default(PAPER_DEFAULTS.init.output),
    )
    .addOption(
      new Option('--preprocessing <kind>', 'input preprocessing (standardise-channels: per-channel mean 0, sd 1)')
        .choices(PREPROCESSINGS)
        .default(PAPER_DEFAULTS.preprocessing),
    )
    .addOption(engineOption())
    .addOption(
      new Option('--snapshot-every <k>', 'parameter snapshot every k epochs (0: first and last only)')
        .argParser(integer({ min: 0, max: RUN_LIMITS.maxEpochs }))
        .default(0),
    )
    .addOption(runsDirOption())
    .addOption(dataDirOption())
    .addOption(allowEngineChangeOption())
    .action(async (o) => {
      const cfg = resolveRunConfig({
        dataset: o.dataset,
        trainSize: o.trainSize,
        testSize: o.testSize,
        epochs: o.epochs,
        seed: o.seed,
        orderSeed: o.orderSeed,
        hidden: [...o.hidden],
        lr: o.lr,
        batchSize: o.batchSize,
        weightDecay: o.weightDecay,
        init: { hidden: 'glorot-uniform', output: o.outputInit },
        preprocessing: o.preprocessing,
        snapshotEvery: o.snapshotEvery,
      });
      const engine = await loadEngine(o.engine);
      console.error(`engine: ${engine.name} (${engine.backend})`);
      const { train, test, classes } = loadRunData(cfg, dataDir(o.dataDir));
      const bar = new ProgressBar();
      const began = Date.now();
      try {
        const outcome = await trainRun(cfg, {
          engine,
          train,
          test,
          classes,
          runsDir: runsDir(o.out),
          onProgress: (p) => bar.update(p),
          allowEngineChange: o.allowEngineChange,
        });
        bar.done();
        if (outcome.meta.status === 'diverged') throw new DivergenceError(outcome);
        const last = outcome.meta.metrics[outcome.meta.metrics.length - 1];
        const how = outcome.cached
          ? 'cached, nothing trained'
          : `trained in ${formatDuration((Date.now() - began) / 1000)}`;
        const errors = last
          ? `; epoch ${last.epoch}: train error ${(100 * last.trainError).toFixed(2)}%, ` +
            `test error ${(100 * last.testError).toFixed(2)}%`
          : '';
        console.log(`${outcome.dir}: ${outcome.meta.status}, ${how}${errors}`);
      } catch (err) {
        bar.done();
        if (!(err instanceof DivergenceError)) throw err;
        console.error(`error: ${err.message}`);
        process.exitCode = DIVERGED_EXIT;
      }
    });
}
