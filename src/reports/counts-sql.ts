/**
 * The SQL behind the counts of rates.ts: one pass over the dossiers relevant
 * to a period (received before its end and not finished before its start),
 * with each count a FILTER of the same definitions. $1 = from, $2 = to,
 * $3 = the instant open dossiers are judged at: the period's end, or now for
 * a period still running (a dossier due tomorrow is not overdue today).
 */
export const GROUP_COLUMNS = {
  agency: 'receiving_agency_code',
  procedure: 'procedure_code',
  field: 'field',
  channel: 'channel',
  all: "'total'",
} as const;
export type GroupColumn = keyof typeof GROUP_COLUMNS;

const RECEIVED = 'received_at >= $1 AND received_at < $2';
const FINISHED = 'finished_at >= $1 AND finished_at < $2';
const OPEN_AT_END = 'received_at < $2 AND (finished_at IS NULL OR finished_at >= $2)';

/** Which dossiers a report cell is made of, by the same definitions as the counts. */
export const CELL_FILTERS = {
  received: RECEIVED,
  received_online: `${RECEIVED} AND channel = 'online'`,
  finished: FINISHED,
  // The 766 judgment (rate_*): supplementation time subtracted, two supplementation requests late.
  early: `${FINISHED} AND rate_outcome = 'early'`,
  on_time: `${FINISHED} AND rate_outcome = 'on_time'`,
  late: `${FINISHED} AND rate_outcome = 'late'`,
  on_track: `${OPEN_AT_END} AND rate_due_at >= $3::timestamptz`,
  overdue: `${OPEN_AT_END} AND rate_due_at < $3::timestamptz`,
  fee_required: `${RECEIVED} AND fee_required`,
  paid_online: `${RECEIVED} AND fee_required AND paid_online`,
  digitized: `${RECEIVED} AND digitized`,
} as const;
export type Cell = keyof typeof CELL_FILTERS;

export const RELEVANT = 'received_at < $2 AND (finished_at IS NULL OR finished_at >= $1)';

export function countsSql(group: GroupColumn, extraWhere: string): string {
  const c = (name: Cell) => `count(*) FILTER (WHERE ${CELL_FILTERS[name]})::int`;
  return `SELECT ${GROUP_COLUMNS[group]} AS key,
    ${c('received')} AS "received", ${c('received_online')} AS "receivedOnline",
    ${c('finished')} AS "finished", ${c('early')} AS "early", ${c('on_time')} AS "onTime", ${c('late')} AS "late",
    ${c('on_track')} AS "openOnTrack", ${c('overdue')} AS "openOverdue",
    ${c('fee_required')} AS "feeRequired", ${c('paid_online')} AS "paidOnline", ${c('digitized')} AS "digitized"
  FROM dossiers WHERE ${RELEVANT}${extraWhere} GROUP BY 1`;
}
