/**
 * The figure registry: for each figure of the paper, its title, the claim it tests, what it
 * computes from, and its spec builder and summariser. A notebook needs three lines:
 *
 * @example
 *   const frames = loadFigureData('figures/data/fig02-mnist.json');
 *   const svg = await renderSvg(fig02Spec(frames, { dataset: 'mnist' }));
 *   tslab.display.svg(svg);
 *   // or generically: figureById('fig02').spec(frames, { dataset: 'mnist' }); figureById('fig02').summarize(frames);
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Frames } from '../analysis/figure-data';
import { computeFig01, fig01Spec, summarizeFig01 } from './fig01';
import { computeFig02, fig02Spec, summarizeFig02 } from './fig02';
import { computeFig03, fig03Spec, summarizeFig03 } from './fig03';
import { computeFig04, fig04Spec, summarizeFig04 } from './fig04';
import { computeFig05, fig05Spec, summarizeFig05 } from './fig05';
import { computeFig06, fig06Spec, summarizeFig06 } from './fig06';
import { computeFig07, fig07Spec, summarizeFig07 } from './fig07';
import { computeFig08, fig08Spec, summarizeFig08 } from './fig08';
import { computeFig09, fig09Spec, summarizeFig09 } from './fig09';
import { computeFig10, fig10Spec, summarizeFig10 } from './fig10';
import type { FigureInputs } from './inputs';
import type { FigureSpecOptions } from './theme';

export const FIGURE_IDS = ['fig01', 'fig02', 'fig03', 'fig04', 'fig05', 'fig06', 'fig07', 'fig08', 'fig09', 'fig10'] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

export interface FigureEntry {
  id: FigureId;
  title: string;
  /** The paper's claim this figure tests, in one sentence. */
  claim: string;
  /** Which FigureInputs fields `compute` reads. */
  inputs: (keyof FigureInputs)[];
  /** Datasets the paper draws this figure for (compute works on any dataset). */
  paperDatasets: string[];
  compute: (inputs: FigureInputs) => Frames;
  spec: (frames: Frames, opts?: Partial<FigureSpecOptions>) => TopLevelSpec;
  summarize: (frames: Frames) => string;
}

const ENTRIES: Record<FigureId, Omit<FigureEntry, 'id'>> = {
  fig01: {
    title: 'Stability of sample importance across initialisations',
    claim: 'The Spearman correlation of α^t between runs with different initialisation seeds stays above 0.9 in every epoch, highest early.',
    inputs: ['seedRuns'],
    paperDatasets: ['mnist', 'cifar10'],
    compute: computeFig01,
    spec: fig01Spec,
    summarize: summarizeFig01,
  },
  fig02: {
    title: 'Decomposition of sample importance by epoch, layer and class',
    claim: 'Total importance varies over epochs at a fixed learning rate; the output layer has the largest importance per parameter, peaking early; L2 exceeds L3; classes contribute unequally.',
    inputs: ['seedRuns', 'trainLabels', 'classNames'],
    paperDatasets: ['mnist', 'cifar10'],
    compute: computeFig02,
    spec: fig02Spec,
    summarize: summarizeFig02,
  },
  fig03: {
    title: 'Share of importance by sample group',
    claim: 'The top 20% of samples by τ carry the majority of importance (on MNIST the top 10% almost all), more so in lower layers.',
    inputs: ['seedRuns'],
    paperDatasets: ['mnist', 'cifar10'],
    compute: computeFig03,
    spec: fig03Spec,
    summarize: summarizeFig03,
  },
  fig04: {
    title: 'Sample importance and negative log-likelihood',
    claim: 'NLL and importance are positively correlated, increasingly so over training, yet NLL does not predict importance sample by sample.',
    inputs: ['seedRuns'],
    paperDatasets: ['mnist', 'cifar10'],
    compute: computeFig04,
    spec: fig04Spec,
    summarize: summarizeFig04,
  },
  fig05: {
    title: 'Clusters of MNIST “5” samples by importance',
    claim: 'Easy samples act early and on the output layer; as difficulty grows, impact moves to lower layers and later epochs.',
    inputs: ['seedRuns', 'trainLabels', 'classNames', 'images'],
    paperDatasets: ['mnist'],
    compute: computeFig05,
    spec: fig05Spec,
    summarize: summarizeFig05,
  },
  fig06: {
    title: 'Clusters of CIFAR-10 “horse” samples by importance',
    claim: 'The easy/medium/hard pattern of figure 5 holds on CIFAR-10, with a large impact on the first layer in every cluster.',
    inputs: ['seedRuns', 'trainLabels', 'classNames', 'images'],
    paperDatasets: ['cifar10'],
    compute: computeFig06,
    spec: fig06Spec,
    summarize: summarizeFig06,
  },
  fig07: {
    title: 'Training under seven batch constructions',
    claim: 'Batches of mixed easiness (Rand, NLM, SIM) reach the lowest test error; ordered batches (NLO, SIO) do worse, and reversing the order changes the outcome.',
    inputs: ['constructionRuns'],
    paperDatasets: ['mnist', 'cifar10'],
    compute: computeFig07,
    spec: fig07Spec,
    summarize: summarizeFig07,
  },
  fig08: {
    title: 'Parameter paths in principal components',
    claim: 'On MNIST all constructions follow similar parameter paths; on CIFAR-10 construction and even batch order change where parameters converge.',
    inputs: ['constructionRuns'],
    paperDatasets: ['mnist', 'cifar10'],
    compute: (inputs) => computeFig08(inputs),
    spec: fig08Spec,
    summarize: summarizeFig08,
  },
  fig09: {
    title: 'Error and class-specific NLL of the analysed run',
    claim: 'The analysed run trains to low error, and classes differ in how fast their NLL falls.',
    inputs: ['seedRuns', 'trainLabels', 'classNames'],
    paperDatasets: ['mnist', 'cifar10'],
    compute: computeFig09,
    spec: fig09Spec,
    summarize: summarizeFig09,
  },
  fig10: {
    title: 'Distribution of overall sample importance',
    claim: 'Most samples have small overall importance τ.',
    inputs: ['seedRuns'],
    paperDatasets: ['mnist', 'cifar10'],
    compute: computeFig10,
    spec: fig10Spec,
    summarize: summarizeFig10,
  },
};

/** Every figure in numbering order. */
export const FIGURES: FigureEntry[] = FIGURE_IDS.map((id) => ({ id, ...ENTRIES[id] }));

export function figureById(id: string): FigureEntry {
  const entry = FIGURES.find((f) => f.id === id);
  if (!entry) throw new RangeError(`no figure '${id}'; figures are ${FIGURE_IDS.join(', ')}`);
  return entry;
}

export { renderSvg } from './render';
export { computeClusterFigure, clusterFigureSpec, PAPER_CLUSTER_CLASS } from './cluster-figure';
export { CONSTRUCTION_RANGE } from './fig07';
export { imageDataUrl, encodePng } from './png';
export { imagesFrom, type FigureInputs, type ImageBatch } from './inputs';
export { FIGURE_SPEC_DEFAULTS, LAYER_DOMAIN, LAYER_RANGE, type FigureSpecOptions } from './theme';
export { computeFig01, fig01Spec, summarizeFig01, computeFig02, fig02Spec, summarizeFig02, computeFig03, fig03Spec, summarizeFig03 };
export { computeFig04, fig04Spec, summarizeFig04, computeFig05, fig05Spec, summarizeFig05, computeFig06, fig06Spec, summarizeFig06 };
export { computeFig07, fig07Spec, summarizeFig07, computeFig08, fig08Spec, summarizeFig08, computeFig09, fig09Spec, summarizeFig09 };
export { computeFig10, fig10Spec, summarizeFig10 };
