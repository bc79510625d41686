/**
 * Reading one dossier: its stored state (as the public lookup and a key's scope see it) and its event log in the
 * order the fold applies it; and the open dossiers counted for /metrics. The list query is dossier-list.ts, the
 * dashboard's queues action-queues.ts.
 */
import type pg from 'pg';
import type { KeyScope } from '../dossiers/authorization.js';
import type { DossierEvent } from '../dossiers/events.js';
import type { DossierState } from '../dossiers/state.js';
import { legalOpenSql, openLateWithoutApologySql } from '../dossiers/progress-sql.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** The dossier's state, whoever asks (the citizen's lookup compares the phone's digits itself). */
export async function dossierState(db: Queryable, code: string): Promise<DossierState | undefined> {
  const { rows } = await db.query<{ state: DossierState }>('SELECT state FROM dossiers WHERE code = $1', [code]);
  return rows[0]?.state;
}

/**
 * The dossier if the key covers it. One outside its agencies is answered exactly as one that does not exist
 * (undefined): the answer must not tell another agency it is there.
 */
export async function scopedDossier(db: Queryable, code: string, scope: KeyScope): Promise<DossierState | undefined> {
  const { rows } = await db.query<{ state: DossierState; agency_codes: string[] }>('SELECT state, agency_codes FROM dossiers WHERE code = $1', [code]);
  const row = rows[0];
  return row && scope.coversPath(row.agency_codes) ? row.state : undefined;
}

export interface LoggedRow {
  seq: number;
  eventId: string;
  type: DossierEvent['type'];
  occurredAt: Date;
  recordedAt: Date;
  body: DossierEvent;
}

/** A dossier's events in the order the fold applies them (by when they happened, then as logged). */
export async function loadLog(db: Queryable, code: string): Promise<LoggedRow[]> {
  const { rows } = await db.query<{ seq: number; event_id: string; type: DossierEvent['type']; occurred_at: Date; recorded_at: Date; body: DossierEvent }>(
    'SELECT seq, event_id, type, occurred_at, recorded_at, body FROM dossier_events WHERE dossier_code = $1 ORDER BY occurred_at, seq',
    [code],
  );
  return rows.map((r) => ({ seq: r.seq, eventId: r.event_id, type: r.type, occurredAt: r.occurred_at, recordedAt: r.recorded_at, body: r.body }));
}

// The legal judgment now and "late without an apology" as every list and page spells them (progress-sql.ts).
const OPEN_BY_AGENCY_KIND = `SELECT a.kind, count(*)::int AS open, count(*) FILTER (WHERE ${legalOpenSql.overdue('now()', 'd')})::int AS overdue,
    count(*) FILTER (WHERE ${openLateWithoutApologySql('now()', 'd')})::int AS late_without_apology
  FROM dossiers d JOIN agencies a ON a.code = d.receiving_agency_code WHERE d.finished_at IS NULL GROUP BY 1`;

/** Open dossiers, those legally overdue and those overdue with no apology, by the kind of the receiving agency. */
export async function openDossiersByAgencyKind(pool: pg.Pool): Promise<Array<{ kind: string; open: number; overdue: number; late_without_apology: number }>> {
  const { rows } = await pool.query<{ kind: string; open: number; overdue: number; late_without_apology: number }>(OPEN_BY_AGENCY_KIND);
  return rows;
}
