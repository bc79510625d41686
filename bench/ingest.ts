/**
 * Batch ingestion through the real HTTP API (POST /api/v1/events, batches of
 * 1,000, CLIENTS concurrent clients in a worker thread), next to the same
 * rows written by as many connections into a table shaped like the event log
 * (its columns and indexes), in the same run:
 * - a bare multi-row INSERT of 1,000 rows per statement;
 * - COPY FROM STDIN (pg-copy-streams), the fastest way PostgreSQL takes rows.
 * Each run posts new dossiers (a run of the API is never a resend), the
 * baselines write the same rows; a CHECKPOINT before each side and the order
 * alternating, RUNS rounds (min / median / max reported).
 *
 *   npm run bench:ingest            # EVENTS=100000 per run, CLIENTS=4, RUNS=3
 *   BENCH_STATEMENTS=1 npm run bench:ingest   # and where PostgreSQL spent its time
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AppContext } from '../src/app-context.js';
import { openBenchDatabase, printStatementStats, untilSealed } from './bench-database.js';
import { createApp } from '../src/http/app.js';
import { createApiKey } from '../src/store/api-keys.js';
import { bodyHash } from '../src/store/event-store.js';
import { countUnchained } from '../src/store/audit-store.js';
import type { DossierEvent } from '../src/dossiers/events.js';
import { postFromWorker } from './post-clients.js';
import { alternate, record } from './results.js';
import { newDossierShares } from './client-shares.js';
import { recordCpu, startCpu, type CpuShares } from './cpu-meter.js';

const EVENTS = Number(process.env.EVENTS ?? 100_000);
const BATCH = 1000;
const CLIENTS = Number(process.env.CLIENTS ?? 4);
const RUNS = Number(process.env.RUNS ?? 3);

async function main(): Promise<void> {
  const bench = await openBenchDatabase(CLIENTS + 4);
  const { db, url } = bench;
  let server: Server | undefined;
  let unwatch = async () => undefined as void;
  try {
    const ctx = await AppContext.load(db);
    unwatch = await ctx.watchChanges();
    const { key, id: keyId } = await createApiKey(db.pool, { role: 'admin', agencyCodes: ['SLA'], label: 'bench' });
    server = await new Promise<Server>((resolve) => {
      const s = createApp(ctx).listen(0, '127.0.0.1', () => resolve(s));
    });
    const port = (server.address() as AddressInfo).port;
    await db.pool.query(
      'CREATE TABLE bench_bare_events (LIKE dossier_events INCLUDING ALL); CREATE TABLE bench_copy_events (LIKE dossier_events INCLUDING ALL)',
    );

    // One set of new dossiers per run, shared by the three sides; each client owns a share of the dossiers and
    // sends their events in the order they happened.
    const sets = Array.from({ length: RUNS }, (_, run) => {
      return newDossierShares(ctx.catalog, { seed: 1 + run, events: EVENTS, codePrefix: `BENCH${run}`, clients: CLIENTS });
    });
    const batchesOf = (share: DossierEvent[]) => Array.from({ length: Math.ceil(share.length / BATCH) }, (_, i) => share.slice(i * BATCH, (i + 1) * BATCH));
    const rowOf = (e: DossierEvent) => {
      const body = JSON.stringify(e);
      return [e.eventId, e.dossierCode, e.type, e.occurredAt, body, bodyHash(e, body), keyId, 'admin'];
    };
    const runs = { api: 0, bare: 0, copy: 0 };
    const cpu: Record<'api' | 'copy', CpuShares[]> = { api: [], copy: [] };

    const [api, bare, copy] = await alternate(RUNS, () => db.pool.query('CHECKPOINT'), [
      async () => {
        const shares = sets[runs.api++]!;
        const meter = startCpu(bench.postmaster);
        const posted = await postFromWorker({
          port,
          path: '/api/v1/events',
          key,
          expect: 201,
          clients: shares.map((s) => batchesOf(s).map((b) => JSON.stringify(b))),
        });
        const sealing = await untilSealed(db);
        cpu.api.push(meter.stop(EVENTS, posted.cpuMs));
        return EVENTS / (posted.seconds + sealing / 1000);
      },
      async () => {
        const shares = sets[runs.bare++]!;
        const placeholders = (n: number) =>
          Array.from({ length: n }, (_, r) => `(${Array.from({ length: 8 }, (_, c) => `$${r * 8 + c + 1}`).join(', ')})`).join(', ');
        const t0 = performance.now();
        await Promise.all(
          shares.map(async (share) => {
            for (const b of batchesOf(share)) {
              await db.pool.query(
                `INSERT INTO bench_bare_events (event_id, dossier_code, type, occurred_at, body, body_hash, key_id, key_role) VALUES ${placeholders(b.length)}`,
                b.flatMap(rowOf),
              );
            }
          }),
        );
        return EVENTS / ((performance.now() - t0) / 1000);
      },
      async () => {
        const shares = sets[runs.copy++]!;
        const copyText = (e: DossierEvent) =>
          `${rowOf(e)
            .map((v) => v.replace(/\\/g, '\\\\'))
            .join('\t')}\n`;
        const meter = startCpu(bench.postmaster);
        const t0 = performance.now();
        await Promise.all(
          shares.map(async (share) => {
            // COPY is a custom query, which pg's pipeline mode refuses: a plain connection of its own.
            const client = new pg.Client({ connectionString: url });
            await client.connect();
            try {
              const stream = client.query(
                copyFrom('COPY bench_copy_events (event_id, dossier_code, type, occurred_at, body, body_hash, key_id, key_role) FROM STDIN'),
              );
              await pipeline(Readable.from(batchesOf(share).map((b) => b.map(copyText).join(''))), stream);
            } finally {
              await client.end();
            }
          }),
        );
        const seconds = (performance.now() - t0) / 1000;
        cpu.copy.push(meter.stop(EVENTS, 0));
        return EVENTS / seconds;
      },
    ]);
    await printStatementStats(db, 'all sides');
    console.log(
      `bench:ingest — ${EVENTS.toLocaleString('en-US')} events per run in batches of ${BATCH}, ${CLIENTS} clients, ${RUNS} runs per side, ${bench.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}`,
    );
    record({
      bench: 'ingest',
      what: `batches of ${BATCH} through the API, ${CLIENTS} clients`,
      unit: 'events/s',
      values: api!,
      higherIsBetter: true,
      baseline: { what: 'COPY of the same rows', values: copy! },
      goal: '≥ 40 % of COPY',
    });
    record({
      bench: 'ingest',
      what: `batches of ${BATCH} through the API, ${CLIENTS} clients`,
      unit: 'events/s',
      values: api!,
      higherIsBetter: true,
      baseline: { what: 'bare multi-row INSERT of the same rows', values: bare! },
    });
    recordCpu('ingest', `batches of ${BATCH} through the API`, cpu.api, { postgres: ['COPY of the same rows: PostgreSQL CPU per row', cpu.copy] });
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM dossier_events');
    const unsealed = await countUnchained(db.pool);
    if (rows[0]!.n !== EVENTS * RUNS || unsealed !== 0)
      throw new Error(`expected ${EVENTS * RUNS} sealed events in the log, found ${rows[0]!.n} (${unsealed} unsealed)`);
  } finally {
    await unwatch();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await bench.close();
  }
}

await main();
