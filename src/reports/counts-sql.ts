/**
 * The SQL behind the counts of rates.ts: one pass over the dossiers relevant
 * to a period, with each count a FILTER of the same definitions as
 * contributions.ts and indicator-flags.ts. $1 = from, $2 = to, $3 = the
 * instant open dossiers are judged at: the period's last instant, or now for
 * a period still running (a dossier due tomorrow is not overdue today).
 */
import { rateOverdueAtSql } from '../dossiers/progress-sql.js';

export const GROUP_COLUMNS = {
  agency: 'receiving_agency_code',
  procedure: 'procedure_code',
  field: 'field',
  channel: 'channel',
  all: "'total'",
} as const;
export type GroupColumn = keyof typeof GROUP_COLUMNS;

const within = (column: string) => `${column} >= $1 AND ${column} < $2`;
const RECEIVED = within('received_at');
const FINISHED = within('finished_at');
const STARTED = within('started_at');
const OPEN_AT_END = 'received_at <= $3 AND (finished_at IS NULL OR finished_at > $3)';
// Given by the instant the period is judged at (DOMAIN §5): a result or payment after its end is not the period's.
const RESULT_OK = '(NOT paper_result OR electronic_result_at <= $3)';
const PAYABLE = 'fee_procedure AND fee_required';

/** Which dossiers a report cell is made of, by the same definitions as the counts. */
export const CELL_FILTERS = {
  received: RECEIVED,
  received_online: `${RECEIVED} AND channel = 'online'`,
  received_postal: `${RECEIVED} AND channel = 'postal'`,
  online_full: `${RECEIVED} AND channel = 'online' AND ${RESULT_OK}`,
  finished: FINISHED,
  early: `${FINISHED} AND rate_outcome = 'early'`,
  on_time: `${FINISHED} AND rate_outcome = 'on_time'`,
  late: `${FINISHED} AND rate_outcome = 'late'`,
  on_track: `${OPEN_AT_END} AND NOT ${rateOverdueAtSql('$3')}`,
  overdue: `${OPEN_AT_END} AND ${rateOverdueAtSql('$3')}`,
  fee_required: `${STARTED} AND ${PAYABLE}`,
  paid_online: `${STARTED} AND ${PAYABLE} AND paid_online_at <= $3`,
  digitized: `${RECEIVED} AND digitized`,
  digitized_full: `${RECEIVED} AND digitized AND ${RESULT_OK}`,
  paper_result: `${RECEIVED} AND paper_result`,
  electronic_result: `${RECEIVED} AND paper_result AND electronic_result_at <= $3`,
  reused_data: `${RECEIVED} AND reused_data`,
  rescheduled: within('apology_at'),
  apology_too_late: `${within('apology_at')} AND flags @> ARRAY['apology_too_late']::text[]`,
  late_without_apology: `${FINISHED} AND flags @> ARRAY['late_without_apology']::text[]`,
  repeated_supplement: within('second_supplement_at'),
  late_supplement_request: within('late_request_at'),
  dissatisfied: within('dissatisfied_at'),
  closed: `${FINISHED} AND status = 'closed'`,
  late_online_acceptance: `${RECEIVED} AND flags @> ARRAY['late_online_acceptance']::text[]`,
  processing_time: `${STARTED} AND finished_at < $2`,
} as const;
export type Cell = keyof typeof CELL_FILTERS;

/** Counts key ← cell. */
const COUNT_CELLS: Array<[string, Cell]> = [
  ['received', 'received'], ['receivedOnline', 'received_online'], ['receivedPostal', 'received_postal'], ['onlineFull', 'online_full'],
  ['finished', 'finished'], ['early', 'early'], ['onTime', 'on_time'], ['late', 'late'], ['openOnTrack', 'on_track'], ['openOverdue', 'overdue'],
  ['feeRequired', 'fee_required'], ['paidOnline', 'paid_online'], ['digitized', 'digitized'], ['digitizedFull', 'digitized_full'],
  ['paperResult', 'paper_result'], ['electronicResult', 'electronic_result'], ['reusedData', 'reused_data'], ['rescheduled', 'rescheduled'],
  ['apologyTooLate', 'apology_too_late'], ['lateWithoutApology', 'late_without_apology'], ['repeatedSupplement', 'repeated_supplement'],
  ['lateSupplementRequest', 'late_supplement_request'], ['dissatisfied', 'dissatisfied'], ['processingTimeCount', 'processing_time'],
  ['closed', 'closed'], ['lateOnlineAcceptance', 'late_online_acceptance'],
];

/** Every dossier any cell may count: received by the end, and not finished before the start unless rated or complained about in it. */
export const RELEVANT = 'received_at < $2 AND (finished_at IS NULL OR finished_at >= $1 OR dissatisfied_at >= $1)';

export function countsSql(group: GroupColumn, extraWhere: string, relevant = RELEVANT): string {
  const c = ([key, cell]: [string, Cell]) => `count(*) FILTER (WHERE ${CELL_FILTERS[cell]})::int AS "${key}"`;
  return `SELECT ${GROUP_COLUMNS[group]} AS key, ${COUNT_CELLS.map(c).join(', ')},
    coalesce(sum(processing_time::numeric) FILTER (WHERE ${CELL_FILTERS.processing_time}), 0)::float8 AS "processingTimeSum"
  FROM dossiers WHERE ${relevant}${extraWhere} GROUP BY 1`;
}
