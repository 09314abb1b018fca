/**
 * One conformance suite run against every registered engine that loads (an engine that does not
 * load has its tests skipped with the reason). Engines are checked against the float64 oracle in
 * test/support/reference.ts, against the numpy golden values in test/fixtures/golden-step.json,
 * and against each other.
 *
 * Tolerances. Engines compute in float32 (ε ≈ 6e-8 per operation) and the oracle in float64, so
 * values agree to a relative 1e-4 after a few steps of rounding; values near zero (e.g. β of a
 * sample whose δ nearly cancels) are held to 1e-4 of the largest magnitude in the same array instead.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { probeEngines, newEpochRecord, type Engine, type StepHyper, type TrainData } from '../../src/engine/index';
import { initParams } from '../../src/model/init';
import { layerSlices, mlpSpec, networkModelSpec, paramCount, specLabel, type ModelSpec } from '../../src/model/spec';
import { Rng } from '../../src/util/rng';
import { assertClose } from '../support/close';
import { finiteDifferenceGradient, referenceEvaluate, referenceTrain, sampleGradient } from '../support/reference';
import { randomData } from '../support/synthetic';

/** float32 engine vs float64 oracle: see the header. */
const VS_REFERENCE = { rtol: 1e-4 };
/** float32 engine vs float32 engine: both round, in different orders, over 16 steps of a wider net. */
const BETWEEN_ENGINES = { rtol: 1e-4 };
/** Central differences with h = 1e-6 in float64: truncation O(h²) and cancellation O(ε/h) ≈ 1e-10. */
const FINITE_DIFFERENCE = { rtol: 1e-6 };

interface Run {
  readonly params: Float32Array;
  readonly records: ReturnType<typeof newEpochRecord>[];
}

/** Trains one epoch per order from `params` and returns the final params and each epoch's record. */
function train(
  engine: Engine,
  spec: ModelSpec,
  params: Float32Array,
  data: TrainData,
  orders: Int32Array[],
  hyper: StepHyper,
): Run {
  const model = engine.createModel(spec, params);
  try {
    const records = orders.map((order) => {
      const record = newEpochRecord(data.n, layerSlices(spec).length);
      model.trainBatches(data, order, hyper, record);
      return record;
    });
    return { params: model.getParams(), records };
  } finally {
    model.dispose();
  }
}

const TINY_SPECS = [mlpSpec(5, [4, 3], 3), mlpSpec(6, [5, 4, 3], 3)] as const;
/**
 * Two tiny conv nets: padding, pooling, two conv layers and a dense head; and one conv layer
 * pooled straight into the output layer.
 */
const TINY_CONV_SPECS = [
  networkModelSpec({
    inputShape: [2, 6, 6],
    layers: [
      { kind: 'conv2d', filters: 3, kernel: 3, padding: 1 },
      { kind: 'relu' },
      { kind: 'maxpool2' },
      { kind: 'conv2d', filters: 4, kernel: 2, padding: 0 },
      { kind: 'relu' },
      { kind: 'flatten' },
      { kind: 'dense', units: 5 },
      { kind: 'relu' },
      { kind: 'dense', units: 3 },
    ],
  }),
  networkModelSpec({
    inputShape: [1, 6, 6],
    layers: [
      { kind: 'conv2d', filters: 2, kernel: 3, padding: 1 },
      { kind: 'relu' },
      { kind: 'maxpool2' },
      { kind: 'flatten' },
      { kind: 'dense', units: 3 },
    ],
  }),
] as const;
/** Ten samples in batches of 4: two full batches and a partial one of 2. */
const TINY_HYPER: StepHyper = { lr: 0.3, weightDecay: 0.01, batchSize: 4, importance: true };
const specName = (spec: ModelSpec) => specLabel(spec);
/** A wider conv net for the engines' agreement over 16 steps: two conv layers with pooling, a dense head. */
const AGREEMENT_CONV_SPEC = networkModelSpec({
  inputShape: [3, 8, 8],
  layers: [
    { kind: 'conv2d', filters: 4, kernel: 3, padding: 1 },
    { kind: 'relu' },
    { kind: 'maxpool2' },
    { kind: 'conv2d', filters: 6, kernel: 3, padding: 1 },
    { kind: 'relu' },
    { kind: 'maxpool2' },
    { kind: 'flatten' },
    { kind: 'dense', units: 8 },
    { kind: 'relu' },
    { kind: 'dense', units: 5 },
  ],
});
/** The CUDA engine refuses conv networks (until a GPU can check them); the CPU engines train them. */
const trainsNetworks = (engine: Engine) => engine.name !== 'cuda';

describe('reference oracle', () => {
  for (const spec of [...TINY_SPECS, ...TINY_CONV_SPECS]) {
    it(`per-sample gradients agree with finite differences on ${specName(spec)}`, () => {
      const params = initParams(spec, 3, 'glorot');
      const data = randomData(spec, 4, 4);
      for (let i = 0; i < data.n; i++) {
        const x = data.x.subarray(i * spec.inputSize, (i + 1) * spec.inputSize);
        const y = data.y[i]!;
        const g = sampleGradient(spec, params, x, y);
        assert.ok(
          g.some((v, j) => v !== 0 && j < layerSlices(spec)[0]!.count),
          'first-layer gradient is non-trivial',
        );
        assertClose(g, finiteDifferenceGradient(spec, params, x, y), FINITE_DIFFERENCE.rtol, `sample ${i} gradient`);
      }
    });
  }
});

describe('engine conformance', async () => {
  const probed = await probeEngines();
  const loaded = probed.filter((p): p is { name: typeof p.name; engine: Engine } => p.engine !== undefined);

  for (const { name, engine, reason } of probed) {
    describe(`${name} engine${engine ? ` (${engine.backend})` : ''}`, () => {
      if (!engine) {
        it('conforms', { skip: `${name} does not load: ${reason}` }, () => {});
        return;
      }
      defineEngineTests(engine);
    });
  }

  describe('the contract checks arguments the same way on every engine', () => {
    const spec = mlpSpec(2, [2], 2);
    const data = randomData(spec, 3, 1);
    const hyper: StepHyper = { lr: 0.5, weightDecay: 0.01, batchSize: 2, importance: true };
    const order = Int32Array.from([0, 1]);
    const record = newEpochRecord(data.n, 2);
    /** Each bad call, and the message every engine must answer it with. */
    const badCalls: [string, (engine: Engine) => void, RegExp][] = [
      ['short params', (e) => e.createModel(spec, new Float32Array(3)), /^params has length 3, expected 12/],
      [
        'short x',
        (e) => withModel(e, (m) => m.trainBatches({ ...data, x: new Float32Array(5) }, order, hyper, record)),
        /^data\.x has length 5, expected 6/,
      ],
      [
        'label out of range',
        (e) => withModel(e, (m) => m.trainBatches({ ...data, y: Int32Array.from([1, 2, 0]) }, order, hyper, record)),
        /^data\.y\[1\] = 2 is outside \[0, 2\)/,
      ],
      ['wrong input size', (e) => withModel(e, (m) => m.evaluate({ ...data, inputSize: 3 })), /^data\.inputSize is 3/],
      [
        'no samples',
        (e) => withModel(e, (m) => m.evaluate({ ...data, x: new Float32Array(0), y: new Int32Array(0), n: 0 })),
        /^data\.n must be a positive integer, got 0/,
      ],
      [
        'labels not Int32Array',
        (e) => withModel(e, (m) => m.evaluate({ ...data, y: new Float32Array(3) as unknown as Int32Array })),
        /^data\.y must be a Int32Array, got Float32Array/,
      ],
      [
        'order out of range',
        (e) => withModel(e, (m) => m.trainBatches(data, Int32Array.from([0, 3]), hyper, record)),
        /^order\[1\] = 3 is outside \[0, 3\)/,
      ],
      [
        'lr NaN',
        (e) => withModel(e, (m) => m.trainBatches(data, order, { ...hyper, lr: NaN }, record)),
        /^lr must be finite and positive, got NaN/,
      ],
      [
        'lr 0',
        (e) => withModel(e, (m) => m.trainBatches(data, order, { ...hyper, lr: 0 }, record)),
        /^lr must be finite and positive, got 0/,
      ],
      [
        'negative decay',
        (e) => withModel(e, (m) => m.trainBatches(data, order, { ...hyper, weightDecay: -1 }, record)),
        /^weightDecay must be finite and non-negative/,
      ],
      [
        'batch 0',
        (e) => withModel(e, (m) => m.trainBatches(data, order, { ...hyper, batchSize: 0 }, record)),
        /^batchSize must be a positive integer/,
      ],
      [
        'short record',
        (e) => withModel(e, (m) => m.trainBatches(data, order, hyper, newEpochRecord(2, 2))),
        /^record\.importance has length 4, expected 6/,
      ],
      [
        'short direction',
        (e) => withModel(e, (m) => m.hvp(data, new Float32Array(2), { weightDecay: 0 })),
        /^v has length 2, expected 12/,
      ],
      [
        'negative objective decay',
        (e) => withModel(e, (m) => m.lossGradient(data, { weightDecay: -1 })),
        /^weightDecay must be finite and non-negative/,
      ],
      [
        'use after dispose',
        (e) => {
          const m = e.createModel(spec, new Float32Array(12));
          m.dispose();
          m.getParams();
        },
        /^this model was disposed$/,
      ],
    ];
    for (const [what, call, expected] of badCalls) {
      it(`${what}: ${loaded.map((p) => p.name).join(', ')} all throw the same error`, () => {
        const messages = loaded.map(({ engine }) => {
          const err = captureError(() => call(engine));
          assert.ok(err instanceof Error, `${engine.name} accepted a call with ${what}`);
          return err.message;
        });
        for (const message of messages) assert.match(message, expected);
        assert.equal(new Set(messages).size, 1, `messages differ: ${messages.join(' | ')}`);
      });
    }
  });

  describe('engines agree with each other', () => {
    for (const spec of [mlpSpec(20, [16, 16], 5), AGREEMENT_CONV_SPEC]) {
      const data = randomData(spec, 64, 11);
      const orders = [new Rng(12).permutation(64), new Rng(13).permutation(64)];
      const hyper: StepHyper = { lr: 0.1, weightDecay: 1e-3, batchSize: 8, importance: true };
      const able = loaded.filter((p) => !spec.network || trainsNetworks(p.engine));
      const pairs = able.flatMap((a, k) => able.slice(k + 1).map((b) => [a, b] as const));
      if (pairs.length === 0) {
        it(`on ${specName(spec)}`, {
          skip: `needs two engines that load and train it; loaded: ${loaded.map((p) => p.name).join(', ') || 'none'}`,
        }, () => {});
      }
      for (const [a, b] of pairs) {
        it(`${a.name} and ${b.name} on ${specName(spec)}, batch 8, 16 steps`, () => {
          const params = initParams(spec, 10, 'glorot');
          const runA = train(a.engine, spec, params, data, orders, hyper);
          const runB = train(b.engine, spec, params, data, orders, hyper);
          runA.records.forEach((recordA, e) => {
            const recordB = runB.records[e]!;
            assertClose(recordA.importance, recordB.importance, BETWEEN_ENGINES.rtol, `epoch ${e} β`);
            assertClose(recordA.nll, recordB.nll, BETWEEN_ENGINES.rtol, `epoch ${e} nll`);
            assertClose(recordA.margin, recordB.margin, BETWEEN_ENGINES.rtol, `epoch ${e} margin`);
            assertClose(recordA.el2n, recordB.el2n, BETWEEN_ENGINES.rtol, `epoch ${e} el2n`);
          });
          assertClose(runA.params, runB.params, BETWEEN_ENGINES.rtol, 'params');
        });
      }
    }
  });
});

function withModel(engine: Engine, use: (model: ReturnType<Engine['createModel']>) => void): void {
  const model = engine.createModel(mlpSpec(2, [2], 2), new Float32Array(12));
  try {
    use(model);
  } finally {
    model.dispose();
  }
}

function captureError(call: () => void): unknown {
  try {
    call();
  } catch (err) {
    return err;
  }
  return undefined;
}

function defineEngineTests(engine: Engine): void {
  if (!trainsNetworks(engine)) {
    it('refuses a conv network with a message that names the engines that train one', () => {
      const spec = TINY_CONV_SPECS[0];
      assert.throws(() => engine.createModel(spec, initParams(spec, 1)), /MLP only.*native or tfjs/);
    });
  }
  for (const spec of [...TINY_SPECS, ...TINY_CONV_SPECS]) {
    const skip = spec.network && !trainsNetworks(engine) ? `${engine.name} trains the MLP only` : false;
    it(`β, nll, correct, margin, el2n and params match the float64 reference on ${specName(spec)}`, { skip }, () => {
      const params = initParams(spec, 1, 'glorot');
      const data = randomData(spec, 10, 2);
      const orders = [new Rng(5).permutation(10), new Rng(6).permutation(10)];
      const run = train(engine, spec, params, data, orders, TINY_HYPER);
      let expectedParams: ArrayLike<number> = params;
      orders.forEach((order, e) => {
        const expected = referenceTrain(spec, expectedParams, data, order, TINY_HYPER);
        const record = run.records[e]!;
        assertClose(record.importance, expected.record.importance, VS_REFERENCE.rtol, `epoch ${e} β`);
        assertClose(record.nll, expected.record.nll, VS_REFERENCE.rtol, `epoch ${e} nll`);
        assert.deepEqual(record.correct, expected.record.correct, `epoch ${e} correct`);
        assertClose(record.margin, expected.record.margin, VS_REFERENCE.rtol, `epoch ${e} margin`, { nonZero: true });
        assertClose(record.el2n, expected.record.el2n, VS_REFERENCE.rtol, `epoch ${e} el2n`, { nonZero: true });
        expectedParams = expected.params;
      });
      assertClose(run.params, expectedParams, VS_REFERENCE.rtol, 'params after 6 steps');
    });
  }

  for (const spec of [TINY_SPECS[1], TINY_CONV_SPECS[0]])
    it(`evaluate() matches the reference losses on ${specName(spec)}`, {
      skip: spec.network && !trainsNetworks(engine) ? `${engine.name} trains the MLP only` : false,
    }, () => {
      const params = initParams(spec, 7, 'glorot');
      const data = randomData(spec, 12, 8);
      const model = engine.createModel(spec, params);
      try {
        const result = model.evaluate(data);
        const expected = referenceEvaluate(spec, params, data);
        assertClose(result.nll, expected.nll, VS_REFERENCE.rtol, 'nll');
        assert.deepEqual(result.correct, expected.correct, 'correct');
        assertClose([result.loss], [expected.loss], VS_REFERENCE.rtol, 'loss');
        assert.ok(Math.abs(result.error - expected.error) < 1e-9, `error ${result.error} vs ${expected.error}`);
      } finally {
        model.dispose();
      }
    });

  it('weight decay shrinks weights only, not biases', () => {
    const spec = TINY_SPECS[0];
    const params = initParams(spec, 1, 'glorot');
    const data = randomData(spec, 4, 2);
    const order = Int32Array.from([0, 1, 2, 3]);
    const lr = 0.3;
    const weightDecay = 0.1;
    const plain = train(engine, spec, params, data, [order], { ...TINY_HYPER, lr, weightDecay: 0 }).params;
    const decayed = train(engine, spec, params, data, [order], { ...TINY_HYPER, lr, weightDecay }).params;
    // One step: the only difference is −ηλθ_W on weights; biases see none.
    for (const s of layerSlices(spec)) {
      for (let j = s.wOffset; j < s.bOffset; j++) {
        const expected = -lr * weightDecay * params[j]!;
        const decay = decayed[j]! - plain[j]!;
        assert.ok(
          Math.abs(decay - expected) < 1e-6,
          `${s.name} weight ${j - s.wOffset}: decay ${decay}, expected ${expected}`,
        );
      }
      for (let j = s.bOffset; j < s.wOffset + s.count; j++) {
        const change = decayed[j]! - plain[j]!;
        assert.ok(Math.abs(change) < 1e-7, `${s.name} bias ${j - s.bOffset} changed by decay: ${change}`);
      }
    }
  });

  const SWITCHED_OFF = [
    { flag: { importance: false }, untouched: ['importance'] },
    { flag: { scores: false }, untouched: ['margin', 'el2n'] },
  ] as const;
  for (const { flag, untouched } of SWITCHED_OFF) {
    it(`${Object.keys(flag)[0]}: false leaves ${untouched.join(' and ')} untouched, the rest as the reference`, () => {
      const spec = TINY_SPECS[0];
      const params = initParams(spec, 1, 'glorot');
      const data = randomData(spec, 10, 2);
      const order = new Rng(5).permutation(10);
      const model = engine.createModel(spec, params);
      try {
        const record = newEpochRecord(data.n, layerSlices(spec).length);
        for (const field of untouched) record[field].fill(7);
        model.trainBatches(data, order, { ...TINY_HYPER, ...flag }, record);
        for (const field of untouched)
          assert.ok(
            record[field].every((v) => v === 7),
            `${field} was written`,
          );
        const expected = referenceTrain(spec, params, data, order, TINY_HYPER);
        for (const field of ['importance', 'nll', 'margin', 'el2n'] as const) {
          if (!(untouched as readonly string[]).includes(field))
            assertClose(record[field], expected.record[field], VS_REFERENCE.rtol, field);
        }
        assert.deepEqual(record.correct, expected.record.correct, 'correct');
        assertClose(model.getParams(), expected.params, VS_REFERENCE.rtol, 'params');
      } finally {
        model.dispose();
      }
    });
  }

  it('matches the numpy golden values (test/fixtures/golden-step.json)', () => {
    const golden = readGolden();
    const spec = mlpSpec(golden.spec.inputSize, golden.spec.hidden, golden.spec.classes);
    const data: TrainData = {
      x: Float32Array.from(golden.x.flat()),
      y: Int32Array.from(golden.y),
      n: golden.y.length,
      inputSize: spec.inputSize,
    };
    const run = train(
      engine,
      spec,
      Float32Array.from(golden.params),
      data,
      [Int32Array.from(golden.order)],
      golden.hyper,
    );
    const [record] = run.records;
    assert.ok(record, 'no epoch record');
    assertClose(record.importance, golden.expected.importance.flat(), VS_REFERENCE.rtol, 'β');
    assertClose(record.nll, golden.expected.nll, VS_REFERENCE.rtol, 'nll');
    assert.deepEqual(Array.from(record.correct), golden.expected.correct, 'correct');
    assertClose(run.params, golden.expected.params, VS_REFERENCE.rtol, 'params');
  });

  describe('rejects bad input before doing any work', () => {
    const spec = TINY_SPECS[0];
    const params = initParams(spec, 1, 'glorot');
    const data = randomData(spec, 6, 2);
    const order = Int32Array.from([0, 1, 2, 3, 4, 5]);
    const depth = layerSlices(spec).length;
    /** Runs a bad call and checks it threw `message` and left the parameters as they were. */
    const rejects = (call: (model: ReturnType<Engine['createModel']>) => void, message: RegExp) => {
      const model = engine.createModel(spec, params);
      try {
        assert.throws(() => call(model), message);
        assert.deepEqual(model.getParams(), params, 'parameters changed by a rejected call');
      } finally {
        model.dispose();
      }
    };
    const record = () => newEpochRecord(data.n, depth);

    it('params of the wrong length', () => {
      assert.throws(() => engine.createModel(spec, new Float32Array(paramCount(spec) - 1)), /param/i);
      rejects((model) => model.setParams(new Float32Array(paramCount(spec) + 1)), /param/i);
    });
    it('data.x of the wrong length', () => {
      rejects(
        (model) => model.trainBatches({ ...data, x: data.x.subarray(1) }, order, TINY_HYPER, record()),
        /\bx\b|length|size/i,
      );
      rejects((model) => model.evaluate({ ...data, x: data.x.subarray(1) }), /\bx\b|length|size/i);
    });
    it('data.y of the wrong length', () => {
      rejects(
        (model) => model.trainBatches({ ...data, y: data.y.subarray(1) }, order, TINY_HYPER, record()),
        /\by\b|label|length/i,
      );
    });
    it('a label out of range', () => {
      const y = Int32Array.from(data.y);
      y[5] = spec.classes;
      rejects((model) => model.trainBatches({ ...data, y }, order, TINY_HYPER, record()), /label|class|\by\b/i);
      y[5] = -1;
      rejects((model) => model.evaluate({ ...data, y }), /label|class|\by\b/i);
    });
    it('an order entry out of range', () => {
      rejects((model) => model.trainBatches(data, Int32Array.from([0, 1, 2, 3, 4, 6]), TINY_HYPER, record()), /order/i);
      rejects(
        (model) => model.trainBatches(data, Int32Array.from([0, 1, 2, 3, 4, -1]), TINY_HYPER, record()),
        /order/i,
      );
    });
    it('a record of the wrong size', () => {
      rejects(
        (model) => model.trainBatches(data, order, TINY_HYPER, newEpochRecord(data.n - 1, depth)),
        /record|importance|nll|length/i,
      );
    });
    it('non-finite or invalid hyper-parameters', () => {
      rejects((model) => model.trainBatches(data, order, { ...TINY_HYPER, lr: NaN }, record()), /lr|learning/i);
      rejects((model) => model.trainBatches(data, order, { ...TINY_HYPER, weightDecay: Infinity }, record()), /decay/i);
      rejects((model) => model.trainBatches(data, order, { ...TINY_HYPER, batchSize: 0 }, record()), /batch/i);
    });
  });
}

interface Golden {
  spec: { inputSize: number; hidden: number[]; classes: number };
  hyper: StepHyper;
  params: number[];
  x: number[][];
  y: number[];
  order: number[];
  expected: { importance: number[][]; nll: number[]; correct: number[]; params: number[] };
}

/**
 * The fixture python/reference.py hard-codes, repeated here so that a drifted JSON is caught: the
 * golden values must come from exactly these inputs.
 */
const GOLDEN_INPUTS = {
  spec: { inputSize: 4, hidden: [5, 3], classes: 3 },
  hyper: { lr: 0.5, weightDecay: 0.01, batchSize: 2, importance: true },
  params: [
    -0.125, -0.5, 0.0, 0.5, -0.6875, -0.625, 0.3125, -0.5625, -0.0625, 0.375, -0.6875, 0.25, -0.375, -0.6875, -0.625,
    0.0625, 0.0625, -0.625, -0.3125, -0.625, 0.3125, 0.0625, 0.25, 0.375, 0.1875, -0.3125, 0.5, 0.5, 0.375, -0.6875,
    0.375, 0.375, 0.0, -0.6875, -0.3125, -0.6875, 0.3125, -0.5, -0.1875, 0.0625, 0.5, 0.3125, 0.25, 0.375, -0.1875,
    0.3125, 0.5625, -0.4375, -0.5625, 0.375, 0.375, 0.5, -0.375, -0.0625, -0.5625,
  ],
  x: [
    [-1.5, -1.625, -0.375, 1.875],
    [1.375, 0.5, 1.625, 1.625],
    [0.875, 0.375, -0.125, -0.625],
    [-0.125, -1.375, 0.375, 1.875],
    [0.625, 1.5, 0.25, -1.5],
  ],
  y: [0, 0, 2, 1, 1],
  order: [3, 0, 4, 1, 2],
};

function readGolden(): Golden {
  // Compiled to dist-test/test/engine; the fixture stays in the source tree.
  const file = path.resolve(__dirname, '../../../test/fixtures/golden-step.json');
  const golden = JSON.parse(fs.readFileSync(file, 'utf8')) as Golden;
  const { expected: _expected, ...inputs } = golden;
  const { about: _about, ...comparable } = inputs as typeof inputs & { about?: string };
  assert.deepEqual(
    comparable,
    GOLDEN_INPUTS,
    'golden-step.json was written from a different fixture than python/reference.py',
  );
  return golden;
}
