/**
 * What an auditor runs against the database: the hash chain recomputed over
 * the whole event log, the log replayed into a scratch schema and compared
 * with the stored projection and counters, and the export of a package from
 * which a period's published rates can be recomputed offline.
 */
import type pg from 'pg';
import { chainLink, CHAIN_GENESIS } from '../audit/chain.js';
import type { AuditPackage } from '../audit/package.js';
import { foldDossier, TransitionError, type FoldContext } from '../dossiers/fold.js';
import { type DossierState, type PinnedRules } from '../dossiers/state.js';
import { DEFAULT_POLICIES } from '../rules/policies.js';
import { REGIMES } from '../dossiers/regimes.js';
import type { ReportQuery } from '../reports/report-query.js';
import { periodOf } from '../reports/report-query.js';
import type { VietnamCalendar } from '../calendar/vietnam-calendar.js';
import { buildReport, judgedAtOf } from './report-store.js';
import { loadEvents, loadPinnedRules, upsertDossiers } from './dossier-projection.js';
import { sealPending } from './event-store.js';
import { COUNTER_FIELDS } from '../reports/contributions.js';

export interface ChainReport {
  events: number;
  head: { pos: number; hash: string };
  /** The first link that does not hold, or null when the whole chain does. */
  firstBreak: { pos: number; eventId: string | null; problem: string } | null;
}

/** The events of the log without a position in the chain: committed and not sealed yet, or put in behind its back. */
const UNCHAINED = 'FROM dossier_events e WHERE NOT EXISTS (SELECT 1 FROM event_chain c WHERE c.seq = e.seq)';

/** How many events of the log are outside the chain (0 once every acknowledged event is sealed). */
export async function countUnchained(pool: pg.Pool): Promise<number> {
  return (await pool.query<{ n: number }>(`SELECT count(*)::int AS n ${UNCHAINED}`)).rows[0]!.n;
}

/** Recomputes every link in chain order, in batches; stops at the first that does not hold. */
export async function verifyChain(pool: pg.Pool, onProgress?: (done: number) => void): Promise<ChainReport> {
  // Events left outside by a process that stopped between its commit and its seal are sealed first.
  await sealPending(pool);
  const { rows: head } = await pool.query<{ pos: number; hash: string }>('SELECT pos, hash FROM event_chain_head');
  // After the seal every event has a position: one without (not even queued) was put in the log behind its back.
  const { rows: unchained } = await pool.query<{ event_id: string }>(`SELECT e.event_id ${UNCHAINED} LIMIT 1`);
  let prev = CHAIN_GENESIS;
  let expected = 1;
  let events = 0;
  for (;;) {
    // A link's recorded_at takes it to its month's partition alone, not every month's (migration 080).
    const { rows: page } = await pool.query<{ pos: number; hash: string; seq: number; event_id: string | null; key_id: string | null; body: string }>(
      // A lateral lookup per link: the planner does not count on pruning at run time, and would join the page with a
      // scan of every month (bench/scale.ts: 45 ms a page either way at 1 M events, the join grows with the log).
      `SELECT c.pos, c.hash, c.seq, e.event_id, e.key_id, e.body::text AS body
       FROM event_chain c LEFT JOIN LATERAL (SELECT e.event_id, e.key_id, e.body FROM dossier_events e WHERE e.seq = c.seq AND e.recorded_at = c.recorded_at LIMIT 1) e ON true
       WHERE c.pos >= $1 ORDER BY c.pos LIMIT 5000`,
      [expected],
    );
    if (page.length === 0) break;
    // recorded_at is not in the hash: a link whose copy of it does not match its event (edited, or a link written by
    // hand) is looked up by seq alone, and judged by its hash like any other. An event deleted from the log leaves
    // its position without a row: "missing".
    const rows = await withEventsBySeq(pool, page);
    // Links left at the end with no event: the head's comparison below reports it.
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.pos !== expected)
        return { events, head: head[0]!, firstBreak: { pos: expected, eventId: null, problem: `event at position ${expected} is missing (next is ${r.pos})` } };
      const link = chainLink(prev, r.pos, r.event_id, r.key_id, r.body);
      if (link !== r.hash)
        return {
          events,
          head: head[0]!,
          firstBreak: { pos: r.pos, eventId: r.event_id, problem: 'the hash does not match the event as stored (edited, or an earlier link changed)' },
        };
      prev = link;
      expected++;
      events++;
    }
    onProgress?.(events);
  }
  const h = head[0]!;
  if (h.pos !== events || h.hash !== prev)
    return {
      events,
      head: h,
      firstBreak: {
        pos: events + 1,
        eventId: null,
        problem: `the chain head says ${h.pos} events ending in ${h.hash.slice(0, 12)}…; the log holds ${events} ending in ${prev.slice(0, 12)}… (events removed from the end?)`,
      },
    };
  if (unchained[0]) return { events, head: h, firstBreak: { pos: events + 1, eventId: unchained[0].event_id, problem: 'an event outside the chain' } };
  return { events, head: h, firstBreak: null };
}

type LinkRow = { pos: number; hash: string; seq: number; event_id: string | null; key_id: string | null; body: string };

/** The page's links with their events, those the partition-pruned join missed read by seq; links without an event dropped. */
async function withEventsBySeq(pool: pg.Pool, page: LinkRow[]): Promise<Array<LinkRow & { event_id: string }>> {
  const unmatched = page.filter((r) => r.event_id === null).map((r) => r.seq);
  if (unmatched.length) {
    const { rows } = await pool.query<{ seq: number; event_id: string; key_id: string | null; body: string }>(
      'SELECT seq, event_id, key_id, body::text AS body FROM dossier_events WHERE seq = ANY($1::bigint[])',
      [unmatched],
    );
    const bySeq = new Map(rows.map((r) => [r.seq, r]));
    for (const r of page) if (r.event_id === null && bySeq.has(r.seq)) Object.assign(r, bySeq.get(r.seq));
  }
  return page.filter((r): r is LinkRow & { event_id: string } => r.event_id !== null);
}

export interface ReplayReport {
  dossiers: number;
  /** The first dossier (by code) whose stored row differs from the replay, with the columns that differ. */
  firstDivergence: { code: string; columns: string[]; problem?: string } | null;
  /** The first (agency, day) whose stored counters differ from the replay's. */
  counterDivergence: { agencyCode: string; day: string } | null;
}

/**
 * Replays the whole log into a scratch schema (same tables, same code path
 * as ingestion) and compares it with the stored projection. The scratch
 * schema lives only inside this transaction, which is rolled back.
 */
export async function replayAndCompare(pool: pg.Pool, ctx: FoldContext, onProgress?: (done: number, total: number) => void): Promise<ReplayReport> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('CREATE SCHEMA audit_scratch');
    await client.query('CREATE TABLE audit_scratch.dossiers (LIKE public.dossiers INCLUDING DEFAULTS)');
    await client.query('CREATE TABLE audit_scratch.daily_counts (LIKE public.daily_counts INCLUDING ALL)');
    await client.query('CREATE TABLE audit_scratch.dossier_judgments (LIKE public.dossier_judgments INCLUDING ALL)');
    await client.query('CREATE TABLE audit_scratch.dossier_steps (LIKE public.dossier_steps INCLUDING ALL)');
    await client.query('ALTER TABLE audit_scratch.dossiers ADD PRIMARY KEY (code)');
    const { rows } = await client.query<{ dossier_code: string }>('SELECT DISTINCT dossier_code FROM dossier_events ORDER BY 1');
    const codes = rows.map((r) => r.dossier_code);
    let unreplayable: ReplayReport['firstDivergence'] = null;
    for (let i = 0; i < codes.length; i += 2000) {
      const slice = codes.slice(i, i + 2000);
      const logs = await loadEvents(client, slice, { everyCodeBetween: true });
      const pinned = await loadPinnedRules(client, slice);
      const replayCtx: FoldContext = { ...ctx, pinnedRules: (code) => pinned.get(code) };
      const states: DossierState[] = [];
      for (const [code, list] of logs) {
        try {
          states.push(foldDossier(list, replayCtx));
        } catch (err) {
          // A log that no longer folds (an event edited out of order, say) is itself the divergence.
          if (!(err instanceof TransitionError)) throw err;
          unreplayable ??= { code, columns: [], problem: `the log does not replay: ${err.message}` };
        }
      }
      // Unqualified table names resolve to the scratch schema first: the same writer as ingestion.
      await client.query('SET LOCAL search_path TO audit_scratch, public');
      await upsertDossiers(client, states, replayCtx, new Map());
      await client.query('SET LOCAL search_path TO public');
      onProgress?.(Math.min(i + 2000, codes.length), codes.length);
    }
    const { rows: cols } = await client.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'dossiers' ORDER BY ordinal_position",
    );
    const names = cols.map((c) => c.column_name);
    const { rows: diff } = await client.query<{ code: string; columns: string[] }>(
      `SELECT coalesce(p.code, s.code) AS code,
              ARRAY(SELECT c FROM unnest($1::text[]) c WHERE to_jsonb(p) -> c IS DISTINCT FROM to_jsonb(s) -> c) AS columns
       FROM public.dossiers p FULL JOIN audit_scratch.dossiers s ON s.code = p.code
       WHERE to_jsonb(p) IS DISTINCT FROM to_jsonb(s)
       ORDER BY 1 LIMIT 1`,
      [names],
    );
    // Counters summed over shards; a missing row counts as zeros.
    const fields = COUNTER_FIELDS;
    const sums = (schema: string) =>
      `SELECT agency_code, day::text AS day, ${fields.map((f) => `sum(${f})::bigint AS ${f}`).join(', ')} FROM ${schema}.daily_counts GROUP BY 1, 2`;
    const side = (alias: string) => `(${fields.map((f) => `coalesce(${alias}.${f}, 0)`).join(', ')})`;
    const { rows: counterDiff } = await client.query<{ agency_code: string; day: string }>(
      `SELECT coalesce(p.agency_code, s.agency_code) AS agency_code, coalesce(p.day, s.day) AS day
       FROM (${sums('public')}) p FULL JOIN (${sums('audit_scratch')}) s ON s.agency_code = p.agency_code AND s.day = p.day
       WHERE ${side('p')} IS DISTINCT FROM ${side('s')}
       ORDER BY 2, 1 LIMIT 1`,
    );
    return {
      dossiers: codes.length,
      firstDivergence: unreplayable ?? (diff[0] ? { code: diff[0].code, columns: diff[0].columns } : null),
      counterDivergence: counterDiff[0] ? { agencyCode: counterDiff[0].agency_code, day: counterDiff[0].day } : null,
    };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/**
 * A self-contained package for an agency and a period: the events of its
 * dossiers relevant to the period, each with the link that proves it is in
 * the log; the catalogue, the calendar files and the rules in force; and the
 * rates as published. `audit check` recomputes the rates from it alone.
 */
export async function exportPackage(
  pool: pg.Pool,
  ctx: FoldContext & { calendar: VietnamCalendar },
  agency: string,
  q: ReportQuery,
  nowMs: number,
): Promise<AuditPackage> {
  await sealPending(pool);
  const period = periodOf(q);
  const agencies = ctx.catalog.descendantsOf(agency);
  const { rows: codes } = await pool.query<{ code: string }>(
    'SELECT code FROM dossiers WHERE receiving_agency_code = ANY($1::text[]) AND received_at < $3 AND (finished_at IS NULL OR finished_at >= $2) ORDER BY code',
    [agencies, new Date(period.from), new Date(period.to)],
  );
  const { rows: events } = await pool.query<{
    pos: number;
    hash: string;
    prev: string | null;
    event_id: string;
    key_id: string | null;
    key_role: string | null;
    body: string;
    recorded_at: Date;
  }>(
    `SELECT c.pos, c.hash, p.hash AS prev, e.event_id, e.key_id, e.key_role, e.body::text AS body, e.recorded_at
     FROM dossier_events e JOIN event_chain c ON c.seq = e.seq LEFT JOIN event_chain p ON p.pos = c.pos - 1
     WHERE e.dossier_code = ANY($1::text[]) ORDER BY c.pos`,
    [codes.map((c) => c.code)],
  );
  const { rows: head } = await pool.query<{ pos: number; hash: string }>('SELECT pos, hash FROM event_chain_head');
  const { rows: pinned } = await pool.query<{ code: string; rules: PinnedRules }>(
    'SELECT code, rules FROM dossier_rules WHERE code = ANY($1::text[]) ORDER BY code',
    [codes.map((c) => c.code)],
  );
  const { rows: revisions } = await pool.query('SELECT revision, year, applied_at, applied_by FROM calendar_revisions ORDER BY revision');
  const report = await buildReport({ pool, catalog: ctx.catalog, nowMs }, { ...q, groupBy: 'agency' }, { agencies: [agency] });
  const years = new Set<number>();
  const fromYear = new Date(period.from).getUTCFullYear() - 1;
  for (let y = fromYear; y <= new Date(period.to).getUTCFullYear() + 1; y++) years.add(y);
  return {
    format: 'dunghan-audit-package/1',
    generatedAt: new Date(nowMs).toISOString(),
    agency,
    period: {
      label: period.label,
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      judgedAt: new Date(judgedAtOf(period, nowMs)).toISOString(),
    },
    chainHead: head[0]!,
    events: events.map((e) => ({
      pos: e.pos,
      prevHash: e.prev ?? (e.pos === 1 ? CHAIN_GENESIS : null),
      hash: e.hash,
      eventId: e.event_id,
      keyId: e.key_id,
      keyRole: e.key_role,
      recordedAt: e.recorded_at.toISOString(),
      bodyText: e.body,
    })),
    catalog: { agencies: ctx.catalog.allAgencies(), procedures: ctx.catalog.procedureVersions() },
    calendar: { version: ctx.calendar.version, revisions, years: [...years].map((y) => ctx.calendar.officialYear(y)).filter((f) => f !== undefined) },
    rules: {
      pinned: Object.fromEntries(pinned.map((r) => [r.code, r.rules])),
      regimes: REGIMES,
      defaultPolicies: DEFAULT_POLICIES,
      calendarPolicies: ctx.calendar.policies,
      rates: 'src/reports/rates.ts (Decision 766 as the national portal computes it)',
    },
    published: { total: report.total, rows: report.rows },
  };
}
