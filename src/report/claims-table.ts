/**
 * The claims table of a profile: every claim of the paper evaluated on each dataset's figure
 * data, as rows and as Markdown (REPRODUCTION.md quotes it; `si claims` prints it).
 *
 * @example
 *   console.log(claimsMarkdown('paper'));
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadFigureData, loadFigureMeta } from '../analysis/figure-data';
import { datasetTitle } from '../data/registry';
import { figureDataFile } from '../experiments/figure-files';
import { figureDataDir } from '../paths';
import { CLAIMS, type Claim, type ClaimResult } from './claims';

export interface ClaimRow {
  claim: Claim;
  /** Per dataset the claim is made for: the result, or why there is none. */
  results: Record<string, ClaimResult | { missing: string }>;
}

/**
 * Datasets the paper did not use, tested on the claims it made for a similar one (Fashion-MNIST
 * on MNIST's), where the profile has figure data for them.
 */
const BEYOND_THE_PAPER: Readonly<Record<string, string>> = { 'fashion-mnist': 'mnist' };

function extraDatasets(profile: string): string[] {
  return Object.keys(BEYOND_THE_PAPER).filter((d) => fs.existsSync(path.join(figureDataDir(profile), d)));
}

const claimDatasets = (claim: Claim, extras: readonly string[]): string[] =>
  [...claim.datasets, ...extras.filter((d) => claim.datasets.includes(BEYOND_THE_PAPER[d]))];

export function evaluateClaims(profile: string): ClaimRow[] {
  const extras = extraDatasets(profile);
  return CLAIMS.map((claim) => ({
    claim,
    results: Object.fromEntries(claimDatasets(claim, extras).map((dataset) => {
      const file = figureDataFile(profile, dataset, claim.figure);
      if (!fs.existsSync(file)) return [dataset, { missing: `no ${claim.figure} data yet` }];
      const result = claim.evaluate(loadFigureData(file), dataset);
      return [dataset, result ?? { missing: `${claim.figure} data cannot answer it (too few runs)` }];
    })),
  }));
}

/** Runs behind a figure's data, from its metadata (written by `si experiments`). */
function runsNote(profile: string, dataset: string, figure: string): string {
  const file = figureDataFile(profile, dataset, figure);
  if (!fs.existsSync(file)) return 'no data yet';
  const runs = loadFigureMeta(file).runs as Record<string, number> | undefined;
  return runs ? Object.entries(runs).map(([k, v]) => `${k} ${v}`).join(', ') : 'counts not recorded';
}

export function claimsMarkdown(profile: string): string {
  const rows = evaluateClaims(profile);
  // The paper's datasets first, then those beyond it that have data: the order evaluateClaims tests them in.
  const datasets = [...new Set(rows.flatMap(({ results }) => Object.keys(results)))];
  const title = (d: string) => (d in BEYOND_THE_PAPER ? `${datasetTitle(d)} (${datasetTitle(BEYOND_THE_PAPER[d])}'s claims; not in the paper)` : datasetTitle(d));
  const cell = (r: ClaimResult | { missing: string } | undefined): string =>
    !r ? '—' : 'missing' in r ? `_${r.missing}_` : `**${r.verdict}**: ${r.measured}`;
  const lines = [
    `| # | claim | figure | ${datasets.map(title).join(' | ')} | rule |`,
    `|---|---|---|${datasets.map(() => '---|').join('')}---|`,
    ...rows.map(({ claim, results }, k) => `| ${k + 1} | ${claim.text} | Fig. ${Number(claim.figure.slice(3))} | ${datasets.map((d) => cell(results[d])).join(' | ')} | ${claim.rule} |`),
  ];
  const counts = datasets.map((d) => `${datasetTitle(d)}: ${runsNote(profile, d, 'fig07')}`);
  return `${lines.join('\n')}\n\nRuns behind the batch-construction claims (profile ${profile}) — ${counts.join('; ')}.\n`;
}
