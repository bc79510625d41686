/**
 * The event log's monthly partitions (migration 080): the coming months created ahead, the months that ended closed
 * (their partitions refuse every write), and a month created on demand when an insert found none.
 */
import type pg from 'pg';

/** Months created ahead of the current one: a quarter, so a scheduler stopped for weeks still finds them. */
export const MONTHS_AHEAD = 3;

export interface EventPartition {
  name: string;
  monthStart: Date;
  monthEnd: Date;
  closed: boolean;
}

/** The current month and MONTHS_AHEAD more, created where missing; how many were created. */
export async function ensureEventPartitions(pool: pg.Pool | pg.ClientBase, ahead = MONTHS_AHEAD): Promise<number> {
  return (await pool.query<{ n: number }>('SELECT ensure_event_partitions($1) AS n', [ahead])).rows[0]!.n;
}

/**
 * Closes every month that ended at least an hour before the database's now (the hour covers a transaction begun
 * before midnight, whose events are recorded at its start); the partitions closed now.
 */
export async function closeEndedMonths(pool: pg.Pool | pg.ClientBase): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>("SELECT close_event_months(now() - interval '1 hour') AS name");
  return rows.map((r) => r.name);
}

/**
 * The scheduler's job (at start and daily): months ahead created, ended months closed and frozen. A closed month never
 * changes again, so one VACUUM (FREEZE) now marks every page all-frozen, and every later vacuum of it (the
 * anti-wraparound ones included) skips it: vacuum's work follows the current month, not the log's size.
 */
export async function maintainEventPartitions(pool: pg.Pool): Promise<{ partitionsCreated: number; monthsClosed: number }> {
  const partitionsCreated = await ensureEventPartitions(pool);
  const closed = await closeEndedMonths(pool);
  // Outside a transaction (VACUUM refuses one); the names are our partitions' (dossier_events_YYYY_MM).
  for (const name of closed) await pool.query(`VACUUM (FREEZE, ANALYZE) "${name}"`);
  return { partitionsCreated, monthsClosed: closed.length };
}

/** Creates the partitions of the months named (YYYY-MM, local), as a restore does before it loads the log. */
export async function createMonthPartitions(client: pg.ClientBase, months: string[]): Promise<void> {
  // The 15th, noon, local: well inside the month whatever the session's zone.
  for (const m of months) await client.query('SELECT create_event_partition($1::timestamptz)', [`${m}-15T12:00:00+07:00`]);
}

export async function listEventPartitions(pool: pg.Pool): Promise<EventPartition[]> {
  const { rows } = await pool.query<{ name: string; month_start: Date; month_end: Date; closed: boolean }>(
    'SELECT name, month_start, month_end, closed FROM event_partitions ORDER BY month_start',
  );
  return rows.map((r) => ({ name: r.name, monthStart: r.month_start, monthEnd: r.month_end, closed: r.closed }));
}

/** PostgreSQL's answer to a row whose month has no partition (SQLSTATE 23514, check_violation). */
export function isMissingPartition(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === '23514' && /no partition of relation "dossier_events"/.test(e.message ?? '');
}
