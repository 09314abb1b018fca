/**
 * `si bench`: ms/step and samples/s of the paper's MNIST and CIFAR-10 networks, importance on and
 * off, for every engine that loads, with numpy/PyTorch timing the same step in the same run.
 *
 * @example
 *   si bench --reps 9 --engines native
 */
import { ENGINE_CHOICES, type EngineName } from '../../engine';
import { formatBenchRows } from '../../bench/format';
import { runStepBenchmark } from '../../bench/step-bench';
import { parseFlags, UsageError, type FlagTable } from '../args';

export const BENCH_FLAGS = {
  engines: { type: 'string', help: 'comma-separated engines to time (default: every engine that loads)' },
  batchSize: { type: 'int', default: 100, min: 1, help: 'batch size' },
  reps: { type: 'int', default: 7, min: 1, help: 'timed repetitions (the median is reported)' },
  threads: { type: 'int', min: 1, help: 'BLAS threads for the native engine and the peers (default: all cores)' },
  peers: { type: 'bool', default: true, help: 'also time numpy / PyTorch through the project Python' },
} satisfies FlagTable;

export async function benchCommand(argv: readonly string[]): Promise<number> {
  const f = parseFlags(argv, BENCH_FLAGS);
  const engines = f.engines?.split(',').map((s) => s.trim());
  const bad = engines?.filter((e) => e === 'auto' || !ENGINE_CHOICES.includes(e as EngineName));
  if (bad && bad.length > 0) throw new UsageError(`unknown engine ${bad.join(', ')}; valid engines: ${ENGINE_CHOICES.filter((e) => e !== 'auto').join(', ')}`);
  const rows = await runStepBenchmark({
    engines: engines as EngineName[] | undefined,
    batchSize: f.batchSize,
    reps: f.reps,
    threads: f.threads,
    peers: f.peers,
  });
  console.log(formatBenchRows(rows));
  return 0;
}
