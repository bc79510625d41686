/**
 * The re-fold a calendar revision owes, recorded with it (migration 062): a calendar import commits the revision
 * and the list of dossiers it touches together, then re-folds them a batch at a time, each batch advancing the
 * recorded progress in its own transaction. Whoever runs it — the import itself, a restarted service, the next
 * alert scan — takes the next batch under the progress row's lock, so two runners share the work and an
 * interrupted run loses at most its batch in flight.
 */
import type pg from 'pg';
import { inTransaction } from '../db/database.js';
import type { FoldContext } from '../dossiers/fold.js';
import { lockDossiers, refold } from './dossier-projection.js';
import { resetScanWatermarks } from './scan-watermarks.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** Records the dossiers `revision` must re-fold; in the transaction that records the revision. */
export async function recordCalendarRefold(client: Queryable, revision: number, codes: string[]): Promise<void> {
  await client.query('INSERT INTO calendar_refolds (revision, codes, finished_at) VALUES ($1, $2, CASE WHEN cardinality($2::text[]) = 0 THEN now() END)', [
    revision,
    [...codes].sort(),
  ]);
}

export interface RefoldProgress {
  revision: number;
  done: number;
  total: number;
  startedAt: Date;
}

/** The re-folds not finished yet, oldest first: what `status` and the calendar page say while they run. */
export async function runningCalendarRefolds(db: Queryable): Promise<RefoldProgress[]> {
  const { rows } = await db.query<{ revision: number; done: number; total: number; started_at: Date }>(
    'SELECT revision, done, cardinality(codes) AS total, started_at FROM calendar_refolds WHERE finished_at IS NULL ORDER BY revision',
  );
  return rows.map((r) => ({ revision: r.revision, done: r.done, total: r.total, startedAt: r.started_at }));
}

/**
 * Re-folds the next `batch` dossiers of the revision's list under the ingestion locks, and records them done in
 * the same transaction. Answers the progress after it, or null when the revision has nothing left.
 */
async function refoldNextBatch(pool: pg.Pool, revision: number, ctx: FoldContext, batch: number): Promise<(RefoldProgress & { refolded: number }) | null> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ done: number; total: number; slice: string[]; started_at: Date }>(
      `SELECT done, cardinality(codes) AS total, codes[done + 1 : done + $2] AS slice, started_at
       FROM calendar_refolds WHERE revision = $1 AND finished_at IS NULL FOR UPDATE`,
      [revision, batch],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.slice.length) {
      await lockDossiers(client, row.slice);
      await refold(client, row.slice, ctx);
    }
    const done = row.done + row.slice.length;
    await client.query('UPDATE calendar_refolds SET done = $2, finished_at = CASE WHEN $2 >= cardinality(codes) THEN now() END WHERE revision = $1', [
      revision,
      done,
    ]);
    return { revision, done, total: row.total, startedAt: row.started_at, refolded: row.slice.length };
  });
}

export interface RefoldRun {
  /** Dossiers per transaction (the locks a batch holds, and what an interruption redoes). */
  batch?: number;
  /** Asked between batches: true stops (a service shutting down); the rest is resumed later. */
  stopping?: () => boolean;
  onProgress?: (p: RefoldProgress) => void;
}

/**
 * Runs the revision's re-fold until it is finished (or `stopping`). `ctx` must hold a calendar of this revision or
 * a later one. Answers how many dossiers this run re-folded.
 */
export async function runCalendarRefold(pool: pg.Pool, revision: number, ctx: FoldContext, run: RefoldRun = {}): Promise<number> {
  let refolded = 0;
  while (!run.stopping?.()) {
    const next = await refoldNextBatch(pool, revision, ctx, run.batch ?? 500);
    if (!next) break;
    const { refolded: n, ...progress } = next;
    refolded += n;
    run.onProgress?.(progress);
    if (progress.done >= progress.total) break;
  }
  // Re-timed without an event: the alert scans look at everything once (after the commit, so none is missed).
  if (refolded) await resetScanWatermarks(pool);
  return refolded;
}
