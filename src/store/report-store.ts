/**
 * Running the report queries: counts per group for a period, agency rows
 * rolled up the tree (each dossier counted under its receiving agency and
 * every ancestor), a total, and the dossiers behind a cell.
 */
import type pg from 'pg';
import { CHANNEL_TEXT } from '../dossiers/wording.js';
import type { Catalog } from '../catalog/catalog.js';
import { addCounts, EMPTY_COUNTS, withRates, type Counts, type RateRow } from '../reports/rates.js';
import { CELL_FILTERS, countsSql, RELEVANT, type Cell, type GroupColumn } from '../reports/counts-sql.js';
import { ANCHORS, COUNT_TABLE } from '../reports/count-table.js';
import { rateOverdueAtSql } from '../dossiers/progress-sql.js';
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
  for (const [column, value] of [
    ['procedure_code', filter.procedure],
    ['field', filter.field],
    ['channel', filter.channel],
  ] as const) {
    if (value) {
      params.push(value);
      where += ` AND ${column} = $${params.length}`;
    }
  }
  return where;
}

/**
 * What every report read needs: the database, the catalogue of the moment and the instant the report is asked at
 * (AppContext.reading()). One value instead of three parameters on every function.
 */
export interface ReportReading {
  /** The primary, or the read replica (src/db/replica.ts): reports only ever `query`. */
  pool: Pick<pg.Pool, 'query'>;
  catalog: Catalog;
  nowMs: number;
  /** Which server answers (the pages and the `X-Dunghan-Read-From` header say it). */
  from?: 'primary' | 'replica';
}

/** When open dossiers are judged: the period's last instant, or now for a period still running. */
export function judgedAtOf(period: Period, nowMs: number): number {
  return Math.min(period.to - 1, nowMs);
}

/** $1, $2, $3 of the report SQL: the period, and when open dossiers are judged. */
function periodParams(period: Period, nowMs: number): unknown[] {
  return [new Date(period.from), new Date(period.to), new Date(judgedAtOf(period, nowMs))];
}

/** The flows of the daily counters, each with its key in a report's counts (the two stocks are read separately). */
const FLOWS = COUNT_TABLE.map((d) => ({ column: d.column, key: d.key }));

export async function countsBy(rd: ReportReading, period: Period, group: GroupColumn, filter: ReportFilter): Promise<Map<string, Counts>> {
  const { pool, catalog, nowMs } = rd;
  const params = periodParams(period, nowMs);
  const where = whereOf(filter, catalog, params);
  const { rows } = await pool.query<Counts & { key: string }>(countsSql(group, where), params);
  // 2.2 is per procedure: processing times in different units do not add up across procedures.
  if (group !== 'procedure') for (const c of rows) c.processingTimeSum = c.processingTimeCount = 0;
  return new Map(rows.map(({ key, ...c }) => [key, c]));
}

/**
 * The same counts by receiving agency, read from the daily counters instead of
 * the dossiers: a few thousand rows instead of a million. Valid for periods
 * that start and end at local midnight and have ended (open dossiers judged
 * at the period's end), without procedure, field or channel filters.
 */
export async function countsFromCounters(rd: ReportReading, period: Period, filter: ReportFilter): Promise<Map<string, Counts>> {
  return (await periodsFromCounters(rd, [period], filter))[0]!;
}

/**
 * Counts by receiving agency for several periods in one pass over the
 * counters (each counter row meets the periods that end after its day):
 * the yearly report by agency × month in one query.
 */
export async function periodsFromCounters(
  rd: ReportReading,
  periods: Period[],
  filter: ReportFilter,
  options: { flowsOnly?: boolean } = {},
): Promise<Array<Map<string, Counts>>> {
  if (!periods.length) return [];
  const { pool, catalog } = rd;
  const corrections = lateFactCorrections(rd, periods, filter);
  // Awaited below, after the counters' read: should that read fail first (a connection the server ended), this one's
  // failure must not be left unhandled, which would end the process (issue 29).
  corrections.catch(() => undefined);
  // The periods' boundaries cut the days into segments; each counter row falls in one. Flows of a period are the
  // sum of its segments; the open and overdue stocks at its end are the stock before the first boundary plus the
  // segments' movements up to its end. The counters are read once, whatever the number of periods.
  const days = periods.map((p) => ({ from: isoDateOf(localDayOf(p.from)), to: isoDateOf(localDayOf(p.to)) }));
  const bounds = [...new Set(days.flatMap((d) => [d.from, d.to]))].sort();
  const params: unknown[] = [bounds];
  // Flows only (the stock comes from elsewhere): the days before the first boundary are not read at all.
  let where = options.flowsOnly ? 'AND day >= ($1::date[])[1]' : '';
  if (filter.agencies) {
    params.push([...new Set(filter.agencies.flatMap((a) => catalog.descendantsOf(a)))]);
    where += ` AND agency_code = ANY($2::text[])`;
  }
  // One pass: width_bucket puts each row in its segment (0: before the first boundary, n: [bounds[n-1], bounds[n])).
  const { rows } = await pool.query(
    `SELECT width_bucket(day, $1::date[]) AS n, agency_code AS key, ${FLOWS.map((f) => `coalesce(sum(${f.column}), 0)::int AS "${f.key}"`).join(', ')},
       coalesce(sum(open_delta), 0)::int AS open, coalesce(sum(overdue_delta), 0)::int AS overdue
     FROM daily_counts WHERE day < ($1::date[])[array_length($1::date[], 1)] ${where}
     GROUP BY 1, 2`,
    params,
  );
  // Per agency: the stock before the first boundary, and each segment's row (index n - 1 ↔ [bounds[n-1], bounds[n])).
  const bySegment = new Map<string, Array<Record<string, number>>>();
  const base = new Map<string, { open: number; overdue: number }>();
  for (const { n, key, ...c } of rows) {
    const list = bySegment.get(key) ?? [];
    if (n === 0) base.set(key, { open: c.open, overdue: c.overdue });
    else list[n - 1] = c;
    bySegment.set(key, list);
  }
  const late = await corrections;
  return days.map((d, p) => {
    const lo = bounds.indexOf(d.from);
    const hi = bounds.indexOf(d.to);
    const out = new Map<string, Counts>();
    for (const [key, list] of bySegment) {
      const counts = { ...EMPTY_COUNTS } as Counts;
      let open = base.get(key)?.open ?? 0;
      let overdue = base.get(key)?.overdue ?? 0;
      for (let i = 0; i < hi; i++) {
        // The open stock at the period's start: what it carries over from the one before.
        if (i === lo) counts.carriedOver = open;
        const seg = list[i];
        if (!seg) continue;
        open += seg.open!;
        overdue += seg.overdue!;
        if (i >= lo) for (const { key } of FLOWS) counts[key] += seg[key]!;
      }
      // The counters know results and payments given since the period ended; the period did not (DOMAIN §5).
      const after = late[p]!.get(key);
      if (after) for (const { key } of LATER) counts[key] -= after[key] ?? 0;
      // Flows only: without the days before the first boundary there is no stock to give (zero, not a wrong one).
      counts.openOnTrack = options.flowsOnly ? 0 : open - overdue;
      counts.openOverdue = options.flowsOnly ? 0 : overdue;
      if (options.flowsOnly) counts.carriedOver = 0;
      if (Object.values(counts).some((x) => x !== 0)) out.set(key, counts);
    }
    return out;
  });
}

/** The counts whose condition can come true after their anchor: an electronic result (3.3, 4.1, 4.2), an online payment (3.6). */
const LATER = COUNT_TABLE.filter((d): d is Extract<(typeof COUNT_TABLE)[number], { later: string }> => 'later' in d);

/**
 * Per period and receiving agency, what the daily counters count that the period had not seen by the instant it is
 * judged at (its last instant, or now while it runs): dossiers anchored in it whose later fact (electronic result,
 * online payment) came after, that is, counted now (`sql(null)`) but not as of then (`sql(t)`). The counters count
 * what is known now, so a result given on 2 February would otherwise move January's 3.3. One range read per later
 * fact, of a small partial index (migration 021).
 */
async function lateFactCorrections(
  rd: ReportReading,
  periods: Period[],
  filter: ReportFilter,
): Promise<Array<Map<string, Partial<Record<keyof Counts, number>>>>> {
  const { pool, catalog, nowMs } = rd;
  const params: unknown[] = [periods.map((p) => new Date(p.from)), periods.map((p) => new Date(p.to)), periods.map((p) => new Date(judgedAtOf(p, nowMs)))];
  let where = '';
  if (filter.agencies) {
    params.push([...new Set(filter.agencies.flatMap((a) => catalog.descendantsOf(a)))]);
    where = ' AND d.receiving_agency_code = ANY($4::text[])';
  }
  const parts = [...new Set(LATER.map((d) => d.later))].map((later) => {
    const mine = LATER.filter((d) => d.later === later);
    const anchor = `d.${ANCHORS[mine[0]!.anchor].column}`;
    // The predicates name the dossiers' columns unqualified: the periods' columns (f, t, j, i) are not among them.
    const columns = LATER.map((d) => (d.later === later ? `((${d.sql(null)}) AND NOT (${d.sql('p.j')}))::int` : '0') + ` AS "${d.key}"`);
    return `SELECT p.i, d.receiving_agency_code AS key, ${columns.join(', ')}
       FROM p JOIN dossiers d ON d.${later} IS NOT NULL AND ${anchor} >= p.f AND ${anchor} < p.t AND d.${later} > p.j${where}`;
  });
  const { rows } = await pool.query<Record<string, number> & { i: number; key: string }>(
    `WITH p AS (SELECT * FROM unnest($1::timestamptz[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS p(f, t, j, i))
     SELECT i::int, key, ${LATER.map((d) => `sum("${d.key}")::int AS "${d.key}"`).join(', ')}
     FROM (${parts.join(' UNION ALL ')}) late GROUP BY 1, 2`,
    params,
  );
  const out = periods.map(() => new Map<string, Partial<Record<keyof Counts, number>>>());
  for (const { i, key, ...facts } of rows) out[i - 1]!.set(key, facts);
  return out;
}

/**
 * A running period by receiving agency without scanning its history: every
 * flow from the daily counters (today's row holds today's flows so far, moved
 * by each ingestion), and the open stock judged now from the dossiers open now
 * (an index-only read of dossiers_open_stock: its cost follows the open stock,
 * not the history or the activity).
 */
export async function runningFromCounters(
  rd: ReportReading,
  period: Period,
  filter: ReportFilter,
  openStock: OpenStock = new OpenStock(rd, filter),
): Promise<Map<string, Counts>> {
  const [flows, stock, ahead] = await Promise.all([
    periodsFromCounters(rd, [period], filter, { flowsOnly: true }),
    openStock.read(rd, filter),
    carriedOverAhead(rd, period, filter),
  ]);
  // The flows from the counters; the stock now from the dossiers.
  const out = new Map(flows[0]!);
  // Neither adds an empty row: the counters' rows each move something, and each stock row counts an open dossier.
  for (const [key, s] of stock) out.set(key, { ...(out.get(key) ?? EMPTY_COUNTS), ...s });
  // What the period carried over, without reading the history before it: every dossier it finished or holds open now
  // was either received in it or carried into it; the dossiers with an event dated ahead of now are set right apart.
  for (const key of new Set([...out.keys(), ...ahead.keys()])) {
    const c = out.get(key) ?? EMPTY_COUNTS;
    out.set(key, { ...c, carriedOver: c.finished + c.openOnTrack + c.openOverdue - c.received + (ahead.get(key) ?? 0) });
  }
  for (const [key, c] of out) if (Object.values(c).every((x) => x === 0)) out.delete(key);
  return out;
}

/**
 * For a running period, by receiving agency: how far "finished + open now − received" is from the carried-over count
 * for the dossiers received or finished after now within the period (events dated ahead: counted in the flows, and a
 * dossier finished ahead is also open now). Carried over, minus finished, minus open now, plus received, per dossier:
 * zero for every dossier without such an event, so only those are read (two index ranges).
 */
async function carriedOverAhead(rd: ReportReading, period: Period, filter: ReportFilter): Promise<Map<string, number>> {
  const { pool, catalog, nowMs } = rd;
  const params = periodParams(period, nowMs);
  const where = whereOf(filter, catalog, params);
  // A comparison with a NULL (an open dossier's finish) is NULL: counted as false, as a FILTER would.
  const one = (filter: string) => `((${filter}) IS TRUE)::int`;
  const { rows } = await pool.query<{ key: string; n: number }>(
    `SELECT receiving_agency_code AS key,
            sum(${one(CELL_FILTERS.carried_over)} - ${one(CELL_FILTERS.finished)} - ${one(`(${CELL_FILTERS.on_track}) OR (${CELL_FILTERS.overdue})`)} + ${one(CELL_FILTERS.received)})::int AS n
     FROM dossiers WHERE ((received_at > $3 AND received_at < $2) OR (finished_at > $3 AND finished_at < $2))${where} GROUP BY 1`,
    params,
  );
  return new Map(rows.filter((r) => r.n !== 0).map((r) => [r.key, r.n]));
}

/**
 * The open stock judged now, read once for every running period of a page: the stock now is the same for the
 * running month, the running year and the dashboard's two reports (only the flows differ).
 */
export class OpenStock {
  private stock: Promise<Map<string, { openOnTrack: number; openOverdue: number }>> | undefined;

  constructor(
    private readonly rd: ReportReading,
    private readonly filter: ReportFilter,
  ) {}

  /** The stock for `filter` at the reading's instant: read at the first call, shared after; apart for another filter or instant. */
  read(rd: ReportReading, filter: ReportFilter) {
    if (filter !== this.filter || rd.nowMs !== this.rd.nowMs) return openStockNow(rd, filter);
    return (this.stock ??= openStockNow(this.rd, filter));
  }
}

/** The dossiers open at `nowMs` by receiving agency, on track or 766-overdue then (CELL_FILTERS on_track and overdue). */
async function openStockNow(rd: ReportReading, filter: ReportFilter): Promise<Map<string, { openOnTrack: number; openOverdue: number }>> {
  const { pool, catalog, nowMs } = rd;
  const params: unknown[] = [new Date(nowMs)];
  const where = whereOf(filter, catalog, params);
  // Open now: not finished (the partial index), or finished later than now (an event dated ahead; rare).
  // Each part grouped on its own: the first in the index's order, without a sort.
  const part = (open: string) =>
    `SELECT receiving_agency_code AS key, count(*) FILTER (WHERE NOT ${rateOverdueAtSql('$1')}) AS on_track, count(*) FILTER (WHERE ${rateOverdueAtSql('$1')}) AS overdue
     FROM dossiers WHERE ${open} AND received_at <= $1${where} GROUP BY 1`;
  const { rows } = await pool.query<{ key: string; openOnTrack: number; openOverdue: number }>(
    `SELECT key, sum(on_track)::int AS "openOnTrack", sum(overdue)::int AS "openOverdue"
     FROM (${part('finished_at IS NULL')} UNION ALL ${part('finished_at > $1')}) open GROUP BY key`,
    params,
  );
  return new Map(rows.map(({ key, ...s }) => [key, s]));
}

/** Whether counts for this period may come from the daily counters (see countsFromCounters). */
export function countersServe(period: Period, filter: ReportFilter, nowMs: number): boolean {
  return !filter.procedure && !filter.field && !filter.channel && period.to <= nowMs && isMidnight(period.from) && isMidnight(period.to);
}

/** Whether a running period may be counted by runningFromCounters. */
export function runningServe(period: Period, filter: ReportFilter, nowMs: number): boolean {
  return !filter.procedure && !filter.field && !filter.channel && period.from <= nowMs && nowMs < period.to && isMidnight(period.from) && isMidnight(period.to);
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
  if (group === 'agency') return catalog.nameOf(key);
  if (group === 'procedure') return catalog.procedure(key)?.name ?? key;
  if (group === 'channel') return (CHANNEL_TEXT as Record<string, string>)[key] ?? key;
  if (group === 'all') return 'Tổng cộng';
  return key;
}

/** Counts by receiving agency (not rolled up), from the daily counters where they serve, else from the dossiers. */
export async function countsByReceivingAgency(rd: ReportReading, period: Period, filter: ReportFilter, openStock?: OpenStock): Promise<Map<string, Counts>> {
  if (countersServe(period, filter, rd.nowMs)) return countsFromCounters(rd, period, filter);
  if (runningServe(period, filter, rd.nowMs)) return runningFromCounters(rd, period, filter, openStock);
  return countsBy(rd, period, 'agency', filter);
}

export async function rateRows(
  rd: ReportReading,
  period: Period,
  group: GroupColumn,
  filter: ReportFilter,
  openStock?: OpenStock,
): Promise<{ rows: ReportRow[]; total: ReportRow; totalCounts: Counts }> {
  const { catalog, nowMs } = rd;
  const byAgencyGroup = group === 'agency' || group === 'all';
  let counts: Map<string, Counts>;
  if (byAgencyGroup && (countersServe(period, filter, nowMs) || runningServe(period, filter, nowMs))) {
    const byAgency = await countsByReceivingAgency(rd, period, filter, openStock);
    counts = group === 'agency' ? byAgency : new Map([['total', [...byAgency.values()].reduce(addCounts, EMPTY_COUNTS)]]);
  } else {
    counts = await countsBy(rd, period, group, filter);
  }
  const grouped = group === 'agency' ? rollUpAgencies(counts, catalog, filter.agencies) : counts;
  const rows = [...grouped.entries()]
    .map(([key, c]) => ({ key, label: labelOf(group, key, catalog), ...withRates(c) }))
    .sort((a, b) => (group === 'agency' ? catalog.pathOf(a.key).join('/').localeCompare(catalog.pathOf(b.key).join('/')) : a.key.localeCompare(b.key)));
  const total = [...counts.values()].reduce(addCounts, EMPTY_COUNTS);
  return { rows, total: { key: 'total', label: 'Tổng cộng', ...withRates(total) }, totalCounts: total };
}

/** The dossiers behind one cell of the report, in receipt order. */
export async function cellDossiers(rd: ReportReading, period: Period, cell: Cell, filter: ReportFilter, limit: number) {
  const { pool, catalog, nowMs } = rd;
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
  rd: ReportReading,
  q: ReportQuery,
  filter: ReportFilter,
  options: { onProgress?: (done: number, total: number) => void; openStock?: OpenStock } = {},
): Promise<{ period: Period; rows: ReportRow[]; total: ReportRow; totalCounts: Counts }> {
  const { nowMs } = rd;
  const { onProgress, openStock = new OpenStock(rd, filter) } = options;
  const period = periodOf(q);
  if (q.groupBy !== 'month') return { period, ...(await rateRows(rd, period, q.groupBy, filter, openStock)) };
  // Months that have not started have nothing to report: they are left out, not shown as zeros.
  const months = monthsIn(period, q.convention).filter((m) => m.from <= nowMs);
  const label = (m: Period) => `Tháng ${m.label.slice(5)}/${m.label.slice(0, 4)}`;
  // Months that have ended come from the daily counters in one query; a running month is read on its own; the
  // period's total too (2.2 does not add up over months). All at once: the page waits for the slowest.
  const done = months.filter((m) => countersServe(m, filter, nowMs));
  const [counted, running, all] = await Promise.all([
    periodsFromCounters(rd, done, filter),
    Promise.all(months.filter((m) => !done.includes(m)).map(async (m) => [m, (await rateRows(rd, m, 'all', filter, openStock)).total] as const)),
    rateRows(rd, period, 'all', filter, openStock),
  ]);
  const runningTotal = new Map(running);
  const rows: ReportRow[] = [];
  for (const month of months) {
    const i = done.indexOf(month);
    const total = i >= 0 ? { key: 'total', label: '', ...withRates([...counted[i]!.values()].reduce(addCounts, EMPTY_COUNTS)) } : runningTotal.get(month)!;
    rows.push({ ...total, key: month.label, label: label(month) });
    onProgress?.(rows.length, months.length);
  }
  const { total, totalCounts } = all;
  return { period, rows, total, totalCounts };
}

/** Open dossiers within time now (766), closest to their due instant first: the ones a what-if says to watch. */
export async function closestOpen(rd: ReportReading, filter: ReportFilter, limit: number) {
  const { pool, catalog, nowMs } = rd;
  const params: unknown[] = [limit, new Date(nowMs)];
  const where = whereOf(filter, catalog, params);
  const { rows } = await pool.query<{ code: string; procedure_code: string; rate_due_at: Date; due_at: Date; paused: boolean }>(
    `SELECT code, procedure_code, rate_due_at, due_at, paused FROM dossiers
     WHERE finished_at IS NULL AND NOT ${rateOverdueAtSql('$2')}${where} ORDER BY rate_due_at, code LIMIT $1`,
    params,
  );
  return rows;
}

/** How each dossier a period's 2.1 judges was judged (766): finished early/on time/late, or open on track/overdue at its end. */
export async function judgedDossiers(rd: ReportReading, period: Period, filter: ReportFilter, limit = 100_000) {
  const { pool, catalog, nowMs } = rd;
  const params = periodParams(period, nowMs);
  const where = whereOf(filter, catalog, params);
  params.push(limit);
  const { rows } = await pool.query<{
    code: string;
    judged: 'early' | 'on_time' | 'late' | 'on_track' | 'overdue';
    due_at: Date;
    rate_due_at: Date;
    finished_at: Date | null;
    outcome: string | null;
    flags: string[];
  }>(
    `SELECT code, CASE WHEN ${CELL_FILTERS.early} THEN 'early' WHEN ${CELL_FILTERS.on_time} THEN 'on_time' WHEN ${CELL_FILTERS.late} THEN 'late'
                       WHEN ${CELL_FILTERS.overdue} THEN 'overdue' ELSE 'on_track' END AS judged,
            due_at, rate_due_at, finished_at, outcome, flags
     FROM dossiers WHERE ${RELEVANT}${where} AND (${CELL_FILTERS.finished} OR ${CELL_FILTERS.on_track} OR ${CELL_FILTERS.overdue})
     ORDER BY code LIMIT $${params.length}`,
    params,
  );
  return rows;
}

/**
 * The voids and corrections recorded after an ended period that changed its history (issue 28 item 6): those whose
 * earliest changed instant (the corrected event's, or its replacement's if earlier) is before the period's end.
 * The figures are recomputed from the corrected log (a correction says what happened, and a period is judged by
 * what had happened by its end: DOMAIN §5); the report says they were revised, how many times and when last.
 */
export async function periodRevisions(rd: ReportReading, period: Period, filter: ReportFilter): Promise<{ count: number; latestAt: number } | null> {
  if (period.to > rd.nowMs) return null;
  const params: unknown[] = [new Date(period.to)];
  const where = whereOf(filter, rd.catalog, params);
  const { rows } = await rd.pool.query<{ n: number; latest: Date | null }>(
    `SELECT count(*)::int AS n, max(c.occurred_at) AS latest
     FROM dossier_events c
     JOIN dossier_events t ON t.event_id = (c.body->>'targetEventId')::uuid AND t.dossier_code = c.dossier_code
     JOIN dossiers ON dossiers.code = c.dossier_code
     WHERE c.type IN ('voided', 'corrected') AND c.occurred_at >= $1
       AND least(t.occurred_at, coalesce((c.body->'replacement'->>'occurredAt')::timestamptz, t.occurred_at)) < $1${where}`,
    params,
  );
  const r = rows[0]!;
  return r.n > 0 && r.latest ? { count: r.n, latestAt: r.latest.getTime() } : null;
}
