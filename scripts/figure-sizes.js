#!/usr/bin/env node
/**
 * Prints the natural size of every figure as the notebooks draw it (the SVG's width and height
 * attributes) from a profile's figure data, so a layout change can be checked against the report
 * column (1100 px) and a JupyterLab notebook: figures are kept at most FIGURE_MAX_WIDTH wide.
 * Reads the built library (dist/); SI_FIGURE_DATA_DIR picks another figure data tree.
 *
 * @example
 *   node scripts/figure-sizes.js smoke
 *   SI_FIGURE_DATA_DIR=/tmp/figures node scripts/figure-sizes.js smoke
 */
'use strict';
const { FIGURES, FIGURE_MAX_WIDTH, figureDataFiles, loadFigureData, renderSvg } = require('../dist');

async function main(profile) {
  let tooWide = 0;
  for (const figure of FIGURES) {
    for (const { dataset, file } of figureDataFiles(profile, figure.id)) {
      const svg = await renderSvg(figure.spec(loadFigureData(file), { dataset }));
      const [width, height] = ['width', 'height'].map((a) =>
        Number(new RegExp(`^<svg[^>]* ${a}="([\\d.]+)"`).exec(svg)?.[1]),
      );
      if (!(width <= FIGURE_MAX_WIDTH)) tooWide++;
      console.log(`${figure.id} ${dataset.padEnd(13)} ${String(width).padStart(5)} × ${height} px`);
    }
  }
  console.log(`${tooWide} figure(s) wider than ${FIGURE_MAX_WIDTH} px`);
  process.exitCode = tooWide > 0 ? 1 : 0;
}

main(process.argv[2] ?? 'quick');
