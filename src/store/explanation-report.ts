/**
 * What the explanations report reads: the period's late and overdue dossiers (the 766 cells `late` and `overdue`, as
 * the rates and the lateness report count them, judged with the events of then) within the caller's agencies, each
 * with its explanation as it stands now and the names of its author and reviewer (the actors view).
 */
import type pg from 'pg';
import { CELL_FILTERS, RELEVANT } from '../reports/counts-sql.js';
import type { Period } from '../reports/periods.js';
import type { Explanation } from '../dossiers/explanation.js';
import { judgedAtOf } from './report-store.js';

export interface LateDossierRow {
  code: string;
  procedure_code: string;
  receiving_agency_code: string;
  due_at: Date;
  rate_due_at: Date;
  finished_at: Date | null;
  /** Finished late by the period's judgment instant (else open and overdue then). */
  finished_late: boolean;
  explanation: Explanation | null;
  explained_by_name: string | null;
  reviewed_by_name: string | null;
}

export async function lateDossiersWithExplanations(
  pool: pg.Pool,
  period: Period,
  agencies: string[] | null,
  nowMs: number,
): Promise<{ judgedAt: number; rows: LateDossierRow[] }> {
  const judgedAt = judgedAtOf(period, nowMs);
  // $1 from, $2 to, $3 the judgment instant (counts-sql.ts), $4 the caller's agencies (null: all).
  const { rows } = await pool.query<LateDossierRow>(
    // The cells' SQL names the dossiers table unqualified: the late ones are chosen first, the names joined after.
    `WITH late AS (
       SELECT code, procedure_code, receiving_agency_code, due_at, rate_due_at, finished_at,
              (${CELL_FILTERS.late}) AS finished_late, state->'explanation' AS explanation
         FROM dossiers
        WHERE ${RELEVANT} AND ($4::text[] IS NULL OR agency_codes && $4::text[]) AND ((${CELL_FILTERS.late}) OR (${CELL_FILTERS.overdue}))
     )
     SELECT late.*, author.name AS explained_by_name, reviewer.name AS reviewed_by_name
       FROM late
       LEFT JOIN actors author ON author.id::text = late.explanation->>'by'
       LEFT JOIN actors reviewer ON reviewer.id::text = late.explanation->>'reviewedBy'
      ORDER BY late.receiving_agency_code, late.due_at, late.code`,
    [new Date(period.from), new Date(period.to), new Date(judgedAt), agencies],
  );
  return { judgedAt, rows };
}
