/**
 * Reading and writing .ipynb files (nbformat 4), and what the report reads from executed ones:
 * the closing summary (the cell tagged 'summary') and the SVG outputs.
 *
 * @example
 *   const executed = readNotebook('reports/quick/notebooks/fig02-decomposition.ipynb');
 *   summaryOf(executed);     // '## What this run shows …'
 *   svgOutputs(executed);   // ['<svg …>', …]
 */
import * as fs from 'node:fs';
import { writeFileAtomic } from '../io/atomic';

export interface NotebookCell {
  cell_type: 'markdown' | 'code' | 'raw';
  source: string | string[];
  metadata: { tags?: string[]; [k: string]: unknown };
  outputs?: {
    output_type: string;
    data?: Record<string, string | string[]>;
    text?: string | string[];
    ename?: string;
    evalue?: string;
  }[];
  [k: string]: unknown;
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export const SUMMARY_TAG = 'summary';

export function readNotebook(file: string): Notebook {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
  if (!Array.isArray(nb.cells)) throw new Error(`${file} is not a Jupyter notebook (no cells)`);
  return nb;
}

/** Keys sorted at every level, as nbformat writes them. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortedKeys(v)]));
}

/** A multi-line string as nbformat stores it: a list of lines, each keeping its newline. */
function lines(source: string | string[]): string[] {
  return Array.isArray(source) ? source : source.split(/(?<=\n)/).filter((line) => line !== '');
}

/**
 * The notebook as nbformat (and so JupyterLab) writes it: keys sorted, one-space indent, non-ASCII
 * kept, sources and text outputs split into lines, a final newline. A file written this way is
 * left byte-identical when Jupyter reads and saves it again.
 */
export function serializeNotebook(nb: Notebook): string {
  const cells = nb.cells.map((cell) => ({
    ...cell,
    source: lines(cell.source),
    ...(cell.outputs && {
      outputs: cell.outputs.map((o) => ({
        ...o,
        ...(o.text !== undefined && { text: lines(o.text) }),
        ...(o.data && {
          data: Object.fromEntries(
            Object.entries(o.data).map(([mime, v]) => [mime, mime === 'application/json' ? v : lines(v)]),
          ),
        }),
      })),
    }),
  }));
  return `${JSON.stringify(sortedKeys({ ...nb, cells }), null, 1)}\n`;
}

export function writeNotebook(file: string, nb: Notebook): void {
  writeFileAtomic(file, serializeNotebook(nb));
}

export function text(source: string | string[]): string {
  return Array.isArray(source) ? source.join('') : source;
}

/** The notebook's title: the first markdown heading. */
export function notebookTitle(nb: Notebook): string {
  const first = nb.cells.find((c) => c.cell_type === 'markdown');
  return (first && /^#+\s*(.+)$/m.exec(text(first.source))?.[1]?.trim()) || 'untitled';
}

/** The summary: the markdown a code cell tagged 'summary' displayed, or a tagged markdown cell's text. */
export function summaryOf(nb: Notebook): string {
  const cell = nb.cells.find((c) => c.metadata.tags?.includes(SUMMARY_TAG));
  if (!cell) return '';
  if (cell.cell_type !== 'code') return text(cell.source);
  return (cell.outputs ?? [])
    .map((o) => o.data?.['text/markdown'])
    .filter((md): md is string | string[] => md !== undefined)
    .map(text)
    .join('\n\n');
}

/** Every SVG the executed notebook displayed, in order. */
export function svgOutputs(nb: Notebook): string[] {
  return nb.cells.flatMap((c) =>
    (c.outputs ?? [])
      .map((o) => o.data?.['image/svg+xml'])
      .filter((s): s is string | string[] => s !== undefined)
      .map(text),
  );
}

/** Error outputs of an executed notebook, as 'name: value' lines. */
export function errorOutputs(nb: Notebook): string[] {
  return nb.cells.flatMap((c) =>
    (c.outputs ?? []).filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`),
  );
}
