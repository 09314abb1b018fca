/** A hand-built OpenRun over tiny arrays, for analysis tests (no files). */
import type { OpenRun } from '../../src/run/open-run';
import type { EpochMetrics, RunMeta } from '../../src/run/record';

export interface FakeRunSpec {
  /** β as [E][n][D]. */
  beta: number[][][];
  nll?: number[][];
  finalNll?: number[];
  layers?: { name: string; params: number }[];
  seed?: number;
  metrics?: EpochMetrics[];
  status?: RunMeta['status'];
  divergenceEpoch?: number;
  snapshots?: Record<number, Float32Array>;
  /** β [n, D] measured at each snapshot epoch. */
  snapshotImportance?: Record<number, Float32Array>;
}

export function fakeRun(spec: FakeRunSpec): OpenRun {
  const E = spec.beta.length;
  const n = spec.beta[0]!.length;
  const D = spec.beta[0]![0]!.length;
  const layers = (
    spec.layers ?? Array.from({ length: D }, (_, d) => ({ name: d === D - 1 ? 'Out' : `L${d + 1}`, params: 10 }))
  ).map((l) => ({ ...l, fanIn: 1, fanOut: 1 }));
  const importance = Float32Array.from(spec.beta.flat(2));
  const nll = Float32Array.from((spec.nll ?? spec.beta.map((row) => row.map(() => 1))).flat());
  const seed = spec.seed ?? 1;
  const meta = {
    key: `fake-${seed}`,
    status: spec.status ?? 'complete',
    config: { seed },
    layers,
    metrics: spec.metrics ?? [],
    snapshots: Object.keys(spec.snapshots ?? {}).map(Number),
    divergence: spec.divergenceEpoch ? { epoch: spec.divergenceEpoch, samplesSeen: 0, message: 'diverged' } : null,
  } as unknown as RunMeta;
  return {
    dir: '/nonexistent',
    meta,
    epochs: E,
    n,
    layers: D,
    importance,
    nll,
    correct: new Uint8Array(E * n),
    order: new Int32Array(E * n),
    trainIndices: Int32Array.from({ length: n }, (_, i) => i),
    finalNll: spec.finalNll ? Float32Array.from(spec.finalNll) : undefined,
    alpha: (t) => {
      const epoch = spec.beta[t];
      if (!epoch) throw new Error(`no epoch ${t}`);
      return Float32Array.from(epoch, (b) => b.reduce((a, c) => a + c, 0));
    },
    tau: () =>
      Float64Array.from({ length: n }, (_, i) =>
        spec.beta.reduce((s, row) => s + row[i]!.reduce((a, c) => a + c, 0), 0),
      ),
    params: (epoch) => {
      const p = spec.snapshots?.[epoch];
      if (!p) throw new Error(`no snapshot ${epoch}`);
      return p;
    },
    snapshotImportance: (epoch) => {
      const beta = spec.snapshotImportance?.[epoch];
      if (!beta) throw new Error(`no β at snapshot ${epoch}`);
      return beta;
    },
  };
}
