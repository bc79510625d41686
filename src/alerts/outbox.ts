/**
 * The alert outbox. Rows are written by the scans in the transaction that
 * detects them (a unique key makes a second detection a no-op) and sent one
 * at a time: the row stays locked while it is sent and is marked in the same
 * transaction, so two workers never send the same row, and a worker that dies
 * mid-send leaves it pending for the next try. Failed sends back off; after
 * the last try the row is marked failed, never dropped.
 */
import type pg from 'pg';
import { inTransaction } from '../db/database.js';
import type { Mailer } from './mailer.js';

export interface OutboxRow {
  dedupeKey: string;
  kind: 'due_soon' | 'overdue' | 'digest' | 'calendar_reminder';
  dossierCode: string | null;
  agencyCode: string | null;
  dueAt: number | null;
  recipient: string;
  subject: string;
  html: string;
  text: string;
}

export const MAX_ATTEMPTS = 6;
/** Minutes to wait after the n-th failure: 1, 5, 15, 60, 240. */
const BACKOFF_MINUTES = [1, 5, 15, 60, 240];

/** Writes rows not yet in the outbox; returns how many were new. */
export async function enqueue(client: pg.ClientBase, rows: OutboxRow[], nowMs: number): Promise<number> {
  if (rows.length === 0) return 0;
  const { rowCount } = await client.query(
    `INSERT INTO alert_outbox (dedupe_key, kind, dossier_code, agency_code, due_at, recipient, subject, html, text, next_attempt_at, created_at)
     SELECT r."dedupeKey", r.kind, r."dossierCode", r."agencyCode", to_timestamp(r."dueAt" / 1000.0), r.recipient, r.subject, r.html, r.text, $2, $2
     FROM jsonb_to_recordset($1::jsonb) AS r("dedupeKey" text, kind text, "dossierCode" text, "agencyCode" text, "dueAt" double precision,
          recipient text, subject text, html text, text text)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [JSON.stringify(rows), new Date(nowMs)],
  );
  return rowCount ?? 0;
}

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
      const { rows } = await client.query(
        `SELECT id, recipient, subject, html, text, attempts FROM alert_outbox
         WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [new Date(nowMs)],
      );
      const row = rows[0];
      if (!row) return 'empty' as const;
      try {
        await mailer.send({ to: row.recipient, subject: row.subject, html: row.html, text: row.text, messageId: `<alert-${row.id}@dunghan>` });
        await client.query("UPDATE alert_outbox SET status = 'sent', sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1", [row.id, new Date(nowMs)]);
        return 'sent' as const;
      } catch (err) {
        const attempts = row.attempts + 1;
        const message = err instanceof Error ? err.message : String(err);
        if (attempts >= MAX_ATTEMPTS) {
          await client.query("UPDATE alert_outbox SET status = 'failed', attempts = $2, last_error = $3 WHERE id = $1", [row.id, attempts, message]);
          return 'failed' as const;
        }
        const wait = BACKOFF_MINUTES[Math.min(attempts - 1, BACKOFF_MINUTES.length - 1)]! * 60_000;
        await client.query('UPDATE alert_outbox SET attempts = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1', [row.id, attempts, message, new Date(nowMs + wait)]);
        return 'retried' as const;
      }
    });
    if (outcome === 'empty') break;
    result[outcome] += 1;
  }
  return result;
}
