/**
 * Figure 6: three representative clusters of CIFAR-10 class “horse” (paper: 30 clusters).
 *
 * @example
 *   const frames = computeFig06(inputs);
 *   await renderSvg(fig06Spec(frames, { dataset: 'cifar10' }));
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Frames } from '../analysis/figure-data';
import { clusterFigureSpec, computePaperClusterFigure, summarizeClusterFigure } from './cluster-figure';
import type { FigureInputs } from './inputs';
import type { FigureSpecOptions } from './theme';

/** The cluster figure for the inputs' dataset, on the class the paper uses there (see PAPER_CLUSTER_CLASS). */
export function computeFig06(inputs: FigureInputs): Frames {
  return computePaperClusterFigure(inputs);
}

export function fig06Spec(frames: Frames, options: Partial<FigureSpecOptions> = {}): TopLevelSpec {
  return clusterFigureSpec('Figure 6', frames, options);
}

export function summarizeFig06(frames: Frames): string {
  return summarizeClusterFigure('Figure 6', frames);
}
