/**
 * Running the report queries: counts per group for a period, agency rows
 * rolled up the tree (each dossier counted under its receiving agency and
 * every ancestor), a total, and the dossiers behind a cell.
 */
import type pg from 'pg';
import type { Catalog } from '../catalog/catalog.js';
import { addCounts, EMPTY_COUNTS, withRates, type Counts, type RateRow } from '../reports/rates.js';
import { CELL_FILTERS, countsSql, RELEVANT, type Cell, type GroupColumn } from '../reports/counts-sql.js';
import type { Period } from '../reports/periods.js';

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
  if (group === 'channel') return ({ direct: 'Trực tiếp', online: 'Trực tuyến', postal: 'Bưu chính công ích' } as Record<string, string>)[key] ?? key;
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
  const counts = await countsBy(pool, catalog, period, group, filter, nowMs);
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
