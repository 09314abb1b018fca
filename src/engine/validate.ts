/**
 * The engine contract's argument rules, the same for every engine: checked once, in front of any
 * engine (./checked.ts), before a value reaches C++, CUDA or tfjs, with messages that name the
 * problem. Each function throws a TypeError or RangeError and returns nothing.
 *
 * @example
 *   validateHyper({ lr: 0.1, weightDecay: 0, batchSize: 100, importance: true });   // ok
 *   validateHyper({ lr: -1, weightDecay: 0, batchSize: 100, importance: true });    // RangeError: lr ...
 */
import { networkShapes } from '../model/network';
import { layerCount, paramCount, specLabel, type ModelSpec } from '../model/spec';
import type { EpochRecord, ObjectiveOptions, StepHyper, TrainData } from './types';

function requireType(value: unknown, type: abstract new (...args: never[]) => unknown, what: string): void {
  if (!(value instanceof type)) {
    throw new TypeError(`${what} must be a ${type.name}, got ${Object.prototype.toString.call(value).slice(8, -1)}`);
  }
}

function requireLength(actual: number, expected: number, what: string, why: string): void {
  if (actual !== expected) throw new RangeError(`${what} has length ${actual}, expected ${expected} (${why})`);
}

/** A network's layers fit their inputs, and its sizes are those the spec states (networkShapes' errors otherwise). */
export function validateSpec(spec: ModelSpec): void {
  if (!spec.network) return;
  const shapes = networkShapes(spec.network);
  const inputSize = spec.network.inputShape.reduce((a, b) => a * b, 1);
  const classes = shapes[shapes.length - 1]!.c;
  if (spec.inputSize !== inputSize || spec.classes !== classes)
    throw new RangeError(
      `the spec says input size ${spec.inputSize} and ${spec.classes} classes, its network ` +
        `${inputSize} and ${classes}: make it with networkModelSpec`,
    );
}

/** A parameter-shaped vector: the parameters themselves, or a direction (`what` names it). */
export function validateParams(spec: ModelSpec, params: Float32Array, what = 'params'): void {
  requireType(params, Float32Array, what);
  requireLength(params.length, paramCount(spec), what, `paramCount of ${specLabel(spec)}`);
}

export function validateObjective(objective: ObjectiveOptions): void {
  if (!Number.isFinite(objective.weightDecay) || objective.weightDecay < 0) {
    throw new RangeError(`weightDecay must be finite and non-negative, got ${objective.weightDecay}`);
  }
}

/** Shapes and label range; O(n), so callers check a data object once. */
export function validateData(spec: ModelSpec, data: TrainData): void {
  if (!Number.isInteger(data.n) || data.n < 1) throw new RangeError(`data.n must be a positive integer, got ${data.n}`);
  if (data.inputSize !== spec.inputSize) {
    throw new RangeError(`data.inputSize is ${data.inputSize} but the model's input size is ${spec.inputSize}`);
  }
  requireType(data.x, Float32Array, 'data.x');
  requireType(data.y, Int32Array, 'data.y');
  requireLength(data.x.length, data.n * spec.inputSize, 'data.x', `n * inputSize = ${data.n} * ${spec.inputSize}`);
  requireLength(data.y.length, data.n, 'data.y', 'one label per sample');
  for (let i = 0; i < data.n; i++) {
    const label = data.y[i]!;
    if (label < 0 || label >= spec.classes)
      throw new RangeError(`data.y[${i}] = ${label} is outside [0, ${spec.classes})`);
  }
}

export function validateOrder(order: Int32Array, n: number): void {
  requireType(order, Int32Array, 'order');
  // In range, so every sample's slot in the record exists; whole batches are the caller's affair.
  for (let i = 0; i < order.length; i++) {
    const position = order[i]!;
    if (position < 0 || position >= n) throw new RangeError(`order[${i}] = ${position} is outside [0, ${n})`);
  }
}

export function validateHyper(hyper: StepHyper): void {
  if (!Number.isFinite(hyper.lr) || hyper.lr <= 0)
    throw new RangeError(`lr must be finite and positive, got ${hyper.lr}`);
  if (!Number.isFinite(hyper.weightDecay) || hyper.weightDecay < 0) {
    throw new RangeError(`weightDecay must be finite and non-negative, got ${hyper.weightDecay}`);
  }
  if (!Number.isInteger(hyper.batchSize) || hyper.batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${hyper.batchSize}`);
  }
  if (typeof hyper.importance !== 'boolean')
    throw new TypeError(`importance must be a boolean, got ${typeof hyper.importance}`);
  if (hyper.scores !== undefined && typeof hyper.scores !== 'boolean')
    throw new TypeError(`scores must be a boolean when given, got ${typeof hyper.scores}`);
}

export function validateRecord(spec: ModelSpec, record: EpochRecord, n: number): void {
  const layers = layerCount(spec);
  requireType(record.importance, Float32Array, 'record.importance');
  requireType(record.nll, Float32Array, 'record.nll');
  requireType(record.correct, Uint8Array, 'record.correct');
  requireType(record.margin, Float32Array, 'record.margin');
  requireType(record.el2n, Float32Array, 'record.el2n');
  requireLength(record.importance.length, n * layers, 'record.importance', `n * layers = ${n} * ${layers}`);
  requireLength(record.nll.length, n, 'record.nll', 'one per sample');
  requireLength(record.correct.length, n, 'record.correct', 'one per sample');
  requireLength(record.margin.length, n, 'record.margin', 'one per sample');
  requireLength(record.el2n.length, n, 'record.el2n', 'one per sample');
}
