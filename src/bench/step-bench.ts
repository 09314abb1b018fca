/**
 * Times one SGD step (ms/step, samples/s) of the paper's networks on every engine that loads, as
 * a plain step (loss only), with the per-sample scores (margin, el2n) and with importance too,
 * plus the numpy/PyTorch peers (./peer). Random data; warm-up first, then the median (and best)
 * of several repetitions, the variants interleaved in rotating order so drift in the machine's
 * load does not masquerade as overhead.
 *
 * @example
 *   const rows = await runStepBenchmark({ reps: 9 });
 *   console.log(formatBenchRows(rows));
 */
import * as os from 'node:os';
import { probeEngines } from '../engine/index';
import type { Engine, EngineName, Model, StepHyper, TrainData } from '../engine/types';
import { newEpochRecord } from '../engine/types';
import { initParams } from '../model/init';
import { layerCount } from '../model/spec';
import { Rng } from '../util/rng';
import { PAPER_NETWORKS, type BenchNetwork } from './networks';
import { runPeerBenchmark } from './peer';

export interface BenchRow {
  /** 'native', 'tfjs', or a peer: 'numpy', 'torch'. */
  readonly engine: string;
  /** What does the work, e.g. 'openblas 0.3.34 SkylakeX (2 threads)'. */
  readonly backend: string;
  readonly network: string;
  readonly importance: boolean;
  /** margin and el2n recorded (StepHyper.scores). */
  readonly scores: boolean;
  /** Median over repetitions; absent when the engine is unavailable. */
  readonly msPerStep?: number;
  /** Fastest repetition: the figure least disturbed by other work on the machine. */
  readonly bestMsPerStep?: number;
  readonly samplesPerSec?: number;
  /** Why the engine could not run. */
  readonly unavailable?: string;
}

export interface StepBenchOptions {
  readonly batchSize?: number;
  /** Steps in one timed repetition (one trainBatches call). */
  readonly stepsPerRep?: number;
  readonly warmupReps?: number;
  readonly reps?: number;
  /** BLAS threads for the native engine and the peers; default: every core. */
  readonly threads?: number;
  readonly networks?: readonly BenchNetwork[];
  /** Only these engines; default all registered. */
  readonly engines?: readonly EngineName[];
  /** Also time the Python peers (default true). */
  readonly peers?: boolean;
  /** Python to run the peers with; default $SI_PEER_PYTHON, then the project's .venv. */
  readonly peerPython?: string;
}

const median = (xs: number[]) => {
  const m = [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  if (m === undefined) throw new Error('no timed repetitions to take the median of: reps must be at least 1');
  return m;
};

function randomData(network: BenchNetwork, n: number, seed: number): TrainData {
  const rng = new Rng(seed);
  const { inputSize, classes } = network.spec;
  const x = new Float32Array(n * inputSize);
  for (let k = 0; k < x.length; k++) x[k] = rng.uniform();
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.floor(rng.uniform() * classes);
  return { x, y, n, inputSize };
}

/** What a timed step records besides the loss: a plain step, + margin and el2n, + β (training). */
const VARIANTS = [
  { importance: false, scores: false },
  { importance: false, scores: true },
  { importance: true, scores: true },
] as const;

/** ms per step of each repetition, per variant (the variants' order rotates between repetitions). */
function timeModel(
  model: Model,
  data: TrainData,
  opts: Required<Pick<StepBenchOptions, 'batchSize' | 'stepsPerRep' | 'warmupReps' | 'reps'>>,
): number[][] {
  const order = Int32Array.from({ length: data.n }, (_, i) => i);
  const record = newEpochRecord(data.n, layerCount(model.spec));
  const once = (v: number) => {
    const hyper: StepHyper = { lr: 0.01, weightDecay: 1e-4, batchSize: opts.batchSize, ...VARIANTS[v]! };
    const start = process.hrtime.bigint();
    model.trainBatches(data, order, hyper, record);
    return Number(process.hrtime.bigint() - start) / 1e6 / opts.stepsPerRep;
  };
  for (let r = 0; r < opts.warmupReps; r++) for (let v = 0; v < VARIANTS.length; v++) once(v);
  const times = VARIANTS.map(() => [] as number[]);
  for (let r = 0; r < opts.reps; r++) {
    for (let k = 0; k < VARIANTS.length; k++) {
      const v = (r + k) % VARIANTS.length;
      times[v]!.push(once(v));
    }
  }
  return times;
}

function rowsFor(engine: Engine, network: BenchNetwork, times: number[][], batchSize: number): BenchRow[] {
  return VARIANTS.map((variant, v) => {
    const ms = median(times[v]!);
    return {
      engine: engine.name,
      backend: engine.backend,
      network: network.label,
      ...variant,
      msPerStep: ms,
      bestMsPerStep: Math.min(...times[v]!),
      samplesPerSec: (batchSize * 1000) / ms,
    };
  });
}

export async function runStepBenchmark(options: StepBenchOptions = {}): Promise<BenchRow[]> {
  const opts = {
    batchSize: options.batchSize ?? 100,
    stepsPerRep: options.stepsPerRep ?? 10,
    warmupReps: options.warmupReps ?? 2,
    reps: options.reps ?? 9,
  };
  const threads = options.threads ?? os.availableParallelism();
  const networks = options.networks ?? PAPER_NETWORKS;
  const rows: BenchRow[] = [];
  for (const probe of await probeEngines()) {
    if (options.engines && !options.engines.includes(probe.name)) continue;
    const engine = probe.engine;
    if (!engine) {
      rows.push({
        engine: probe.name,
        backend: '-',
        network: '-',
        importance: false,
        scores: false,
        unavailable: probe.reason,
      });
      continue;
    }
    const threaded = engine as Engine & { setThreads?: (n: number) => boolean };
    threaded.setThreads?.(threads);
    networks.forEach((network, k) => {
      const data = randomData(network, opts.batchSize * opts.stepsPerRep, k + 1);
      const model = engine.createModel(network.spec, initParams(network.spec, 1, 'glorot'));
      try {
        rows.push(...rowsFor(engine, network, timeModel(model, data, opts), opts.batchSize));
      } finally {
        model.dispose();
      }
    });
  }
  if (options.peers ?? true) {
    rows.push(...runPeerBenchmark({ ...opts, threads, networks, python: options.peerPython }));
  }
  return rows;
}
