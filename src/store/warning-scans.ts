/**
 * What the warning scan reads and writes besides the ledger (store/alert-scans.ts recordAlerts) and the outbox:
 * the dossiers to judge, and each one's next crossing (`warning_plan`, migration 071). A scan reads the dossiers whose
 * planned crossing has come (an index range up to now) and those with events since its watermark: what changed,
 * not the open backlog. Without a watermark (the first scan, or after settings, supervisors or the calendar changed)
 * it judges every open dossier once.
 */
import type pg from 'pg';
import type { DossierState } from '../dossiers/state.js';

/** The dossiers to judge: due by the plan at `nowMs` or with events in (chainPos, head]; or (no `since`) every open one. */
export async function dossiersToWarn(client: pg.ClientBase, nowMs: number, since?: { chainPos: unknown; head: unknown }): Promise<DossierState[]> {
  // Two index range scans in a UNION (the plan by instant, the chain by position), as the alert scans do.
  const { rows } = since
    ? await client.query<{ state: DossierState }>(
        `SELECT state FROM dossiers WHERE code IN (
           SELECT dossier_code FROM warning_plan WHERE next_at <= $1
           UNION SELECT e.dossier_code FROM event_chain c JOIN dossier_events e ON e.seq = c.seq WHERE c.pos > $2 AND c.pos <= $3)
         ORDER BY code`,
        [new Date(nowMs), since.chainPos, since.head],
      )
    : await client.query<{ state: DossierState }>(
        `SELECT state FROM dossiers WHERE finished_at IS NULL OR code IN (SELECT dossier_code FROM warning_plan) ORDER BY code`,
      );
  return rows.map((r) => r.state);
}

/** Sets each judged dossier's next crossing; a dossier with none ahead leaves the plan. */
export async function savePlan(client: pg.ClientBase, plan: Array<{ code: string; nextAt: number | null }>): Promise<void> {
  const ahead = plan.filter((p) => p.nextAt !== null);
  const none = plan.filter((p) => p.nextAt === null).map((p) => p.code);
  if (ahead.length)
    await client.query(
      `INSERT INTO warning_plan (dossier_code, next_at) SELECT * FROM unnest($1::text[], $2::timestamptz[])
       ON CONFLICT (dossier_code) DO UPDATE SET next_at = excluded.next_at`,
      [ahead.map((p) => p.code), ahead.map((p) => new Date(p.nextAt!))],
    );
  if (none.length) await client.query('DELETE FROM warning_plan WHERE dossier_code = ANY($1::text[])', [none]);
}

/** The next scan judges every open dossier again (thresholds changed). */
export async function resetWarningScan(db: Pick<pg.ClientBase, 'query'>): Promise<void> {
  await db.query("DELETE FROM scan_watermarks WHERE kind = 'warning'");
}
