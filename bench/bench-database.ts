/**
 * The database a benchmark runs on: DATABASE_URL, or a throwaway embedded
 * PostgreSQL in a temporary directory, migrated and holding the sample catalogue.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect, inTransaction, type Db } from '../src/db/database.js';
import { postmasterPid, startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { migrate } from '../src/db/migrate.js';
import { sampleProvince } from '../src/sample/province.js';
import { saveCatalog } from '../src/store/catalog-store.js';
import type { AppContext } from '../src/app-context.js';
import { generateEvents } from '../src/sample/sample-events.js';
import { ingestEvents } from '../src/store/event-store.js';
import { freePort } from '../test/support/free-port.js';

export async function openBenchDatabase(
  poolSize: number,
): Promise<{ db: Db; url: string; embedded: boolean; postmaster: number | null; close(): Promise<void> }> {
  let url = process.env.DATABASE_URL;
  let postmaster: number | null = null;
  let stop = async () => undefined as void;
  if (!url) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-bench-'));
    await fs.chmod(dir, 0o755);
    // BENCH_STATEMENTS=1: the server keeps statement statistics, printed by printStatementStats.
    const settings = process.env.BENCH_STATEMENTS ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } : undefined;
    const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false, settings });
    url = server.url;
    postmaster = postmasterPid(dir);
    stop = async () => {
      await server.stop();
      await fs.rm(dir, { recursive: true, force: true });
    };
  }
  const db = connect(url, poolSize);
  await migrate(db.pool);
  await db.pool.query('TRUNCATE dossier_events, event_ids, dossiers, daily_counts');
  if (process.env.BENCH_STATEMENTS) await db.pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const { agencies, procedures } = sampleProvince();
  await inTransaction(db.pool, (c) => saveCatalog(c, agencies, procedures));
  return {
    db,
    url,
    embedded: !process.env.DATABASE_URL,
    postmaster,
    close: async () => {
      await db.close();
      await stop();
    },
  };
}

/** With BENCH_STATEMENTS=1: the statements PostgreSQL spent most time on since the last call (to find the cost). */
export async function printStatementStats(db: Db, title: string): Promise<void> {
  if (!process.env.BENCH_STATEMENTS) return;
  const { rows } = await db.pool.query(
    `SELECT calls, round(total_exec_time::numeric) AS total_ms, round((total_exec_time / calls)::numeric, 3) AS mean_ms, rows,
            left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS statement
     FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15`,
  );
  console.log(`  statements by PostgreSQL time — ${title}`);
  console.table(rows);
  await db.pool.query('SELECT pg_stat_statements_reset()');
}

/**
 * Milliseconds until every committed event is in the chain. The API answers once events are committed and seals
 * them moments later: a rate counts until the last seal, so that no sealing work falls outside the timed run.
 */
export async function untilSealed(db: Db): Promise<number> {
  const t0 = performance.now();
  const pending = async () => (await db.pool.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM unsealed_events) AS any')).rows[0]!.any;
  while (await pending()) await new Promise((r) => setTimeout(r, 1));
  return performance.now() - t0;
}

/**
 * Loads `dossiers` generated dossiers (received from July 2025 to the day before `now`, judged at `now`) in slices of
 * 1,000, one batch at a time; answers how many events went in. Seeds and code prefixes keep benchmarks apart.
 */
export async function loadGeneratedDossiers(
  db: Db,
  ctx: AppContext,
  options: { dossiers: number; now: number; seed: number; codePrefix: string },
): Promise<number> {
  let events = 0;
  for (let slice = 0, done = 0; done < options.dossiers; slice++) {
    const k = Math.min(1000, options.dossiers - done);
    const batch = generateEvents(ctx.catalog, {
      seed: options.seed + slice,
      dossiers: k,
      from: Date.parse('2025-07-02T08:00:00+07:00'),
      to: options.now - 86_400_000,
      until: options.now,
      codePrefix: `${options.codePrefix}${slice}`,
    });
    await ingestEvents(db.pool, ctx.foldContext(), batch);
    events += batch.length;
    done += k;
  }
  return events;
}
