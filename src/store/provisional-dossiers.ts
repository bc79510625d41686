/**
 * Open dossiers whose deadline rests on days no official notice has confirmed yet: those due in a year whose Tết
 * schedule is missing, and those whose deadline crosses a statutory-only day (`provisional`). The calendar reminder
 * names them to the administrators; the dashboard's banner shows them within the key's agencies.
 */
import type pg from 'pg';
import { yearStart } from '../calendar/year-readiness.js';

export interface ReachingDossier {
  code: string;
  agencyCode: string;
  dueAt: number;
}

/** Open dossiers (within `agencies`, or all) whose due instant falls in `year` or later, earliest first. */
export async function dossiersReaching(
  db: Pick<pg.ClientBase, 'query'>,
  year: number,
  agencies: string[] | null,
  limit = 200,
): Promise<{ total: number; items: ReachingDossier[] }> {
  const params: unknown[] = [new Date(yearStart(year)), limit];
  const scope = agencies ? (params.push(agencies), 'AND agency_codes && $3::text[]') : '';
  const { rows } = await db.query<{ code: string; receiving_agency_code: string; due_at: Date; total: number }>(
    `SELECT code, receiving_agency_code, due_at, count(*) OVER ()::int AS total FROM dossiers
     WHERE finished_at IS NULL AND due_at >= $1 ${scope} ORDER BY due_at, code LIMIT $2`,
    params,
  );
  return { total: rows[0]?.total ?? 0, items: rows.map((r) => ({ code: r.code, agencyCode: r.receiving_agency_code, dueAt: r.due_at.getTime() })) };
}

/** Open dossiers (within `agencies`, or all) whose deadline is provisional: it crosses a day not yet confirmed by a notice. */
export async function provisionalDossiers(
  db: Pick<pg.ClientBase, 'query'>,
  agencies: string[] | null,
  limit = 200,
): Promise<{ total: number; items: ReachingDossier[] }> {
  const params: unknown[] = [limit];
  const scope = agencies ? (params.push(agencies), 'AND agency_codes && $2::text[]') : '';
  const { rows } = await db.query<{ code: string; receiving_agency_code: string; due_at: Date; total: number }>(
    `SELECT code, receiving_agency_code, due_at, count(*) OVER ()::int AS total FROM dossiers
     WHERE finished_at IS NULL AND provisional ${scope} ORDER BY due_at, code LIMIT $1`,
    params,
  );
  return { total: rows[0]?.total ?? 0, items: rows.map((r) => ({ code: r.code, agencyCode: r.receiving_agency_code, dueAt: r.due_at.getTime() })) };
}
