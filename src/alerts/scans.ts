/**
 * Detection: dossiers whose remaining working time has fallen under the
 * apology lead time (due soon), dossiers past their due instant (overdue),
 * and each agency's daily digest. Each writes outbox rows, one per
 * supervisor of the dossier's agencies, in one transaction.
 */
import type pg from 'pg';
import { inTransaction } from '../db/database.js';
import { isoDateOf, localDayOf, formatLocalInstant } from '../calendar/local-time.js';
import type { DossierState } from '../dossiers/fold.js';
import { renderDigest, renderDossierAlert, type AlertEnv } from './alert-content.js';
import { enqueue, type OutboxRow } from './outbox.js';

interface Supervisor {
  agencyCode: string;
  name: string;
  email: string;
}

async function supervisorsByAgency(client: pg.ClientBase): Promise<Map<string, Supervisor[]>> {
  const { rows } = await client.query<{ agency_code: string; name: string; email: string }>('SELECT agency_code, name, email FROM supervisors ORDER BY email');
  const map = new Map<string, Supervisor[]>();
  for (const r of rows) map.set(r.agency_code, [...(map.get(r.agency_code) ?? []), { agencyCode: r.agency_code, name: r.name, email: r.email }]);
  return map;
}

/** The supervisors of every agency on the dossier's paths, once each. */
function recipientsOf(s: DossierState, supervisors: Map<string, Supervisor[]>): Supervisor[] {
  const byEmail = new Map<string, Supervisor>();
  for (const code of s.agencyCodes) for (const sup of supervisors.get(code) ?? []) if (!byEmail.has(sup.email)) byEmail.set(sup.email, sup);
  return [...byEmail.values()];
}

const SELECTORS = {
  due_soon: 'finished_at IS NULL AND NOT paused AND due_soon_at <= $1 AND due_at >= $1',
  overdue: 'finished_at IS NULL AND NOT paused AND due_at < $1',
} as const;

/** Writes due-soon or overdue alerts; a new due instant (after an apology) may alert again. */
export async function scanDossiers(pool: pg.Pool, kind: 'due_soon' | 'overdue', env: AlertEnv): Promise<number> {
  return inTransaction(pool, async (client) => {
    const supervisors = await supervisorsByAgency(client);
    if (supervisors.size === 0) return 0;
    const { rows } = await client.query<{ state: DossierState }>(`SELECT state FROM dossiers WHERE ${SELECTORS[kind]} ORDER BY due_at`, [new Date(env.now)]);
    const outbox: OutboxRow[] = [];
    for (const { state } of rows) {
      for (const sup of recipientsOf(state, supervisors)) {
        const content = renderDossierAlert(state, env, sup.name);
        outbox.push({
          dedupeKey: `${kind}:${state.code}:${formatLocalInstant(state.dueAt)}:${sup.email}`,
          kind,
          dossierCode: state.code,
          agencyCode: state.receivingAgencyCode,
          dueAt: state.dueAt,
          recipient: sup.email,
          ...content,
        });
      }
    }
    let written = 0;
    for (let i = 0; i < outbox.length; i += 500) written += await enqueue(client, outbox.slice(i, i + 500), env.now);
    return written;
  });
}

/** One mail per supervisor per working day listing the agency's overdue and due-soon dossiers. */
export async function dailyDigest(pool: pg.Pool, env: AlertEnv): Promise<number> {
  const today = localDayOf(env.now);
  if (!env.calendar.isWorkingDay(today)) return 0;
  return inTransaction(pool, async (client) => {
    const supervisors = await supervisorsByAgency(client);
    const outbox: OutboxRow[] = [];
    for (const [agencyCode, sups] of supervisors) {
      const { rows } = await client.query<{ state: DossierState }>(
        `SELECT state FROM dossiers WHERE agency_codes @> ARRAY[$2]::text[] AND finished_at IS NULL AND NOT paused AND due_soon_at <= $1 ORDER BY due_at`,
        [new Date(env.now), agencyCode],
      );
      if (rows.length === 0) continue;
      for (const sup of sups) {
        outbox.push({
          dedupeKey: `digest:${agencyCode}:${isoDateOf(today)}:${sup.email}`,
          kind: 'digest',
          dossierCode: null,
          agencyCode,
          dueAt: null,
          recipient: sup.email,
          ...renderDigest(agencyCode, rows.map((r) => r.state), env, sup.name),
        });
      }
    }
    return enqueue(client, outbox, env.now);
  });
}
