/**
 * Stopping a run on request. While trainRun trains, it watches SIGINT and SIGTERM (Ctrl-C,
 * Jupyter's Kernel → Interrupt, a scheduler's stop) and the caller's AbortSignal, and stops at the
 * next chunk boundary, within about a second: the epoch in progress is dropped, the run's lock is
 * released, and the run resumes from its last complete epoch when trained again. Then the signal
 * does what it would have done: a process with no handler of its own stops as the signal says; a
 * host that handles it (a Jupyter kernel) lives on, and the cell ends with TrainingInterrupted.
 *
 * @example
 *   const controller = new AbortController();
 *   setTimeout(() => controller.abort(), 5000);
 *   try { await trainRun(cfg, { ...opts, signal: controller.signal }); }
 *   catch (err) { if (err instanceof TrainingInterrupted) console.log(err.message); else throw err; }
 */

/** Thrown by trainRun when a run stopped on request; the record up to its last complete epoch is kept. */
export class TrainingInterrupted extends Error {
  override readonly name = 'TrainingInterrupted';

  constructor(
    readonly dir: string,
    readonly epochsCompleted: number,
    readonly epochs: number,
    /** 'SIGINT', 'SIGTERM', or the AbortSignal's reason. */
    readonly reason: string,
  ) {
    super(
      epochsCompleted < epochs
        ? `training stopped by ${reason} after ${epochsCompleted} of ${epochs} epochs; ${dir} keeps them, ` +
            `and training the same run again resumes from epoch ${epochsCompleted + 1}`
        : `adding parameter snapshots to the complete run ${dir} stopped by ${reason}; ` +
            'training the same run again adds the rest',
    );
  }
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The stop requests one training watches, from its start until `dispose`. */
export class StopRequests {
  private received: NodeJS.Signals | undefined;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.received ??= signal;
  };

  constructor(private readonly signal?: AbortSignal) {
    for (const s of STOP_SIGNALS) process.on(s, this.onSignal);
  }

  /** Why the training should stop, or undefined while nobody asked. */
  get reason(): string | undefined {
    if (this.received) return this.received;
    if (!this.signal?.aborted) return undefined;
    const why = this.signal.reason;
    return why instanceof Error ? why.message : why === undefined ? 'an abort' : String(why);
  }

  /**
   * Stops watching. A signal received meanwhile is raised again when nobody else handles it, so
   * the process stops as it would have without us (after the lock is released and `notice` said why).
   */
  dispose(notice: () => string): void {
    for (const s of STOP_SIGNALS) process.off(s, this.onSignal);
    if (this.received && process.listenerCount(this.received) === 0) {
      process.stderr.write(`${notice()}\n`);
      process.kill(process.pid, this.received);
    }
  }
}
