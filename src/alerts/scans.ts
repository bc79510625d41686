/**
 * Detection: dossiers whose remaining working time has fallen under the
 * apology lead time (due soon), dossiers past their due instant (overdue),
 * and each agency's daily digest. Each writes outbox rows, one per
 * supervisor of the dossier's agencies, in one transaction.
 */
import type pg from 'pg';
import { legalOpenSql } from '../dossiers/progress-sql.js';
import { inTransaction } from '../db/database.js';
import { isoDateOf, localDayOf, formatLocalInstant } from '../calendar/local-time.js';
import type { DossierState } from '../dossiers/fold.js';
import { renderAlertList, renderDigest, type AlertEnv } from './alert-content.js';
import { createHash } from 'node:crypto';
import { enqueue, type OutboxRow } from './outbox.js';
import { sealPending } from '../store/event-store.js';

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

// The legal judgment now (progress-sql.ts): a dossier waiting for the citizen has its clock stopped and is not alerted.
const SELECTORS = { due_soon: legalOpenSql.due_soon('$1'), overdue: legalOpenSql.overdue('$1') } as const;

/**
 * Since the last scan ($2 its instant, $3 the chain position it had seen, $4 the chain's head now): the dossiers whose
 * threshold was crossed in between, and those that received events (a late or backdated event, a resumed clock). The
 * positions are bounded on both sides so that even without statistics on the chain (a table just loaded) the planner
 * reads a range of its index, not the whole chain and log. A due-soon threshold is
 * at most 30 working days before the due instant (policies.ts), so its dossiers are due within 90 days. Two index
 * range scans in a UNION, not an OR the planner would answer by scanning the open dossiers.
 */
const WITH_EVENTS_SINCE = 'SELECT e.dossier_code FROM event_chain c JOIN dossier_events e ON e.seq = c.seq WHERE c.pos > $3 AND c.pos <= $4';
const SINCE = {
  overdue: `code IN (SELECT code FROM dossiers WHERE ${legalOpenSql.overdue('$1')} AND due_at > $2
                     UNION ${WITH_EVENTS_SINCE})`,
  due_soon: `code IN (SELECT code FROM dossiers WHERE ${legalOpenSql.due_soon('$1')} AND due_soon_at > $2 AND due_at < $1::timestamptz + interval '90 days'
                      UNION ${WITH_EVENTS_SINCE})`,
} as const;

export interface ScanResult {
  /** Alerts new in this scan. */
  alerts: number;
  /** Dossiers the scan looked at: the newly crossed and the newly changed, not the backlog. */
  examined: number;
}

/**
 * Writes due-soon or overdue alerts; a new due instant (after an apology) may
 * alert again. Each alert (dossier, due instant, recipient) is recorded once in
 * the `alerts` ledger, in the transaction that finds it; the alerts new to a
 * recipient in this scan go out as one message listing them, most urgent first.
 * Returns how many alerts were new.
 */
export async function scanDossiers(pool: pg.Pool, kind: 'due_soon' | 'overdue', env: AlertEnv): Promise<ScanResult> {
  // Events are seen by their chain position: any committed but not yet sealed are sealed first.
  await sealPending(pool);
  return inTransaction(pool, async (client) => {
    // One scan of a kind at a time; the chain head read in this snapshot covers every event committed before it.
    const mark = await client.query<{ scanned_at: Date; chain_pos: string }>('SELECT scanned_at, chain_pos FROM scan_watermarks WHERE kind = $1 FOR UPDATE', [kind]);
    const head = await client.query<{ pos: string }>('SELECT pos FROM event_chain_head');
    const saveMark = () =>
      client.query(
        `INSERT INTO scan_watermarks (kind, scanned_at, chain_pos) VALUES ($1, $2, $3)
         ON CONFLICT (kind) DO UPDATE SET scanned_at = excluded.scanned_at, chain_pos = excluded.chain_pos`,
        [kind, new Date(env.now), head.rows[0]?.pos ?? 0],
      );
    const supervisors = await supervisorsByAgency(client);
    // Nobody to tell: the mark stays, so the first supervisor registered hears of the dossiers already overdue.
    if (supervisors.size === 0) return { alerts: 0, examined: 0 };
    const since = mark.rows[0];
    // A clock moved back (tests, a corrected system time) looks at everything again.
    const incremental = since !== undefined && since.scanned_at.getTime() <= env.now;
    const { rows } = await client.query<{ state: DossierState }>(
      `SELECT state FROM dossiers WHERE ${SELECTORS[kind]}${incremental ? ` AND ${SINCE[kind]}` : ''} ORDER BY due_at, code`,
      incremental ? [new Date(env.now), since.scanned_at, since.chain_pos, head.rows[0]?.pos ?? 0] : [new Date(env.now)],
    );
    await saveMark();
    const candidates: Array<{ key: string; state: DossierState; sup: Supervisor }> = [];
    for (const { state } of rows) {
      for (const sup of recipientsOf(state, supervisors)) candidates.push({ key: `${kind}:${state.code}:${formatLocalInstant(state.dueAt)}:${sup.email}`, state, sup });
    }
    const fresh = new Set<string>();
    for (let i = 0; i < candidates.length; i += 1000) {
      const slice = candidates.slice(i, i + 1000);
      // A concurrent scan waits on the same keys and then finds them taken: each alert is new to one scan only.
      const { rows: inserted } = await client.query<{ dedupe_key: string }>(
        `INSERT INTO alerts (dedupe_key, kind, dossier_code, due_at, recipient)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[])
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key`,
        [slice.map((c) => c.key), slice.map(() => kind), slice.map((c) => c.state.code), slice.map((c) => new Date(c.state.dueAt)), slice.map((c) => c.sup.email)],
      );
      for (const r of inserted) fresh.add(r.dedupe_key);
    }
    const byRecipient = new Map<string, { sup: Supervisor; items: typeof candidates }>();
    for (const c of candidates) {
      if (!fresh.has(c.key)) continue;
      const entry = byRecipient.get(c.sup.email) ?? { sup: c.sup, items: [] };
      entry.items.push(c);
      byRecipient.set(c.sup.email, entry);
    }
    for (const { sup, items } of byRecipient.values()) {
      const keys = items.map((c) => c.key);
      const single = items.length === 1 ? items[0]!.state : null;
      const dedupeKey = single ? keys[0]! : `${kind}-list:${sup.email}:${createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 32)}`;
      await enqueue(client, [{ dedupeKey, kind, dossierCode: single?.code ?? null, agencyCode: single?.receivingAgencyCode ?? null, dueAt: items[0]!.state.dueAt, recipient: sup.email, ...renderAlertList(kind, items.map((c) => c.state), env, sup.name) }], env.now);
      await client.query('UPDATE alerts SET outbox_id = (SELECT id FROM alert_outbox WHERE dedupe_key = $1) WHERE dedupe_key = ANY($2::text[])', [dedupeKey, keys]);
    }
    return { alerts: fresh.size, examined: rows.length };
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
