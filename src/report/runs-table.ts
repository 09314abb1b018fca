/**
 * A runs folder's summary as Markdown: per dataset and group of runs, how many finished, the test
 * and training errors they reached, and the compute they took (REPRODUCTION.md quotes it).
 *
 * @example
 *   console.log(runsMarkdown(summarizeRuns(readRunMetas('runs'))));
 */
import { datasetTitle } from '../data/registry';
import type { RunGroupSummary } from '../experiments/run-summary';
import { hoursText, meanSeText, pct2 } from '../figures/inputs';
import type { RunMeta } from '../run/record';

function span(r: [number, number] | null): string {
  if (!r) return '—';
  const [lo, hi] = [pct2(r[0]), pct2(r[1])];
  return lo === hi ? lo : `${lo}–${hi}`;
}

/** The final test error as mean ± standard error, with the range over runs: '48.12% ± 0.11 (47.96%–48.33%)'. */
function meanCell(g: RunGroupSummary): string {
  if (!g.finalTestMean) return '—';
  const { mean, se } = g.finalTestMean;
  const range = g.finalTestError && g.complete > 1 ? ` (${span(g.finalTestError)})` : '';
  return `${meanSeText(mean, se, g.complete)}${range}`;
}

/** '15 of 15', or '3–15 of 15' when some runs are not finished. */
function epochsCell(g: RunGroupSummary): string {
  const [lo, hi] = g.epochsPerRun;
  return `${lo === hi ? lo : `${lo}–${hi}`} of ${g.plannedEpochs}`;
}

/** Runs outside every profile, one row each: they share no protocol, so they are not grouped. */
export function adHocRunsMarkdown(metas: readonly RunMeta[]): string {
  if (metas.length === 0) return '_none_\n';
  const lines = [
    '| dataset | run | status | epochs | final test error | network | samples (train / test) |',
    '|---|---|---|---|---|---|---|',
    ...metas.map((m) => {
      const last = m.metrics[m.metrics.length - 1];
      const error = last && last.epoch > 0 ? pct2(last.testError) : '—';
      return (
        `| ${datasetTitle(m.config.dataset)} | ${m.key} | ${m.status} | ${m.epochsCompleted} of ${m.config.epochs} | ` +
        `${error} | ${m.config.hidden.join('×')} | ${m.config.trainSize} / ${m.config.testSize} |`
      );
    }),
  ];
  return `${lines.join('\n')}\n`;
}

function runsCell(g: RunGroupSummary): string {
  const unfinished = g.runs - g.complete - g.diverged;
  const parts = [`${g.complete} complete`];
  if (g.diverged) parts.push(`${g.diverged} diverged (epoch ${g.divergedAt.join(', ')})`);
  if (unfinished) parts.push(`${unfinished} unfinished`);
  return parts.join(', ');
}

/** The per-dataset totals: runs, epochs and hours of training passes. */
export function computeTotals(
  groups: readonly RunGroupSummary[],
): { dataset: string; runs: number; epochs: number; trainSeconds: number }[] {
  const totals = new Map<string, { dataset: string; runs: number; epochs: number; trainSeconds: number }>();
  for (const g of groups) {
    const t = totals.get(g.dataset) ?? { dataset: g.dataset, runs: 0, epochs: 0, trainSeconds: 0 };
    t.runs += g.runs;
    t.epochs += g.epochs;
    t.trainSeconds += g.trainSeconds;
    totals.set(g.dataset, t);
  }
  return [...totals.values()];
}

export function runsMarkdown(groups: readonly RunGroupSummary[]): string {
  if (groups.length === 0) return '_no runs_\n';
  const lines = [
    '| dataset | runs | final test error | best test error | final training error | epochs per run | ' +
      'training passes |',
    '|---|---|---|---|---|---|---|',
    ...groups.map(
      (g) =>
        `| ${datasetTitle(g.dataset)} | ${g.group}: ${runsCell(g)} | ` +
        `${meanCell(g)} | ${span(g.bestTestError)} | ${span(g.finalTrainError)} | ` +
        `${epochsCell(g)} | ${hoursText(g.trainSeconds)} |`,
    ),
  ];
  const totals = computeTotals(groups).map(
    (t) =>
      `${datasetTitle(t.dataset)}: ${t.runs} runs, ${t.epochs.toLocaleString('en-US')} epochs, ` +
      `${hoursText(t.trainSeconds)} of training passes`,
  );
  return (
    `${lines.join('\n')}\n\n` +
    'Final test error: mean ± standard error over complete runs (range in brackets); the other errors are ' +
    'ranges over complete runs (best: the lowest test error of any epoch). ' +
    `Compute — ${totals.join('; ')}.\n`
  );
}
