/**
 * progress.ts and its SQL (progress-sql.ts, counts-sql.ts) are one definition: generated dossiers (waits for
 * the citizen, repeated requests, apologies, refusals and withdrawals during a wait, finishes exactly at the due
 * instant) are ingested, and at many instants the 766 judgment the reports read in SQL, with the events of then,
 * equals what the pure function says of the folded state; now, the legal phase the lists and alerts read
 * equals the one the dossier page shows.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { applyEvent, TransitionError } from '../../src/dossiers/fold.js';
import { type DossierState } from '../../src/dossiers/state.js';
import { dossierEventSchema, type DossierEvent } from '../../src/dossiers/events.js';
import { lateOrOverdueAt, lateWithoutApologyAt, progressAt, segmentAt } from '../../src/dossiers/progress.js';
import { lateOrOverdueNowSql, lateWithoutApologyNowSql, legalOpenSql, rateOverdueAtSql } from '../../src/dossiers/progress-sql.js';
import { indicatorFlags } from '../../src/reports/indicator-flags.js';
import { COUNT_TABLE } from '../../src/reports/count-table.js';
import { countsSql } from '../../src/reports/counts-sql.js';
import { dossierCounts } from '../../src/reports/dossier-counts.js';
import { addCounts, EMPTY_COUNTS } from '../../src/reports/rates.js';
import { ingestEvents } from '../../src/store/event-store.js';
import { formatLocalInstant } from '../../src/calendar/local-time.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
const NOW = Date.parse('2025-12-20T10:00:00+07:00');
beforeAll(async () => {
  t = await createTestApp({ now: NOW });
});
afterAll(async () => t.close());

const HOUR = 3_600_000;
type Step = {
  kind: 'request' | 'supply' | 'apology' | 'result' | 'result_at_due' | 'refuse' | 'withdraw' | 'pay' | 'rate' | 'close';
  gapHours: number;
  extraDays: number;
};
const step = fc.record({
  kind: fc.constantFrom<Step['kind']>(
    'request',
    'supply',
    'request',
    'supply',
    'apology',
    'result',
    'result_at_due',
    'refuse',
    'withdraw',
    'pay',
    'rate',
    'close',
  ),
  gapHours: fc.integer({ min: 1, max: 120 }),
  extraDays: fc.integer({ min: 1, max: 10 }),
});
const dossier = fc.record({
  dayOffset: fc.integer({ min: 0, max: 60 }),
  hour: fc.integer({ min: 8, max: 16 }),
  procedure: fc.constantFrom('1.004194', '1.001776', '1.000656'),
  steps: fc.array(step, { maxLength: 7 }),
});

type Generated = typeof dossier extends fc.Arbitrary<infer T> ? T : never;
let run = 0;

/** The events of one generated dossier that apply, in order (an impossible step is skipped, as a counter would not send it). */
function eventsOf(code: string, d: Generated): DossierEvent[] {
  const ctx = t.ctx.foldContext();
  const start = Date.parse('2025-10-01T00:00:00+07:00') + d.dayOffset * 24 * HOUR + d.hour * HOUR;
  const iso = (ms: number) => formatLocalInstant(ms);
  const out: DossierEvent[] = [];
  let state: DossierState | undefined;
  let at = start;
  const tryApply = (raw: Record<string, unknown>) => {
    // Nothing from the future: "now" is judged from the current row, which holds every event sent so far.
    if (Date.parse(raw.occurredAt as string) > NOW) return;
    const e = dossierEventSchema.parse({ eventId: randomUUID(), dossierCode: code, ...raw });
    try {
      state = applyEvent(state, { seq: out.length + 1, event: e }, { ...ctx, pinnedRules: () => undefined });
      out.push(e);
    } catch (err) {
      if (!(err instanceof TransitionError)) throw err;
    }
  };
  // Every third dossier online, digitised and reusing data; a fee where the procedure has one (the 766 flows' inputs).
  const online = d.dayOffset % 3 === 0;
  const feeRequired = (t.ctx.catalog.procedure(d.procedure)?.feeRequired ?? false) && d.hour % 2 === 0;
  tryApply({
    type: 'received',
    occurredAt: iso(at),
    procedureCode: d.procedure,
    receivingAgencyCode: 'SLA.P.TOHIEU.TTPV',
    channel: online ? 'online' : 'direct',
    applicant: { name: 'Lò Thị Mai' },
    feeRequired,
    digitized: online,
    reusedDigitizedData: online,
  });
  for (const s of d.steps) {
    at += s.gapHours * HOUR;
    const index = t.ctx.calendar.workingTime(state!.rules.policies.officeHours);
    switch (s.kind) {
      case 'request':
        tryApply({ type: 'supplement_requested', occurredAt: iso(at), reason: 'Thiếu giấy tờ' });
        break;
      case 'supply':
        tryApply({ type: 'supplement_received', occurredAt: iso(at) });
        break;
      case 'apology':
        tryApply({
          type: 'apology_issued',
          occurredAt: iso(at),
          reason: 'Cần xác minh',
          newDueAt: iso(index.add(Math.max(at, state!.dueAt), s.extraDays * index.dayMs)),
        });
        break;
      // Every other result electronic: a period is judged with the results given by its end (issue 23).
      case 'result':
        tryApply({ type: 'result_ready', occurredAt: iso(at), electronicResult: s.gapHours % 2 === 0 });
        break;
      case 'result_at_due':
        // Exactly at the 766 appointment: on time, not late.
        if (state!.rate.dueAt > (state!.lastOccurredAt ?? 0) && state!.pausedSince === null) {
          at = state!.rate.dueAt;
          tryApply({ type: 'result_ready', occurredAt: iso(at) });
        }
        break;
      case 'refuse':
        tryApply({ type: 'refused', occurredAt: iso(at), reason: 'Không đủ điều kiện' });
        break;
      case 'withdraw':
        tryApply({ type: 'withdrawn', occurredAt: iso(at) });
        break;
      case 'pay':
        tryApply({
          type: 'payment_recorded',
          occurredAt: iso(at),
          amount: 15000,
          method: s.gapHours % 2 === 0 ? 'online' : 'counter',
          viaNationalPortal: true,
        });
        break;
      case 'rate':
        tryApply({ type: 'rated', occurredAt: iso(at), rating: s.gapHours % 2 === 0 ? 'disliked' : 'liked' });
        break;
      case 'close':
        tryApply({ type: 'closed', occurredAt: iso(at) });
        break;
    }
  }
  return out;
}

test('the pure judgment and the SQL agree at many instants, the past judged as it was', async () => {
  let compared = 0;
  const seen = {
    waitingOnTrack: 0,
    waitingOverdue: 0,
    overdue: 0,
    finishedInWait: 0,
    atDue: 0,
    superseded: 0,
    lateWithoutApology: 0,
    lateApologised: 0,
    electronicLater: 0,
  };
  await fc.assert(
    fc.asyncProperty(
      fc.array(dossier, { minLength: 20, maxLength: 40 }),
      fc.array(fc.integer({ min: 0, max: 80 * 24 }), { minLength: 15, maxLength: 15 }),
      async (list, hourOffsets) => {
        run += 1;
        const codes = list.map((_, i) => `PA-${run}-${i}`);
        const all = list.flatMap((d, i) => eventsOf(codes[i]!, d));
        await ingestEvents(t.ctx.db.pool, t.ctx.foldContext(), all);
        const { rows: stateRows } = await t.ctx.db.pool.query<{ state: DossierState }>('SELECT state FROM dossiers WHERE code = ANY($1::text[])', [codes]);
        const states = new Map(stateRows.map((r) => [r.state.code, r.state]));
        // Random instants, plus each event's instant and the instants just around each due instant.
        const instants = new Set(hourOffsets.map((h) => Date.parse('2025-10-01T00:00:00+07:00') + h * HOUR));
        for (const s of states.values()) {
          for (const seg of s.judgments) for (const x of [seg.from, seg.rateDueAt, seg.rateDueAt + 1]) if (x <= NOW) instants.add(x);
          if (s.judgments.length > 1) seen.superseded += 1;
          if (s.finishedAt !== null && s.finishedAt === s.rate.dueAt) seen.atDue += 1;
        }
        for (const at of instants) {
          const { rows } = await t.ctx.db.pool.query<{ code: string; open: boolean; overdue: boolean; electronic: boolean }>(
            `SELECT code, (finished_at IS NULL OR finished_at > $1) AS open, ${rateOverdueAtSql('$1')} AS overdue,
                  (electronic_result_at <= $1) IS TRUE AS electronic
           FROM dossiers WHERE code = ANY($2::text[]) AND received_at <= $1`,
            [new Date(at), codes],
          );
          const judged = (open: boolean, overdue: boolean, electronic: boolean) =>
            `${open ? (overdue ? 'overdue' : 'on_track') : 'finished'}${electronic ? '+e' : ''}`;
          const sql = Object.fromEntries(rows.map((r) => [r.code, judged(r.open, r.overdue, r.electronic)]));
          const pure: Record<string, string> = {};
          for (const s of states.values()) {
            const j = progressAt(s, at);
            if (!j) continue;
            const electronic = indicatorFlags(s, at).electronicResult;
            if (s.electronicResult && !electronic) seen.electronicLater += 1;
            pure[s.code] = judged(!j.finished, j.rate === 'overdue', electronic);
            if (!j.finished && j.legal === 'waiting_for_citizen') seen[j.rate === 'overdue' ? 'waitingOverdue' : 'waitingOnTrack'] += 1;
            if (!j.finished && j.rate === 'overdue') seen.overdue += 1;
          }
          expect({ at: formatLocalInstant(at), judgments: sql }).toEqual({ at: formatLocalInstant(at), judgments: pure });
          compared += rows.length;
        }
        for (const s of states.values()) {
          if ((s.status === 'refused' || s.status === 'withdrawn') && segmentAt(s.judgments, s.finishedAt! - 1)?.waitingSince != null) seen.finishedInWait += 1;
        }

        // Now: the legal phase of the lists and alerts equals the dossier page's.
        const phases = Object.keys(legalOpenSql) as Array<keyof typeof legalOpenSql>;
        const { rows: now } = await t.ctx.db.pool.query<{ code: string; phase: string | null }>(
          `SELECT code, CASE ${phases.map((p) => `WHEN ${legalOpenSql[p]('$1')} THEN '${p}'`).join(' ')} END AS phase FROM dossiers WHERE code = ANY($2::text[])`,
          [new Date(NOW), codes],
        );
        for (const r of now) {
          const j = progressAt(states.get(r.code)!, NOW)!;
          expect({ code: r.code, phase: r.phase }).toEqual({ code: r.code, phase: j.finished ? null : j.legal });
        }
        // Now: "late without an apology" of the list filter equals the dossier page's (one definition).
        const { rows: late } = await t.ctx.db.pool.query<{ code: string; late: boolean }>(
          `SELECT code, ${lateWithoutApologyNowSql('$1')} AS late FROM dossiers WHERE code = ANY($2::text[])`,
          [new Date(NOW), codes],
        );
        for (const r of late) {
          const s = states.get(r.code)!;
          expect({ code: r.code, late: r.late }).toEqual({ code: r.code, late: lateWithoutApologyAt(s, NOW) });
          if (r.late) seen.lateWithoutApology += 1;
          if (s.apology && !s.apology.reschedules) seen.lateApologised += 1;
        }
        // Now: "late or overdue" (what must be explained) of the dashboard's queue equals the dossier page's.
        const { rows: owing } = await t.ctx.db.pool.query<{ code: string; owes: boolean }>(
          `SELECT code, ${lateOrOverdueNowSql('$1')} AS owes FROM dossiers WHERE code = ANY($2::text[])`,
          [new Date(NOW), codes],
        );
        for (const r of owing) expect({ code: r.code, owes: r.owes }).toEqual({ code: r.code, owes: lateOrOverdueAt(states.get(r.code)!, NOW) });
      },
    ),
    { numRuns: 12, seed: 20261123 },
  );
  expect(compared).toBeGreaterThan(1000);
  // The generated cases reached what the test is about.
  expect(seen.waitingOnTrack).toBeGreaterThan(0);
  expect(seen.waitingOverdue).toBeGreaterThan(0);
  expect(seen.overdue).toBeGreaterThan(0);
  expect(seen.superseded).toBeGreaterThan(0);
  expect(seen.atDue).toBeGreaterThan(0);
  expect(seen.finishedInWait).toBeGreaterThan(0);
  expect(seen.lateWithoutApology).toBeGreaterThan(0);
  expect(seen.lateApologised).toBeGreaterThan(0);
  expect(seen.electronicLater).toBeGreaterThan(0);
});

// After the property above has ingested its generated dossiers.
test('every count of the count table: its TypeScript and SQL predicates agree on generated dossiers, for ended and running periods', async () => {
  const codes = (await t.ctx.db.pool.query<{ code: string }>("SELECT code FROM dossiers WHERE code LIKE 'PA-%'")).rows.map((r) => r.code);
  expect(codes.length).toBeGreaterThan(100);
  const { rows } = await t.ctx.db.pool.query<{ state: DossierState }>('SELECT state FROM dossiers WHERE code = ANY($1::text[])', [codes]);
  const start = (y: number, m: number) => Date.parse(`${m > 12 ? y + 1 : y}-${String(m > 12 ? 1 : m).padStart(2, '0')}-01T00:00:00+07:00`);
  const month = (m: number) => ({ from: start(2025, m), to: start(2025, m + 1) });
  // October, November (ended) and December (running at NOW, judged now).
  for (const p of [month(10), month(11), month(12)]) {
    const judgedAt = Math.min(p.to - 1, NOW);
    const pure = rows.map((r) => dossierCounts(r.state, p.from, p.to, judgedAt)).reduce(addCounts, EMPTY_COUNTS);
    const sql = (await t.ctx.db.pool.query(countsSql('all', ' AND code = ANY($4::text[])'), [new Date(p.from), new Date(p.to), new Date(judgedAt), codes]))
      .rows[0]!;
    for (const d of COUNT_TABLE) expect({ period: p.from, count: d.key, n: sql[d.key] }).toEqual({ period: p.from, count: d.key, n: pure[d.key] });
  }
  // The generated dossiers reached every count somewhere (else the comparison proves little).
  const all = rows.map((r) => dossierCounts(r.state, month(10).from, month(12).to, NOW)).reduce(addCounts, EMPTY_COUNTS);
  const unreached = COUNT_TABLE.filter((d) => all[d.key] === 0 && !['receivedPostal', 'lateOnlineAcceptance', 'apologyTooLate'].includes(d.key)).map(
    (d) => d.key,
  );
  expect(unreached).toEqual([]);
});
