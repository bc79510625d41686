/**
 * Seals committed events into the accountability chain (seal_events,
 * migration 015), one statement at a time per process: a caller whose
 * events committed while a seal was running waits for the next one, which
 * covers every event committed by then, so many ingesting requests share
 * one seal and one commit of it.
 */
import type pg from 'pg';

export class ChainSealer {
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly pool: pg.Pool) {}

  /** Resolves once a seal that started after this call has committed. */
  seal(): Promise<void> {
    if (!this.running) {
      this.running = this.pool.query('SELECT seal_events()').then(
        () => {
          this.running = null;
        },
        (err: unknown) => {
          this.running = null;
          throw err;
        },
      );
      return this.running;
    }
    // The running seal may have read the log before this caller's commit: wait for the next one.
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.seal();
      });
    return this.queued;
  }
}

const sealers = new WeakMap<pg.Pool, ChainSealer>();

export function sealerOf(pool: pg.Pool): ChainSealer {
  let sealer = sealers.get(pool);
  if (!sealer) sealers.set(pool, (sealer = new ChainSealer(pool)));
  return sealer;
}
