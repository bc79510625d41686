/**
 * progress.ts in SQL, over the dossiers table and dossier_judgments: the one
 * place the lists, the dashboard, the alert scans and the reports take their
 * "overdue", "due soon", "waiting" from. `t` is a placeholder for the instant
 * (e.g. `$3`); `d` the dossiers table's name or alias.
 */

/** Legal progress of open dossiers now (the current segment: lists, dashboard, alerts). */
export const legalOpenSql = {
  overdue: (t: string, d = 'dossiers') => `(${d}.finished_at IS NULL AND NOT ${d}.paused AND ${d}.due_at < ${t})`,
  due_soon: (t: string, d = 'dossiers') => `(${d}.finished_at IS NULL AND NOT ${d}.paused AND ${d}.due_soon_at <= ${t} AND ${d}.due_at >= ${t})`,
  on_track: (t: string, d = 'dossiers') => `(${d}.finished_at IS NULL AND NOT ${d}.paused AND ${d}.due_soon_at > ${t})`,
  waiting_for_citizen: (_t: string, d = 'dossiers') => `(${d}.finished_at IS NULL AND ${d}.paused)`,
} as const;

/**
 * lateWithoutApologyAt (progress.ts) of dossiers now (`t` the present instant, as legalOpenSql): finished late
 * without an apology, or open, legally overdue (not waiting for the citizen) and no apology issued.
 */
export function lateWithoutApologyNowSql(t: string, d = 'dossiers'): string {
  return `((${d}.finished_at <= ${t} AND ${d}.flags @> ARRAY['late_without_apology']::text[]) OR ${openLateWithoutApologySql(t, d)})`;
}

/** Its open part: the dossiers someone can still write the apology for (the action queue, alerts, metrics). */
export function openLateWithoutApologySql(t: string, d = 'dossiers'): string {
  return `(${legalOpenSql.overdue(t, d)} AND ${d}.apology_at IS NULL)`;
}

/**
 * lateOrOverdueAt (progress.ts) of dossiers now: finished late by either judgment, or open and overdue now by either
 * (legally, not waiting for the citizen; or past the current segment's 766 overdue instant).
 */
export function lateOrOverdueNowSql(t: string, d = 'dossiers'): string {
  // IS TRUE: a null (no 766 overdue instant while waiting for the citizen) is false, as in TypeScript.
  return `(${lateOrOverdueBranchesSql(t, d)}) IS TRUE`;
}

/**
 * The same condition as its bare disjunction, for a WHERE clause alone (where null already counts as false): the
 * planner reads each branch on its own there, which the IS TRUE around it prevents (the dashboard's queue).
 */
export function lateOrOverdueBranchesSql(t: string, d = 'dossiers'): string {
  return `(${d}.finished_at <= ${t} AND (${d}.outcome = 'late' OR ${d}.rate_outcome = 'late')) OR ${legalOpenSql.overdue(t, d)} OR (${d}.finished_at IS NULL AND ${d}.rate_overdue_after < ${t})`;
}

/**
 * The 766 judgment "overdue" of a dossier open at t, as it was at t: the
 * row's segment if it was already in force then, else the superseded
 * segment that was.
 */
export function rateOverdueAtSql(t: string, d = 'dossiers'): string {
  return `(CASE WHEN ${d}.judged_from <= ${t} THEN ${d}.rate_overdue_after < ${t}
    ELSE (SELECT h.rate_overdue_after < ${t} FROM dossier_judgments h
          WHERE h.dossier_code = ${d}.code AND h.valid_from <= ${t} AND h.valid_to > ${t}) END) IS TRUE`;
}
