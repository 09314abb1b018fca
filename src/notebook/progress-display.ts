/**
 * Training progress in a notebook: one line with a bar, updated in place in the cell's output
 * (a tslab display), at most four times a second and always at the end.
 *
 * @example
 *   import * as tslab from 'tslab';
 *   const onProgress = progressDisplay(tslab.newDisplay());
 *   await trainRun(cfg, { engine, train, test, classes, runsDir: runsDir(), onProgress });
 */
import { progressText } from '../run/progress-text';
import type { TrainProgress } from '../run/train';

/** What this needs of a display: tslab.newDisplay() returns one, whose each call replaces its output. */
export interface HtmlDisplay {
  html(html: string): void;
}

const MIN_INTERVAL_MS = 250;

export function progressLine(p: TrainProgress): string {
  const text = progressText(p);
  const percent = p.samplesTotal > 0 ? (100 * p.samplesDone) / p.samplesTotal : 100;
  const parts = [`epoch ${text.epoch}`, `${percent.toFixed(0)}%`, `${text.rate} samples/s`, `ETA ${text.remaining}`];
  if (text.lastError) parts.push(text.lastError);
  return (
    `<div style="font-family: monospace"><progress value="${p.samplesDone}" max="${p.samplesTotal}" ` +
    `style="width: 12em; vertical-align: middle"></progress> ${parts.join(' · ')}</div>`
  );
}

export function progressDisplay(display: HtmlDisplay): (p: TrainProgress) => void {
  let shownAt = 0;
  return (p) => {
    const now = Date.now();
    if (now - shownAt < MIN_INTERVAL_MS && p.samplesDone < p.samplesTotal) return;
    shownAt = now;
    display.html(progressLine(p));
  };
}
