/**
 * What a backup and a restore cost per million events (issue 29): DOSSIERS generated dossiers are loaded through
 * ingestion, then RUNS rounds of `dunghan backup` (writeBackup: one repeatable-read snapshot, COPY of every table,
 * gzip, the chain recomputable from the file) and of `dunghan restore` into a second, empty database on the same
 * server (restoreTables, then the replay of every dossier: the restore command's two steps). The baselines, in the
 * same run: a raw `COPY (SELECT * FROM dossier_events) TO STDOUT` into a file (the log is partitioned by month) (no snapshot of other tables, no compression), and
 * that file copied back with `COPY … FROM STDIN` into an empty copy of the table (no replay). Seconds and bytes
 * are measured at DOSSIERS and stated per million events, linearly.
 *
 *   npm run bench:backup            # DOSSIERS=20000, RUNS=2
 */
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { AppContext } from '../src/app-context.js';
import { verifyBackup } from '../src/backup/backup-file.js';
import { connect, unpipelinedClient } from '../src/db/database.js';
import { migrate, migrationFiles } from '../src/db/migrate.js';
import { STATE_VERSION } from '../src/dossiers/state.js';
import { restoreTables, writeBackup } from '../src/store/backup-store.js';
import { rebuildDossiers } from '../src/store/rebuild.js';
import { loadGeneratedDossiers, openBenchDatabase } from './bench-database.js';
import { median, record } from './results.js';

const DOSSIERS = Number(process.env.DOSSIERS ?? 20_000);
const RUNS = Number(process.env.RUNS ?? 2);
const NOW = Date.parse('2026-11-30T10:00:00+07:00');

async function main(): Promise<void> {
  const bench = await openBenchDatabase(4);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-bench-backup-'));
  const ctx = await AppContext.load(bench.db, { now: () => NOW });
  try {
    const events = await loadGeneratedDossiers(bench.db, ctx, { dossiers: DOSSIERS, now: NOW, seed: 900, codePrefix: 'B' });
    await bench.db.pool.query('SELECT seal_events()');
    await bench.db.pool.query('CHECKPOINT');
    const perMillion = (x: number) => (x * 1_000_000) / events;
    console.log(`  ${DOSSIERS.toLocaleString('en-US')} dossiers, ${events.toLocaleString('en-US')} events`);

    const admin = new URL(bench.url);
    admin.pathname = '/postgres';
    const target = new URL(bench.url);
    target.pathname = '/dunghan_bench_restore';
    const adminDb = connect(admin.toString(), 1);
    const known = await migrationFiles();

    const backup = { seconds: [] as number[], bytes: [] as number[] };
    const raw = { seconds: [] as number[], bytes: [] as number[] };
    const restore = { seconds: [] as number[] };
    const rawBack = { seconds: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      const file = path.join(dir, `run${run}.dunghan.gz`);
      let t0 = performance.now();
      const written = await writeBackup(bench.db.pool, file, { dunghan: 'bench', stateVersion: STATE_VERSION });
      backup.seconds.push((performance.now() - t0) / 1000);
      backup.bytes.push(written.bytes);

      const rawFile = path.join(dir, `run${run}.copy`);
      const client = await unpipelinedClient(bench.db.pool);
      t0 = performance.now();
      await pipeline(client.query(copyStreams.to('COPY (SELECT * FROM dossier_events) TO STDOUT')), createWriteStream(rawFile));
      raw.seconds.push((performance.now() - t0) / 1000);
      raw.bytes.push((await fs.stat(rawFile)).size);
      await client.end();

      await adminDb.pool.query('DROP DATABASE IF EXISTS dunghan_bench_restore WITH (FORCE)');
      await adminDb.pool.query('CREATE DATABASE dunghan_bench_restore');
      const targetDb = connect(target.toString(), 4);
      await migrate(targetDb.pool);
      t0 = performance.now();
      const { manifest, eventMonths } = await verifyBackup(file, known);
      await restoreTables(targetDb.pool, file, manifest, eventMonths);
      const restored = await AppContext.load(targetDb, { now: () => NOW });
      const replayed = await rebuildDossiers(targetDb.pool, restored.foldContext());
      restore.seconds.push((performance.now() - t0) / 1000);
      if (replayed !== DOSSIERS) throw new Error(`restored ${replayed} of ${DOSSIERS} dossiers`);
      await restored.close();

      // The baseline: the raw file back into an empty copy of the table (indexes and all), nothing replayed.
      await targetDb.pool.query('CREATE TABLE raw_events (LIKE dossier_events INCLUDING ALL)');
      const into = await unpipelinedClient(targetDb.pool);
      t0 = performance.now();
      await pipeline(createReadStream(rawFile), into.query(copyStreams.from('COPY raw_events FROM STDIN')));
      rawBack.seconds.push((performance.now() - t0) / 1000);
      await into.end();
      await targetDb.close();
      await fs.rm(file);
      await fs.rm(rawFile);
    }
    await adminDb.pool.query('DROP DATABASE IF EXISTS dunghan_bench_restore WITH (FORCE)');
    await adminDb.close();

    record({
      bench: 'backup',
      what: 'dunghan backup (snapshot, every table, gzip), seconds per million events',
      unit: 's',
      values: backup.seconds.map(perMillion),
      higherIsBetter: false,
      baseline: { what: 'raw COPY dossier_events TO a file', values: raw.seconds.map(perMillion) },
    });
    record({
      bench: 'backup',
      what: 'dunghan backup file, MB per million events',
      unit: 'MB',
      values: backup.bytes.map((b) => perMillion(b) / 1e6),
      higherIsBetter: false,
      baseline: { what: 'the raw COPY of dossier_events, uncompressed', values: raw.bytes.map((b) => perMillion(b) / 1e6) },
    });
    record({
      bench: 'backup',
      what: 'dunghan restore (verify, load, replay every dossier), seconds per million events',
      unit: 's',
      values: restore.seconds.map(perMillion),
      higherIsBetter: false,
      baseline: { what: 'raw COPY … FROM the file into an empty copy of dossier_events', values: rawBack.seconds.map(perMillion) },
    });
    console.log(
      `  per million events: backup ${Math.round(perMillion(median(backup.seconds)))} s, ${Math.round(perMillion(median(backup.bytes)) / 1e6)} MB; restore ${Math.round(perMillion(median(restore.seconds)))} s`,
    );
  } finally {
    await ctx.close();
    await fs.rm(dir, { recursive: true, force: true });
    await bench.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
