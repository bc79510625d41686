/**
 * Running the report queries: counts per group for a period, agency rows
 * rolled up the tree (each dossier counted under its receiving agency and
 * every ancestor), a total, and the dossiers behind a cell.
 */
import type pg from 'pg';
import { CHANNEL_TEXT } from '../reports/vietnamese-terms.js';
import type { Catalog } from '../catalog/catalog.js';
import { addCounts, EMPTY_COUNTS, withRates, type Counts, type RateRow } from '../reports/rates.js';
import { CELL_FILTERS, countsSql, RELEVANT, type Cell, type GroupColumn } from '../reports/counts-sql.js';
import { monthsIn, type Period } from '../reports/periods.js';
import { periodOf, type ReportQuery } from '../reports/report-query.js';
import { isoDateOf, localDayOf, localDayStart } from '../calendar/local-time.js';

export interface ReportFilter {
  /** Only dossiers received by these agencies or below them (the caller's scope and the `agency` parameter). */
  agencies: string[] | null;
  procedure?: string;
  field?: string;
  channel?: string;
}

export interface ReportRow extends RateRow {
  key: string;
  label: string;
  period?: string;
}

function whereOf(filter: ReportFilter, catalog: Catalog, params: unknown[]): string {
  let where = '';
  if (filter.agencies) {
    params.push([...new Set(filter.agencies.flatMap((a) => catalog.descendantsOf(a)))]);
    where += ` AND receiving_agency_code = ANY($${params.length}::text[])`;
  }
  for (const [column, value] of [['procedure_code', filter.procedure], ['field', filter.field], ['channel', filter.channel]] as const) {
    if (value) {
      params.push(value);
      where += ` AND ${column} = $${params.length}`;
    }
  }
  return where;
}

/** $1, $2, $3 of the report SQL: the period, and when open dossiers are judged (its end, or now if sooner). */
function periodParams(period: Period, nowMs: number): unknown[] {
  return [new Date(period.from), new Date(period.to), new Date(Math.min(period.to, nowMs))];
}

export async function countsBy(pool: pg.Pool, catalog: Catalog, period: Period, group: GroupColumn, filter: ReportFilter, nowMs: number): Promise<Map<string, Counts>> {
  const params = periodParams(period, nowMs);
  const where = whereOf(filter, catalog, params);
  const { rows } = await pool.query<Counts & { key: string }>(countsSql(group, where), params);
  return new Map(rows.map(({ key, ...c }) => [key, c]));
}

/**
 * The same counts by receiving agency, read from the daily counters instead of
 * the dossiers: a few thousand rows instead of a million. Valid for periods
 * that start and end at local midnight and have ended (open dossiers judged
 * at the period's end), without procedure, field or channel filters.
 */
export async function countsFromCounters(pool: pg.Pool, catalog: Catalog, period: Period, filter: ReportFilter): Promise<Map<string, Counts>> {
  return (await periodsFromCounters(pool, catalog, [period], filter))[0]!;
}

/**
 * Counts by receiving agency for several periods in one pass over the
 * counters (each counter row meets the periods that end after its day):
 * the yearly report by agency × month in one query.
 */
export async function periodsFromCounters(pool: pg.Pool, catalog: Catalog, periods: Period[], filter: ReportFilter): Promise<Array<Map<string, Counts>>> {
  const params: unknown[] = [periods.map((p) => isoDateOf(localDayOf(p.from))), periods.map((p) => isoDateOf(localDayOf(p.to)))];
  let where = '';
  if (filter.agencies) {
    params.push([...new Set(filter.agencies.flatMap((a) => catalog.descendantsOf(a)))]);
    where = `AND agency_code = ANY($3::text[])`;
  }
  const flow = (column: string) => `coalesce(sum(${column}) FILTER (WHERE day >= m.from_day), 0)::int`;
  const stock = (column: string) => `coalesce(sum(${column}), 0)::int`;
  const { rows } = await pool.query(
    `SELECT m.n::int AS n, agency_code AS key, ${flow('received')} AS "received", ${flow('received_online')} AS "receivedOnline",
       ${flow('finished')} AS "finished", ${flow('early')} AS "early", ${flow('on_time')} AS "onTime", ${flow('late')} AS "late",
       ${stock('open_delta')} AS open, ${stock('overdue_delta')} AS overdue,
       ${flow('fee_required')} AS "feeRequired", ${flow('paid_online')} AS "paidOnline", ${flow('digitized')} AS "digitized"
     FROM unnest($1::date[], $2::date[]) WITH ORDINALITY AS m(from_day, to_day, n)
     JOIN daily_counts ON day < m.to_day ${where}
     GROUP BY 1, 2`,
    params,
  );
  const out = periods.map(() => new Map<string, Counts>());
  for (const { n, key, open, overdue, ...c } of rows) {
    const counts = { ...c, openOnTrack: open - overdue, openOverdue: overdue } as Counts;
    if (Object.values(counts).some((x) => x !== 0)) out[n - 1]!.set(key, counts);
  }
  return out;
}

/** Whether counts for this period may come from the daily counters (see countsFromCounters). */
export function countersServe(period: Period, filter: ReportFilter, nowMs: number): boolean {
  return !filter.procedure && !filter.field && !filter.channel && period.to <= nowMs && isMidnight(period.from) && isMidnight(period.to);
}

function isMidnight(instantMs: number): boolean {
  return localDayStart(localDayOf(instantMs)) === instantMs;
}

/** Rows for agencies: every agency on the receiving agencies' paths within the filter, rolled up. */
export function rollUpAgencies(byReceiving: Map<string, Counts>, catalog: Catalog, roots: string[] | null): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (const [code, counts] of byReceiving) {
    for (const ancestor of catalog.pathOf(code)) out.set(ancestor, addCounts(out.get(ancestor) ?? EMPTY_COUNTS, counts));
  }
  if (roots) {
    const allowed = new Set(roots.flatMap((r) => catalog.descendantsOf(r)));
    for (const code of out.keys()) if (!allowed.has(code)) out.delete(code);
  }
  return out;
}

export function labelOf(group: GroupColumn | 'month', key: string, catalog: Catalog): string {
  if (group === 'agency') return catalog.agency(key)?.name ?? key;
  if (group === 'procedure') return catalog.procedure(key)?.name ?? key;
  if (group === 'channel') return (CHANNEL_TEXT as Record<string, string>)[key] ?? key;
  if (group === 'all') return 'Tổng cộng';
  return key;
}

export async function rateRows(
  pool: pg.Pool,
  catalog: Catalog,
  period: Period,
  group: GroupColumn,
  filter: ReportFilter,
  nowMs: number,
): Promise<{ rows: ReportRow[]; total: ReportRow }> {
  const fromCounters = (group === 'agency' || group === 'all') && countersServe(period, filter, nowMs);
  let counts: Map<string, Counts>;
  if (fromCounters) {
    const byAgency = await countsFromCounters(pool, catalog, period, filter);
    counts = group === 'agency' ? byAgency : new Map([['total', [...byAgency.values()].reduce(addCounts, EMPTY_COUNTS)]]);
  } else {
    counts = await countsBy(pool, catalog, period, group, filter, nowMs);
  }
  const grouped = group === 'agency' ? rollUpAgencies(counts, catalog, filter.agencies) : counts;
  const rows = [...grouped.entries()]
    .map(([key, c]) => ({ key, label: labelOf(group, key, catalog), ...withRates(c) }))
    .sort((a, b) => (group === 'agency' ? catalog.pathOf(a.key).join('/').localeCompare(catalog.pathOf(b.key).join('/')) : a.key.localeCompare(b.key)));
  const total = [...counts.values()].reduce(addCounts, EMPTY_COUNTS);
  return { rows, total: { key: 'total', label: 'Tổng cộng', ...withRates(total) } };
}

/** The dossiers behind one cell of the report, in receipt order. */
export async function cellDossiers(pool: pg.Pool, catalog: Catalog, period: Period, cell: Cell, filter: ReportFilter, limit: number, nowMs: number) {
  const params = periodParams(period, nowMs);
  const where = whereOf(filter, catalog, params);
  params.push(limit);
  const { rows } = await pool.query(
    `SELECT code, status, procedure_code, receiving_agency_code, channel, received_at, due_at, finished_at, outcome, $3::timestamptz AS judged_at
     FROM dossiers WHERE ${RELEVANT}${where} AND ${CELL_FILTERS[cell]} ORDER BY received_at, code LIMIT $${params.length}`,
    params,
  );
  return rows;
}

/** A whole report: rows for the grouping (months: one row per month) and the total. */
export async function buildReport(
  pool: pg.Pool,
  catalog: Catalog,
  q: ReportQuery,
  filter: ReportFilter,
  nowMs: number,
  onProgress?: (done: number, total: number) => void,
): Promise<{ period: Period; rows: ReportRow[]; total: ReportRow }> {
  const period = periodOf(q);
  if (q.groupBy !== 'month') return { period, ...(await rateRows(pool, catalog, period, q.groupBy, filter, nowMs)) };
  const rows: ReportRow[] = [];
  const months = monthsIn(period, q.convention);
  const label = (m: Period) => `Tháng ${m.label.slice(5)}/${m.label.slice(0, 4)}`;
  // Months that have ended come from the daily counters in one query; a running month is scanned.
  const done = months.filter((m) => countersServe(m, filter, nowMs));
  const counted = await periodsFromCounters(pool, catalog, done, filter);
  for (const month of months) {
    const i = done.indexOf(month);
    const total = i >= 0 ? { key: 'total', label: '', ...withRates([...counted[i]!.values()].reduce(addCounts, EMPTY_COUNTS)) } : (await rateRows(pool, catalog, month, 'all', filter, nowMs)).total;
    rows.push({ ...total, key: month.label, label: label(month) });
    onProgress?.(rows.length, months.length);
  }
  const { total } = await rateRows(pool, catalog, period, 'all', filter, nowMs);
  return { period, rows, total };
}
