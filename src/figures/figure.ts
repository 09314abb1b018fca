/**
 * What a figure is: everything about one figure of the paper in one object — its text, the
 * datasets it is drawn for, how its data is computed from runs, how it is drawn, the numbers it
 * is judged by, and the paper's claims tested on it. Each `figNN.ts` exports one; the registry
 * (./index.ts) lists them, and the experiments, notebooks, report and claims table all read them.
 *
 * @example
 *   export const fig11 = defineFigure({
 *     id: 'fig11', notebook: 'my-figure', title: '…', claim: '…', paperDatasets: ['mnist'],
 *     drawnFor: 'every dataset', needs: ['seedRuns'],
 *     settings: { bins: 20 }, settingDocs: { bins: 'bins of the histogram' },
 *     compute: (inputs, settings) => ({ rows: frameFromRows([...]) }),
 *     spec: (frames, opts) => ({ ...baseSpec('Figure 11: …', specOptions(opts ?? {})), mark: 'bar', … }),
 *     measure: (frames) => ({ … }), summarize: (frames) => '**Figure 11.** …', claims: [],
 *   });
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Frames } from '../analysis/frames';
import { DATASET_NAMES, type DatasetName } from '../data/registry';
import type { FigureInputs } from './inputs';
import type { FigureSpecOptions } from './theme';

/** The datasets of the paper, in the order the paper shows them. */
export const PAPER_DATASETS: readonly DatasetName[] = ['mnist', 'cifar10'];

/**
 * Datasets the paper did not use, drawn and judged as the paper's dataset they stand in for:
 * Fashion-MNIST is MNIST's drop-in (same shape and size), so it gets MNIST's figures and is
 * tested on the claims the paper makes for MNIST.
 */
export const STAND_INS: Readonly<Partial<Record<DatasetName, DatasetName>>> = { 'fashion-mnist': 'mnist' };

/** The paper's dataset whose figures and claims apply to `dataset` (itself for the paper's own). */
export function paperCounterpart(dataset: string): string {
  return STAND_INS[dataset as DatasetName] ?? dataset;
}

/** Datasets in display order: the paper's first, then the others as registered. */
export const DATASET_ORDER: readonly string[] = [
  ...PAPER_DATASETS,
  ...DATASET_NAMES.filter((d) => !PAPER_DATASETS.includes(d)),
];

export type Verdict = 'holds' | 'partly holds' | 'does not hold';

export interface ClaimResult {
  verdict: Verdict;
  measured: string;
}

/** A claim of the paper that a figure's data tests. */
export interface Claim {
  id: string;
  /** The claim, close to the paper's words, with its section. */
  text: string;
  /** Datasets the paper makes the claim for (stand-ins are tested on their counterpart's claims). */
  datasets: readonly DatasetName[];
  /** How the measurement becomes a verdict. */
  rule: string;
  /** null when the figure data cannot answer (e.g. too few runs). */
  evaluate: (frames: Frames) => ClaimResult | null;
}

/** 'holds' when all of the tests pass, 'partly holds' when some do, else 'does not hold'. */
export function verdictOf(...tests: boolean[]): Verdict {
  const passed = tests.filter(Boolean).length;
  return passed === tests.length ? 'holds' : passed > 0 ? 'partly holds' : 'does not hold';
}

/**
 * A figure's analysis settings: what a notebook's parameters cell may change. null means "chosen
 * per dataset", as the setting's doc line says (the paper's class, the profile's k).
 */
export type FigureSettings = Record<string, number | string | null>;

export interface Figure<Measures = unknown, Settings extends FigureSettings = FigureSettings> {
  /** 'fig07': names its data files, its notebook and its claims' figure column. */
  id: string;
  /** The notebook is notebooks/<id>-<notebook>.ipynb. */
  notebook: string;
  title: string;
  /** The paper's claim this figure tests, in one sentence. */
  claim: string;
  /** Datasets the paper draws this figure for. */
  paperDatasets: readonly DatasetName[];
  /**
   * 'every dataset': the figure is drawn for any dataset with runs; 'paper datasets': only for
   * its paper datasets and their stand-ins (the cluster figures pick a class of one dataset).
   */
  drawnFor: 'every dataset' | 'paper datasets';
  /** A figure the paper does not have (its future work, done here): it tests no claim of the paper. */
  beyondPaper?: boolean;
  /** Which FigureInputs fields `compute` reads. */
  needs: readonly (keyof FigureInputs)[];
  /**
   * The figure reads the first seed run alone: `si experiments` computes it from every other seed
   * run too (<id>.seed<k>.json), and the claims table shows each seed's verdict.
   */
  perSeed?: boolean;
  /** The analysis settings and their defaults (the figure data of `si experiments` uses these). */
  settings: Settings;
  /** One line per setting: what it changes (shown in the notebook's parameters cell). */
  settingDocs: { readonly [K in keyof Settings]: string };
  /** The figure's data from the runs; settings left out take their defaults. */
  compute(inputs: FigureInputs, settings?: Partial<Settings>): Frames;
  spec: (frames: Frames, opts?: Partial<FigureSpecOptions>) => TopLevelSpec;
  /** The numbers the summary and the claims quote. */
  measure: (frames: Frames) => Measures;
  /** One Markdown paragraph: what this run shows against the paper. */
  summarize: (frames: Frames) => string;
  claims: readonly Claim[];
}

/** Checks a figure object's type where it is written (and keeps its measures' and settings' types). */
export function defineFigure<Measures, Settings extends FigureSettings>(
  figure: Figure<Measures, Settings>,
): Figure<Measures, Settings> {
  return figure;
}

/** For figures without analysis settings. */
export const NO_SETTINGS = { settings: {}, settingDocs: {} } as const;

/** Settings the caller changed from the figure's defaults (unknown names are an error that lists the known ones). */
export function changedSettings(figure: Figure, settings: Partial<FigureSettings> = {}): FigureSettings {
  const changed: FigureSettings = {};
  for (const [name, value] of Object.entries(settings)) {
    if (!(name in figure.settings)) {
      const known = Object.keys(figure.settings);
      throw new RangeError(
        `${figure.id} has no setting '${name}' (${known.length ? `settings: ${known.join(', ')}` : 'it has none'})`,
      );
    }
    if (value !== undefined && value !== figure.settings[name]) changed[name] = value;
  }
  return changed;
}

/** The figure's number as the paper prints it: 7 for 'fig07'. */
export function figureNumber(figure: Pick<Figure, 'id'>): number {
  return Number(figure.id.replace(/^fig/, ''));
}

/** Whether `figure` is drawn for `dataset`. */
export function figureApplies(figure: Figure, dataset: string): boolean {
  return figure.drawnFor === 'every dataset' || figure.paperDatasets.includes(paperCounterpart(dataset) as DatasetName);
}

/** The benchmark a figure is drawn from (11: pruning, 12: noisy labels), or undefined for a figure of the runs. */
export function benchmarkOf(figure: Pick<Figure, 'needs'>): 'pruning' | 'noisyLabels' | undefined {
  return figure.needs.find((n) => n === 'pruning' || n === 'noisyLabels');
}

/** Whether `claim` is tested on `dataset`: a claim made for it, or for the paper dataset it stands in for. */
export function claimApplies(claim: Claim, dataset: string): boolean {
  return claim.datasets.includes(paperCounterpart(dataset) as DatasetName);
}
