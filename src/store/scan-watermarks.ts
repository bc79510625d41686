/**
 * The alert scans look only at what changed since their last run (alerts/scans.ts). Anything that re-times
 * dossiers without an event — a calendar import, a rebuild, a state upgrade — or adds someone to tell, makes the
 * next scans look at everything once.
 */
import type pg from 'pg';

export async function resetScanWatermarks(db: Pick<pg.ClientBase, 'query'>): Promise<void> {
  await db.query('DELETE FROM scan_watermarks');
}

export interface ScanWatermark {
  /** The instant the last scan judged. */
  scannedAt: Date;
  /** The event-chain position it had seen. */
  chainPos: unknown;
}

/** The last scan of this kind, its row locked until the transaction ends: one scan of a kind at a time. */
export async function lockScanWatermark(client: pg.ClientBase, kind: string): Promise<ScanWatermark | undefined> {
  const { rows } = await client.query<{ scanned_at: Date; chain_pos: string }>('SELECT scanned_at, chain_pos FROM scan_watermarks WHERE kind = $1 FOR UPDATE', [
    kind,
  ]);
  return rows[0] && { scannedAt: rows[0].scanned_at, chainPos: rows[0].chain_pos };
}

/** The chain's last position (0 before any seal). Read in the scan's snapshot, it covers every event committed before it. */
export async function chainHead(client: pg.ClientBase): Promise<unknown> {
  const { rows } = await client.query<{ pos: string }>('SELECT pos FROM event_chain_head');
  return rows[0]?.pos ?? 0;
}

export async function saveScanWatermark(client: pg.ClientBase, kind: string, scannedAtMs: number, chainPos: unknown): Promise<void> {
  await client.query(
    `INSERT INTO scan_watermarks (kind, scanned_at, chain_pos) VALUES ($1, $2, $3)
     ON CONFLICT (kind) DO UPDATE SET scanned_at = excluded.scanned_at, chain_pos = excluded.chain_pos`,
    [kind, new Date(scannedAtMs), chainPos],
  );
}
