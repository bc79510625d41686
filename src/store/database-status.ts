/**
 * What `dunghan status` reads of a database: its versions, event count, chain head, last backup and calendar re-folds running.
 */
import type pg from 'pg';
import { runningCalendarRefolds, type RefoldProgress } from './calendar-refolds.js';

export interface DatabaseStatus {
  serverVersion: string;
  lastMigration: string | null;
  events: number;
  dossiers: number;
  chainHead: { pos: number; hash: string } | null;
  unsealed: number;
  lastBackup: { at: Date; file: string; bytes: number; events: number } | null;
  /** Calendar re-folds not finished (an import interrupted, being resumed). */
  calendarRefolds: RefoldProgress[];
}

export async function databaseStatus(pool: pg.Pool): Promise<DatabaseStatus> {
  const { rows } = await pool.query(
    `SELECT current_setting('server_version') AS server_version,
            (SELECT max(name) FROM schema_migrations) AS last_migration,
            (SELECT count(*) FROM dossier_events) AS events,
            (SELECT count(*) FROM dossiers) AS dossiers,
            (SELECT count(*) FROM unsealed_events) AS unsealed`,
  );
  const head = await pool.query<{ pos: number; hash: string }>('SELECT pos, hash FROM event_chain_head');
  const backup = await pool.query<{ at: Date; file: string; bytes: number; events: number }>(
    'SELECT at, file, bytes, events FROM backup_runs ORDER BY id DESC LIMIT 1',
  );
  const r = rows[0]!;
  return {
    serverVersion: r.server_version,
    lastMigration: r.last_migration,
    events: r.events,
    dossiers: r.dossiers,
    unsealed: r.unsealed,
    chainHead: head.rows[0] ?? null,
    lastBackup: backup.rows[0] ?? null,
    calendarRefolds: await runningCalendarRefolds(pool),
  };
}
