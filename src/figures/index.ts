/**
 * The figure registry: every figure of the paper, then the two beyond it (11: pruning, 12: noisy
 * labels), in numbering order, each defined in its own
 * file (./figNN.ts: text, datasets, compute, spec, measures, summary and claims). Adding a figure
 * is a new file and a line here. The claims table is every figure's claims in this order.
 *
 * @example
 *   const figure = figureById('fig02');
 *   for (const { dataset, file } of figureDataFiles('quick', figure.id)) {
 *     tslab.display.svg(await renderSvg(figure.spec(loadFigureData(file), { dataset })));
 *     console.log(figure.summarize(loadFigureData(file)));
 *   }
 */
import type { Claim, Figure } from './figure';
import { fig01 } from './fig01';
import { fig02 } from './fig02';
import { fig03 } from './fig03';
import { fig04 } from './fig04';
import { fig05 } from './fig05';
import { fig06 } from './fig06';
import { fig07 } from './fig07';
import { fig08 } from './fig08';
import { fig09 } from './fig09';
import { fig10 } from './fig10';
import { fig11 } from './fig11';
import { fig12 } from './fig12';

/** Every figure in numbering order. */
export const FIGURES: readonly Figure[] = [
  fig01,
  fig02,
  fig03,
  fig04,
  fig05,
  fig06,
  fig07,
  fig08,
  fig09,
  fig10,
  fig11,
  fig12,
];

/** Every claim of the paper, with the figure that tests it, in figure order. */
export const CLAIMS: readonly (Claim & { figure: string })[] = FIGURES.flatMap((f) =>
  f.claims.map((c) => ({ ...c, figure: f.id })),
);

export function figureById(id: string): Figure {
  const figure = FIGURES.find((f) => f.id === id);
  if (!figure) throw new RangeError(`no figure '${id}'; figures are ${FIGURES.map((f) => f.id).join(', ')}`);
  return figure;
}

export { fig01, fig02, fig03, fig04, fig05, fig06, fig07, fig08, fig09, fig10, fig11, fig12 };
export { FIG01_DEFAULT_READING } from './fig01';
export * from './figure';
export { renderSvg } from './render';
export { computeClusterFigure, clusterFigureSpec, PAPER_CLUSTER_CLASS } from './cluster-figure';
export { saveFigureData, loadFigureData, loadFigureMeta, figureDataFile, figureDataFiles } from './data-file';
export { imageDataUrl } from './png';
export { imagesFrom, type FigureInputs, type ImageBatch } from './inputs';
export {
  FIGURE_MAX_WIDTH,
  FIGURE_SPEC_DEFAULTS,
  LAYER_DOMAIN,
  LAYER_RANGE,
  CONSTRUCTION_RANGE,
  type FigureSpecOptions,
} from './theme';
