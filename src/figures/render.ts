/**
 * Renders a Vega-Lite spec to an SVG string, headless: vega-lite compiles it to Vega, and a Vega
 * View with no renderer (nothing to draw to in Node) writes the scenegraph out as SVG, its text laid
 * out with Helvetica's widths (./text-width.ts) rather than Vega's wide guess.
 *
 * @example
 *   const svg = await renderSvg(fig02Spec(loadFigureData(file), { dataset: 'mnist' }));
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { useHelveticaWidths } from './text-width';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  useHelveticaWidths();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
