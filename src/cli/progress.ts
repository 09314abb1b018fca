/**
 * A one-line progress bar on stderr (samples/s, ETA, last test error); on a non-TTY stream
 * (CI, logs) it prints one plain line per epoch instead of redrawing.
 *
 * @example
 *   const bar = new ProgressBar();
 *   bar.update({ epoch: 1, epochs: 2, samplesDone: 50, samplesTotal: 100, samplesPerSecond: 1e4, etaSeconds: 1 });
 *   bar.done();
 */
import type { TrainProgress } from '../run/train';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export class ProgressBar {
  private lastEpochPrinted = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly width = 24) {}

  update(p: TrainProgress): void {
    const fraction = p.samplesTotal > 0 ? p.samplesDone / p.samplesTotal : 1;
    const filled = Math.round(fraction * this.width);
    const err = p.lastMetrics ? `  test err ${(100 * p.lastMetrics.testError).toFixed(2)}%` : '';
    const line = `epoch ${p.epoch}/${p.epochs} [${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ` +
      `${(100 * fraction).toFixed(0).padStart(3)}%  ${Math.round(p.samplesPerSecond).toLocaleString('en-US')} samples/s  ETA ${formatDuration(p.etaSeconds)}${err}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}\x1b[K`);
    } else if (p.epoch !== this.lastEpochPrinted) {
      this.lastEpochPrinted = p.epoch;
      this.stream.write(line + '\n');
    }
  }

  done(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
