/**
 * The look shared by every figure: one colour per layer (L1 L2 L3 Out, and All for their sum)
 * used everywhere, print-legible type (nothing under 11 px), and the spec options every builder
 * takes.
 *
 * @example
 *   const spec = { ...baseSpec('Figure 2', opts), hconcat: [...] };
 *   encoding.color = layerColour();
 */
import type { TopLevelSpec } from 'vega-lite';
import { datasetTitle } from '../data/registry';

export const LAYER_DOMAIN = ['L1', 'L2', 'L3', 'Out'];
export const LAYER_RANGE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1'];

/** Colours for the train and test splits, fixed for every figure. */
export const SPLIT_DOMAIN = ['train', 'test'];
export const SPLIT_RANGE = ['#4e79a7', '#e15759'];

/**
 * Batch constructions (Figures 7, 8): mixed ones in cool colours, ordered ones warm, each reversed
 * order a lighter twin.
 */
export const CONSTRUCTION_RANGE = ['#4e79a7', '#e15759', '#ff9d9a', '#59a14f', '#f28e2b', '#ffbe7d', '#76b7b2'];

export interface FigureSpecOptions {
  /** Dataset name shown in titles, e.g. 'mnist'. */
  dataset: string;
  /** Width and height of one panel, px (axis titles are kept shorter than the height, so panel titles line up). */
  width: number;
  height: number;
}

/**
 * The widest a figure may render, px: the report's column is 1,100 px, and a JupyterLab notebook on
 * a 1,280-px screen with its file browser open leaves outputs about 850 px (measured in Chromium;
 * JupyterLab does not shrink SVG outputs), so panels that would pass it go on a new row.
 */
export const FIGURE_MAX_WIDTH = 840;

export const FIGURE_SPEC_DEFAULTS: Required<FigureSpecOptions> = { dataset: '', width: 300, height: 220 };

export function specOptions(opts: Partial<FigureSpecOptions>): Required<FigureSpecOptions> {
  return { ...FIGURE_SPEC_DEFAULTS, ...opts };
}

/** "Figure 2 — title (MNIST)". */
export function figureTitle(title: string, dataset: string): string {
  const name = datasetTitle(dataset);
  return name ? `${title} (${name})` : title;
}

export const FIGURE_CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  title: { fontSize: 15, subtitleFontSize: 12, anchor: 'start' as const },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const },
  header: { labelFontSize: 12, titleFontSize: 12 },
  view: { stroke: '#cccccc' },
};

/** The top-level fields every figure shares: schema, title, white background, config. */
export function baseSpec(
  title: string,
  opts: Required<FigureSpecOptions>,
  subtitle?: string,
): Pick<TopLevelSpec, '$schema' | 'title' | 'background' | 'config' | 'padding'> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: subtitle ? { text: figureTitle(title, opts.dataset), subtitle } : figureTitle(title, opts.dataset),
    background: 'white',
    padding: 10,
    config: FIGURE_CONFIG,
  };
}

/** A quantitative channel on a log scale with exponent ticks (τ spans about twelve decades). */
export function logScale(field: string, title: string) {
  return { field, type: 'quantitative' as const, title, scale: { type: 'log' as const }, axis: { format: '.0e' } };
}

/** One colour per layer, in the network's order (`names`: the MLP's L1 … Out unless a figure's rows name others). */
export function layerColour(title = 'layer', names: readonly string[] = LAYER_DOMAIN) {
  return { field: 'layer', type: 'nominal' as const, title, scale: { domain: [...names], range: LAYER_RANGE } };
}

export function splitColour() {
  return {
    field: 'split',
    type: 'nominal' as const,
    title: 'split',
    scale: { domain: SPLIT_DOMAIN, range: SPLIT_RANGE },
  };
}
