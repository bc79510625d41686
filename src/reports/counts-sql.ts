/**
 * The SQL behind the counts of rates.ts: one pass over the dossiers relevant
 * to a period, with each count a FILTER of its row of the count table
 * (count-table.ts), as the daily counters (contributions.ts) are. $1 = from, $2 = to, $3 = the
 * instant open dossiers are judged at: the period's last instant, or now for
 * a period still running (a dossier due tomorrow is not overdue today).
 */
import { rateOverdueAtSql } from '../dossiers/progress-sql.js';
import { ANCHORS, COUNT_TABLE, type CountColumn } from './count-table.js';

export const GROUP_COLUMNS = {
  agency: 'receiving_agency_code',
  procedure: 'procedure_code',
  field: 'field',
  channel: 'channel',
  all: "'total'",
} as const;
export type GroupColumn = keyof typeof GROUP_COLUMNS;

const within = (column: string) => `${column} >= $1 AND ${column} < $2`;
const OPEN_AT_END = 'received_at <= $3 AND (finished_at IS NULL OR finished_at > $3)';

/**
 * Which dossiers a report cell is made of: each count of the count table anchored in the period and judged as of $3
 * (a result or payment after the period's end is not the period's, DOMAIN §5), and the open stock at the end.
 */
// Open when the period began: the stock the period inherits (the official forms' "từ kỳ trước"), whatever it became since.
const OPEN_AT_START = 'received_at < $1 AND (finished_at IS NULL OR finished_at >= $1)';

export const CELL_FILTERS: Record<CountColumn | 'carried_over' | 'on_track' | 'overdue' | 'processing_time', string> = {
  ...(Object.fromEntries(COUNT_TABLE.map((d) => [d.column, `${within(ANCHORS[d.anchor].column)} AND ${d.sql('$3')}`])) as Record<CountColumn, string>),
  carried_over: OPEN_AT_START,
  on_track: `${OPEN_AT_END} AND NOT ${rateOverdueAtSql('$3')}`,
  overdue: `${OPEN_AT_END} AND ${rateOverdueAtSql('$3')}`,
  processing_time: `${within('started_at')} AND finished_at < $2`,
};
export type Cell = keyof typeof CELL_FILTERS;

/** Counts key ← cell. */
const COUNT_CELLS: Array<[string, Cell]> = [
  ...COUNT_TABLE.map((d): [string, Cell] => [d.key, d.column]),
  ['openOnTrack', 'on_track'],
  ['openOverdue', 'overdue'],
  ['processingTimeCount', 'processing_time'],
  ['carriedOver', 'carried_over'],
];

/** Every dossier any cell may count: received by the end, and not finished before the start unless rated or complained about in it. */
export const RELEVANT = 'received_at < $2 AND (finished_at IS NULL OR finished_at >= $1 OR dissatisfied_at >= $1)';

export function countsSql(group: GroupColumn, extraWhere: string, relevant = RELEVANT): string {
  const c = ([key, cell]: [string, Cell]) => `count(*) FILTER (WHERE ${CELL_FILTERS[cell]})::int AS "${key}"`;
  return `SELECT ${GROUP_COLUMNS[group]} AS key, ${COUNT_CELLS.map(c).join(', ')},
    coalesce(sum(processing_time::numeric) FILTER (WHERE ${CELL_FILTERS.processing_time}), 0)::float8 AS "processingTimeSum"
  FROM dossiers WHERE ${relevant}${extraWhere} GROUP BY 1`;
}
