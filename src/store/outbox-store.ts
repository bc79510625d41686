/**
 * The alert outbox's rows (alerts/outbox.ts says how they are sent). Written by the scans in the transaction that
 * detects them, a unique key making a second detection a no-op; taken one at a time under a row lock
 * (FOR UPDATE SKIP LOCKED), so two workers never send the same row; read by the administrator's page and /metrics.
 */
import type pg from 'pg';

type Queryable = Pick<pg.ClientBase, 'query'>;

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

/** Writes rows not yet in the outbox; returns how many were new. */
export async function enqueue(client: Queryable, rows: OutboxRow[], nowMs: number): Promise<number> {
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

export interface DueMessage {
  id: number;
  recipient: string;
  subject: string;
  html: string;
  text: string;
  attempts: number;
}

/** The oldest pending row due by `nowMs`, locked until the transaction ends; rows another worker holds are skipped. */
export async function takeDueMessage(client: pg.ClientBase, nowMs: number): Promise<DueMessage | undefined> {
  const { rows } = await client.query<DueMessage>(
    `SELECT id, recipient, subject, html, text, attempts FROM alert_outbox
     WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [new Date(nowMs)],
  );
  return rows[0];
}

export async function markSent(client: pg.ClientBase, id: number, nowMs: number): Promise<void> {
  await client.query("UPDATE alert_outbox SET status = 'sent', sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1", [id, new Date(nowMs)]);
}

/** Given up after the last try: kept, with the last error, for the administrator's page. */
export async function markFailed(client: pg.ClientBase, id: number, attempts: number, error: string): Promise<void> {
  await client.query("UPDATE alert_outbox SET status = 'failed', attempts = $2, last_error = $3 WHERE id = $1", [id, attempts, error]);
}

export async function scheduleRetry(client: pg.ClientBase, id: number, attempts: number, error: string, nextAttemptMs: number): Promise<void> {
  await client.query('UPDATE alert_outbox SET attempts = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1', [id, attempts, error, new Date(nextAttemptMs)]);
}

export interface OutboxListRow {
  id: number;
  kind: string;
  dossier_code: string | null;
  agency_code: string | null;
  recipient: string;
  subject: string;
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
}

/** The administrator's page: failed rows first, then the newest, 300 at most; and how many rows in each status. */
export async function outboxOverview(pool: pg.Pool): Promise<{ rows: OutboxListRow[]; counts: Array<{ status: string; n: number }> }> {
  const { rows } = await pool.query<OutboxListRow>(
    `SELECT id, kind, dossier_code, agency_code, recipient, subject, status, attempts, last_error, next_attempt_at
     FROM alert_outbox ORDER BY (status = 'failed') DESC, id DESC LIMIT 300`,
  );
  const { rows: counts } = await pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM alert_outbox GROUP BY status');
  return { rows, counts };
}

/** /metrics: the backlog (pending) and the given-up (failed) rows; the sent ones, most of the table, are not counted. */
export async function outboxBacklog(pool: pg.Pool): Promise<{ pending: number; failed: number }> {
  const { rows } = await pool.query<{ status: string; n: number }>("SELECT status, count(*)::int AS n FROM alert_outbox WHERE status IN ('pending', 'failed') GROUP BY 1");
  return { pending: rows.find((r) => r.status === 'pending')?.n ?? 0, failed: rows.find((r) => r.status === 'failed')?.n ?? 0 };
}
