/**
 * Figure 7's final test errors as Markdown: per batch construction (rows) and dataset (columns),
 * the mean ± standard error over the runs that completed every epoch, with how many did and how
 * many diverged. REPRODUCTION.md quotes it from the committed figure data, so it covers datasets
 * whose runs are not in this machine's cache.
 *
 * @example
 *   console.log(fig07FinalErrorsMarkdown('paper'));
 */
import { CONSTRUCTION_NAMES } from '../analysis/batch-constructions';
import { datasetTitle } from '../data/registry';
import { figureDataFiles, loadFigureData } from '../figures/data-file';
import { rowsOf } from '../figures/inputs';

export function fig07FinalErrorsMarkdown(profile: string): string {
  const columns = figureDataFiles(profile, 'fig07').map(({ dataset, file }) => {
    const frames = loadFigureData(file);
    const tests = rowsOf(frames, 'errors').filter((r) => r.split === 'test');
    const lastEpoch = Math.max(...tests.map((r) => Number(r.epoch)));
    const diverged = rowsOf(frames, 'divergences');
    const cell = (construction: string) => {
      const row = tests.find((r) => r.construction === construction && r.epoch === lastEpoch);
      const stopped = diverged.filter((r) => r.construction === construction).length;
      const divergedNote = stopped ? `; ${stopped} diverged` : '';
      if (!row) return stopped ? `— (${stopped} diverged)` : '—';
      const runs = Number(row.runs);
      const se = runs > 1 ? ` ± ${(100 * Number(row.se)).toFixed(2)}` : '';
      return `${(100 * Number(row.mean)).toFixed(2)}%${se} (${runs} run${runs > 1 ? 's' : ''}${divergedNote})`;
    };
    return { title: `${datasetTitle(dataset)}, epoch ${lastEpoch}`, cell };
  });
  if (columns.length === 0) return `_no Figure 7 data in profile ${profile}_\n`;
  const lines = CONSTRUCTION_NAMES.map((c) => `| ${c} | ${columns.map((col) => col.cell(c)).join(' | ')} |`);
  return `${[
    `| construction | ${columns.map((c) => c.title).join(' | ')} |`,
    `|---|${columns.map(() => '---|').join('')}`,
    ...lines,
  ].join('\n')}\n`;
}
