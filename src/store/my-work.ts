/**
 * An officer's own list (issue 28 item 5): the open dossiers that are theirs to do now — at their agencies and
 * overdue or due soon (progress-sql.ts's definitions, as the dashboard's queues), or held by them (the open step's
 * `holder.personId` is theirs) — most urgent first: by due instant, the dossiers waiting for the citizen (clock
 * stopped) last. One read of at most `limit` rows, and how many in all.
 */
import type pg from 'pg';
import type { DossierState } from '../dossiers/state.js';
import { legalOpenSql } from '../dossiers/progress-sql.js';

export interface MyWorkItem {
  state: DossierState;
  /** The person holds its open step. */
  held: boolean;
  overdue: boolean;
  dueSoon: boolean;
}

export async function myWork(
  pool: pg.Pool,
  who: { personId: string; agencyCodes: string[] },
  now: number,
  limit = 100,
): Promise<{ total: number; items: MyWorkItem[] }> {
  // A person holds only dossiers at their agencies (ingestion checks a hand-over's person against the step's
  // agency), so every row is among the open dossiers of those agencies (the GIN index on agency_codes); whether they
  // hold it is a look at its open step (dossier_steps' key). An index on the open steps by holder would need a
  // migration after 070's table: with the scope first it is not needed.
  const held = `EXISTS (SELECT 1 FROM dossier_steps st WHERE st.dossier_code = d.code AND st.ended_at IS NULL
                  AND st.holder ? 'personId' AND lower(st.holder->>'personId') = lower($2))`;
  const { rows } = await pool.query<{ state: DossierState; held: boolean; overdue: boolean; due_soon: boolean; total: number }>(
    `SELECT d.state, ${held} AS held, ${legalOpenSql.overdue('$1', 'd')} AS overdue, ${legalOpenSql.due_soon('$1', 'd')} AS due_soon,
            count(*) OVER ()::int AS total
     FROM dossiers d
     WHERE d.finished_at IS NULL AND d.agency_codes && $3::text[]
       AND (${legalOpenSql.overdue('$1', 'd')} OR ${legalOpenSql.due_soon('$1', 'd')} OR ${held})
     ORDER BY d.paused, d.due_at, d.code
     LIMIT $4`,
    [new Date(now), who.personId, who.agencyCodes, limit],
  );
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => ({ state: r.state, held: r.held, overdue: r.overdue, dueSoon: r.due_soon })),
  };
}
