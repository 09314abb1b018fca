/**
 * A Model backed by the native addon: hands the typed arrays' memory to C++ as is (no copies).
 * Made by the native Engine's createModel, whose arguments the engine contract has checked
 * (../checked.ts).
 *
 * @example
 *   const engine = await loadNativeEngine();
 *   const model = engine.createModel(spec, initParams(spec, 1));
 *   model.trainBatches(data, order, { lr: 0.1, weightDecay: 0, batchSize: 100, importance: true }, record);
 *   model.dispose();
 */
import type { ModelSpec } from '../../model/spec';
import { HandleModel } from '../addon/handle-model';
import { trainBatchesArgs } from '../addon/load';
import type { EpochRecord, EvalResult, Model, ObjectiveOptions, StepHyper, TrainData } from '../types';
import type { NativeAddon, NativeMlpHandle } from './addon';

export class NativeModel extends HandleModel<NativeMlpHandle> implements Model {
  constructor(addon: NativeAddon, spec: ModelSpec, params: Float32Array) {
    super(spec, params, (sizes) => new addon.NativeMlp(sizes));
  }

  trainBatches(data: TrainData, order: Int32Array, hyper: StepHyper, record: EpochRecord): void {
    this.live().trainBatches(data.x, data.y, ...trainBatchesArgs(order, hyper, record));
  }

  evaluate(data: TrainData): EvalResult {
    const nll = new Float32Array(data.n);
    const correct = new Uint8Array(data.n);
    const { nllSum, wrong } = this.live().evaluate(data.x, data.y, nll, correct);
    return { loss: nllSum / data.n, error: wrong / data.n, nll, correct };
  }

  lossGradient(data: TrainData, objective: ObjectiveOptions): Float32Array {
    const handle = this.live();
    const grad = new Float32Array(handle.paramCount());
    handle.lossGradient(data.x, data.y, objective.weightDecay, grad);
    return grad;
  }

  hvp(data: TrainData, v: Float32Array, objective: ObjectiveOptions): Float32Array {
    const handle = this.live();
    const out = new Float32Array(handle.paramCount());
    handle.hvp(data.x, data.y, v, objective.weightDecay, out);
    return out;
  }

  sampleDirectionalDerivatives(data: TrainData, s: Float32Array): Float32Array {
    const out = new Float32Array(data.n);
    this.live().directionalDerivatives(data.x, data.y, s, out);
    return out;
  }
}
