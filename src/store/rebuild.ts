/**
 * Replays the whole event log into the dossiers table, in one transaction so
 * that readers never see it half built.
 */
import type pg from 'pg';
import { inTransaction } from '../db/database.js';
import { resetScanWatermarks } from './scan-watermarks.js';
import type { FoldContext } from '../dossiers/fold.js';
import { refold } from './dossier-projection.js';

export async function rebuildDossiers(pool: pg.Pool, ctx: FoldContext, onProgress?: (done: number, total: number) => void): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query('LOCK TABLE dossiers, daily_counts IN EXCLUSIVE MODE');
    await client.query('DELETE FROM dossiers');
    await client.query('DELETE FROM daily_counts');
    await client.query('DELETE FROM dossier_judgments');
    await client.query('DELETE FROM dossier_steps');
    const { rows } = await client.query<{ dossier_code: string }>('SELECT DISTINCT dossier_code FROM dossier_events ORDER BY 1');
    const codes = rows.map((r) => r.dossier_code);
    let done = 0;
    for (let i = 0; i < codes.length; i += 2000) {
      done += await refold(client, codes.slice(i, i + 2000), ctx, { fresh: true, everyCodeBetween: true });
      onProgress?.(done, codes.length);
    }
    await resetScanWatermarks(client);
    return done;
  });
}
