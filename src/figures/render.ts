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

/**
 * Vega-Lite's warnings, but for its dataflow optimizer's note that it stopped after five passes: the
 * spec compiles all the same (vega/vega-lite#4118), and the note would print under Figure 11 in
 * every notebook and report. Any other warning still prints.
 */
function compileLogger(): vega.LoggerInterface {
  const logger = vega.logger(vega.Warn);
  const warn = logger.warn.bind(logger);
  logger.warn = (...args: readonly unknown[]) =>
    String(args[0]).startsWith('Maximum optimization runs') ? logger : warn(...args);
  return logger;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  useHelveticaWidths();
  const view = new vega.View(vega.parse(compile(spec, { logger: compileLogger() }).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
