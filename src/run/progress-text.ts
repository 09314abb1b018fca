/**
 * Training progress as the words every display shows (the CLI's bar, a notebook's line): epoch,
 * rate, time left, and the test error of the last complete epoch, named as such.
 *
 * @example
 *   progressText(p);
 *   // { epoch: '3/20', rate: '8,214', remaining: '1m05s', lastError: 'test err 4.31% after epoch 2' }
 */
import type { TrainProgress } from './train';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export interface ProgressText {
  epoch: string;
  rate: string;
  remaining: string;
  /** '' before the first epoch ends (epoch 0's error is the untrained network's). */
  lastError: string;
}

export function progressText(p: TrainProgress): ProgressText {
  const m = p.lastMetrics;
  return {
    epoch: `${p.epoch}/${p.epochs}`,
    rate: Math.round(p.samplesPerSecond).toLocaleString('en-US'),
    remaining: formatDuration(p.etaSeconds),
    lastError: m && m.epoch > 0 ? `test err ${(100 * m.testError).toFixed(2)}% after epoch ${m.epoch}` : '',
  };
}
