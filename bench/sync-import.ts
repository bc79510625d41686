/**
 * `dunghan sync import FILE` on a file of portal records, timed as a user runs
 * it (the CLI in its own process: start-up, the validating pass, the chunks),
 * next to, in the same run, a bare multi-row INSERT of the same records as
 * jsonb rows in chunks of the same size (the floor of writing them at all).
 * The records are the sample generator's dossiers, ingested untimed and
 * exported with GET /sync/dossiers's own code. Order controlled: the dossier
 * tables emptied and a CHECKPOINT before each side; sides alternate over RUNS.
 * Goal (issue 11): at least 25,000 records a minute.
 *
 *   npm run bench:sync              # RECORDS=30000 RUNS=3
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppContext } from '../src/app-context.js';
import { generateEvents } from '../src/sample/sample-events.js';
import { ingestEvents } from '../src/store/event-store.js';
import { exportRecords } from '../src/store/portal-export.js';
import { record } from './results.js';
import { openBenchDatabase } from './bench-database.js';

const RECORDS = Number(process.env.RECORDS ?? 30_000);
const RUNS = Number(process.env.RUNS ?? 3);
const CHUNK = 500;
const run = promisify(execFile);

async function main(): Promise<void> {
  const bench = await openBenchDatabase(8);
  const { db } = bench;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-sync-bench-'));
  const file = path.join(dir, 'records.jsonl');
  try {
    const ctx = await AppContext.load(db);
    const from = Date.parse('2025-07-02T08:00:00+07:00');
    const to = Date.parse('2026-10-01T08:00:00+07:00');
    const events = generateEvents(ctx.catalog, { seed: 11, dossiers: RECORDS, from, to, until: Date.parse('2026-11-01T08:00:00+07:00'), codePrefix: 'SYNC' });
    for (let i = 0; i < events.length; i += 2000) await ingestEvents(db.pool, ctx.foldContext(), events.slice(i, i + 2000));
    const lines: string[] = [];
    for await (const page of exportRecords(db.pool, ctx.catalog, null, {
      label: 'bench',
      from: Date.parse('2025-07-01T00:00:00+07:00'),
      to: Date.parse('2026-11-01T00:00:00+07:00'),
    })) {
      for (const r of page) lines.push(JSON.stringify(r));
    }
    await fs.writeFile(file, lines.join('\n') + '\n');
    const n = lines.length;
    console.log(`${n} portal records (${events.length} events generated), ${(Buffer.byteLength(lines.join('\n')) / 1e6).toFixed(1)} MB of JSON lines`);
    await db.pool.query('CREATE TABLE bare_records (id bigserial PRIMARY KEY, ma_ho_so text, record jsonb)');

    const reset = async () => {
      await db.pool.query(
        'TRUNCATE dossier_events, event_ids, event_chain, unsealed_events, dossiers, daily_counts, dossier_judgments, dossier_rules, bare_records',
      );
      await db.pool.query(`UPDATE event_chain_head SET pos = 0, hash = repeat('0', 64)`);
      await db.pool.query('CHECKPOINT');
    };
    const url = process.env.DATABASE_URL ?? (db.pool.options as { connectionString: string }).connectionString;
    const sides = {
      cli: async () => {
        await reset();
        const t0 = performance.now();
        const { stdout } = await run(process.execPath, ['bin/dunghan.js', 'sync', 'import', file, '--json'], {
          env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
          maxBuffer: 64 << 20,
        });
        const seconds = (performance.now() - t0) / 1000;
        const out = JSON.parse(stdout);
        if (out.refused) throw new Error(`${out.refused} records refused: ${JSON.stringify(out.problems.slice(0, 3))}`);
        return (n / seconds) * 60;
      },
      bare: async () => {
        await reset();
        const t0 = performance.now();
        for (let i = 0; i < n; i += CHUNK) {
          const chunk = lines.slice(i, i + CHUNK);
          await db.pool.query("INSERT INTO bare_records (ma_ho_so, record) SELECT r->>'MaHoSo', r FROM jsonb_array_elements($1::jsonb) AS r", [
            `[${chunk.join(',')}]`,
          ]);
        }
        return (n / ((performance.now() - t0) / 1000)) * 60;
      },
    };
    const cli: number[] = [];
    const bare: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      // Alternate which side goes first.
      if (r % 2 === 0) {
        cli.push(await sides.cli());
        bare.push(await sides.bare());
      } else {
        bare.push(await sides.bare());
        cli.push(await sides.cli());
      }
      console.log(`run ${r + 1}: sync import ${Math.round(cli.at(-1)!)} records/min, bare INSERT ${Math.round(bare.at(-1)!)} records/min`);
    }
    record({
      bench: 'sync',
      what: `dunghan sync import (CLI, ${n.toLocaleString('en-US')} portal records)`,
      unit: 'records/min',
      values: cli,
      higherIsBetter: true,
      baseline: { what: 'bare multi-row INSERT of the records as jsonb', values: bare },
      goal: '≥ 25,000 records/min',
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
    await bench.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
