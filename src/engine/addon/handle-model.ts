/**
 * What the native and CUDA Models share: one addon handle per model, made from the spec and loaded
 * with the parameters, read and written through the handle, and unusable once disposed. Subclasses
 * add the training and evaluation calls. Arguments arrive checked (the engine contract's
 * ../checked.ts), so nothing here validates.
 *
 * @example
 *   class MyModel extends HandleModel<NativeMlpHandle> {
 *     constructor(addon: NativeAddon, spec: ModelSpec, params: Float32Array) {
 *       super(spec, params, (s) => new addon.NativeMlp(Int32Array.from(layerSizes(s))));
 *     }
 *   }
 */
import type { ModelSpec } from '../../model/spec';

/** The methods every addon model handle has (NativeMlpHandle, CudaMlpHandle). */
export interface ParamsHandle {
  paramCount(): number;
  getParams(out: Float32Array): void;
  setParams(params: Float32Array): void;
  dispose(): void;
}

export abstract class HandleModel<H extends ParamsHandle> {
  private handle: H | undefined;

  /** `create` makes the addon's handle for the spec. */
  constructor(
    readonly spec: ModelSpec,
    params: Float32Array,
    create: (spec: ModelSpec) => H,
  ) {
    this.handle = create(spec);
    this.handle.setParams(params);
  }

  getParams(): Float32Array {
    const params = new Float32Array(this.live().paramCount());
    this.live().getParams(params);
    return params;
  }

  setParams(params: Float32Array): void {
    this.live().setParams(params);
  }

  dispose(): void {
    this.handle?.dispose();
    this.handle = undefined;
  }

  /** The handle, or throws once the model was disposed. */
  protected live(): H {
    if (!this.handle) throw new Error('this model was disposed');
    return this.handle;
  }
}
