/**
 * What users run, at 100k, 500k and 1M dossiers of realistic data: the
 * dossiers are the sample generator's, ingested through the ingestion code
 * path (real states, judgments, counters in their shards), growing from one
 * size to the next. At each size, each next to a baseline in the same run
 * (sides alternating, min / median / max of RUNS):
 * - the current-year report by agency and by month, over HTTP, vs a bare GROUP BY
 *   agency × month of only that year's rows;
 * - the dashboard page, over HTTP, vs the same bare GROUP BY;
 * - the ended year (2025) by agency, from the counters, vs a bare GROUP BY of
 *   that year's rows;
 * - the overdue job: a full scan of the backlog, then the incremental scan after
 *   new events, vs a bare count of the overdue dossiers from the index;
 * - the step (warning) scan beside it: its first run (every open dossier judged and
 *   planned), then the incremental run after the same new events.
 * Then OPEN_RECEIVED dossiers received in the last ten days are added (about
 * half stay open: a large province's open stock) and everything is timed again.
 * A CHECKPOINT before each side.
 *
 * The event log by month (migration 080): after each load the events are moved to the month they happened in
 * (recorded_at := occurred_at), as a province that has run since mid-2025 would have them, so every figure after the
 * first load is taken over ~18 monthly partitions. At the end: the rebuild (the whole log replayed), and what an ended
 * month costs the operator — VACUUM (FREEZE) of its partition, once after it closes and again later, and its events
 * copied out as the backup writes them (COPY into gzip) — against the same over the whole log. On a database before
 * 080 (today's single table) the month figures are left out and the whole-log ones printed alone.
 *
 *   npm run bench:scale            # SIZES=100000,500000,1000000 OPEN_RECEIVED=200000 RUNS=5
 *   SIZES=17000000 npm run bench:scale   # a province-year at HCMC's scale (hours: generated and ingested in slices)
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppContext } from '../src/app-context.js';
import { createApp } from '../src/http/app.js';
import { runJob } from '../src/jobs/jobs.js';
import { generateEvents } from '../src/sample/sample-events.js';
import { createApiKey } from '../src/store/api-keys.js';
import { ingestEvents } from '../src/store/event-store.js';
import { resetScanWatermarks } from '../src/store/scan-watermarks.js';
import type { DossierEvent } from '../src/dossiers/events.js';
import type { Mailer } from '../src/alerts/mailer.js';
import { rebuildDossiers } from '../src/store/rebuild.js';
import { openBenchDatabase } from './bench-database.js';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import copyStreams from 'pg-copy-streams';
import { unpipelinedClient } from '../src/db/database.js';
import { alternate, record } from './results.js';
import { sharesByDossier } from './client-shares.js';

const SIZES = (process.env.SIZES ?? '100000,500000,1000000').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 5);
const NOW = Date.parse('2026-11-20T09:00:00+07:00');
const SLICE = 20_000;
const CLIENTS = 4;
/** Dossiers received in the last ten days, loaded after the largest size (about half stay open). */
const OPEN_RECEIVED = Number(process.env.OPEN_RECEIVED ?? 200_000);

async function main(): Promise<void> {
  const bench = await openBenchDatabase(CLIENTS + 6);
  const { db } = bench;
  let server: Server | undefined;
  try {
    const ctx = await AppContext.load(db, { now: () => NOW });
    const { key } = await createApiKey(db.pool, { role: 'admin', agencyCodes: ['SLA'], label: 'bench' });
    await db.pool.query(
      `INSERT INTO supervisors (id, agency_code, name, email) VALUES (gen_random_uuid(), 'SLA', 'Tỉnh', 'tinh@bench.example'), (gen_random_uuid(), 'SLA.P.TOHIEU', 'Tô Hiệu', 'tohieu@bench.example')`,
    );
    server = await new Promise<Server>((resolve) => {
      const s = createApp(ctx).listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
      await res.arrayBuffer();
    };
    const ingest = async (events: DossierEvent[]) => {
      const shares = sharesByDossier(events, CLIENTS);
      await Promise.all(
        shares.map(async (share) => {
          for (let i = 0; i < share.length; i += 1000) await ingestEvents(db.pool, ctx.foldContext(), share.slice(i, i + 1000));
        }),
      );
    };
    const timed = async (fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };
    const bareYear = () =>
      db.pool
        .query(`SELECT receiving_agency_code, date_trunc('month', received_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS m, count(*), count(*) FILTER (WHERE rate_outcome = 'late')
                     FROM dossiers WHERE received_at >= '2026-01-01T00:00:00+07:00' AND received_at < '2027-01-01T00:00:00+07:00' GROUP BY 1, 2`);
    const bareEndedYear = () =>
      db.pool
        .query(`SELECT receiving_agency_code, date_trunc('month', received_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS m, count(*), count(*) FILTER (WHERE rate_outcome = 'late')
                     FROM dossiers WHERE received_at >= '2025-01-01T00:00:00+07:00' AND received_at < '2026-01-01T00:00:00+07:00' GROUP BY 1, 2`);
    const bareOverdue = () => db.pool.query('SELECT count(*) FROM dossiers WHERE finished_at IS NULL AND NOT paused AND due_at < $1', [new Date(NOW)]);

    const mailer: Mailer = { send: async () => undefined, describe: () => 'bench: no mail sent' };
    const env = { ctx, mailer };
    const checkpoint = () => db.pool.query('CHECKPOINT');
    const side = (fn: () => Promise<unknown>) => () => timed(fn);

    /** Every figure at the current size. */
    const measure = async (label: string) => {
      await db.pool.query('VACUUM ANALYZE dossiers');
      await db.pool.query('VACUUM ANALYZE dossier_events');
      await db.pool.query('VACUUM ANALYZE daily_counts');
      const { rows: c } = await db.pool.query(
        `SELECT count(*)::int AS all, count(*) FILTER (WHERE received_at >= '2026-01-01T00:00:00+07:00')::int AS year,
        count(*) FILTER (WHERE finished_at IS NULL)::int AS open,
        count(*) FILTER (WHERE finished_at IS NULL AND NOT paused AND due_at < $1)::int AS overdue, pg_size_pretty(pg_table_size('dossiers')) AS heap FROM dossiers`,
        [new Date(NOW)],
      );
      const info = c[0];
      console.log(
        `${label}: ${info.all.toLocaleString('en-US')} dossiers (${info.year.toLocaleString('en-US')} received in 2026, ${info.open.toLocaleString('en-US')} open, ${info.overdue.toLocaleString('en-US')} overdue), dossiers heap ${info.heap}`,
      );
      const at = `${label}, ${info.open.toLocaleString('en-US')} open`;
      const reports: Array<[string, string]> = [
        ['current-year report by agency (rates?period=2026&groupBy=agency)', '/api/v1/reports/rates?period=2026&groupBy=agency'],
        ['current-year report by month (rates?period=2026&groupBy=month)', '/api/v1/reports/rates?period=2026&groupBy=month'],
        ['dashboard page (/dashboard)', '/dashboard'],
      ];
      for (const [what, path] of reports) {
        const [api, bare] = await alternate(RUNS, checkpoint, [side(() => get(path)), side(bareYear)], { warm: true });
        record({
          bench: 'scale',
          what: `${at}: ${what}`,
          unit: 'ms',
          values: api!,
          higherIsBetter: false,
          baseline: { what: 'bare GROUP BY agency × month of 2026 rows', values: bare! },
          goal: path === '/dashboard' ? '< 300 ms' : path.endsWith('month') ? '< 150 ms and ≤ 1.5× the bare GROUP BY' : undefined,
        });
      }
      const [ended, bareEnded] = await alternate(RUNS, checkpoint, [side(() => get('/api/v1/reports/rates?period=2025&groupBy=agency')), side(bareEndedYear)], {
        warm: true,
      });
      record({
        bench: 'scale',
        what: `${at}: ended-year report by agency (rates?period=2025&groupBy=agency)`,
        unit: 'ms',
        values: ended!,
        higherIsBetter: false,
        baseline: { what: 'bare GROUP BY agency × month of 2025 rows', values: bareEnded! },
      });

      // The overdue job: the whole backlog once (no watermark), then what changed since.
      await resetScanWatermarks(db.pool);
      let full: Record<string, number> = {};
      const fullMs = await timed(async () => (full = await runJob('overdue-scan', env)));
      // The warning scan (issue 26): its first run judges every open dossier and plans each one's next crossing.
      let warnFull: Record<string, number> = {};
      const warnFullMs = await timed(async () => (warnFull = await runJob('warning-scan', env)));
      await db.pool.query('VACUUM ANALYZE warning_plan');
      const fresh = generateEvents(ctx.catalog, {
        seed: 9000 + slice,
        dossiers: 200,
        from: NOW - 20 * 86_400_000,
        to: NOW - 3_600_000,
        until: NOW,
        codePrefix: `NEW${slice++}`,
      });
      await ingest(fresh);
      let incremental: Record<string, number> = {};
      const incMs = await timed(async () => (incremental = await runJob('overdue-scan', env)));
      let warnInc: Record<string, number> = {};
      const warnIncMs = await timed(async () => (warnInc = await runJob('warning-scan', env)));
      const [overdueBare] = await alternate(RUNS, checkpoint, [side(bareOverdue)], { warm: true });
      const bareCount = { what: 'bare count of the overdue from the index', values: overdueBare! };
      record({
        bench: 'scale',
        what: `${at}: overdue job, first run (${full.dossiersExamined} examined, ${info.overdue} overdue)`,
        unit: 'ms',
        values: [fullMs],
        higherIsBetter: false,
        baseline: bareCount,
      });
      record({
        bench: 'scale',
        what: `${at}: overdue job after ${fresh.length} new events (${incremental.dossiersExamined} examined)`,
        unit: 'ms',
        values: [incMs],
        higherIsBetter: false,
        baseline: bareCount,
        goal: 'work ∝ the newly overdue',
      });
      record({
        bench: 'scale',
        what: `${at}: step (warning) scan, first run (${warnFull.dossiersExamined} examined, ${warnFull.warningsWritten} warnings)`,
        unit: 'ms',
        values: [warnFullMs],
        higherIsBetter: false,
        baseline: bareCount,
      });
      record({
        bench: 'scale',
        what: `${at}: step (warning) scan after ${fresh.length} new events (${warnInc.dossiersExamined} examined, ${warnInc.warningsWritten} warnings)`,
        unit: 'ms',
        values: [warnIncMs],
        higherIsBetter: false,
        baseline: bareCount,
        goal: 'work ∝ the thresholds crossed and the dossiers changed',
      });
    };

    const partitioned = (await db.pool.query<{ p: boolean }>("SELECT to_regclass('event_partitions') IS NOT NULL AS p")).rows[0]!.p;
    /** The events loaded now moved to the month they happened in (the months' partitions created first). */
    const spreadByMonth = async () => {
      if (!partitioned) return;
      const t0 = performance.now();
      await db.pool.query(
        `SELECT create_event_partition(g) FROM generate_series(date_trunc('month', (SELECT min(occurred_at) FROM dossier_events)) + interval '10 days', now(), interval '1 month') g`,
      );
      await db.pool
        .query(`WITH moved AS (UPDATE dossier_events SET recorded_at = occurred_at WHERE recorded_at > occurred_at + interval '1 day' RETURNING seq, recorded_at)
        UPDATE event_chain c SET recorded_at = m.recorded_at FROM moved m WHERE c.seq = m.seq`);
      await db.pool.query('VACUUM ANALYZE event_chain');
      console.log(`  (events moved to the months they happened in: ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    };
    /** Rows COPYed out into gzip, as the backup writes them: seconds and compressed bytes. */
    const copyOut = async (select: string) => {
      const client = await unpipelinedClient(db.pool);
      try {
        let bytes = 0;
        const t0 = performance.now();
        await pipeline(
          client.query(copyStreams.to(`COPY (${select}) TO STDOUT`)),
          createGzip(),
          new Writable({
            write(chunk: Buffer, _enc, done) {
              bytes += chunk.length;
              done();
            },
          }),
        );
        return { seconds: (performance.now() - t0) / 1000, bytes };
      } finally {
        await client.end();
      }
    };
    const vacuum = async (table: string, freeze: boolean) => timed(() => db.pool.query(`VACUUM ${freeze ? '(FREEZE) ' : ''}${table}`));
    /** The rebuild, then an ended month's VACUUM and copy beside the whole log's. */
    const logFigures = async (label: string) => {
      const { rows: n } = await db.pool.query<{ events: number; dossiers: number }>(
        'SELECT (SELECT count(*) FROM dossier_events)::int AS events, (SELECT count(*) FROM dossiers)::int AS dossiers',
      );
      const r0 = performance.now();
      await rebuildDossiers(db.pool, ctx.foldContext());
      const rebuildS = (performance.now() - r0) / 1000;
      record({
        bench: 'scale',
        what: `${label}: rebuild (${n[0]!.dossiers.toLocaleString('en-US')} dossiers, ${n[0]!.events.toLocaleString('en-US')} events replayed, ${partitioned ? 'log by month' : 'log in one table'})`,
        unit: 'dossiers/s',
        values: [n[0]!.dossiers / rebuildS],
        higherIsBetter: true,
      });
      await checkpoint();
      const wholeWhat = `the whole log (${n[0]!.events.toLocaleString('en-US')} events)`;
      const wholeFigures = async () => ({
        freeze: await vacuum('dossier_events', true),
        again: await vacuum('dossier_events', false),
        copy: await copyOut('SELECT * FROM dossier_events'),
      });
      if (!partitioned) {
        const whole = await wholeFigures();
        record({ bench: 'scale', what: `${label}: VACUUM (FREEZE) of ${wholeWhat}`, unit: 'ms', values: [whole.freeze], higherIsBetter: false });
        record({ bench: 'scale', what: `${label}: VACUUM again of ${wholeWhat}`, unit: 'ms', values: [whole.again], higherIsBetter: false });
        record({
          bench: 'scale',
          what: `${label}: backup's COPY into gzip of ${wholeWhat} (${(whole.copy.bytes / 1e6).toFixed(0)} MB)`,
          unit: 's',
          values: [whole.copy.seconds],
          higherIsBetter: false,
        });
        return;
      }
      // The ended months closed, as the event-partitions job does; the largest one measured first (a VACUUM of the
      // whole log would freeze it), then the whole log.
      await db.pool.query("SELECT close_event_months(now() - interval '1 hour')");
      const { rows: months } = await db.pool.query<{ name: string; events: number; bytes: number }>(
        `SELECT p.name, (SELECT count(*) FROM dossier_events e WHERE e.tableoid = p.name::regclass)::int AS events, pg_total_relation_size(p.name::regclass)::bigint AS bytes
         FROM event_partitions p WHERE p.closed ORDER BY 2 DESC LIMIT 1`,
      );
      const month = months[0]!;
      const monthWhat = `an ended month (${month.name}: ${month.events.toLocaleString('en-US')} events, ${(month.bytes / 1e6).toFixed(0)} MB)`;
      const freeze = await vacuum(month.name, true);
      const again = await vacuum(month.name, false);
      const copy = await copyOut(`SELECT * FROM ${month.name}`);
      await checkpoint();
      const whole = await wholeFigures();
      record({
        bench: 'scale',
        what: `${label}: VACUUM (FREEZE) of ${monthWhat}, once it closed (the event-partitions job does it)`,
        unit: 'ms',
        values: [freeze],
        higherIsBetter: false,
        baseline: { what: wholeWhat, values: [whole.freeze] },
      });
      record({
        bench: 'scale',
        what: `${label}: VACUUM again of ${monthWhat}: nothing changed since`,
        unit: 'ms',
        values: [again],
        higherIsBetter: false,
        baseline: { what: wholeWhat, values: [whole.again] },
      });
      record({
        bench: 'scale',
        what: `${label}: backup's COPY into gzip of ${monthWhat} (${(copy.bytes / 1e6).toFixed(1)} MB)`,
        unit: 's',
        values: [copy.seconds],
        higherIsBetter: false,
        baseline: { what: `${wholeWhat} (${(whole.copy.bytes / 1e6).toFixed(0)} MB)`, values: [whole.copy.seconds] },
      });
    };

    let loaded = 0;
    let slice = 0;
    const load = async (label: string, n: number, window: { from: number; to: number }) => {
      const l0 = performance.now();
      let events = 0;
      for (let done = 0; done < n;) {
        const k = Math.min(SLICE, n - done);
        const batch = generateEvents(ctx.catalog, { seed: 1000 + slice, dossiers: k, ...window, until: NOW, codePrefix: `S${slice}` });
        await ingest(batch);
        events += batch.length;
        done += k;
        slice++;
        process.stderr.write(`\r${label}: ${(loaded + done).toLocaleString('en-US')} dossiers`);
      }
      loaded += n;
      process.stderr.write('\n');
      const seconds = (performance.now() - l0) / 1000;
      record({
        bench: 'scale',
        what: `${label}: ingestion while loading (${events.toLocaleString('en-US')} events, batches of 1,000, ${CLIENTS} clients, ingestEvents)`,
        unit: 'events/s',
        values: [events / seconds],
        higherIsBetter: true,
      });
    };
    for (const size of SIZES) {
      const label = `${(size / 1000).toLocaleString('en-US')}k dossiers`;
      await load(label, size - loaded, { from: Date.parse('2025-07-02T08:00:00+07:00'), to: NOW - 86_400_000 });
      await spreadByMonth();
      await measure(label);
    }
    // A large province's open stock (HCMC: ~100,000 open, docs/capacity.md): dossiers received in the last ten
    // days, about half of them still open, on top of the history.
    if (OPEN_RECEIVED > 0) {
      const label = `${(loaded / 1000).toLocaleString('en-US')}k + ${(OPEN_RECEIVED / 1000).toLocaleString('en-US')}k received in the last 10 days`;
      await load(label, OPEN_RECEIVED, { from: NOW - 10 * 86_400_000, to: NOW - 3_600_000 });
      await spreadByMonth();
      await measure(label);
    }
    await logFigures(`${(loaded / 1000).toLocaleString('en-US')}k dossiers`);
  } finally {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await bench.close();
  }
}

await main();
