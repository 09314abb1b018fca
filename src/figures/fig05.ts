/**
 * Figure 5: three representative clusters of MNIST digit “5” (paper: 20 clusters).
 *
 * @example
 *   const frames = computeFig05(inputs);
 *   await renderSvg(fig05Spec(frames, { dataset: 'mnist' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Frames } from '../analysis/figure-data';
import { clusterFigureSpec, computePaperClusterFigure, summarizeClusterFigure } from './cluster-figure';
import type { FigureInputs } from './inputs';
import type { FigureSpecOptions } from './theme';

/** The cluster figure for the inputs' dataset, on the class the paper uses there (see PAPER_CLUSTER_CLASS). */
export function computeFig05(inputs: FigureInputs): Frames {
  return computePaperClusterFigure(inputs);
}

export function fig05Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  return clusterFigureSpec('Figure 5', frames, options);
}

export function summarizeFig05(frames: Frames): string {
  return summarizeClusterFigure('Figure 5', frames);
}
