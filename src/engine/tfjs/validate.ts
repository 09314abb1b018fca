/**
 * Argument checks run before any tensor work, so that a bad call fails with a message naming the
 * problem instead of a shape error deep inside tfjs, or a silently wrong record.
 *
 * @example
 *   checkData(spec, data);          // throws RangeError('data.y[3] = 7 is not a class in [0, 3)')
 *   checkOrder(order, data.n);
 */
import { layerSlices, paramCount, type ModelSpec } from '../../model/spec';
import type { EpochRecord, ObjectiveOptions, StepHyper, TrainData } from '../types';

/** A parameter-shaped vector: the parameters themselves, or a direction (`what` names it). */
export function checkParams(spec: ModelSpec, params: Float32Array, what = 'params'): void {
  if (!(params instanceof Float32Array)) throw new TypeError(`${what} must be a Float32Array`);
  const expected = paramCount(spec);
  if (params.length !== expected) {
    throw new RangeError(`${what} has length ${params.length}, but the model needs paramCount(spec) = ${expected}`);
  }
}

export function checkObjective(objective: ObjectiveOptions): void {
  if (!Number.isFinite(objective.weightDecay) || objective.weightDecay < 0) {
    throw new RangeError(`weightDecay must be a finite number >= 0, got ${objective.weightDecay}`);
  }
}

export function checkData(spec: ModelSpec, data: TrainData): void {
  const { n, inputSize } = data;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`data.n must be a non-negative integer, got ${n}`);
  if (inputSize !== spec.inputSize) {
    throw new RangeError(`data.inputSize is ${inputSize}, but the model's inputSize is ${spec.inputSize}`);
  }
  if (data.x.length !== n * inputSize) {
    throw new RangeError(`data.x has length ${data.x.length}, expected n * inputSize = ${n} * ${inputSize} = ${n * inputSize}`);
  }
  if (data.y.length !== n) throw new RangeError(`data.y has length ${data.y.length}, expected n = ${n}`);
  for (let i = 0; i < n; i++) {
    const label = data.y[i];
    if (label < 0 || label >= spec.classes) {
      throw new RangeError(`data.y[${i}] = ${label} is not a class in [0, ${spec.classes})`);
    }
  }
}

export function checkOrder(order: Int32Array, n: number): void {
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (i < 0 || i >= n) throw new RangeError(`order[${k}] = ${i} is not a sample position in [0, ${n})`);
  }
}

export function checkHyper(hyper: StepHyper): void {
  const { lr, weightDecay, batchSize, importance } = hyper;
  if (!Number.isFinite(lr) || lr < 0) throw new RangeError(`lr must be a finite number >= 0, got ${lr}`);
  if (!Number.isFinite(weightDecay) || weightDecay < 0) {
    throw new RangeError(`weightDecay must be a finite number >= 0, got ${weightDecay}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  if (typeof importance !== 'boolean') throw new TypeError(`importance must be a boolean, got ${String(importance)}`);
}

export function checkRecord(spec: ModelSpec, record: EpochRecord, n: number): void {
  const layers = layerSlices(spec).length;
  if (record.importance.length !== n * layers) {
    throw new RangeError(`record.importance has length ${record.importance.length}, expected n * layers = ${n} * ${layers} = ${n * layers}`);
  }
  if (record.nll.length !== n) throw new RangeError(`record.nll has length ${record.nll.length}, expected n = ${n}`);
  if (record.correct.length !== n) throw new RangeError(`record.correct has length ${record.correct.length}, expected n = ${n}`);
}
