/**
 * Keeps every figure inside its column on the report's pages. A figure is drawn at its natural
 * size (up to FIGURE_MAX_WIDTH, 1,000 px) and a narrower window would cut it off with no scroll
 * hint: the index page's inline SVGs and nbconvert's <img> outputs (JupyterLab's own CSS scales
 * `.jp-RenderedSVG svg`, but nbconvert writes SVG outputs as images) shrink to fit instead.
 *
 * @example
 *   fs.writeFileSync(page, withFigureCss(fs.readFileSync(page, 'utf8')));
 */
export const FIGURE_CSS =
  '.svg svg, .jp-OutputArea-output img, .jp-OutputArea-output svg { max-width: 100%; height: auto; }';

/** The page with FIGURE_CSS added at the end of its <head>. */
export function withFigureCss(html: string): string {
  if (!html.includes('</head>')) throw new Error('an HTML page without </head>: cannot add the figure CSS');
  return html.replace('</head>', `<style>\n${FIGURE_CSS}\n</style>\n</head>`);
}
