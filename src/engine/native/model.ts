/**
 * A Model backed by the native addon: hands the typed arrays' memory to C++ as is (no copies).
 * The paper's MLP runs on si::Mlp; a network of conv and dense layers on si::ConvNet, which trains
 * and evaluates but has no curvature queries yet (influence says so). Made by the native Engine's
 * createModel, whose arguments the engine contract has checked (../checked.ts).
 *
 * @example
 *   const engine = await loadNativeEngine();
 *   const model = engine.createModel(spec, initParams(spec, 1));
 *   model.trainBatches(data, order, { lr: 0.1, weightDecay: 0, batchSize: 100, importance: true }, record);
 *   model.dispose();
 */
import { layerSizes, type ModelSpec } from '../../model/spec';
import type { NetworkSpec } from '../../model/network';
import { HandleModel } from '../addon/handle-model';
import { trainBatchesArgs } from '../addon/load';
import type { EpochRecord, EvalResult, Model, ObjectiveOptions, StepHyper, TrainData } from '../types';
import { CONV_NORMS, type ConvNorm, type NativeAddon, type NativeConvNetHandle, type NativeMlpHandle } from './addon';

const OP_CODES = { conv2d: 0, relu: 1, maxpool2: 2, dense: 3 } as const;

/** The layers as native/convnet.h reads them: 4 numbers each; flatten is free in its layout and left out. */
export function encodeNetwork(network: NetworkSpec): Int32Array {
  return Int32Array.from(
    network.layers.flatMap((l) => {
      if (l.kind === 'flatten') return [];
      if (l.kind === 'conv2d') return [OP_CODES.conv2d, l.filters, l.kernel, l.padding];
      if (l.kind === 'dense') return [OP_CODES.dense, l.units, 0, 0];
      return [OP_CODES[l.kind], 0, 0, 0];
    }),
  );
}

/** Influence and the other second-order queries are the MLP's for now. */
function noCurvature(what: string): never {
  throw new Error(
    `${what} is not available for convolutional networks yet (native engine): influence runs on the paper's MLP only`,
  );
}

export class NativeModel extends HandleModel<NativeMlpHandle | NativeConvNetHandle> implements Model {
  /**
   * `conv` forces how conv layers compute (tests compare every way): β's form (default the cost
   * model's choice), and whether their passes run on oneDNN where the build has it (default yes).
   */
  constructor(
    addon: NativeAddon,
    spec: ModelSpec,
    params: Float32Array,
    conv: { norm?: ConvNorm; dnnl?: boolean } = {},
  ) {
    super(spec, params, (s) =>
      s.network
        ? new addon.NativeConvNet(
            Int32Array.from(s.network.inputShape),
            encodeNetwork(s.network),
            CONV_NORMS[conv.norm ?? 'cheapest'],
            conv.dnnl ?? true,
          )
        : new addon.NativeMlp(Int32Array.from(layerSizes(s))),
    );
  }

  /** Whether the conv layers run on oneDNN (false for the MLP). */
  usesDnnl(): boolean {
    const handle = this.live();
    return 'usesDnnl' in handle && handle.usesDnnl();
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

  /** Per conv layer, whether β takes the Gram form (empty for the MLP). */
  gramLayers(): boolean[] {
    const handle = this.live();
    return 'gramLayers' in handle ? handle.gramLayers() : [];
  }

  lossGradient(data: TrainData, objective: ObjectiveOptions): Float32Array {
    const handle = this.mlp('the loss gradient');
    const grad = new Float32Array(handle.paramCount());
    handle.lossGradient(data.x, data.y, objective.weightDecay, grad);
    return grad;
  }

  hvp(data: TrainData, v: Float32Array, objective: ObjectiveOptions): Float32Array {
    const handle = this.mlp('the Hessian-vector product');
    const out = new Float32Array(handle.paramCount());
    handle.hvp(data.x, data.y, v, objective.weightDecay, out);
    return out;
  }

  sampleDirectionalDerivatives(data: TrainData, s: Float32Array): Float32Array {
    const out = new Float32Array(data.n);
    this.mlp('the per-sample directional derivative').directionalDerivatives(data.x, data.y, s, out);
    return out;
  }

  private mlp(what: string): NativeMlpHandle {
    const handle = this.live();
    return 'hvp' in handle ? handle : noCurvature(what);
  }
}
