/**
 * The alert scans look only at what changed since their last run (alerts/scans.ts). Anything that re-times
 * dossiers without an event — a calendar import, a rebuild, a state upgrade — or adds someone to tell, makes the
 * next scans look at everything once.
 */
import type pg from 'pg';

export async function resetScanWatermarks(db: Pick<pg.ClientBase, 'query'>): Promise<void> {
  await db.query('DELETE FROM scan_watermarks');
}
