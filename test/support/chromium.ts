/** Debian's headless Chromium, started as this machine's probe does (no network chatter, fresh profile). */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
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
