/**
 * `si bench`: ms/step and samples/s of the paper's MNIST and CIFAR-10 networks (a plain step, with
 * margin and el2n, with importance too), for every engine that loads, with numpy/PyTorch timing the
 * plain step in the same run; `--model cnn-small` times the conv network on both datasets' images.
 *
 * @example
 *   si bench --reps 9 --engines native
 *   si bench --model cnn-small --engines native --threads 1
 */
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { formatBenchRows } from '../../bench/format';
import { runStepBenchmark } from '../../bench/step-bench';
import { ENGINE_CHOICES, type EngineName } from '../../engine';
import { benchNetworks } from '../../bench/networks';
import { integer, modelOption } from '../options';

const ENGINES = ENGINE_CHOICES.filter((e): e is EngineName => e !== 'auto');

function engineList(value: string): EngineName[] {
  const names = value.split(',').map((s) => s.trim());
  const bad = names.filter((e) => !ENGINES.includes(e as EngineName));
  if (bad.length > 0)
    throw new InvalidArgumentError(`unknown engine ${bad.join(', ')}; valid engines: ${ENGINES.join(', ')}.`);
  return names as EngineName[];
}

export function benchCommand() {
  return new Command('bench')
    .description('time one SGD step of the paper networks on every engine, with peers')
    .addOption(
      new Option('--engines <names>', 'comma-separated engines to time (default: every engine that loads)').argParser(
        engineList,
      ),
    )
    .addOption(new Option('--batch-size <n>', 'batch size').argParser(integer({ min: 1 })).default(100))
    .addOption(
      new Option('--reps <n>', 'timed repetitions (the median is reported)').argParser(integer({ min: 1 })).default(7),
    )
    .addOption(
      new Option('--threads <n>', 'BLAS threads for the native engine and the peers (default: all cores)').argParser(
        integer({ min: 1 }),
      ),
    )
    .addOption(new Option('--no-peers', 'skip timing numpy / PyTorch through the project Python'))
    .addOption(modelOption())
    .action(async (o) => {
      const rows = await runStepBenchmark({
        networks: benchNetworks(o.model),
        engines: o.engines,
        batchSize: o.batchSize,
        reps: o.reps,
        threads: o.threads,
        peers: o.peers,
      });
      console.log(formatBenchRows(rows));
    });
}
