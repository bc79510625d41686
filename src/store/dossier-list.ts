/**
 * The list of dossiers (GET /api/v1/dossiers): filters on the typed columns, the legal judgment now and "late
 * without an apology" as progress-sql.ts defines them, in receipt order with a keyset cursor. Every value is a bound
 * parameter; the only SQL pieced together is our own (the progress-sql fragments and placeholders).
 */
import type pg from 'pg';
import type { ComplianceFlag, DossierState, DossierStatus } from '../dossiers/state.js';
import { lateWithoutApologyNowSql, legalOpenSql, rateOverdueAtSql } from '../dossiers/progress-sql.js';

export interface DossierListQuery {
  /** The key's agencies (a dossier on any of their paths); null: the whole province. */
  scope: string[] | null;
  /** Within this agency's subtree (checked against the scope by the caller). */
  agency?: string;
  status?: DossierStatus;
  procedure?: string;
  flag?: ComplianceFlag;
  outcome?: 'early' | 'on_time' | 'late' | 'on_track' | 'due_soon' | 'overdue' | 'waiting_for_citizen';
  receivedFrom?: Date;
  /** Received before `at`, or at it too when `inclusive` (an instant given rather than a day). */
  receivedTo?: { at: Date; inclusive: boolean };
  /** After this (receipt instant, code) in list order. */
  after?: { receivedAt: string; code: string };
  /**
   * What staff typed in the search box (issue 28 item 7), already folded (search-text.ts): a fragment of the code,
   * and, for those who may read personal data, of the applicant's name or phone. A dossier matching any is listed.
   */
  text?: { code: string; name?: string; phone?: string };
  /** List order: receipt (the API's, with the keyset cursor), or for the pages the due instant or the code. */
  sort?: 'received' | 'due' | 'code';
  /** The pages' pagination: rows skipped (the API pages with `after`). */
  offset?: number;
  /** The instant the judgments are made at. */
  now: Date;
  limit: number;
}

/** `%`, `_` and `\` typed in a search are themselves, not patterns. */
const likeFragment = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const ORDER = { received: 'received_at, code', due: 'finished_at IS NOT NULL, due_at, code', code: 'code' } as const;

export async function listDossiers(pool: pg.Pool, q: DossierListQuery): Promise<Array<{ code: string; received_at: Date; state: DossierState }>> {
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  // The judgment instant: a marker in the conditions, bound once at the end and only if one of them uses it (an
  // unused parameter would have no type). The SQL text holds no value, so the marker cannot occur otherwise.
  const NOW = '$now';
  const where: string[] = [];
  if (q.scope) where.push(`agency_codes && ${bind(q.scope)}::text[]`);
  if (q.agency) where.push(`agency_codes @> ARRAY[${bind(q.agency)}]::text[]`);
  if (q.status) where.push(`status = ${bind(q.status)}`);
  if (q.procedure) where.push(`procedure_code = ${bind(q.procedure)}`);
  // Finished late without one, or legally overdue now with none issued (progress.ts lateWithoutApologyAt).
  if (q.flag === 'late_without_apology') where.push(lateWithoutApologyNowSql(NOW));
  else if (q.flag) where.push(`flags @> ARRAY[${bind(q.flag)}]::text[]`);
  if (q.receivedFrom) where.push(`received_at >= ${bind(q.receivedFrom)}`);
  if (q.receivedTo) where.push(`received_at ${q.receivedTo.inclusive ? '<=' : '<'} ${bind(q.receivedTo.at)}`);
  switch (q.outcome) {
    case 'early':
    case 'on_time':
    case 'late':
      where.push(`outcome = ${bind(q.outcome)}`);
      break;
    case 'overdue':
    case 'due_soon':
    case 'waiting_for_citizen':
      // The legal judgment now, as the dossier's own page shows it (progress-sql.ts).
      where.push(legalOpenSql[q.outcome](NOW));
      break;
    case 'on_track': {
      // Within time: running and not yet due soon, or waiting for the citizen with the request made in time
      // (the 766 judgment the reports count as on track).
      where.push(`(${legalOpenSql.on_track(NOW)} OR (${legalOpenSql.waiting_for_citizen(NOW)} AND NOT ${rateOverdueAtSql(NOW)}))`);
      break;
    }
  }
  if (q.text) {
    const any = [`upper(code) LIKE ${bind(likeFragment(q.text.code.toUpperCase()))}`];
    if (q.text.name) any.push(`applicant_text LIKE ${bind(likeFragment(q.text.name))}`);
    if (q.text.phone) any.push(`applicant_phones LIKE ${bind(likeFragment(q.text.phone))}`);
    where.push(`(${any.join(' OR ')})`);
  }
  if (q.after) where.push(`(received_at, code) > (${bind(q.after.receivedAt)}::timestamptz, ${bind(q.after.code)})`);
  let sql = `SELECT code, received_at, state FROM dossiers${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${ORDER[q.sort ?? 'received']} LIMIT ${bind(q.limit)}${q.offset ? ` OFFSET ${bind(q.offset)}` : ''}`;
  if (sql.includes(NOW)) {
    const placeholder = `${bind(q.now)}::timestamptz`;
    sql = sql.replaceAll(NOW, () => placeholder);
  }
  const { rows } = await pool.query<{ code: string; received_at: Date; state: DossierState }>(sql, params);
  return rows;
}
