/**
 * The front of the engine contract: every engine is handed out wrapped, so each call's arguments
 * are checked once, by the same rules (./validate.ts), before the engine sees them. The engines
 * themselves (native, CUDA, tfjs) trust their arguments. A bad call therefore fails the same way
 * on every engine, and nothing malformed reaches C++ or the GPU.
 *
 * @example
 *   export async function loadMyEngine(): Promise<Engine> {
 *     return checkedEngine({
 *       name: 'tfjs',
 *       backend: 'mine',
 *       createModel: (spec, params) => new MyModel(spec, params),
 *     });
 *   }
 */
import type { ModelSpec } from '../model/spec';
import type { Engine, EpochRecord, EvalResult, Model, ObjectiveOptions, StepHyper, TrainData } from './types';
import {
  validateData,
  validateHyper,
  validateObjective,
  validateOrder,
  validateParams,
  validateRecord,
  validateSpec,
} from './validate';

class CheckedModel implements Model {
  /** Data objects already checked in full (labels are O(n)); an epoch calls trainBatches many times. */
  private readonly checkedData = new WeakSet<TrainData>();
  private disposed = false;

  constructor(private readonly inner: Model) {}

  get spec(): ModelSpec {
    return this.inner.spec;
  }

  getParams(): Float32Array {
    return this.live().getParams();
  }

  setParams(params: Float32Array): void {
    validateParams(this.spec, params);
    this.live().setParams(params);
  }

  trainBatches(data: TrainData, order: Int32Array, hyper: StepHyper, record: EpochRecord): void {
    const model = this.live();
    this.checkData(data);
    validateOrder(order, data.n);
    validateHyper(hyper);
    validateRecord(this.spec, record, data.n);
    model.trainBatches(data, order, hyper, record);
  }

  evaluate(data: TrainData): EvalResult {
    const model = this.live();
    this.checkData(data);
    return model.evaluate(data);
  }

  lossGradient(data: TrainData, objective: ObjectiveOptions): Float32Array {
    const model = this.live();
    this.checkData(data);
    validateObjective(objective);
    return model.lossGradient(data, objective);
  }

  hvp(data: TrainData, v: Float32Array, objective: ObjectiveOptions): Float32Array {
    const model = this.live();
    this.checkData(data);
    validateParams(this.spec, v, 'v');
    validateObjective(objective);
    return model.hvp(data, v, objective);
  }

  sampleDirectionalDerivatives(data: TrainData, s: Float32Array): Float32Array {
    const model = this.live();
    this.checkData(data);
    validateParams(this.spec, s, 's');
    return model.sampleDirectionalDerivatives(data, s);
  }

  dispose(): void {
    if (!this.disposed) this.inner.dispose();
    this.disposed = true;
  }

  private live(): Model {
    if (this.disposed) throw new Error('this model was disposed');
    return this.inner;
  }

  private checkData(data: TrainData): void {
    if (this.checkedData.has(data)) return;
    validateData(this.spec, data);
    this.checkedData.add(data);
  }
}

/**
 * `engine` with its createModel checking the spec's parameters and wrapping each model so that
 * every call is checked; other members (a native engine's setThreads, a CUDA engine's device) are
 * the engine's own.
 */
export function checkedEngine<E extends Engine>(engine: E): E {
  const checked = Object.create(engine) as E;
  Object.defineProperty(checked, 'createModel', {
    value: (spec: ModelSpec, params: Float32Array): Model => {
      validateSpec(spec);
      validateParams(spec, params);
      return new CheckedModel(engine.createModel(spec, params));
    },
  });
  return checked;
}
