/**
 * Seals committed events into the chain shortly after their commit, one seal
 * for the commits of many requests. Sealing takes the chain's head, the one
 * serial point of ingestion: sealed behind every group commit it cost each
 * group a statement (~1 ms of PostgreSQL for a group of 7 events, a third of
 * the group's database time) and every request waited for it. An event is
 * acknowledged once committed (durable, and sealed by whoever reads the
 * chain first: the alert scans, verification and the audit package call
 * sealPending); the sealer seals it within `delayMs` of the first commit
 * after its last seal. Much of a seal's cost is fixed (the head's lock, the
 * queue, the call): 0.54–0.71 ms for ~13 events, 1.1 ms for ~37. Every 20 ms
 * rather than every 5, the seals' share of a single event's statement time
 * fell from 41–56 to 28–33 µs (bench:single, 16 clients). Nothing waits on
 * it: the answer went out at the commit.
 */
import type pg from 'pg';
import { sealPending } from './event-store.js';

export class Sealer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: { delayMs?: number; onError?: (err: unknown) => void } = {},
  ) {}

  /** Some events were committed unsealed: seal them soon. */
  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.seal();
    }, this.options.delayMs ?? 20);
    this.timer.unref(); // a process that stops first loses nothing: the next seal takes the events in
  }

  private async seal(): Promise<void> {
    try {
      await sealPending(this.pool);
    } catch (err) {
      // Not lost: the next seal (this one's next nudge, a scan, a verification) takes these events in.
      this.options.onError?.(err);
    } finally {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.nudge();
      }
    }
  }
}
