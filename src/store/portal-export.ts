/**
 * dunghan's dossiers in the portal's shape, for a period and the caller's
 * agencies: the dossiers the period's rates count (received before its end,
 * not finished before its start), a page at a time so a year of a large
 * agency streams instead of sitting in memory.
 */
import type pg from 'pg';
import type { Catalog } from '../catalog/catalog.js';
import type { DossierState } from '../dossiers/state.js';
import { RELEVANT } from '../reports/counts-sql.js';
import type { Period } from '../reports/periods.js';
import { recordOfDossier } from '../sync/portal-record.js';

export async function* exportRecords(
  pool: Pick<pg.Pool, 'query'>,
  catalog: Catalog,
  agencies: string[] | null,
  period: Period,
  pageSize = 1000,
): AsyncGenerator<Array<Record<string, unknown>>> {
  const scope = agencies ? [...new Set(agencies.flatMap((a) => catalog.descendantsOf(a)))] : null;
  let after = '';
  for (;;) {
    const { rows } = await pool.query<{ code: string; state: DossierState }>(
      `SELECT code, state FROM dossiers
       WHERE ${RELEVANT} AND code > $3 AND ($4::text[] IS NULL OR receiving_agency_code = ANY($4::text[]))
       ORDER BY code LIMIT $5`,
      [new Date(period.from), new Date(period.to), after, scope, pageSize],
    );
    if (!rows.length) return;
    const codes = rows.map((r) => r.code);
    const events = await pool.query<{ dossier_code: string; type: 'supplement_requested' | 'supplement_received'; occurred_at: Date; reason: string | null }>(
      SUPPLEMENT_ROUNDS,
      [codes],
    );
    const supplements = new Map<string, Array<{ type: 'supplement_requested' | 'supplement_received'; at: number; reason?: string }>>();
    for (const e of events.rows) {
      supplements.set(e.dossier_code, [
        ...(supplements.get(e.dossier_code) ?? []),
        { type: e.type, at: e.occurred_at.getTime(), ...(e.reason ? { reason: e.reason } : {}) },
      ]);
    }
    yield rows.map((r) => recordOfDossier(r.state, supplements.get(r.code) ?? [], catalog));
    after = rows.at(-1)!.code;
    if (rows.length < pageSize) return;
  }
}

/**
 * The supplementation rounds as the fold reads them (dossiers/corrections.ts): a voided request or receipt left out,
 * a corrected one at its replacement's instant and with its reason (the latest correction; a void after it wins).
 */
const SUPPLEMENT_ROUNDS = `WITH fix AS (
    SELECT DISTINCT ON (c.body->>'targetEventId') (c.body->>'targetEventId')::uuid AS target, c.type, c.body->'replacement' AS r
    FROM dossier_events c WHERE c.dossier_code = ANY($1::text[]) AND c.type IN ('voided', 'corrected')
    ORDER BY c.body->>'targetEventId', (c.type = 'voided') DESC, c.seq DESC
  )
  SELECT e.dossier_code, e.type, coalesce((f.r->>'occurredAt')::timestamptz, e.occurred_at) AS occurred_at,
         coalesce(f.r->>'reason', e.body->>'reason') AS reason
  FROM dossier_events e LEFT JOIN fix f ON f.target = e.event_id
  WHERE e.dossier_code = ANY($1::text[]) AND e.type IN ('supplement_requested', 'supplement_received') AND f.type IS DISTINCT FROM 'voided'
  ORDER BY e.dossier_code, 3, e.seq`;
