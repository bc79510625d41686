/**
 * The dashboard's action queues: the open dossiers that need someone now, most urgent first, within an agency or a
 * key's agencies. Each is its first 50 by due instant and how many in all: two reads, so that neither fetches every
 * matching row (a large province has ~100,000 open dossiers). The conditions are progress-sql.ts's.
 */
import type pg from 'pg';
import type { DossierState } from '../dossiers/state.js';
import { lateOrOverdueBranchesSql, legalOpenSql, openLateWithoutApologySql } from '../dossiers/progress-sql.js';

export type ActionQueue =
  | 'late_without_apology'
  | 'overdue'
  | 'due_soon'
  | 'closure_due'
  | 'waiting_too_long'
  | 'message_undelivered'
  | 'unexplained'
  | 'unacknowledged'
  | 'letter_approval'
  | 'letter_signature';

export interface QueueScope {
  now: number;
  /** Dossiers on the path of any of these agencies; null: all. */
  agencies: string[] | null;
  /** waiting_too_long: waiting for the citizen since before this instant (a display threshold, not a legal limit). */
  waitingSince: number;
}

/** The start of the calendar year, in Vietnam, of the queue's instant $1. */
const YEAR_START = `(date_trunc('year', $1::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'Asia/Ho_Chi_Minh')`;

const CONDITIONS: Record<ActionQueue, (waitingSince: string) => string> = {
  late_without_apology: () => openLateWithoutApologySql('$1'),
  overdue: () => legalOpenSql.overdue('$1'),
  due_soon: () => legalOpenSql.due_soon('$1'),
  // Decree 118/2025 Art. 19(5): not completed 15 days after the notice, the one-stop unit is due to close it.
  closure_due: () => `finished_at IS NULL AND closure_due_at <= $1`,
  // The long waits not already in the closure queue: a dossier is listed once.
  // A message to the applicant not delivered by its legal moment (the apology, 1 day before the due date: Decree
  // 118/2025 Art. 19(6)): someone must reach the applicant another way (issue 27).
  // An apology handed over at the counter (apology_delivered) has reached the applicant whatever the outbox says.
  // The state is read (a json parse) only for the few dossiers the outbox names, not for every row the later queues
  // test against this one to list a dossier once.
  message_undelivered: () =>
    `code IN (SELECT o.dossier_code FROM alert_outbox o JOIN dossiers u ON u.code = o.dossier_code WHERE o.deliver_by IS NOT NULL AND o.status <> 'sent' AND o.deliver_by < $1 AND (u.state->'apology'->>'deliveredAt') IS NULL)`,
  // Late or overdue (either judgment: progress.ts lateOrOverdueAt) and not explained, or explained and returned: open
  // now, or finished late this year (Vietnam's calendar year of $1). A dashboard that counted every late dossier of
  // every year would grow with the history it cannot change (and read all of it: 120 ms at 100,000 dossiers); the
  // report (GET /reports/explanations) covers any period. The bare disjunction, not lateOrOverdueNowSql's IS TRUE:
  // alone in a WHERE it means the same, and each branch can read its index (migration 074).
  unexplained: () =>
    `(explanation_status IS NULL OR explanation_status = 'returned') AND (${lateOrOverdueBranchesSql('$1')}) AND (finished_at IS NULL OR finished_at >= ${YEAR_START})`,
  // Explained, waiting for a supervisor to acknowledge it.
  unacknowledged: () => `explanation_status = 'submitted'`,
  // Letters under way (letter-workflow.ts lettersWaiting, the projection's letters_waiting): drafts submitted and
  // waiting for approval, approved letters waiting for the signature. By due instant, which orders their legal moments.
  letter_approval: () => `letters_waiting <> '{}' AND 'approval' = ANY(letters_waiting)`,
  letter_signature: () => `letters_waiting <> '{}' AND 'signature' = ANY(letters_waiting)`,
  waiting_too_long: (since) =>
    `${legalOpenSql.waiting_for_citizen('$1')} AND waiting_since < ${since}::timestamptz AND (closure_due_at IS NULL OR closure_due_at > $1)`,
};

/**
 * The queues in the order the dashboard lists them, most pressing first. A dossier is listed once, in the first queue
 * it belongs to (issue 28 item 7): a dossier late without an apology is not listed again among the overdue ones.
 */
export const QUEUE_ORDER: readonly ActionQueue[] = ['message_undelivered', 'late_without_apology', 'overdue', 'due_soon', 'closure_due', 'waiting_too_long'];

/**
 * The queue's own condition, without the dossiers an earlier queue lists (NULL comparisons count as not listed).
 * Queues outside QUEUE_ORDER are other work on the same dossiers (explaining a late one) and stand on their own.
 */
function listedHere(queue: ActionQueue, since: string): string {
  const position = QUEUE_ORDER.indexOf(queue);
  const earlier = position < 0 ? [] : QUEUE_ORDER.slice(0, position);
  const own = CONDITIONS[queue](since);
  return earlier.length ? `${own} AND NOT coalesce(${earlier.map((q) => `(${CONDITIONS[q](since)})`).join(' OR ')}, false)` : own;
}

export async function actionQueue(pool: pg.Pool, queue: ActionQueue, scope: QueueScope, limit = 50): Promise<{ total: number; states: DossierState[] }> {
  const params: unknown[] = [new Date(scope.now)];
  const scopeWhere = scope.agencies ? `agency_codes && $${params.push(scope.agencies)}::text[]` : 'true';
  const since = queue === 'waiting_too_long' ? `$${params.push(new Date(scope.waitingSince))}` : '';
  // $1 (now) typed even in a list that does not compare with it.
  const condition = `$1::timestamptz IS NOT NULL AND ${scopeWhere} AND ${listedHere(queue, since)}`;
  const [{ rows }, counted] = await Promise.all([
    pool.query<{ state: DossierState }>(`SELECT state FROM dossiers WHERE ${condition} ORDER BY due_at, code LIMIT ${limit | 0}`, params),
    pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM dossiers WHERE ${condition}`, params),
  ]);
  return { total: counted.rows[0]!.n, states: rows.map((r) => r.state) };
}
