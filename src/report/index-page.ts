/**
 * The report's front page: one section per figure notebook, with the figure's SVGs embedded,
 * the run's summary, and a link to the notebook's own HTML page.
 *
 * @example
 *   const page = indexPage('quick', description, sections, '2026-12-01', '../../REPRODUCTION.md');
 *   writeFileSync('reports/quick/index.html', page);
 */
import { marked } from 'marked';
import { FIGURE_CSS } from './figure-css';

export interface ReportSection {
  title: string;
  /** Relative link to the notebook's HTML page. */
  href: string;
  /** Relative link to the executed notebook. */
  notebook: string;
  summaryMarkdown: string;
  svgs: string[];
}

/** Text for HTML content or a double-quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The summaries' Markdown (written by the project's own notebooks) as HTML. */
export function markdownToHtml(md: string): string {
  return marked.parse(md, { async: false });
}

/**
 * The report's index in Markdown (reports/<profile>/README.md, committed): each notebook's title
 * linking to its executed copy, which the code host renders with its figures, and the run's
 * summary. No build date, so rebuilding unchanged results changes no committed file.
 */
export function indexMarkdown(
  profile: string,
  description: string,
  sections: ReportSection[],
  claimsTable: string,
): string {
  const body = sections.map(
    (s) => `## [${s.title}](${s.notebook})\n\n${s.summaryMarkdown.replace(/^## What this run shows\n\n/, '')}\n`,
  );
  return (
    `# Sample importance in training deep neural networks — ${profile} profile\n\n` +
    `A reproduction of Gao & Jojic's figures from real training runs: ${description}. Each title links to the ` +
    'executed notebook (figures included); `make report' +
    (profile === 'quick' ? '' : ` PROFILE=${profile}`) +
    '` rebuilds them, with an HTML page beside each (not committed). ' +
    `The paper's claims, tested one by one: [REPRODUCTION.md](${claimsTable}).\n\n` +
    body.join('\n')
  );
}

export function indexPage(
  profile: string,
  description: string,
  sections: ReportSection[],
  builtAt: string,
  claimsTable: string,
  /** Relative link to the sample explorer page, when one was built. */
  explorer?: string,
): string {
  const explorerLink = explorer
    ? `\n<p><a href="${escapeHtml(explorer)}"><b>Sample explorer</b></a>: every training sample of the seed-1 ` +
      'runs, its scores, image, β per layer over epochs and nearest neighbours, one click away.</p>'
    : '';
  const body = sections
    .map(
      (s) => `<section class="figure">
<h2><a href="${escapeHtml(s.href)}">${escapeHtml(s.title)}</a></h2>
${s.svgs.map((svg) => `<div class="svg">${svg}</div>`).join('\n')}
<div class="summary">${markdownToHtml(s.summaryMarkdown)}</div>
</section>`,
    )
    .join('\n');
  return (
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Sample importance — ${escapeHtml(profile)} report</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
section.figure { border-top: 1px solid #ccc; padding-top: 1em; margin-top: 2em; }
.svg { margin: 0.5em 0; }
${FIGURE_CSS}
.summary { background: #f6f6f6; padding: 0.5em 1em; border-radius: 4px; }
</style></head>
<body>
<h1>Sample importance in training deep neural networks — ${escapeHtml(profile)} profile</h1>
<p>A reproduction of Gao &amp; Jojic's figures from real training runs: ${escapeHtml(description)}. ` +
    `Built ${escapeHtml(builtAt)}.
Each title links to the executed notebook. The paper's claims, tested one by one:
<a href="${escapeHtml(claimsTable)}">REPRODUCTION.md</a>.</p>${explorerLink}
${body}
</body></html>
`
  );
}
