/**
 * The claims table of a profile: every claim of the paper (each figure's `claims`) evaluated on
 * each dataset's figure data, as rows and as Markdown (REPRODUCTION.md quotes it; `si claims`
 * prints it). A dataset the paper did not use gets a column where the profile has its data,
 * tested on the claims of the paper dataset it stands in for (STAND_INS).
 *
 * @example
 *   console.log(claimsMarkdown('paper'));
 *   console.log(claimsComparisonMarkdown('cnn', 'quick'));   // the CNN's verdicts beside the MLP's
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frames } from '../analysis/frames';
import { datasetTitle } from '../data/registry';
import { getProfile } from '../experiments/profiles';
import { CLAIMS, figureById, type Claim, type ClaimResult, type Verdict } from '../figures';
import { evaluateInfluenceClaim, INFLUENCE_CLAIM, readInfluenceResults } from '../influence/claim';
import { loadFigureData, loadFigureMeta, figureDataFile, perSeedDataId } from '../figures/data-file';
import { claimApplies, figureNumber, paperCounterpart, PAPER_DATASETS, STAND_INS } from '../figures/figure';
import { figureDataDir } from '../paths';

export interface ClaimRow {
  claim: Claim & { figure: string };
  /** Per dataset the claim is tested on: the result, or why there is none. */
  results: Record<string, SeedsResult | { missing: string }>;
}

/** A claim's result on seed 1's data, with its verdict on each other seed's where that was computed. */
export interface SeedsResult extends ClaimResult {
  otherSeeds: { seed: number; verdict: Verdict }[];
}

/** The verdicts of a seed-1 figure's claim on the other seeds' data files, where computed (figNN.seed<k>.json). */
function otherSeedVerdicts(
  profile: string,
  dataset: string,
  claim: Claim & { figure: string },
  load: (file: string) => Frames,
) {
  return getProfile(profile)
    .seeds.slice(1)
    .flatMap((seed) => {
      const file = figureDataFile(profile, dataset, perSeedDataId(claim.figure, seed));
      const result = fs.existsSync(file) ? claim.evaluate(load(file)) : null;
      return result ? [{ seed, verdict: result.verdict }] : [];
    });
}

/** A verdict that differs between seeds is "partly holds" at best. */
function acrossSeeds(first: ClaimResult, others: { verdict: Verdict }[]): Verdict {
  return others.every((o) => o.verdict === first.verdict) ? first.verdict : 'partly holds';
}

/** The paper's datasets, then the stand-ins the profile has figure data for. */
function profileDatasets(profile: string): string[] {
  const standIns = Object.keys(STAND_INS).filter((d) => fs.existsSync(path.join(figureDataDir(profile), d)));
  return [...PAPER_DATASETS, ...standIns];
}

export function evaluateClaims(profile: string): ClaimRow[] {
  const datasets = profileDatasets(profile);
  // A figure's data file serves each of its claims: read once.
  const loaded = new Map<string, Frames>();
  const load = (file: string): Frames => {
    const frames = loaded.get(file) ?? loadFigureData(file);
    loaded.set(file, frames);
    return frames;
  };
  return CLAIMS.map((claim) => ({
    claim,
    results: Object.fromEntries(
      datasets
        .filter((d) => claimApplies(claim, d))
        .map((dataset) => {
          const file = figureDataFile(profile, dataset, claim.figure);
          if (!fs.existsSync(file)) return [dataset, { missing: `no ${claim.figure} data yet` }];
          const result = claim.evaluate(load(file));
          if (!result) return [dataset, { missing: `${claim.figure} data cannot answer it (too few runs)` }];
          const otherSeeds = otherSeedVerdicts(profile, dataset, claim, load);
          return [dataset, { ...result, verdict: acrossSeeds(result, otherSeeds), otherSeeds }];
        }),
    ),
  }));
}

/** Runs behind a figure's data, from its metadata (written by `si experiments`). */
function runsNote(profile: string, dataset: string, figure: string): string {
  const file = figureDataFile(profile, dataset, figure);
  if (!fs.existsSync(file)) return 'no data yet';
  const runs = loadFigureMeta(file).runs as Record<string, number> | undefined;
  return runs
    ? Object.entries(runs)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')
    : 'counts not recorded';
}

/** The datasets a profile's claims were tested on: the paper's first, then those beyond it (evaluateClaims' order). */
const testedDatasets = (rows: ClaimRow[]) => [...new Set(rows.flatMap(({ results }) => Object.keys(results)))];

function datasetHeading(d: string): string {
  const counterpart = paperCounterpart(d);
  return counterpart === d
    ? datasetTitle(d)
    : `${datasetTitle(d)} (${datasetTitle(counterpart)}'s claims; not in the paper)`;
}

const seedsNote = (r: ClaimResult | SeedsResult) =>
  'otherSeeds' in r && r.otherSeeds.length
    ? `; seeds ${r.otherSeeds.map((o) => o.seed).join(', ')}: ${r.otherSeeds.map((o) => o.verdict).join(', ')}`
    : '';

/** A verdict cell and a measurement cell. */
const cells = (r: ClaimResult | SeedsResult | { missing: string }): string =>
  'missing' in r ? `— | _${r.missing}_` : `**${r.verdict}** | ${r.measured}${seedsNote(r)}`;

/** A figure's link to its executed notebook in a profile's report (relative to the project root). */
function figureLink(profile: string, id: string): string {
  const figure = figureById(id);
  return `[Fig. ${figureNumber(figure)}](reports/${profile}/notebooks/${figure.id}-${figure.notebook}.ipynb)`;
}

export function claimsMarkdown(profile: string): string {
  const rows = evaluateClaims(profile);
  const datasets = testedDatasets(rows);
  const influenceNumber = rows.length + 1;
  // One table per dataset, with the claims tested on it (numbered as in the rules below).
  const tables = datasets.map((d) => {
    const lines = rows.flatMap(({ claim, results }, k) => {
      const r = results[d];
      return r ? [`| ${k + 1} | ${figureLink(profile, claim.figure)} ${claim.text} | ${cells(r)} |`] : [];
    });
    const influence = evaluateInfluenceClaim(readInfluenceResults(figureDataDir('influence'), d));
    lines.push(
      `| ${influenceNumber} | ${INFLUENCE_CLAIM.where} ${INFLUENCE_CLAIM.text} | ` +
        (influence ? cells(influence) : `— | _not validated yet (\`si influence --dataset ${d}\`)_`) +
        ' |',
    );
    return `### ${datasetHeading(d)}\n\n| # | claim | verdict | measured |\n|---|---|---|---|\n${lines.join('\n')}\n`;
  });
  const rules = [
    ...rows.map(({ claim }, k) => `${k + 1}. ${claim.text} — ${claim.rule}`),
    `${influenceNumber}. ${INFLUENCE_CLAIM.text} — ${INFLUENCE_CLAIM.rule}`,
  ];
  const counts = datasets.map((d) => `${datasetTitle(d)}: ${runsNote(profile, d, 'fig07')}`);
  return (
    `${tables.join('\n')}\n### The rules\n\n${rules.join('\n')}\n\n` +
    `Runs behind the batch-construction claims (profile ${profile}) — ${counts.join('; ')}.\n`
  );
}

/**
 * The claims judged on `profile`'s figure data beside their verdicts on `beside`'s, one table per
 * dataset `profile` has data for: e.g. the cnn profile against the quick profile, whose MLP ran on
 * the same samples and epochs. Claims are numbered as in claimsMarkdown's rules.
 */
export function claimsComparisonMarkdown(profile: string, beside: string): string {
  const rows = evaluateClaims(profile);
  const besideRows = evaluateClaims(beside);
  const verdictOf = (r: SeedsResult | { missing: string } | undefined) =>
    !r ? '—' : 'missing' in r ? `_${r.missing}_` : `**${r.verdict}**`;
  const tables = testedDatasets(rows)
    .filter((d) => fs.existsSync(path.join(figureDataDir(profile), d)))
    .map((d) => {
      const lines = rows.flatMap(({ claim, results }, k) => {
        const r = results[d];
        if (!r) return [];
        const link = figureLink(profile, claim.figure);
        return [`| ${k + 1} | ${link} ${claim.text} | ${verdictOf(besideRows[k]?.results[d])} | ${cells(r)} |`];
      });
      const head = `| # | claim | ${beside} | ${profile} | ${profile}: measured |\n|---|---|---|---|---|`;
      const runs = `Runs behind the batch-construction claims (profile ${profile}): ${runsNote(profile, d, 'fig07')}.`;
      return `### ${datasetHeading(d)}\n\n${head}\n${lines.join('\n')}\n\n${runs}\n`;
    });
  return tables.join('\n');
}
