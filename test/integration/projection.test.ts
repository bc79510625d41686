import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { AppContext } from '../../src/app-context.js';
import { connect, inTransaction } from '../../src/db/database.js';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { migrate } from '../../src/db/migrate.js';
import { createApp } from '../../src/http/app.js';
import { sampleProvince } from '../../src/sample/province.js';
import { generateEvents } from '../../src/sample/sample-events.js';
import { createApiKey } from '../../src/store/api-keys.js';
import { saveCatalog } from '../../src/store/catalog-store.js';
import { ingestEvents } from '../../src/store/event-store.js';
import { countsBy, countsFromCounters, judgedAtOf, runningFromCounters } from '../../src/store/report-store.js';
import { recountDailyCounts } from '../../src/store/recount-counters.js';
import type { DossierState } from '../../src/dossiers/state.js';
import { dossierCounts } from '../../src/reports/dossier-counts.js';
import { addCounts, EMPTY_COUNTS, type Counts } from '../../src/reports/rates.js';
import { monthsIn, periodRange } from '../../src/reports/periods.js';
import { COUNTER_FIELDS } from '../../src/reports/contributions.js';
import { freePort } from '../support/free-port.js';
import { ev } from '../support/events.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const snapshot = async () => (await t.ctx.db.pool.query('SELECT * FROM dossiers ORDER BY code')).rows;

test('`npx dunghan rebuild` replays the whole log and reproduces the dossiers table exactly', async () => {
  const events = generateEvents(t.ctx.catalog, {
    seed: 7,
    dossiers: 400,
    from: Date.parse('2025-01-02T08:00:00+07:00'),
    to: Date.parse('2025-12-01T08:00:00+07:00'),
    until: Date.parse('2025-12-10T08:00:00+07:00'),
  });
  for (let i = 0; i < events.length; i += 500) await ingestEvents(t.ctx.db.pool, t.ctx.foldContext(), events.slice(i, i + 500));
  const before = await snapshot();
  expect(before.length).toBe(400);
  // Something worth comparing: a spread of statuses and outcomes, paused and rescheduled dossiers.
  expect(new Set(before.map((r) => r.outcome)).size).toBeGreaterThanOrEqual(3);
  expect(before.some((r) => (r.state as { pausedMs: number }).pausedMs > 0)).toBe(true);
  expect(before.some((r) => (r.state as { apology: unknown }).apology !== null)).toBe(true);

  const counters = async () =>
    (
      await t.ctx.db.pool.query(
        `SELECT agency_code, day::text, ${COUNTER_FIELDS.map((f) => `sum(${f})::int AS ${f}`).join(', ')} FROM daily_counts GROUP BY 1, 2 HAVING ${COUNTER_FIELDS.map((f) => `sum(${f}) <> 0`).join(' OR ')} ORDER BY 1, 2`,
      )
    ).rows;
  const countersBefore = await counters();
  expect(countersBefore.length).toBeGreaterThan(100);
  await t.ctx.db.pool.query("UPDATE dossiers SET status = 'tampered', due_at = now()");
  await t.ctx.db.pool.query('UPDATE daily_counts SET received = received + 1');
  const { stdout } = await run(process.execPath, ['bin/dunghan.js', 'rebuild'], { env: { ...process.env, DATABASE_URL: t.url } });
  expect(stdout).toMatch(/rebuilt \d+ dossiers/);
  expect(await snapshot()).toEqual(before);
  expect(await counters()).toEqual(countersBefore);

  // The daily counters, kept up by every batch, give the same report counts as a scan of the dossiers.
  const now = Date.parse('2026-01-15T00:00:00+07:00');
  const periods = [
    ...monthsIn(periodRange('2025', 'calendar'), 'calendar'),
    ...['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2025-H1', '2025-9M', '2025'].map((p) => periodRange(p, 'report')),
  ];
  for (const period of periods) {
    for (const agencies of [null, ['SLA.TPSL'], ['SLA.P.TOHIEU', 'SLA.MSO']]) {
      const scan = await countsBy(t.ctx.reading(now), period, 'agency', { agencies });
      const fromCounters = await countsFromCounters(t.ctx.reading(now), period, { agencies });
      expect({ period: period.label, agencies, counts: Object.fromEntries(fromCounters) }).toEqual({
        period: period.label,
        agencies,
        counts: Object.fromEntries(scan),
      });
    }
  }

  // Something for every indicator and compliance figure to count.
  const { rows: some } = await t.ctx.db.pool.query(
    `SELECT count(*) FILTER (WHERE electronic_result)::int AS e, count(*) FILTER (WHERE reused_data)::int AS r, count(*) FILTER (WHERE dissatisfied_at IS NOT NULL)::int AS d,
            count(*) FILTER (WHERE second_supplement_at IS NOT NULL)::int AS s2, (SELECT count(*)::int FROM dossier_judgments) AS h FROM dossiers`,
  );
  expect(Object.values(some[0]).every((n) => (n as number) > 0)).toBe(true);

  // The SQL recount of bulk loads gives the counters ingestion kept.
  await recountDailyCounts(t.ctx.db.pool);
  expect(await counters()).toEqual(countersBefore);

  // The pure form of every count (progress.ts, dossier-counts.ts: audit packages) agrees with the SQL one, the open
  // dossiers of each period judged as they were at its end.
  const states = (await t.ctx.db.pool.query<{ state: DossierState }>('SELECT state FROM dossiers')).rows.map((r) => r.state);
  for (const period of periods) {
    const pure = states.reduce((sum, s) => addCounts(sum, dossierCounts(s, period.from, period.to, judgedAtOf(period, now))), EMPTY_COUNTS);
    const scan = (await countsBy(t.ctx.reading(now), period, 'all', { agencies: null })).get('total')!;
    expect({ period: period.label, ...scan }).toEqual({ period: period.label, ...pure, processingTimeSum: 0, processingTimeCount: 0 });
  }

  // A running period: the counters up to last midnight plus what was touched since give what a full scan gives.
  let filteredRows = 0;
  for (const nowRunning of ['2025-03-14T10:30:00+07:00', '2025-07-01T00:00:00+07:00', '2025-11-28T16:45:00+07:00'].map(Date.parse)) {
    for (const label of ['2025', '2025-Q1', '2025-H2', '2025-11']) {
      const period = periodRange(label, 'calendar');
      if (period.from > nowRunning || period.to <= nowRunning) continue;
      const zeroTime = (m: Map<string, Counts>) => Object.fromEntries([...m].map(([k, c]) => [k, { ...c, processingTimeSum: 0, processingTimeCount: 0 }]));
      // The whole province, and one district's subtree (an agency filter narrows both reads).
      for (const agencies of [null, ['SLA.P.TOHIEU']]) {
        const running = await runningFromCounters(t.ctx.reading(nowRunning), period, { agencies });
        const scan = await countsBy(t.ctx.reading(nowRunning), period, 'agency', { agencies });
        expect({ label, agencies, at: nowRunning, counts: zeroTime(running) }).toEqual({ label, agencies, at: nowRunning, counts: zeroTime(scan) });
        if (agencies) filteredRows += scan.size;
      }
    }
  }
  expect(filteredRows).toBeGreaterThan(0);
});

test('concurrent batches on one dossier are serialised: every event is folded', async () => {
  const code = 'RACE-1';
  await ingestEvents(t.ctx.db.pool, t.ctx.foldContext(), [ev.received(code, '2025-03-17T10:00:00+07:00') as never]);
  const payments = Array.from({ length: 24 }, (_, i) =>
    ev.of('payment_recorded', code, `2025-03-17T1${i % 7}:${String(10 + i).padStart(2, '0')}:00+07:00`, {
      amount: 1000 * (i + 1),
      method: 'counter',
      viaNationalPortal: false,
    }),
  );
  const results = await Promise.all(payments.map((p) => request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.counter}`).send(p)));
  expect(results.map((r) => r.status)).toEqual(payments.map(() => 201));
  const { rows } = await t.ctx.db.pool.query('SELECT state FROM dossiers WHERE code = $1', [code]);
  expect(rows[0].state.amountPaid).toBe((1000 * 24 * 25) / 2);
  expect(rows[0].state.eventCount).toBe(25);
});

test('an acknowledged event survives the database being killed', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-crash-'));
  await fs.chmod(dir, 0o755);
  const port = await freePort();
  try {
    let server = await startEmbeddedPostgres({ dataDir: dir, port });
    let db = connect(server.url, 4);
    await migrate(db.pool);
    const { agencies, procedures } = sampleProvince();
    await inTransaction(db.pool, (c) => saveCatalog(c, agencies, procedures));
    const { key } = await createApiKey(db.pool, { role: 'admin', agencyCodes: ['SLA'], label: 'crash' });
    const app = createApp(await AppContext.load(db));
    const res = await request(app).post('/api/v1/events').set('Authorization', `Bearer ${key}`).send(ev.received('CRASH-1', '2025-03-17T10:00:00+07:00'));
    expect(res.status).toBe(201);

    // SIGKILL the postmaster: no shutdown checkpoint, only what was committed (WAL) survives.
    const pid = Number((await fs.readFile(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    await db.close().catch(() => undefined);
    for (let i = 0; i < 50; i++) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 100));
      } catch {
        break;
      }
    }
    // Orphaned backends keep the shared memory until they notice; wait for them to go.
    await new Promise((r) => setTimeout(r, 1000));

    server = await startEmbeddedPostgres({ dataDir: dir, port });
    db = connect(server.url, 2);
    const { rows } = await db.pool.query(
      "SELECT d.status, count(e.*)::int AS n FROM dossiers d JOIN dossier_events e ON e.dossier_code = d.code WHERE d.code = 'CRASH-1' GROUP BY 1",
    );
    expect(rows).toEqual([{ status: 'received', n: 1 }]);
    await db.close();
    await server.stop();
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
