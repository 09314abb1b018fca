/**
 * Training progress on stderr: a cli-progress bar redrawn in place on a terminal (samples/s, ETA,
 * the last complete epoch's test error), and on a non-TTY stream (CI, logs) one plain line per
 * epoch instead, since a redrawn bar would fill a log with carriage returns.
 *
 * @example
 *   const bar = new ProgressBar();
 *   bar.update({ epoch: 1, epochs: 2, samplesDone: 50, samplesTotal: 100, samplesPerSecond: 1e4, etaSeconds: 1 });
 *   bar.done();
 */
import { Presets, SingleBar } from 'cli-progress';
import { progressText } from '../run/progress-text';
import type { TrainProgress } from '../run/train';

/** The numbers shown beside the bar, from the trainer's own rate and ETA. */
function payload(p: TrainProgress) {
  const { lastError, ...text } = progressText(p);
  return { ...text, err: lastError ? `  ${lastError}` : '' };
}

export class ProgressBar {
  private bar: SingleBar | undefined;
  private lastEpochPrinted = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(p: TrainProgress): void {
    const values = payload(p);
    if (!this.stream.isTTY) {
      if (p.epoch === this.lastEpochPrinted) return;
      this.lastEpochPrinted = p.epoch;
      const percent = p.samplesTotal > 0 ? (100 * p.samplesDone) / p.samplesTotal : 100;
      this.stream.write(
        `epoch ${values.epoch} ${percent.toFixed(0).padStart(3)}%  ${values.rate} samples/s  ` +
          `ETA ${values.remaining}${values.err}\n`,
      );
      return;
    }
    if (!this.bar) {
      this.bar = new SingleBar(
        {
          stream: this.stream,
          barsize: 24,
          hideCursor: false,
          format: 'epoch {epoch} [{bar}] {percentage}%  {rate} samples/s  ETA {remaining}{err}',
        },
        Presets.legacy,
      );
      this.bar.start(p.samplesTotal, p.samplesDone, values);
    }
    this.bar.setTotal(p.samplesTotal);
    this.bar.update(p.samplesDone, values);
  }

  /** Ends the bar's line (a new run starts a new bar). */
  done(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
