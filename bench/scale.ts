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
import { openBenchDatabase } from './bench-database.js';
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
      await measure(label);
    }
    // A large province's open stock (HCMC: ~100,000 open, docs/capacity.md): dossiers received in the last ten
    // days, about half of them still open, on top of the history.
    if (OPEN_RECEIVED > 0) {
      const label = `${(loaded / 1000).toLocaleString('en-US')}k + ${(OPEN_RECEIVED / 1000).toLocaleString('en-US')}k received in the last 10 days`;
      await load(label, OPEN_RECEIVED, { from: NOW - 10 * 86_400_000, to: NOW - 3_600_000 });
      await measure(label);
    }
  } finally {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await bench.close();
  }
}

await main();
