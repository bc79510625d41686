/**
 * The outbox's rows (alerts/outbox.ts says how they are sent): the supervisors' alerts, written by the scans in the
 * transaction that detects them, and the citizen's messages (issue 27), written by ingestion in the transaction of
 * the event that causes them (the projection's statement, store/dossier-projection.ts); a unique key making a second
 * writing a no-op. Taken one at a time per channel under a row lock (FOR UPDATE SKIP LOCKED), so two workers never
 * send the same row; read by the administrator's page, the dossier page, the supervisor's queue and /metrics.
 */
import type pg from 'pg';

type Queryable = Pick<pg.ClientBase, 'query'>;

export type OutboxChannel = 'email' | 'sms' | 'zalo';
export const OUTBOX_CHANNELS: OutboxChannel[] = ['email', 'sms', 'zalo'];
export type CitizenMessageKind = 'receipt' | 'supplement_request' | 'apology' | 'result_ready' | 'refusal';

export interface OutboxRow {
  dedupeKey: string;
  kind: 'due_soon' | 'overdue' | 'digest' | 'calendar_reminder' | 'warning' | CitizenMessageKind;
  dossierCode: string | null;
  agencyCode: string | null;
  dueAt: number | null;
  recipient: string;
  subject: string;
  html: string;
  text: string;
  /** Absent: e-mail (every alert). */
  channel?: OutboxChannel;
  /** A citizen's message: the supplementation request's number, 1 for the others. */
  round?: number | null;
  /** The legal moment the message must reach its recipient by (the apology's), if any. */
  deliverBy?: number | null;
  /** What the channel needs beside the text: Zalo ZNS parameters, the letter to attach. */
  payload?: Record<string, unknown> | null;
  /** When it was written and first due (ingestion: the application's clock); the enqueue's `nowMs` otherwise. */
  createdAt?: number;
}

/**
 * Inserts the rows of the JSON parameter `param` (OutboxRow[]) not yet in the outbox, created and due at `at`: one
 * definition for the scans' enqueue and for ingestion, which runs it inside the projection's statement.
 */
export function outboxInsertSql(param: string, at: string): string {
  return `INSERT INTO alert_outbox (dedupe_key, kind, dossier_code, agency_code, due_at, recipient, subject, html, text, channel, round, deliver_by, payload, next_attempt_at, created_at)
     SELECT r."dedupeKey", r.kind, r."dossierCode", r."agencyCode", to_timestamp(r."dueAt" / 1000.0), r.recipient, r.subject, r.html, r.text,
            coalesce(r.channel, 'email'), r.round, to_timestamp(r."deliverBy" / 1000.0), r.payload, ${at}, ${at}
     FROM json_to_recordset(${param}::json) AS r("dedupeKey" text, kind text, "dossierCode" text, "agencyCode" text, "dueAt" double precision,
          recipient text, subject text, html text, text text, channel text, round integer, "deliverBy" double precision, payload jsonb, "createdAt" double precision)
     ON CONFLICT (dedupe_key) DO NOTHING`;
}

/** Writes rows not yet in the outbox; returns how many were new. */
export async function enqueue(client: Queryable, rows: OutboxRow[], nowMs: number): Promise<number> {
  if (rows.length === 0) return 0;
  const { rowCount } = await client.query(outboxInsertSql('$1', '$2::timestamptz'), [JSON.stringify(rows), new Date(nowMs)]);
  return rowCount ?? 0;
}

export interface DueMessage {
  id: number;
  dedupeKey: string;
  kind: OutboxRow['kind'];
  channel: OutboxChannel;
  dossierCode: string | null;
  recipient: string;
  subject: string;
  html: string;
  text: string;
  payload: Record<string, unknown> | null;
  attempts: number;
}

/**
 * The oldest pending row of `channel` due by `nowMs`, locked until the transaction ends; rows another worker holds
 * are skipped.
 */
export async function takeDueMessage(client: pg.ClientBase, nowMs: number, channel: OutboxChannel = 'email'): Promise<DueMessage | undefined> {
  const { rows } = await client.query<DueMessage>(
    `SELECT id, dedupe_key AS "dedupeKey", kind, channel, dossier_code AS "dossierCode", recipient, subject, html, text, payload, attempts FROM alert_outbox
     WHERE status = 'pending' AND channel = $2 AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [new Date(nowMs), channel],
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
  await client.query('UPDATE alert_outbox SET attempts = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1', [
    id,
    attempts,
    error,
    new Date(nextAttemptMs),
  ]);
}

export interface OutboxListRow {
  id: number;
  kind: string;
  channel: OutboxChannel;
  deliver_by: Date | null;
  sent_at: Date | null;
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
export async function outboxOverview(pool: pg.Pool): Promise<{ rows: OutboxListRow[]; counts: Array<{ channel: OutboxChannel; status: string; n: number }> }> {
  const { rows } = await pool.query<OutboxListRow>(
    `SELECT id, kind, channel, dossier_code, agency_code, recipient, subject, status, attempts, last_error, next_attempt_at, deliver_by, sent_at
     FROM alert_outbox ORDER BY (status = 'failed') DESC, id DESC LIMIT 300`,
  );
  const { rows: counts } = await pool.query<{ channel: OutboxChannel; status: string; n: number }>(
    'SELECT channel, status, count(*)::int AS n FROM alert_outbox GROUP BY 1, 2',
  );
  return { rows, counts };
}

/**
 * /metrics: the backlog (pending) and the given-up (failed) rows by channel, and the messages past their legal moment
 * undelivered (`late`); the sent ones, most of the table, are not counted.
 */
export async function outboxBacklog(
  pool: pg.Pool,
  nowMs = Date.now(),
): Promise<Array<{ channel: OutboxChannel; status: 'pending' | 'failed' | 'late'; n: number }>> {
  const { rows } = await pool.query<{ channel: OutboxChannel; status: 'pending' | 'failed' | 'late'; n: number }>(
    `SELECT channel, status, count(*)::int AS n FROM alert_outbox WHERE status IN ('pending', 'failed') GROUP BY 1, 2
     UNION ALL
     SELECT channel, 'late', count(*)::int FROM alert_outbox WHERE deliver_by IS NOT NULL AND status <> 'sent' AND deliver_by < $1 GROUP BY 1`,
    [new Date(nowMs)],
  );
  return rows;
}

export interface DossierMessageRow {
  kind: string;
  channel: OutboxChannel;
  round: number | null;
  recipient: string;
  status: string;
  attempts: number;
  created_at: Date;
  sent_at: Date | null;
  deliver_by: Date | null;
}

/** The messages written for one dossier (its page), oldest first. */
export async function dossierMessages(pool: pg.Pool, dossierCode: string): Promise<DossierMessageRow[]> {
  const { rows } = await pool.query<DossierMessageRow>(
    `SELECT kind, channel, round, recipient, status, attempts, created_at, sent_at, deliver_by FROM alert_outbox
     WHERE dossier_code = $1 AND dedupe_key LIKE 'citizen:%' ORDER BY id`,
    [dossierCode],
  );
  return rows;
}

/** The link key the environment did not give: generated once, kept in the database for every process. */
export async function appSecret(pool: pg.Pool, name: string, generate: () => string): Promise<string> {
  await pool.query('INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, generate()]);
  return (await pool.query<{ value: string }>('SELECT value FROM app_secrets WHERE name = $1', [name])).rows[0]!.value;
}
