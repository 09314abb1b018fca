/**
 * A Model on one CUDA device, its arguments checked by the engine contract (../checked.ts): uploads
 * each data set once (cached per TrainData object, shared by every model of the process), then
 * runs whole trainBatches calls on the GPU with one copy back per call. Made by the CUDA Engine's
 * createModel. Each model owns its stream, cuBLAS handle, CUDA graph and buffers, so several
 * models (in one process or several) can share a GPU.
 *
 * The second-order queries (lossGradient, hvp, sampleDirectionalDerivatives) are analysis
 * queries, not the training hot path: they run on a CPU engine's model (`cpu`, native C++ when it
 * loads, else tfjs) at the current parameters, so their results are the CPU engine's exactly.
 *
 * A data set is uploaded the first time a model sees its TrainData object and is reused while the
 * object keeps the same x and y arrays: changing the arrays' contents in place afterwards is not
 * seen (make a new TrainData instead, or call releaseCudaData).
 *
 * @example
 *   const engine = await loadCudaEngine();
 *   const model = engine.createModel(spec, initParams(spec, 1));
 *   model.trainBatches(data, order, { lr: 0.1, weightDecay: 1e-5, batchSize: 100, importance: true }, record);
 *   model.dispose();
 */
import { layerSizes, type ModelSpec } from '../../model/spec';
import type { Engine, EpochRecord, EvalResult, Model, ObjectiveOptions, StepHyper, TrainData } from '../types';
import { HandleModel } from '../addon/handle-model';
import { trainBatchesArgs } from '../addon/load';
import { validateData } from '../validate';
import type { CudaAddon, CudaDataHandle, CudaMlpHandle } from './addon';

interface Uploaded {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly classes: number;
  readonly handle: CudaDataHandle;
}

/** Device copies of data sets, by TrainData object; a collected TrainData frees its copy with it. */
const uploads = new WeakMap<TrainData, Uploaded>();

/** The device copy of `data` (uploading it, checked, when new or when its arrays changed identity). */
export function uploadCudaData(addon: CudaAddon, spec: ModelSpec, data: TrainData): CudaDataHandle {
  const cached = uploads.get(data);
  if (cached && cached.x === data.x && cached.y === data.y && cached.classes === spec.classes) return cached.handle;
  validateData(spec, data);
  cached?.handle.release();
  const handle = new addon.CudaData(data.x, data.y, data.inputSize, spec.classes);
  uploads.set(data, { x: data.x, y: data.y, classes: spec.classes, handle });
  return handle;
}

/** Frees the device copy of `data` now, instead of when it is garbage-collected. */
export function releaseCudaData(data: TrainData): void {
  uploads.get(data)?.handle.release();
  uploads.delete(data);
}

export class CudaModel extends HandleModel<CudaMlpHandle> implements Model {
  constructor(
    private readonly addon: CudaAddon,
    spec: ModelSpec,
    params: Float32Array,
    /** Runs the second-order queries; undefined when no CPU engine loads. */
    private readonly cpu?: Engine,
  ) {
    super(spec, params, (s) => new addon.CudaMlp(Int32Array.from(layerSizes(s))));
  }

  trainBatches(data: TrainData, order: Int32Array, hyper: StepHyper, record: EpochRecord): void {
    const handle = this.live();
    const device = uploadCudaData(this.addon, this.spec, data);
    handle.trainBatches(device, ...trainBatchesArgs(order, hyper, record));
  }

  evaluate(data: TrainData): EvalResult {
    const handle = this.live();
    const device = uploadCudaData(this.addon, this.spec, data);
    const nll = new Float32Array(data.n);
    const correct = new Uint8Array(data.n);
    const { nllSum, wrong } = handle.evaluate(device, nll, correct);
    return { loss: nllSum / data.n, error: wrong / data.n, nll, correct };
  }

  lossGradient(data: TrainData, objective: ObjectiveOptions): Float32Array {
    return this.onCpu((m) => m.lossGradient(data, objective));
  }

  hvp(data: TrainData, v: Float32Array, objective: ObjectiveOptions): Float32Array {
    return this.onCpu((m) => m.hvp(data, v, objective));
  }

  sampleDirectionalDerivatives(data: TrainData, s: Float32Array): Float32Array {
    return this.onCpu((m) => m.sampleDirectionalDerivatives(data, s));
  }

  /** Device bytes this model holds (not counting the shared data sets). */
  deviceBytes(): number {
    return this.live().deviceBytes();
  }

  /** `query` on a CPU model holding this model's current parameters. */
  private onCpu<T>(query: (model: Model) => T): T {
    const params = this.getParams();
    if (!this.cpu)
      throw new Error('second-order queries on the cuda engine need a CPU engine (native or tfjs), and none loads');
    const model = this.cpu.createModel(this.spec, params);
    try {
      return query(model);
    } finally {
      model.dispose();
    }
  }
}
