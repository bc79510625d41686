/**
 * What migration 080 costs a province upgrading: EVENTS events (a body of ~0.7 kB each, recorded over the 17 months
 * since July 2025, every one sealed into the chain) are written straight into the log as release 070 left it, then
 * the migration converts the log into monthly partitions, copying it in batches. Printed: the conversion's seconds
 * and events a second, the log's size before and after, and the disk the conversion needed at most (both copies).
 *
 *   npx tsx bench/log-by-month.ts          # EVENTS=1000000
 */
import { connect } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { openBenchDatabase } from './bench-database.js';
import { record } from './results.js';

const EVENTS = Number(process.env.EVENTS ?? 1_000_000);

async function main(): Promise<void> {
  // openBenchDatabase migrates to the newest schema; the log is put back as 070 left it in a database of its own.
  const bench = await openBenchDatabase(2);
  const { db } = bench;
  try {
    await db.pool.query('CREATE DATABASE log_by_month');
    const url = new URL(bench.url);
    url.pathname = '/log_by_month';
    const old = connect(url.toString(), 2);
    try {
      await migrate(old.pool, { through: '070_dossier_steps.sql' });
      await old.pool.query(
        `INSERT INTO dossier_events (seq, event_id, dossier_code, type, occurred_at, body, body_hash, recorded_at)
         SELECT i, gen_random_uuid(), 'S-' || lpad(((i * 7919) % ($1::bigint / 5))::text, 8, '0'), 'received', ts,
                jsonb_build_object('i', i, 'pad', repeat('x', 600)), md5(i::text), ts
         FROM (SELECT i, timestamptz '2025-07-02' + (i::float / $1) * (now() - interval '1 day' - timestamptz '2025-07-02') AS ts
               FROM generate_series(1::bigint, $1::bigint) i) s`,
        [EVENTS],
      );
      await old.pool.query(`SELECT setval('dossier_events_seq_seq', $1)`, [EVENTS]);
      await old.pool.query(`INSERT INTO event_chain (pos, seq, hash) SELECT seq, seq, md5(seq::text) FROM dossier_events`);
      await old.pool.query('VACUUM ANALYZE dossier_events');
      await old.pool.query('CHECKPOINT');
      const size = async (what: string) => Number((await old.pool.query<{ n: string }>(`SELECT ${what} AS n`)).rows[0]!.n);
      const before = await size("pg_total_relation_size('dossier_events') + pg_total_relation_size('event_chain')");
      const databaseBefore = await size('pg_database_size(current_database())');
      const t0 = performance.now();
      await migrate(old.pool);
      const seconds = (performance.now() - t0) / 1000;
      const after = await size(
        "(SELECT sum(pg_total_relation_size(name::regclass)) FROM event_partitions) + pg_total_relation_size('event_ids') + pg_total_relation_size('event_chain')",
      );
      const months = await size('(SELECT count(*) FROM event_partitions WHERE closed)');
      record({
        bench: 'log-by-month',
        what: `migration 080: ${EVENTS.toLocaleString('en-US')} events converted into ${months} closed months (+ this one and 3 ahead), log and chain ${(before / 1e6).toFixed(0)} MB before, ${(after / 1e6).toFixed(0)} MB after with event_ids; database ${(databaseBefore / 1e6).toFixed(0)} MB before`,
        unit: 'events/s',
        values: [EVENTS / seconds],
        higherIsBetter: true,
      });
      console.log(`  (${seconds.toFixed(1)} s; while it runs both copies exist: about ${((before + after) / 1e6).toFixed(0)} MB for the log)`);
    } finally {
      await old.close();
      await db.pool.query('DROP DATABASE log_by_month');
    }
  } finally {
    await bench.close();
  }
}

await main();
