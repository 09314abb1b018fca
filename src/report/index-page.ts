/**
 * The report's front page: one section per figure notebook, with the figure's SVGs embedded,
 * the run's summary, and a link to the notebook's own HTML page.
 *
 * @example
 *   writeFileSync('reports/quick/index.html', indexPage('quick', sections));
 */
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

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The little markdown the summaries use: paragraphs, `- ` lists, **bold**, *italic*, `code`. */
export function markdownToHtml(md: string): string {
  const inline = (s: string) =>
    escapeHtml(s)
      .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
      .replace(/\*(.+?)\*/g, '<em>$1</em>')
      .replace(/`(.+?)`/g, '<code>$1</code>');
  return md
    .trim()
    .split(/\n\s*\n/)
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((l) => /^\s*[-*] /.test(l)))
        return `<ul>${lines.map((l) => `<li>${inline(l.replace(/^\s*[-*] /, ''))}</li>`).join('')}</ul>`;
      const heading = /^(#+)\s*(.*)$/.exec(lines[0] ?? '');
      if (heading && lines.length === 1) {
        const level = (heading[1] ?? '').length + 2;
        return `<h${level}>${inline(heading[2] ?? '')}</h${level}>`;
      }
      return `<p>${lines.map(inline).join('<br>')}</p>`;
    })
    .join('\n');
}

/**
 * The report's index in Markdown (reports/<profile>/README.md, committed): each notebook's title
 * linking to its executed copy, which the code host renders with its figures, and the run's
 * summary. No build date, so rebuilding unchanged results changes no committed file.
 */
export function indexMarkdown(profile: string, description: string, sections: ReportSection[]): string {
  const body = sections.map(
    (s) => `## [${s.title}](${s.notebook})\n\n${s.summaryMarkdown.replace(/^## What this run shows\n\n/, '')}\n`,
  );
  return (
    `# Sample importance in training deep neural networks — ${profile} profile\n\n` +
    `A reproduction of Gao & Jojic's figures from real training runs: ${description}. Each title links to the ` +
    'executed notebook (figures included); `make report' +
    (profile === 'quick' ? '' : ` PROFILE=${profile}`) +
    '` rebuilds them, and the HTML pages beside this file (not committed).\n\n' +
    body.join('\n')
  );
}

export function indexPage(profile: string, description: string, sections: ReportSection[], builtAt: string): string {
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
Each title links to the executed notebook.</p>
${body}
</body></html>
`
  );
}
