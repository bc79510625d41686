/**
 * What the lateness-by-step report reads (src/reports/lateness-sources.ts judges it): the period's late and overdue
 * dossiers (the 766 cells `late` and `overdue`, as the rates count them) and the steps (dossier_steps, migration 070)
 * of those dossiers and of every dossier with a step that may have run over in the period. Scoped like a dossier
 * read: a dossier the caller's agencies see (its receiving or handling agencies' paths).
 */
import type pg from 'pg';
import type { Catalog } from '../catalog/catalog.js';
import { CELL_FILTERS, RELEVANT } from '../reports/counts-sql.js';
import type { Period } from '../reports/periods.js';
import type { StepState } from '../dossiers/steps.js';
import type { Holder } from '../dossiers/holder.js';
import type { Duration } from '../rules/durations.js';
import { judgedAtOf } from './report-store.js';

interface StepRow {
  dossier_code: string;
  position: number;
  agency_code: string;
  step: string;
  holder: Holder | null;
  budget: Duration | null;
  office_hours: string[];
  started_at: Date;
  budget_due_at: Date | null;
  due_at: Date | null;
  pauses: StepState['pauses'];
  ended_at: Date | null;
}

const ms = (d: Date | null) => (d === null ? null : d.getTime());

/** A stored step row as the fold's step (what steps.ts judges). */
export function stepOfRow(r: StepRow): StepState {
  return {
    agencyCode: r.agency_code,
    step: r.step,
    holder: r.holder,
    budget: r.budget,
    officeHours: r.office_hours,
    startedAt: r.started_at.getTime(),
    budgetDueAt: ms(r.budget_due_at),
    dueAt: ms(r.due_at),
    pauses: r.pauses,
    endedAt: ms(r.ended_at),
    outcome: null,
    overrunMs: null,
  };
}

/** The caller's agencies and everything below them (null: the whole province). */
function scopeCodes(catalog: Catalog, agencies: string[] | null): string[] | null {
  return agencies ? [...new Set(agencies.flatMap((a) => catalog.descendantsOf(a)))] : null;
}

export async function lateDossiersAndSteps(pool: Pick<pg.Pool, 'query'>, catalog: Catalog, period: Period, agencies: string[] | null, nowMs: number) {
  const judgedAt = judgedAtOf(period, nowMs);
  const scope = scopeCodes(catalog, agencies);
  // $1 from, $2 to, $3 the judgment instant (counts-sql.ts), $4 the scope (null: all).
  const params = [new Date(period.from), new Date(period.to), new Date(judgedAt), scope];
  const inScope = '($4::text[] IS NULL OR agency_codes && $4::text[])';
  const late = await pool.query<{ code: string; finished_at: Date | null }>(
    `SELECT code, finished_at FROM dossiers WHERE ${RELEVANT} AND ${inScope} AND ((${CELL_FILTERS.late}) OR (${CELL_FILTERS.overdue}))`,
    params,
  );
  // Steps that may have run over in the period: ended in it (after their first due instant), or open at the judgment
  // instant and due before it. Then every step of those dossiers and of the late ones.
  const steps = await pool.query<StepRow>(
    `WITH candidates AS (
       SELECT dossier_code FROM dossier_steps
        WHERE budget_due_at IS NOT NULL AND ended_at IS NOT NULL AND ended_at >= $1 AND ended_at < $2 AND ended_at <= $3 AND ended_at > budget_due_at
       UNION
       SELECT dossier_code FROM dossier_steps
        WHERE ended_at IS NULL AND due_at IS NOT NULL AND budget_due_at < $3 AND started_at <= $3
       UNION
       SELECT dossier_code FROM dossier_steps
        WHERE budget_due_at IS NOT NULL AND ended_at > $3 AND budget_due_at < $3 AND started_at <= $3
     ), seen AS (
       SELECT c.dossier_code FROM candidates c JOIN dossiers d ON d.code = c.dossier_code WHERE ${inScope.replace('agency_codes', 'd.agency_codes')}
       UNION SELECT unnest($5::text[])
     )
     SELECT s.* FROM dossier_steps s JOIN seen ON seen.dossier_code = s.dossier_code
     WHERE s.started_at <= $3 ORDER BY s.dossier_code, s.position`,
    [...params, late.rows.map((r) => r.code)],
  );
  const byDossier = new Map<string, StepState[]>();
  for (const r of steps.rows) {
    let list = byDossier.get(r.dossier_code);
    if (!list) byDossier.set(r.dossier_code, (list = []));
    list.push(stepOfRow(r));
  }
  const lateAt = new Map(late.rows.map((r) => [r.code, r.finished_at !== null && r.finished_at.getTime() <= judgedAt ? r.finished_at.getTime() : judgedAt]));
  return { judgedAt, steps: byDossier, late: lateAt };
}
