/**
 * Figure 1 under each reading of the protocol, as Markdown: per dataset and reading, the minimum
 * Spearman ρ of α over the pairs of seeds at a few epochs (REPRODUCTION.md quotes it, so its
 * numbers come from the figure data rather than being copied by hand).
 *
 * @example
 *   console.log(fig01ReadingsMarkdown('paper'));
 */
import { figureDataFiles, loadFigureData } from '../figures/data-file';
import { datasetTitle } from '../data/registry';
import { rowsOf } from '../figures/inputs';

/** Epochs shown: the paper's first checkpoint, then points spread over the 50 epochs. */
export const READING_EPOCHS = [5, 10, 20, 30, 50];

export function fig01ReadingsMarkdown(profile: string): string {
  const lines: string[] = [];
  for (const { dataset, file } of figureDataFiles(profile, 'fig01')) {
    const frames = loadFigureData(file);
    if (!frames.variants) continue;
    const rows = rowsOf(frames, 'variants');
    for (const reading of new Set(rows.map((r) => String(r.variant)))) {
      const at = (epoch: number) => rows.find((r) => r.variant === reading && r.epoch === epoch);
      const cells = READING_EPOCHS.map((e) => {
        const row = at(e);
        return row ? Number(row.spearman).toFixed(3) : '—';
      });
      lines.push(`| ${datasetTitle(dataset)} | ${reading} | ${cells.join(' | ')} |`);
    }
  }
  if (lines.length === 0) return `_no Figure 1 data with the protocol's readings in profile ${profile}_\n`;
  return `${[
    `| dataset | α measured as, data order | ${READING_EPOCHS.map((e) => `epoch ${e}`).join(' | ')} |`,
    `|---|---|${READING_EPOCHS.map(() => '---|').join('')}`,
    ...lines,
  ].join('\n')}\n`;
}
