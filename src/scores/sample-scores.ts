/**
 * Training-dynamics scores of every training sample, from one run record: the paper's τ (overall
 * and per layer) and the scores of the data-pruning and label-noise literature, each from the
 * arrays recorded at the sample's own step (docs/SCORES.md gives every formula, its source and
 * its conventions). Pure functions of the record; epochs 1 … T are used (T: the last complete
 * epoch unless asked).
 *
 * @example
 *   const run = openRun('runs/mnist-4e6abb0dbb77');
 *   const scores = sampleScores(run, { epoch: 10 });   // { tau: Float64Array(n), aum: …, … }
 *   scores.forgetting[0];                               // forgetting events of position 0 in epochs 1–10
 */
import { type OpenRun, requireRecorded } from '../run/open-run';

/** The record a score reads; a hand-made object of this shape is enough (tests). */
export type ScoredRun = Pick<
  OpenRun,
  'dir' | 'meta' | 'epochs' | 'n' | 'layers' | 'importance' | 'nll' | 'correct' | 'order' | 'margin' | 'el2n'
> & { readonly finalNll?: Float32Array };

export interface SampleScoreOptions {
  /** T: scores use epochs 1 … T, and `grand`, `el2n` are taken at epoch T; default the last complete epoch. */
  readonly epoch?: number;
  /** The scores to compute; default every score the record supports (see availableScores). */
  readonly scores?: readonly string[];
}

/** A score: its column name, what it needs beyond β, nll and correct, and how it is computed. */
interface ScoreDefinition {
  readonly name: string;
  readonly needs?: 'margin' | 'el2n' | 'finalNll';
  compute(run: ScoredRun, epoch: number): Float64Array;
}

/** The size of the batch each position was in during epoch index t (B, or less in a short last batch). */
function batchSizes(run: ScoredRun, t: number): Float64Array {
  const B = run.meta.config.batchSize;
  const out = new Float64Array(run.n);
  for (let k = 0; k < run.n; k++) {
    const first = k - (k % B);
    out[run.order[t * run.n + k]!] = Math.min(B, run.n - first);
  }
  return out;
}

/** α_i^t = Σ_d β_{i,d} at epoch index t. */
function alpha(run: ScoredRun, t: number, i: number): number {
  let s = 0;
  const at = (t * run.n + i) * run.layers;
  for (let d = 0; d < run.layers; d++) s += run.importance[at + d]!;
  return s;
}

/** Σ over epoch indices t < T of f(i, t), per position. */
function sumOverEpochs(run: ScoredRun, T: number, f: (i: number, t: number) => number): Float64Array {
  const out = new Float64Array(run.n);
  for (let t = 0; t < T; t++) for (let i = 0; i < run.n; i++) out[i]! += f(i, t);
  return out;
}

/** τ restricted to layer d: Σ_{t ≤ T} β_{i,d}^t. */
function layerTau(d: number): ScoreDefinition['compute'] {
  return (run, T) => sumOverEpochs(run, T, (i, t) => run.importance[(t * run.n + i) * run.layers + d]!);
}

function layerScores(run: Pick<ScoredRun, 'meta'>): ScoreDefinition[] {
  return run.meta.layers.map((layer, d) => ({ name: `tau_${layer.name}`, compute: layerTau(d) }));
}

const SCORES: readonly ScoreDefinition[] = [
  { name: 'tau', compute: (run, T) => sumOverEpochs(run, T, (i, t) => alpha(run, t, i)) },
  {
    // ‖g_i‖ at its own step in epoch T: β = ‖(η/m) g‖² summed over layers, so ‖g‖ = √α · m/η.
    name: 'grand',
    compute: (run, T) => {
      const m = batchSizes(run, T - 1);
      const lr = run.meta.config.lr;
      return Float64Array.from({ length: run.n }, (_, i) => (Math.sqrt(alpha(run, T - 1, i)) * m[i]!) / lr);
    },
  },
  {
    name: 'el2n',
    needs: 'el2n',
    compute: (run, T) => {
      const el2n = requireRecorded(run, 'el2n', 'the el2n score');
      return Float64Array.from(el2n.subarray((T - 1) * run.n, T * run.n));
    },
  },
  { name: 'forgetting', compute: (run, T) => forgettingEvents(run.correct, run.n, T) },
  {
    name: 'aum',
    needs: 'margin',
    compute: (run, T) => {
      const margin = requireRecorded(run, 'margin', 'the aum score');
      return sumOverEpochs(run, T, (i, t) => margin[t * run.n + i]! / T);
    },
  },
  { name: 'confidence', compute: (run, T) => confidenceAndVariability(run, T).confidence },
  { name: 'variability', compute: (run, T) => confidenceAndVariability(run, T).variability },
  {
    // TracIn's Σ_t η ‖g_i^t‖² over the steps that used the sample: ‖g‖² = α (m/η)².
    name: 'self_influence',
    compute: (run, T) => {
      const lr = run.meta.config.lr;
      const out = new Float64Array(run.n);
      for (let t = 0; t < T; t++) {
        const m = batchSizes(run, t);
        for (let i = 0; i < run.n; i++) out[i]! += (alpha(run, t, i) * m[i]! * m[i]!) / lr;
      }
      return out;
    },
  },
  {
    name: 'final_nll',
    needs: 'finalNll',
    compute: (run) => {
      if (!run.finalNll) throw new Error(`the final_nll score needs a complete run; ${run.dir} is ${run.meta.status}`);
      return Float64Array.from(run.finalNll);
    },
  },
];

/**
 * Forgetting events (Toneva et al. 2019): transitions from correct at epoch t−1 to wrong at epoch t,
 * t = 2 … T, each judged at the sample's own step. A sample never correct in epochs 1 … T counts
 * Infinity, as Toneva et al. rank never-learned samples above every forgotten one.
 */
export function forgettingEvents(correct: Uint8Array, n: number, T: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let events = 0;
    let learned = false;
    for (let t = 0; t < T; t++) {
      const now = correct[t * n + i] === 1;
      if (now) learned = true;
      else if (t > 0 && correct[(t - 1) * n + i] === 1) events++;
    }
    out[i] = learned ? events : Infinity;
  }
  return out;
}

/**
 * Data-map coordinates (Swayamdipta et al. 2020): the mean and the (population) standard
 * deviation over epochs 1 … T of p(y_i | x_i) = exp(−nll) at the sample's own step.
 */
export function confidenceAndVariability(
  run: Pick<ScoredRun, 'nll' | 'n'>,
  T: number,
): { confidence: Float64Array; variability: Float64Array } {
  const confidence = new Float64Array(run.n);
  const variability = new Float64Array(run.n);
  const p = new Float64Array(T);
  for (let i = 0; i < run.n; i++) {
    for (let t = 0; t < T; t++) p[t] = Math.exp(-run.nll[t * run.n + i]!);
    const mean = p.reduce((a, v) => a + v, 0) / T;
    confidence[i] = mean;
    variability[i] = Math.sqrt(p.reduce((a, v) => a + (v - mean) ** 2, 0) / T);
  }
  return { confidence, variability };
}

/** Every score's name for this record, in column order: tau, tau_<layer> …, then the others. */
export function scoreNames(run: Pick<ScoredRun, 'meta'>): string[] {
  return ['tau', ...layerScores(run).map((s) => s.name), ...SCORES.slice(1).map((s) => s.name)];
}

/** Why each score the record cannot give is missing (v1 records lack margin and el2n, running ones final NLL). */
export function unavailableScores(run: ScoredRun): Record<string, string> {
  const out: Record<string, string> = {};
  for (const score of SCORES) {
    if (score.needs === 'finalNll' && !run.finalNll) out[score.name] = `${run.dir} is ${run.meta.status}, not complete`;
    if ((score.needs === 'margin' || score.needs === 'el2n') && !run[score.needs])
      out[score.name] = `${run.dir} is a schema-version-${run.meta.schemaVersion} record, without ${score.needs}.npy`;
  }
  return out;
}

/** The epoch T a score table uses: `epoch` checked against the record, or its last complete epoch. */
export function scoreEpoch(run: Pick<ScoredRun, 'dir' | 'epochs'>, epoch?: number): number {
  const T = epoch ?? run.epochs;
  if (!Number.isInteger(T) || T < 1 || T > run.epochs)
    throw new RangeError(
      `epoch ${T} is not one of the ${run.epochs} complete epochs of ${run.dir} (scores take an epoch from 1)`,
    );
  return T;
}

/**
 * The scores of every training sample (by position in the run), each a Float64Array of length n.
 * Asking for a score the record cannot give is an error saying why.
 */
export function sampleScores(run: ScoredRun, opts: SampleScoreOptions = {}): Record<string, Float64Array> {
  const T = scoreEpoch(run, opts.epoch);
  const known = new Map([...SCORES, ...layerScores(run)].map((s) => [s.name, s]));
  const missing = unavailableScores(run);
  const names = opts.scores ?? scoreNames(run).filter((name) => !(name in missing));
  const out: Record<string, Float64Array> = {};
  for (const name of names) {
    const score = known.get(name);
    if (!score)
      throw new RangeError(`unknown score '${name}'; the scores of this record: ${scoreNames(run).join(', ')}`);
    out[name] = score.compute(run, T);
  }
  return out;
}
