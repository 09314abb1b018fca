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
  type RunDataset,
} from '../../run/config';
import { isNpzDataset, loadNpzDataset, NPZ_PREFIX } from '../../data/npz';
import { loadRunData, sampleIdentity } from '../../run/run-data';
import { DivergenceError, trainRun } from '../../run/train';
import { dataDir, runsDir } from '../../paths';
import {
  allowEngineChangeOption,
  dataDirOption,
  decimal,
  engineOption,
  modelOption,
  integer,
  integerList,
  runDataset,
  runsDirOption,
} from '../options';
import { formatDuration } from '../../run/progress-text';
import { ProgressBar } from '../progress';

/** Exit status of a run that diverged: a result, kept on disk, but not a success. */
export const DIVERGED_EXIT = 3;

export function trainCommand() {
  return new Command('train')
    .description('train one run and record per-sample importance')
    .addOption(
      new Option('--dataset <name>', `dataset to train on: ${DATASET_NAMES.join(', ')}, or npz:FILE (your own)`)
        .argParser(runDataset)
        .default('mnist' as RunDataset),
    )
    .addOption(
      new Option(
        '--train-size <n>',
        `first N samples of the paper training split (default: ${PAPER_DEFAULTS.trainSize}; a .npz file's all)`,
      ).argParser(integer({ min: 1 })),
    )
    .addOption(
      new Option(
        '--test-size <n>',
        `first N samples of the test split (default: ${PAPER_DEFAULTS.testSize}; a .npz file's all)`,
      ).argParser(integer({ min: 1 })),
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
    .addOption(modelOption())
    .addOption(
      new Option('--hidden <widths>', "the MLP's hidden layer widths, comma-separated")
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
      // A .npz file is read once: it sizes the run, then its samples' hash joins the run key.
      const npz = isNpzDataset(o.dataset) ? loadNpzDataset(o.dataset.slice(NPZ_PREFIX.length)) : undefined;
      const planned = resolveRunConfig({
        dataset: o.dataset,
        trainSize: o.trainSize ?? npz?.train.n ?? PAPER_DEFAULTS.trainSize,
        testSize: o.testSize ?? npz?.test.n ?? PAPER_DEFAULTS.testSize,
        epochs: o.epochs,
        seed: o.seed,
        orderSeed: o.orderSeed,
        hidden: [...o.hidden],
        model: o.model,
        lr: o.lr,
        batchSize: o.batchSize,
        weightDecay: o.weightDecay,
        init: { hidden: 'glorot-uniform', output: o.outputInit },
        preprocessing: o.preprocessing,
        snapshotEvery: o.snapshotEvery,
      });
      const data = loadRunData(planned, dataDir(o.dataDir), npz);
      const cfg = npz ? resolveRunConfig({ ...planned, data: sampleIdentity(data) }) : planned;
      const { train, test, classes } = data;
      const engine = await loadEngine(o.engine);
      console.error(`engine: ${engine.name} (${engine.backend})`);
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
