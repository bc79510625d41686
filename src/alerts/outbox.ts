/**
 * Sending the alert outbox (its rows: store/outbox-store.ts). Rows are written by the scans in the transaction that
 * detects them (a unique key makes a second detection a no-op) and sent one
 * at a time: the row stays locked while it is sent and is marked in the same
 * transaction, so two workers never send the same row, and a worker that dies
 * mid-send leaves it pending for the next try. Failed sends back off; after
 * the last try the row is marked failed, never dropped.
 */
import type pg from 'pg';
import { inTransaction } from '../db/database.js';
import { markFailed, markSent, scheduleRetry, takeDueMessage } from '../store/outbox-store.js';
import type { Mailer } from './mailer.js';

export const MAX_ATTEMPTS = 6;
/** Minutes to wait after the n-th failure: 1, 5, 15, 60, 240. */
const BACKOFF_MINUTES = [1, 5, 15, 60, 240];

export interface FlushResult {
  sent: number;
  retried: number;
  failed: number;
}

/** Sends what is due, one row per transaction, until nothing is left or `limit` rows were tried. */
export async function flushOutbox(pool: pg.Pool, mailer: Mailer, nowMs: number, limit = 500): Promise<FlushResult> {
  const result: FlushResult = { sent: 0, retried: 0, failed: 0 };
  for (let i = 0; i < limit; i++) {
    const outcome = await inTransaction(pool, async (client) => {
      const row = await takeDueMessage(client, nowMs);
      if (!row) return 'empty' as const;
      try {
        await mailer.send({ to: row.recipient, subject: row.subject, html: row.html, text: row.text, messageId: `<alert-${row.id}@dunghan>` });
        await markSent(client, row.id, nowMs);
        return 'sent' as const;
      } catch (err) {
        const attempts = row.attempts + 1;
        const message = err instanceof Error ? err.message : String(err);
        if (attempts >= MAX_ATTEMPTS) {
          await markFailed(client, row.id, attempts, message);
          return 'failed' as const;
        }
        const wait = BACKOFF_MINUTES[Math.min(attempts - 1, BACKOFF_MINUTES.length - 1)]! * 60_000;
        await scheduleRetry(client, row.id, attempts, message, nowMs + wait);
        return 'retried' as const;
      }
    });
    if (outcome === 'empty') break;
    result[outcome] += 1;
  }
  return result;
}
