/**
 * The one contract between the training front end and every engine (native C++, tfjs, CUDA).
 * Engines do maths only: seeds, orders, records on disk and progress live in the front end.
 *
 * Definitions every engine implements (README, "Definitions"):
 *  - loss L_i = -log softmax(f(x_i))_{y_i};
 *  - one SGD step over a batch of m samples: θ ← θ − η((1/m) Σ g_i + λ θ_W) (decay on weights only);
 *  - importance β_{i,d} = ‖φ_{i,d}‖² with φ_i = −(η/m) g_i, computed exactly per dense layer as
 *    (η/m)² ‖δ_i‖² (‖a_i‖² + 1), where δ_i = ∂L_i/∂z_d and a_i is layer d's input;
 *  - nll, correct, margin (the label's logit minus the largest other logit) and el2n
 *    (‖softmax(f(x_i)) − onehot(y_i)‖₂) of a sample are taken at its own step, before the update;
 *  - the training objective at given parameters (second-order queries, paper §4) is the mean-loss
 *    one a full-batch step descends: J(θ) = (1/n) Σ_i L_i(θ) + (λ/2) ‖θ_W‖², so that ∇J is what the
 *    SGD update above uses with m = n. The paper's sample-weighted objective Σ_i v_i L_i + R is n·J
 *    at v = 1 (with R = (nλ/2)‖θ_W‖²), hence its Hessian is n·∇²J (see src/influence).
 */
import type { ModelSpec } from '../model/spec';

export type EngineName = 'cuda' | 'native' | 'tfjs';

/** Samples an engine trains on: row-major features [n, inputSize] and integer labels. */
export interface TrainData {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly n: number;
  readonly inputSize: number;
}

export interface StepHyper {
  /** η */
  readonly lr: number;
  /** λ, applied to weights only. */
  readonly weightDecay: number;
  /** B: consecutive entries of the order form one batch; the last batch may be smaller. */
  readonly batchSize: number;
  /** When false, β is not computed (the record's importance is left untouched). */
  readonly importance: boolean;
  /**
   * When false, margin and el2n are not computed (left untouched); default true. Only benchmarks
   * turn them off, to time what recording them costs.
   */
  readonly scores?: boolean;
}

/**
 * Per-sample results of training, indexed by position in the TrainData (not by visiting order).
 * importance is [n, D] row-major with D = number of layers.
 */
export interface EpochRecord {
  readonly importance: Float32Array;
  readonly nll: Float32Array;
  readonly correct: Uint8Array;
  /** f(x_i)_{y_i} − max_{j≠y_i} f(x_i)_j (area under the margin averages it over epochs). */
  readonly margin: Float32Array;
  /** ‖softmax(f(x_i)) − onehot(y_i)‖₂ (EL2N). */
  readonly el2n: Float32Array;
}

export interface EvalResult {
  /** Mean NLL over the samples. */
  readonly loss: number;
  /** Fraction misclassified. */
  readonly error: number;
  readonly nll: Float32Array;
  readonly correct: Uint8Array;
}

/** What the objective J adds to the mean loss: λ (weights only); 0 for the bare mean loss. */
export interface ObjectiveOptions {
  readonly weightDecay: number;
}

export interface Model {
  readonly spec: ModelSpec;
  getParams(): Float32Array;
  setParams(params: Float32Array): void;
  /**
   * Runs SGD steps over `order` (positions into data), B consecutive entries per step, writing each
   * sample's β, nll, correct, margin and el2n into `record` at the sample's position. The caller splits an epoch
   * into several calls (whole batches each) to report progress.
   */
  trainBatches(data: TrainData, order: Int32Array, hyper: StepHyper, record: EpochRecord): void;
  evaluate(data: TrainData): EvalResult;
  /** ∇J at the current parameters over all of `data`: (1/n) Σ_i ∇L_i + λ θ_W. */
  lossGradient(data: TrainData, objective: ObjectiveOptions): Float32Array;
  /**
   * The exact Hessian-vector product (∇²J) v over all of `data` (Pearlmutter's R-operator; ReLU''
   * taken as 0), including λ v_W. Costs about three passes over the data.
   */
  hvp(data: TrainData, v: Float32Array, objective: ObjectiveOptions): Float32Array;
  /**
   * ⟨∇L_i, s⟩ for every sample i of `data` (length n), by one forward pass with tangent s
   * (forward-mode JVP): no per-sample gradient is formed. Loss only, no decay term.
   */
  sampleDirectionalDerivatives(data: TrainData, s: Float32Array): Float32Array;
  dispose(): void;
}

export interface Engine {
  readonly name: EngineName;
  /** What does the work underneath, e.g. 'openblas 0.3.34 SkylakeX (2 threads)' or 'tfjs wasm'. */
  readonly backend: string;
  /**
   * What does the work for this model, where it differs from `backend` (the native engine's conv
   * layers on oneDNN); a run records it, so that it resumes only where it would compute the same.
   */
  backendFor?(spec: ModelSpec): string;
  createModel(spec: ModelSpec, params: Float32Array): Model;
}

export function newEpochRecord(n: number, layers: number): EpochRecord {
  return {
    importance: new Float32Array(n * layers),
    nll: new Float32Array(n),
    correct: new Uint8Array(n),
    margin: new Float32Array(n),
    el2n: new Float32Array(n),
  };
}
