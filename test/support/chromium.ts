/** Debian's headless Chromium, started as this machine's probe does (no network chatter, fresh profile). */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tempDir } from './tmp';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

function flags(): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${tempDir('si-chromium-')}`,
  ];
}

/** The page's DOM after scripts ran. */
export function dumpDom(url: string): string {
  if (!CHROMIUM) throw new Error('no Chromium');
  return execFileSync(CHROMIUM, [...flags(), '--dump-dom', url], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

export function screenshot(url: string, file: string, size = '1200,1600'): void {
  if (!CHROMIUM) throw new Error('no Chromium');
  execFileSync(CHROMIUM, [...flags(), `--screenshot=${file}`, `--window-size=${size}`, url], {
    timeout: 60_000,
    stdio: 'ignore',
  });
}

/**
 * The value of `expression` (JSON-serialisable) evaluated in the page at `file` once it has loaded,
 * in a window `width` px wide. The page is copied beside itself (relative links keep working) with
 * a script that stores the value, URI-encoded, in an attribute of <html>, which changes no layout,
 * and the attribute is read back from the dumped DOM.
 */
export function evaluateInPage(file: string, expression: string, width = 1280): unknown {
  if (!CHROMIUM) throw new Error('no Chromium');
  const probe = file.replace(/\.html$/, '.probe.html');
  const script =
    "<script>addEventListener('load', () => document.documentElement.setAttribute('data-probe', " +
    `encodeURIComponent(JSON.stringify(${expression}))));</script>`;
  fs.writeFileSync(probe, fs.readFileSync(file, 'utf8').replace(/<\/body>(?![\s\S]*<\/body>)/, `${script}</body>`));
  try {
    const dom = execFileSync(
      CHROMIUM,
      [...flags(), `--window-size=${width},1000`, '--dump-dom', pathToFileURL(probe).href],
      {
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const value = /<html[^>]* data-probe="([^"]*)"/.exec(dom)?.[1];
    if (value === undefined) throw new Error(`${file}: the probe script did not run`);
    return JSON.parse(decodeURIComponent(value));
  } finally {
    fs.rmSync(probe);
  }
}
