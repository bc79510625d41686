/**
 * The public lookup's reads and its failure budgets (routes/public.ts; issue 27 item 6). A code is found in any letter
 * case. Failed tries are counted per code, whether or not the code exists (so the answer, blocked or not, says nothing
 * about existence), and for the whole service under the key '' (no code is empty), in windows of one hour.
 */
import type pg from 'pg';
import type { DossierState } from '../dossiers/state.js';

const GLOBAL = '';
const WINDOW = "interval '1 hour'";

/** The dossiers whose code matches in any letter case (two only if codes differ by case alone). */
export async function dossiersByCodeAnyCase(pool: pg.Pool, code: string): Promise<DossierState[]> {
  const { rows } = await pool.query<{ state: DossierState }>('SELECT state FROM dossiers WHERE upper(code) = upper($1) LIMIT 5', [code]);
  return rows.map((r) => r.state);
}

export interface BudgetState {
  /** Failed tries on this code in its window, and when the window ends. */
  code: { failures: number; until: number } | null;
  all: { failures: number; until: number } | null;
}

export async function lookupBudget(pool: pg.Pool, code: string, nowMs: number): Promise<BudgetState> {
  const { rows } = await pool.query<{ code_key: string; failures: number; until: Date }>(
    `SELECT code_key, failures, window_start + ${WINDOW} AS until FROM lookup_failures WHERE code_key IN (upper($1), '${GLOBAL}') AND window_start > $2::timestamptz - ${WINDOW}`,
    [code, new Date(nowMs)],
  );
  const of = (k: string) => {
    const r = rows.find((x) => x.code_key === k);
    return r ? { failures: r.failures, until: r.until.getTime() } : null;
  };
  return { code: of(code.toUpperCase()), all: of(GLOBAL) };
}

/** One failed try on `code`, counted for it and for the service; an expired window starts again. */
export async function recordLookupFailure(pool: pg.Pool, code: string, nowMs: number): Promise<void> {
  await pool.query(
    `INSERT INTO lookup_failures AS f (code_key, failures, window_start, unseen, last_failure_at)
     VALUES (upper($1), 1, $2, 1, $2), ('${GLOBAL}', 1, $2, 0, $2)
     ON CONFLICT (code_key) DO UPDATE SET
       failures = CASE WHEN f.window_start <= $2::timestamptz - ${WINDOW} THEN 1 ELSE f.failures + 1 END,
       window_start = CASE WHEN f.window_start <= $2::timestamptz - ${WINDOW} THEN $2 ELSE f.window_start END,
       unseen = f.unseen + excluded.unseen,
       last_failure_at = $2`,
    [code, new Date(nowMs)],
  );
  // Codes tried and forgotten: a row a month old says nothing worth keeping (the global budget bounds how many come).
  await pool.query(`DELETE FROM lookup_failures WHERE code_key <> '${GLOBAL}' AND last_failure_at < $1::timestamptz - interval '30 days'`, [new Date(nowMs)]);
}

/** The owner's successful lookup: how many failed tries on the code since the last one (then forgotten). */
export async function takeUnseenFailures(pool: pg.Pool, code: string): Promise<number> {
  const { rows } = await pool.query<{ unseen: number }>(
    `UPDATE lookup_failures f SET unseen = 0 FROM (SELECT code_key, unseen FROM lookup_failures WHERE code_key = upper($1) FOR UPDATE) old
     WHERE f.code_key = old.code_key RETURNING old.unseen`,
    [code],
  );
  return rows[0]?.unseen ?? 0;
}
