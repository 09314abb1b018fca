/**
 * The sample explorer as one self-contained HTML page: the app (src/explorer/browser/, bundled by
 * scripts/bundle-explorer.js into dist/explorer/app.js), each dataset's packed arrays and image
 * sheets in inert <script type="text/plain"> blocks that the app decodes when the dataset is shown,
 * and the detail charts as Vega specs compiled here from Vega-Lite. No server, no network: it opens
 * from disk, inside a notebook's iframe, or attached to an e-mail.
 *
 * @example
 *   const html = explorerPage('quick profile', 'seed-1 runs', [await explorerDataset(run, inputs)]);
 *   fs.writeFileSync('reports/quick/explorer.html', html);
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, type TopLevelSpec } from 'vega-lite';
import { projectRoot } from '../paths';
import { escapeHtml } from '../report/index-page';
import type { ExplorerDataset } from './explorer-data';
import { SHEET_SIDE } from './images';
import { pageIds, type PageMeta } from './page-meta';

/** The bundled browser app. */
export function explorerAppFile(): string {
  return path.join(projectRoot(), 'dist', 'explorer', 'app.js');
}

function readApp(): string {
  const file = explorerAppFile();
  if (!fs.existsSync(file))
    throw new Error(`${file} is missing: build it with \`make build\` (or \`node scripts/bundle-explorer.js\`)`);
  return fs.readFileSync(file, 'utf8');
}

const CHART_SIZE = { width: 320, height: 140 };
/** A log axis over many decades: a few labels, in exponent form, none overlapping. */
const LOG_AXIS = { tickCount: 5, labelOverlap: 'greedy', format: '~e' } as const;

function detailCharts(): PageMeta['charts'] {
  const beta: TopLevelSpec = {
    ...CHART_SIZE,
    data: { name: 'beta' },
    mark: { type: 'line', point: { size: 12 } },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'beta', type: 'quantitative', title: 'β (log)', scale: { type: 'log' }, axis: LOG_AXIS },
      color: { field: 'layer', type: 'nominal', title: 'layer', sort: null },
      tooltip: [{ field: 'layer' }, { field: 'epoch' }, { field: 'beta', format: '.3~e' }],
    },
  };
  const nll: TopLevelSpec = {
    ...CHART_SIZE,
    data: { name: 'nll' },
    mark: { type: 'line', point: { size: 12 }, color: '#444' },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: {
        field: 'nll',
        type: 'quantitative',
        title: 'NLL at its step (log)',
        scale: { type: 'log' },
        axis: LOG_AXIS,
      },
      tooltip: [{ field: 'epoch' }, { field: 'nll', format: '.3~e' }],
    },
  };
  return { beta: compile(beta).spec, nll: compile(nll).spec };
}

/** JSON that may sit inside a <script> element (no `</script>` or `<!--` can end or confuse it). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function explorerPage(title: string, caption: string, datasets: readonly ExplorerDataset[]): string {
  if (datasets.length === 0) throw new Error('the explorer needs at least one run');
  const meta: PageMeta = {
    title,
    caption,
    datasets: datasets.map(({ packed, sheets, ...d }) => ({
      ...d,
      manifest: packed.manifest,
      sheetCount: sheets.length,
      sheetSide: SHEET_SIDE,
    })),
    charts: detailCharts(),
  };
  const blocks = datasets.flatMap((d, k) => [
    `<script type="text/plain" id="${pageIds.data(k)}">${d.packed.base64}</script>`,
    ...d.sheets.map((s, j) => `<script type="text/plain" id="${pageIds.sheet(k, j)}">${s.dataUrl}</script>`),
  ]);
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '</head><body>',
    `<script type="application/json" id="${pageIds.meta}">${scriptJson(meta)}</script>`,
    ...blocks,
    `<script>${readApp().replace(/<\/script/gi, '<\\/script')}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
