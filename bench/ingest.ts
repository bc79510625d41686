/**
 * Ingestion throughput through the real HTTP API into the embedded
 * PostgreSQL (or DATABASE_URL), next to a bare multi-row INSERT of the same
 * rows into the same database in the same run.
 *
 *   npm run bench:ingest            # 200,000 events, batches of 1,000, 4 clients
 *   EVENTS=50000 CLIENTS=2 npm run bench:ingest
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppContext } from '../src/app-context.js';
import { openBenchDatabase } from './bench-database.js';
import { createApp } from '../src/http/app.js';
import { generateEvents } from '../src/sample/sample-events.js';
import { createApiKey } from '../src/store/api-keys.js';
import { bodyHash } from '../src/store/event-store.js';

const TARGET_EVENTS = Number(process.env.EVENTS ?? 200_000);
const BATCH = 1000;
const CLIENTS = Number(process.env.CLIENTS ?? 4);

function hashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0;
  return h;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const bench = await openBenchDatabase(CLIENTS + 4);
  const { db } = bench;
  let server: Server | undefined;
  try {
    const ctx = await AppContext.load(db);
    const { key } = await createApiKey(db.pool, { role: 'admin', agencyCodes: ['SLA'], label: 'bench' });

    // About 4.3 events per dossier: enough dossiers for the target, cut to it exactly.
    const events = generateEvents(ctx.catalog, {
      seed: 1,
      dossiers: Math.ceil(TARGET_EVENTS / 4),
      from: Date.parse('2025-07-02T08:00:00+07:00'),
      to: Date.parse('2026-10-01T08:00:00+07:00'),
      until: Date.parse('2026-11-01T08:00:00+07:00'),
      codePrefix: 'BENCH',
    }).slice(0, TARGET_EVENTS);
    // Like counters sending independently: each client owns a share of the dossiers and sends their events
    // in the order they happened, so a dossier's events never race each other.
    const streams: string[][] = Array.from({ length: CLIENTS }, () => []);
    const shares: (typeof events)[] = Array.from({ length: CLIENTS }, () => []);
    for (const e of events) shares[hashCode(e.dossierCode) % CLIENTS]!.push(e);
    shares.forEach((share, c) => {
      for (let i = 0; i < share.length; i += BATCH) streams[c]!.push(JSON.stringify(share.slice(i, i + BATCH)));
    });

    server = await new Promise<Server>((resolve) => {
      const s = createApp(ctx).listen(0, '127.0.0.1', () => resolve(s));
    });
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/events`;

    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      streams.map(async (batches) => {
        for (const [i, body] of batches.entries()) {
          const start = performance.now();
          const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
          if (res.status !== 201) throw new Error(`batch ${i}: HTTP ${res.status} ${(await res.text()).slice(0, 500)}`);
          await res.arrayBuffer();
          latencies.push(performance.now() - start);
        }
      }),
    );
    const apiSeconds = (performance.now() - t0) / 1000;
    const { rows } = await db.pool.query('SELECT (SELECT count(*) FROM dossier_events)::int AS events, (SELECT count(*) FROM dossiers)::int AS dossiers');

    // Baseline: the same rows, bare multi-row INSERTs of 1,000 into a table shaped like the log, same clients.
    await db.pool.query('DROP TABLE IF EXISTS bench_bare_events; CREATE TABLE bench_bare_events (LIKE dossier_events INCLUDING ALL)');
    const rowsOf = (list: typeof events) => list.flatMap((e) => [e.eventId, e.dossierCode, e.type, e.occurredAt, JSON.stringify(e), bodyHash(e)]);
    const placeholders = (n: number) => Array.from({ length: n }, (_, r) => `(${[1, 2, 3, 4, 5, 6].map((c) => `$${r * 6 + c}`).join(', ')})`).join(', ');
    let bareNext = 0;
    const b0 = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (;;) {
          const i = bareNext++;
          const slice = events.slice(i * BATCH, (i + 1) * BATCH);
          if (slice.length === 0) return;
          await db.pool.query(`INSERT INTO bench_bare_events (event_id, dossier_code, type, occurred_at, body, body_hash) VALUES ${placeholders(slice.length)}`, rowsOf(slice));
        }
      }),
    );
    const bareSeconds = (performance.now() - b0) / 1000;
    await db.pool.query('DROP TABLE bench_bare_events');

    latencies.sort((a, b) => a - b);
    const apiRate = events.length / apiSeconds;
    const bareRate = events.length / bareSeconds;
    console.log(`bench:ingest — ${events.length.toLocaleString('en-US')} events (${rows[0].dossiers.toLocaleString('en-US')} dossiers) in batches of ${BATCH}, ${CLIENTS} HTTP clients, ${bench.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}`);
    console.log(`  through POST /api/v1/events : ${Math.round(apiRate).toLocaleString('en-US')} events/s (batch latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms)`);
    console.log(`  bare multi-row INSERT        : ${Math.round(bareRate).toLocaleString('en-US')} rows/s`);
    console.log(`  ratio                        : ${((apiRate / bareRate) * 100).toFixed(0)}% of the bare INSERT rate (goal: ≥ 5,000 events/s and ≥ 50%)`);
    if (rows[0].events !== events.length) throw new Error(`expected ${events.length} events in the log, found ${rows[0].events}`);
  } finally {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await bench.close();
  }
}

await main();
