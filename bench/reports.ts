/**
 * Report speed over 1,000,000 dossiers (two years across the sample
 * province): the yearly rates grouped by agency × month, as the API computes
 * them, next to a bare GROUP BY count over the same table in the same run;
 * and the overdue scan's selection over the open dossiers.
 *
 * The dossiers are written straight into the projection by SQL (the fold is
 * not what is measured here): realistic spreads of agencies, procedures,
 * channels, durations, outcomes and open dossiers.
 *
 *   npm run bench:reports            # DOSSIERS=1000000 RUNS=7
 */
import { AppContext } from '../src/app-context.js';
import { openBenchDatabase } from './bench-database.js';
import { monthsIn, periodRange } from '../src/reports/periods.js';
import { sampleProvince } from '../src/sample/province.js';
import { countsBy, periodsFromCounters, rateRows } from '../src/store/report-store.js';
import { recountDailyCounts } from '../src/store/recount-counters.js';

const DOSSIERS = Number(process.env.DOSSIERS ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 7);

function stats(samples: number[]): { p50: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: s[Math.floor(0.5 * (s.length - 1))]!, p95: s[Math.min(s.length - 1, Math.ceil(0.95 * (s.length - 1)))]! };
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm the cache
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  const bench = await openBenchDatabase(4);
  const { db } = bench;
  const { agencies, procedures } = sampleProvince();
  try {
    const ctx = await AppContext.load(db, { now: () => Date.parse('2026-11-01T09:00:00+07:00') });
    const receivers = agencies.filter((a) => ['service-centre', 'commune', 'ward', 'district'].includes(a.kind)).map((a) => a.code);

    const g0 = performance.now();
    await db.pool.query(
      `INSERT INTO dossiers
       SELECT 'B' || i, CASE WHEN fin IS NULL THEN 'processing' ELSE 'returned' END, p.code, p.field, ag,
              ag, ARRAY[ag], -- replaced by the real path below
              ch, p.fee_required, p.fee_required AND ch = 'online' AND random() < 0.7, random() < 0.6,
              rec, rec, due, due, due - interval '1 day', false, false, fin,
              CASE WHEN fin IS NULL THEN NULL WHEN fin > due THEN 'late' WHEN fin::date = due::date THEN 'on_time' ELSE 'early' END,
              '{}', 'bench', i, '{}'::jsonb,
              -- The 766 judgment: no supplementation in this data, so the same as the legal one.
              due, CASE WHEN fin IS NULL THEN NULL WHEN fin > due THEN 'late' WHEN fin::date = due::date THEN 'on_time' ELSE 'early' END,
              -- judged from receipt, 766-overdue after the due instant; indicator inputs (src/db/migrations/011).
              rec, due, rec, true, p.fee_required, fin IS NOT NULL AND random() < 0.5, random() < 0.3, NULL, NULL, NULL, NULL, NULL
       FROM (
         SELECT i, rec, due, ag, ch, proc_i,
                CASE WHEN rec > timestamptz '2026-10-01' AND random() < 0.5 THEN NULL
                     ELSE rec + (due - rec) * (0.3 + random() * 1.0) END AS fin
         FROM (
           SELECT i, rec, rec + (1 + floor(random() * 20)) * interval '1 day' AS due,
                  ($2::text[])[1 + floor(random() * array_length($2::text[], 1))::int] AS ag,
                  CASE WHEN random() < 0.45 THEN 'online' WHEN random() < 0.93 THEN 'direct' ELSE 'postal' END AS ch,
                  1 + floor(random() * $3)::int AS proc_i
           FROM (SELECT i, timestamptz '2024-11-01 08:00+07' + random() * interval '730 days' AS rec FROM generate_series(1, $1) AS i) s
         ) d
       ) x
       JOIN (SELECT row_number() OVER (ORDER BY code) AS n, code, field, fee_required FROM procedures) p ON p.n = x.proc_i`,
      [DOSSIERS, receivers, procedures.length],
    );
    // Real agency paths (the scope and the digest use them), from the catalogue.
    await db.pool.query(
      `UPDATE dossiers d SET agency_codes = p.path FROM jsonb_to_recordset($1::jsonb) AS p(code text, path text[]) WHERE d.receiving_agency_code = p.code`,
      [JSON.stringify(receivers.map((code) => ({ code, path: ctx.catalog.pathOf(code) })))],
    );
    // The daily report counters, as ingestion would have kept them.
    await recountDailyCounts(db.pool);
    await db.pool.query('VACUUM ANALYZE dossiers');
    await db.pool.query('VACUUM ANALYZE daily_counts');
    const generated = (performance.now() - g0) / 1000;

    const { rows: counterRows } = await db.pool.query('SELECT count(*)::int AS n FROM daily_counts');
    const year = periodRange('2025', 'calendar');
    const months = monthsIn(year, 'calendar');
    // As the API answers it: months that have ended come from the daily counters, all twelve in one query.
    const rates = await time(() => periodsFromCounters(db.pool, ctx.catalog, months, { agencies: null }));
    // The same report scanning the dossiers month by month (what the counters replace), once, for the record.
    const s0 = performance.now();
    for (const m of months) await countsBy(db.pool, ctx.catalog, m, 'agency', { agencies: null }, ctx.now());
    const scanMs = performance.now() - s0;
    const bare = await time(() =>
      db.pool.query(
        `SELECT receiving_agency_code, date_trunc('month', received_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS m, count(*)
         FROM dossiers WHERE received_at >= $1 AND received_at < $2 GROUP BY 1, 2`,
        [new Date(year.from), new Date(year.to)],
      ),
    );
    const overdue = await time(() =>
      db.pool.query('SELECT code, due_at FROM dossiers WHERE finished_at IS NULL AND NOT paused AND due_at < $1 ORDER BY due_at', [new Date(ctx.now())]),
    );
    // A running year (now is 1 Nov 2026): counters up to last midnight, plus what was touched since and the open
    // dossiers judged now; next to the bare GROUP BY over the same year, and a full scan once.
    const runningYear = periodRange('2026', 'calendar');
    const running = await time(() => rateRows(db.pool, ctx.catalog, runningYear, 'agency', { agencies: null }, ctx.now()));
    const r0 = performance.now();
    await countsBy(db.pool, ctx.catalog, runningYear, 'agency', { agencies: null }, ctx.now());
    const runningScanMs = performance.now() - r0;
    const bareRunning = await time(() =>
      db.pool.query('SELECT receiving_agency_code, count(*) FROM dossiers WHERE received_at >= $1 AND received_at < $2 GROUP BY 1', [new Date(runningYear.from), new Date(runningYear.to)]),
    );
    const { rows: open } = await db.pool.query('SELECT count(*)::int AS n FROM dossiers WHERE finished_at IS NULL');

    const r = stats(rates);
    const b = stats(bare);
    const o = stats(overdue);
    console.log(`bench:reports — ${DOSSIERS.toLocaleString('en-US')} dossiers over two years (${open[0].n.toLocaleString('en-US')} open; ${counterRows[0].n.toLocaleString('en-US')} daily counter rows), generated in ${generated.toFixed(0)} s, ${RUNS} timed runs each`);
    console.log(`  yearly rates, agency × month (counters)  : p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms`);
    console.log(`  same, scanning the dossiers (12 queries) : ${scanMs.toFixed(0)} ms (one run)`);
    console.log(`  bare GROUP BY count, agency × month      : p50 ${b.p50.toFixed(0)} ms, p95 ${b.p95.toFixed(0)} ms`);
    console.log(`  ratio                                     : ${(r.p50 / b.p50).toFixed(2)}× the bare query (goal: p50 < 300 ms and ≤ 1.5×)`);
    const rr = stats(running);
    const br = stats(bareRunning);
    console.log(`  running year 2026 by agency (counters + today + open): p50 ${rr.p50.toFixed(0)} ms, p95 ${rr.p95.toFixed(0)} ms`);
    console.log(`  same, scanning the dossiers             : ${runningScanMs.toFixed(0)} ms (one run)`);
    console.log(`  bare GROUP BY count, agency, 2026       : p50 ${br.p50.toFixed(0)} ms, p95 ${br.p95.toFixed(0)} ms`);
    console.log(`  ratio                                     : ${(rr.p50 / br.p50).toFixed(2)}× the bare query`);
    console.log(`  overdue scan selection                    : p50 ${o.p50.toFixed(1)} ms, p95 ${o.p95.toFixed(1)} ms (goal < 50 ms)`);
  } finally {
    await bench.close();
  }
}

await main();
