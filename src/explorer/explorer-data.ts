/**
 * What the sample explorer shows of one run: every training sample's scores (τ, its share per
 * layer, final NLL and the training-dynamics scores the record supports), β per layer and NLL over
 * epochs, a cluster of its importance trajectory, the final model's class probabilities, and its
 * image. Pure of the page: src/explorer/page.ts lays it out, the browser app reads it back.
 *
 * The class probabilities come through the engines' common contract: `evaluate` gives each sample's
 * NLL for the labels it is handed, so evaluating once with every sample labelled c gives
 * −log p_c(x) for all samples; C passes give the whole softmax without a new engine method.
 *
 * @example
 *   const run = openRun('runs/mnist-4e6abb0dbb77');
 *   const data = await explorerDataset(run, { images: train, labels: train.y, classNames, engine });
 *   data.scores.map((s) => s.name);   // ['tau', 'final_nll', 'share_fc1', …, 'aum', 'el2n']
 */
import type { Engine } from '../engine/types';
import { importanceFeatures } from '../analysis/importance-clusters';
import { kmeans } from '../analysis/kmeans';
import type { OpenRun } from '../run/open-run';
import { runModelSpec } from '../run/model-spec';
import { sampleScores, unavailableScores } from '../scores/sample-scores';
import { imageSheets, type ImageSheet } from './images';
import { logCodes, logScaleOf, packArrays, type PackedArrays } from './pack';
import type { DatasetDescription, ExplorerScore } from './page-meta';

export interface ExplorerDataset extends DatasetDescription {
  /**
   * labels, officialIndex, scores [S·n, score-major], beta [n·E·D, sample-major log codes], nll
   * [n·E log codes], cluster, flipped (1 where the label was flipped), probabilities [n·C, p·255].
   */
  readonly packed: PackedArrays;
  readonly sheets: readonly ImageSheet[];
}

export interface ExplorerInputs {
  /** Label of each training position (the run's labels, flipped ones included). */
  readonly labels: Int32Array;
  readonly classNames: readonly string[];
  /** Images by training position, planar in [0, 1]; omitted, the page shows no images. */
  readonly images?: { readonly x: Float32Array; readonly shape: readonly [number, number, number] };
  /** The inputs the run trained on (after its preprocessing) and an engine: the class probabilities. */
  readonly predict?: {
    readonly engine: Engine;
    readonly x: Float32Array;
    readonly inputSize: number;
    readonly shape: readonly [number, number, number];
  };
  /** k of the trajectory clusters; default 10. */
  readonly clusters?: number;
}

const SCORE_LABELS: Record<string, string> = {
  tau: 'τ (total importance)',
  final_nll: 'final NLL',
  confidence: 'confidence',
  variability: 'variability',
  forgetting: 'forgetting events',
  aum: 'AUM',
  el2n: 'EL2N (last epoch)',
};

const DYNAMICS_SCORES = ['confidence', 'variability', 'forgetting', 'aum', 'el2n'];

/** β [E, n, D] by epoch → [n, E, D] by sample, so one sample's trajectory is contiguous. */
function bySample(importance: Float32Array, n: number, epochs: number, layers: number): Float32Array {
  const out = new Float32Array(n * epochs * layers);
  for (let t = 0; t < epochs; t++) {
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < layers; d++) out[(i * epochs + t) * layers + d] = importance[(t * n + i) * layers + d]!;
    }
  }
  return out;
}

/** [E, n] → [n, E]. */
function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/** Clusters of the samples' log10 β trajectories (the features of Figures 5 and 6), over all classes. */
function trajectoryClusters(run: OpenRun, k: number): Uint8Array {
  const positions = Array.from({ length: run.n }, (_, i) => i);
  const fit = kmeans(importanceFeatures(run, positions, 1e-12), Math.min(k, run.n), {
    seed: 1,
    initialization: 'kmeans++',
    maxIterations: 50,
  });
  return Uint8Array.from(fit.clusters);
}

/** p_c(x_i) · 255 for every sample and class, [n, C], from C evaluations with every label set to c. */
function classProbabilities(run: OpenRun, predict: NonNullable<ExplorerInputs['predict']>, classes: number) {
  const { n } = run;
  const spec = runModelSpec(run.meta.config, predict, classes);
  const model = predict.engine.createModel(spec, run.params(run.epochs));
  try {
    const out = new Uint8Array(n * classes);
    const y = new Int32Array(n);
    for (let c = 0; c < classes; c++) {
      y.fill(c);
      const { nll } = model.evaluate({ x: predict.x, y, n, inputSize: predict.inputSize });
      for (let i = 0; i < n; i++) out[i * classes + c] = Math.round(Math.exp(-nll[i]!) * 255);
    }
    return out;
  } finally {
    model.dispose();
  }
}

export async function explorerDataset(run: OpenRun, inputs: ExplorerInputs): Promise<ExplorerDataset> {
  const { n, epochs: E, layers: D } = run;
  if (E === 0) throw new Error(`${run.dir} has no complete epoch to explore`);
  if (inputs.labels.length !== n)
    throw new RangeError(`${inputs.labels.length} labels were given for the ${n} training samples of ${run.dir}`);
  const layerNames = run.meta.layers.map((l) => l.name);
  const unavailable = unavailableScores(run);
  const wanted = ['tau', 'final_nll', ...layerNames.map((l) => `tau_${l}`), ...DYNAMICS_SCORES].filter(
    (s) => !(s in unavailable),
  );
  const computed = sampleScores(run, { scores: wanted });
  const scores: ExplorerScore[] = [];
  const columns: Float64Array[] = [];
  const tau = computed.tau!;
  for (const name of wanted) {
    const layer = name.startsWith('tau_') ? name.slice(4) : undefined;
    if (layer) {
      scores.push({ name: `share_${layer}`, label: `τ share of ${layer}` });
      columns.push(computed[name]!.map((v, i) => (tau[i]! > 0 ? v / tau[i]! : 0)));
    } else {
      scores.push({ name, label: SCORE_LABELS[name] ?? name });
      columns.push(computed[name]!);
    }
  }
  const scoreValues = new Float32Array(scores.length * n);
  columns.forEach((col, s) => {
    scoreValues.set(col, s * n);
  });

  const beta = bySample(run.importance, n, E, D);
  const betaScale = logScaleOf(beta);
  const nll = transpose(run.nll.subarray(0, E * n), E, n);
  const nllScale = logScaleOf(nll);
  const classes = inputs.classNames.length;
  const flipped = new Uint8Array(n);
  for (const p of run.flipped ?? []) flipped[p] = 1;
  const arrays: Record<string, Uint8Array | Int32Array | Float32Array> = {
    labels: Uint8Array.from(inputs.labels),
    officialIndex: run.trainIndices,
    scores: scoreValues,
    beta: logCodes(beta, betaScale),
    nll: logCodes(nll, nllScale),
    cluster: trajectoryClusters(run, inputs.clusters ?? 10),
    flipped,
  };
  if (inputs.predict) arrays.probabilities = classProbabilities(run, inputs.predict, classes);
  const cfg = run.meta.config;
  return {
    dataset: cfg.dataset,
    runKey: run.meta.key,
    caption:
      `${cfg.model ?? 'mlp'} · ${n.toLocaleString('en')} training samples · ${E} epochs` +
      ` · seed ${cfg.seed} · run ${run.meta.key}`,
    n,
    epochs: E,
    layers: layerNames,
    classNames: inputs.classNames,
    imageShape: inputs.images?.shape,
    scores,
    betaScale,
    nllScale,
    clusters: Math.min(inputs.clusters ?? 10, n),
    hasProbabilities: Boolean(inputs.predict),
    packed: packArrays(arrays),
    sheets: inputs.images ? await imageSheets(inputs.images.x, n, inputs.images.shape) : [],
  };
}
