/**
 * What users run, at 100k, 500k and 1M dossiers of realistic data: the
 * dossiers are the sample generator's, ingested through the ingestion code
 * path (real states, judgments, counters in their shards), growing from one
 * size to the next. At each size, each next to a baseline in the same run
 * (sides alternating, min / median / max of RUNS):
 * - the current-year report by agency and by month, over HTTP, vs a bare GROUP BY
 *   agency × month of only that year's rows;
 * - the dashboard page, over HTTP, vs the same bare GROUP BY;
 * - the overdue job: a full scan of the backlog, then the incremental scan after
 *   new events, vs a bare count of the overdue dossiers from the index.
 *
 *   npm run bench:scale            # SIZES=100000,500000,1000000 RUNS=5
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

const SIZES = (process.env.SIZES ?? '100000,500000,1000000').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 5);
const NOW = Date.parse('2026-11-20T09:00:00+07:00');
const SLICE = 20_000;
const CLIENTS = 4;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;

function hashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0;
  return h;
}

async function main(): Promise<void> {
  const bench = await openBenchDatabase(CLIENTS + 6);
  const { db } = bench;
  let server: Server | undefined;
  const rows: string[] = [];
  try {
    const ctx = await AppContext.load(db, { now: () => NOW });
    const { key } = await createApiKey(db.pool, { role: 'admin', agencyCodes: ['SLA'], label: 'bench' });
    await db.pool.query(`INSERT INTO supervisors (id, agency_code, name, email) VALUES (gen_random_uuid(), 'SLA', 'Tỉnh', 'tinh@bench.example'), (gen_random_uuid(), 'SLA.P.TOHIEU', 'Tô Hiệu', 'tohieu@bench.example')`);
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
      const shares: DossierEvent[][] = Array.from({ length: CLIENTS }, () => []);
      for (const e of events) shares[hashCode(e.dossierCode) % CLIENTS]!.push(e);
      await Promise.all(shares.map(async (share) => {
        for (let i = 0; i < share.length; i += 1000) await ingestEvents(db.pool, ctx.foldContext(), share.slice(i, i + 1000));
      }));
    };
    const timed = async (fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };
    /** Both sides warmed once, then RUNS rounds, the order alternating. */
    const pair = async (side: () => Promise<unknown>, baseline: () => Promise<unknown>) => {
      await side();
      await baseline();
      const a: number[] = [];
      const b: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        if (r % 2 === 0) {
          a.push(await timed(side));
          b.push(await timed(baseline));
        } else {
          b.push(await timed(baseline));
          a.push(await timed(side));
        }
      }
      return { a, b };
    };
    const bareYear = () =>
      db.pool.query(`SELECT receiving_agency_code, date_trunc('month', received_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS m, count(*), count(*) FILTER (WHERE rate_outcome = 'late')
                     FROM dossiers WHERE received_at >= '2026-01-01T00:00:00+07:00' AND received_at < '2027-01-01T00:00:00+07:00' GROUP BY 1, 2`);
    const bareOverdue = () => db.pool.query('SELECT count(*) FROM dossiers WHERE finished_at IS NULL AND NOT paused AND due_at < $1', [new Date(NOW)]);

    let loaded = 0;
    let slice = 0;
    for (const size of SIZES) {
      const l0 = performance.now();
      let events = 0;
      while (loaded < size) {
        const n = Math.min(SLICE, size - loaded);
        const batch = generateEvents(ctx.catalog, { seed: 1000 + slice, dossiers: n, from: Date.parse('2025-07-02T08:00:00+07:00'), to: NOW - 86_400_000, until: NOW, codePrefix: `S${slice}` });
        await ingest(batch);
        events += batch.length;
        loaded += n;
        slice++;
        process.stderr.write(`\rloaded ${loaded.toLocaleString('en-US')} dossiers`);
      }
      const loadSeconds = (performance.now() - l0) / 1000;
      process.stderr.write('\n');
      await db.pool.query('VACUUM ANALYZE dossiers');
      await db.pool.query('VACUUM ANALYZE dossier_events');
      await db.pool.query('VACUUM ANALYZE daily_counts');
      const { rows: c } = await db.pool.query(`SELECT count(*)::int AS all, count(*) FILTER (WHERE received_at >= '2026-01-01T00:00:00+07:00')::int AS year,
        count(*) FILTER (WHERE finished_at IS NULL AND NOT paused AND due_at < $1)::int AS overdue, pg_size_pretty(pg_table_size('dossiers')) AS heap FROM dossiers`, [new Date(NOW)]);
      const info = c[0];
      const label = `${(size / 1000).toLocaleString('en-US')}k`;
      rows.push(`| ${label} | ingestion of this step (${events.toLocaleString('en-US')} events, ingestEvents, ${CLIENTS} clients) | ${Math.round(events / loadSeconds).toLocaleString('en-US')} events/s | — | — |`);

      const byAgency = await pair(() => get('/api/v1/reports/rates?period=2026&groupBy=agency'), bareYear);
      rows.push(`| ${label} | GET rates?period=2026&groupBy=agency | ${fmt(byAgency.a)} ms | ${fmt(byAgency.b)} ms | ${(median(byAgency.a) / median(byAgency.b)).toFixed(2)}× |`);
      const byMonth = await pair(() => get('/api/v1/reports/rates?period=2026&groupBy=month'), bareYear);
      rows.push(`| ${label} | GET rates?period=2026&groupBy=month | ${fmt(byMonth.a)} ms | ${fmt(byMonth.b)} ms | ${(median(byMonth.a) / median(byMonth.b)).toFixed(2)}× |`);
      const dashboard = await pair(() => get('/dashboard'), bareYear);
      rows.push(`| ${label} | GET /dashboard | ${fmt(dashboard.a)} ms | ${fmt(dashboard.b)} ms | ${(median(dashboard.a) / median(dashboard.b)).toFixed(2)}× |`);

      // The overdue job: the whole backlog once (no watermark), then what changed since.
      const mailer: Mailer = { send: async () => undefined, describe: () => 'bench: no mail sent' };
      const env = { ctx, mailer };
      await resetScanWatermarks(db.pool);
      let full: Record<string, number> = {};
      const fullMs = await timed(async () => (full = await runJob('overdue-scan', env)));
      const fresh = generateEvents(ctx.catalog, { seed: 9000 + slice, dossiers: 200, from: NOW - 20 * 86_400_000, to: NOW - 3_600_000, until: NOW, codePrefix: `NEW${slice}` });
      await ingest(fresh);
      let incremental: Record<string, number> = {};
      const incMs = await timed(async () => (incremental = await runJob('overdue-scan', env)));
      const overdueBare = await pair(bareOverdue, bareOverdue);
      rows.push(`| ${label} | overdue job, first run (${full.dossiersExamined} examined of ${info.overdue} overdue) | ${fullMs.toFixed(0)} ms | ${fmt(overdueBare.a)} ms | ${(fullMs / median(overdueBare.a)).toFixed(1)}× |`);
      rows.push(`| ${label} | overdue job after ${fresh.length} new events (${incremental.dossiersExamined} examined) | ${incMs.toFixed(0)} ms | ${fmt(overdueBare.a)} ms | ${(incMs / median(overdueBare.a)).toFixed(1)}× |`);
      console.log(`${label}: ${info.all} dossiers (${info.year} received in 2026, ${info.overdue} overdue), dossiers heap ${info.heap}`);
    }
  } finally {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await bench.close();
  }
  console.log(`\nbench:scale — ${RUNS} runs a side, sides alternating; ms median (min–max); baseline in the same run\n`);
  console.log('| dossiers | what | time | baseline (bare GROUP BY of the year / bare overdue count) | ratio |\n|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

await main();
