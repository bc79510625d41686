/**
 * The scheduled backup (BACKUP_DIR, BACKUP_KEEP, BACKUP_SCHEDULE; the `backup` job): one `dunghan backup` into the
 * directory under a name that sorts by time, recorded for `status`, then the oldest files past BACKUP_KEEP removed.
 * Only complete files count: a run cut short leaves a `.partial` (writeBackup renames when complete), which the
 * next run removes. Files of another name in the directory are never touched.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { recordBackupRun, writeBackup } from '../store/backup-store.js';

export interface BackupSchedule {
  dir: string;
  /** How many backups to keep (the newest). */
  keep: number;
}

/** dunghan-2026-03-20T02-00-00-000Z.gz: UTC, to the millisecond, so names sort as their instants do. */
export const BACKUP_NAME = /^dunghan-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.gz$/;
const nameAt = (ms: number) => `dunghan-${new Date(ms).toISOString().replace(/[:.]/g, '-')}.gz`;

export interface ScheduledBackupResult {
  file: string;
  bytes: number;
  events: number;
  /** The files removed by retention (oldest first), and leftovers of runs cut short. */
  removed: string[];
}

export async function runScheduledBackup(
  pool: pg.Pool,
  schedule: BackupSchedule,
  meta: { dunghan: string; stateVersion: number; now?: number },
): Promise<ScheduledBackupResult> {
  await fs.mkdir(schedule.dir, { recursive: true });
  const file = path.join(schedule.dir, nameAt(meta.now ?? Date.now()));
  const result = await writeBackup(pool, file, meta);
  await recordBackupRun(pool, file, result);
  const names = (await fs.readdir(schedule.dir)).sort();
  const complete = names.filter((n) => BACKUP_NAME.test(n));
  const stale = [
    ...complete.slice(0, Math.max(0, complete.length - schedule.keep)),
    // A run cut short (the process killed mid-write): never a backup, only space.
    ...names.filter((n) => n.endsWith('.gz.partial') && BACKUP_NAME.test(n.slice(0, -'.partial'.length)) && path.join(schedule.dir, n) !== `${file}.partial`),
  ];
  for (const n of stale) await fs.rm(path.join(schedule.dir, n), { force: true });
  return { file, bytes: result.bytes, events: result.manifest.events, removed: stale.map((n) => path.join(schedule.dir, n)) };
}
