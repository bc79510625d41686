/**
 * What the alert scans read and record (alerts/scans.ts decides whom to tell and what to say): the dossiers to
 * alert, judged by the legal judgment now (progress-sql.ts), the `alerts` ledger that records each alert once, and
 * the open dossiers of an agency's daily digest.
 */
import type pg from 'pg';
import { legalOpenSql } from '../dossiers/progress-sql.js';
import type { DossierState } from '../dossiers/state.js';

export type ScanKind = 'due_soon' | 'overdue';

// The legal judgment now (progress-sql.ts): a dossier waiting for the citizen has its clock stopped and is not alerted.
const SELECTORS = { due_soon: legalOpenSql.due_soon('$1'), overdue: legalOpenSql.overdue('$1') } as const;

/**
 * Since the last scan ($2 its instant, $3 the chain position it had seen, $4 the chain's head now): the dossiers whose
 * threshold was crossed in between, and those that received events (a late or backdated event, a resumed clock). The
 * positions are bounded on both sides so that even without statistics on the chain (a table just loaded) the planner
 * reads a range of its index, not the whole chain and log. A link's recorded_at takes it to its month's partition of
 * the log alone, looked up per link (a join is planned as a hash of every month: 100 ms at 1 M events, against 0.5 ms).
 * A due-soon threshold is at most 30 working days before the due instant (policies.ts), so its dossiers are due within 90 days. Two index
 * range scans in a UNION, not an OR the planner would answer by scanning the open dossiers.
 */
const WITH_EVENTS_SINCE = `SELECT e.dossier_code FROM event_chain c
  CROSS JOIN LATERAL (SELECT e.dossier_code FROM dossier_events e WHERE e.seq = c.seq AND e.recorded_at = c.recorded_at LIMIT 1) e
  WHERE c.pos > $3 AND c.pos <= $4`;
const SINCE = {
  overdue: `code IN (SELECT code FROM dossiers WHERE ${legalOpenSql.overdue('$1')} AND due_at > $2
                     UNION ${WITH_EVENTS_SINCE})`,
  due_soon: `code IN (SELECT code FROM dossiers WHERE ${legalOpenSql.due_soon('$1')} AND due_soon_at > $2 AND due_at < $1::timestamptz + interval '90 days'
                      UNION ${WITH_EVENTS_SINCE})`,
} as const;

/**
 * The dossiers due soon or overdue at `nowMs`, most urgent first: all of them, or (`since`) only those that crossed
 * the threshold or received events since the last scan.
 */
export async function dossiersToAlert(
  client: pg.ClientBase,
  kind: ScanKind,
  nowMs: number,
  since?: { scannedAt: Date; chainPos: unknown; head: unknown },
): Promise<DossierState[]> {
  const { rows } = await client.query<{ state: DossierState }>(
    `SELECT state FROM dossiers WHERE ${SELECTORS[kind]}${since ? ` AND ${SINCE[kind]}` : ''} ORDER BY due_at, code`,
    since ? [new Date(nowMs), since.scannedAt, since.chainPos, since.head] : [new Date(nowMs)],
  );
  return rows.map((r) => r.state);
}

export interface AlertEntry {
  dedupeKey: string;
  /** The warning scan (alerts/warning-scan.ts) records its crossings in the same ledger. */
  kind: ScanKind | 'warning';
  dossierCode: string;
  dueAt: number;
  recipient: string;
}

/**
 * Records alerts in the ledger; returns the keys that were new. A concurrent scan waits on the same keys and then
 * finds them taken: each alert is new to one scan only.
 */
export async function recordAlerts(client: pg.ClientBase, entries: AlertEntry[]): Promise<string[]> {
  const { rows } = await client.query<{ dedupe_key: string }>(
    `INSERT INTO alerts (dedupe_key, kind, dossier_code, due_at, recipient)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[])
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key`,
    [
      entries.map((c) => c.dedupeKey),
      entries.map((c) => c.kind),
      entries.map((c) => c.dossierCode),
      entries.map((c) => new Date(c.dueAt)),
      entries.map((c) => c.recipient),
    ],
  );
  return rows.map((r) => r.dedupe_key);
}

/** Which outbox message told of these alerts. */
export async function linkAlertsToMessage(client: pg.ClientBase, messageKey: string, alertKeys: string[]): Promise<void> {
  await client.query('UPDATE alerts SET outbox_id = (SELECT id FROM alert_outbox WHERE dedupe_key = $1) WHERE dedupe_key = ANY($2::text[])', [
    messageKey,
    alertKeys,
  ]);
}

/** The digest of an agency: its open dossiers (and those below it) due soon or overdue, clock running, by due instant. */
export async function digestDossiers(client: pg.ClientBase, agencyCode: string, nowMs: number): Promise<DossierState[]> {
  const { rows } = await client.query<{ state: DossierState }>(
    `SELECT state FROM dossiers WHERE agency_codes @> ARRAY[$2]::text[] AND finished_at IS NULL AND NOT paused AND due_soon_at <= $1 ORDER BY due_at`,
    [new Date(nowMs), agencyCode],
  );
  return rows.map((r) => r.state);
}
