/**
 * Text widths for Vega's layout in Node. With no canvas, Vega takes every character to be 0.8 em
 * wide, about 1.5× what Helvetica and Arial draw, so titles and legends claim space they never
 * use: before this, Figure 4 came out 1,332 px wide for 900 px of panels and labels. Vega lets a
 * host replace `textMetrics.width` (vl-convert does the same); this one sums Helvetica's advance
 * widths (Arial's and Liberation Sans' are the same), with a margin for wider fallback fonts.
 *
 * @example
 *   useHelveticaWidths();   // before rendering: every figure's layout then fits its ink
 */
import * as vega from 'vega';

/** Helvetica's advance widths (AFM, 1/1000 em) of the printable ASCII characters, space (32) to ~ (126). */
// biome-ignore format: one row per 16 characters
const ASCII_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
/** Greek letters, arrows, signs (α, τ, Σ, →, ✕, …): about a digit's width or more. */
const OTHER_WIDTH = 600;
/** Helvetica Bold runs about 7% wider than the regular face. */
const BOLD_FACTOR = 1.08;
/** Slack for a browser that falls back to a wider sans-serif (DejaVu Sans). */
const MARGIN = 1.05;

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

/** Width in px of `text` (or the item's own text) as Vega would draw it, no wider than the item's limit. */
export function helveticaWidth(item: TextItem, text?: unknown): number {
  const value = String(text ?? item.text ?? '').trim();
  const em = [...value].reduce((sum, ch) => sum + (ASCII_WIDTHS[(ch.codePointAt(0) ?? 0) - 32] ?? OTHER_WIDTH), 0);
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
  const width = (em / 1000) * (item.fontSize ?? 11) * (bold ? BOLD_FACTOR : 1) * MARGIN;
  return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
}

/** Makes Vega lay text out with `helveticaWidth` (its typings do not declare `textMetrics`). */
export function useHelveticaWidths(): void {
  (vega as unknown as { textMetrics: { width: typeof helveticaWidth } }).textMetrics.width = helveticaWidth;
}
