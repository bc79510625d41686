/**
 * Single events, as counter software posts them: CLIENTS concurrent HTTP
 * clients each posting one event per request (keep-alive), acknowledged
 * only after commit; next to, in the same run, the same rows written by the
 * same number of connections as one autocommitted INSERT each (the floor of
 * "one event, one commit"). Order controlled: a CHECKPOINT before each side,
 * and the sides alternate over RUNS rounds (min / median / max reported).
 *
 *   npm run bench:single            # CLIENTS=16 EVENTS=6000 RUNS=3
 */
import http from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppContext } from '../src/app-context.js';
import { openBenchDatabase } from './bench-database.js';
import { createApp } from '../src/http/app.js';
import { generateEvents } from '../src/sample/sample-events.js';
import { createApiKey } from '../src/store/api-keys.js';
import type { DossierEvent } from '../src/dossiers/events.js';

const CLIENTS = Number(process.env.CLIENTS ?? 16);
const EVENTS = Number(process.env.EVENTS ?? 6000);
const RUNS = Number(process.env.RUNS ?? 3);

function hashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0;
  return h;
}
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const bench = await openBenchDatabase(CLIENTS + 8);
  const { db } = bench;
  let server: Server | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    const ctx = await AppContext.load(db);
    const { key } = await createApiKey(db.pool, { role: 'admin', agencyCodes: ['SLA'], label: 'bench' });
    server = await new Promise<Server>((resolve) => {
      const s = createApp(ctx).listen(0, '127.0.0.1', () => resolve(s));
    });
    const port = (server.address() as AddressInfo).port;
    const post = (body: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/events', method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
    await db.pool.query('CREATE TABLE bare_single (event_id uuid PRIMARY KEY, dossier_code text, type text, occurred_at timestamptz, body jsonb)');

    const api: number[] = [];
    const bare: number[] = [];
    const latencies: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const events = generateEvents(ctx.catalog, {
        seed: 100 + run,
        dossiers: Math.ceil(EVENTS / 4),
        from: Date.parse('2025-07-02T08:00:00+07:00'),
        to: Date.parse('2026-10-01T08:00:00+07:00'),
        until: Date.parse('2026-11-01T08:00:00+07:00'),
        codePrefix: `SINGLE${run}`,
      }).slice(0, EVENTS);
      // Each client owns a share of the dossiers and posts their events in order.
      const shares: DossierEvent[][] = Array.from({ length: CLIENTS }, () => []);
      for (const e of events) shares[hashCode(e.dossierCode) % CLIENTS]!.push(e);

      const sides = [
        async () => {
          await db.pool.query('CHECKPOINT');
          const t0 = performance.now();
          await Promise.all(
            shares.map(async (share) => {
              for (const e of share) {
                const s0 = performance.now();
                const status = await post(JSON.stringify(e));
                latencies.push(performance.now() - s0);
                if (status !== 201) throw new Error(`status ${status} for ${e.type} ${e.dossierCode}`);
              }
            }),
          );
          api.push(events.length / ((performance.now() - t0) / 1000));
        },
        async () => {
          await db.pool.query('CHECKPOINT');
          const t0 = performance.now();
          await Promise.all(
            shares.map(async (share) => {
              const client = await db.pool.connect();
              try {
                for (const e of share) {
                  await client.query('INSERT INTO bare_single VALUES ($1, $2, $3, $4, $5)', [`${e.eventId.slice(0, 35)}${run}`, e.dossierCode, e.type, e.occurredAt, JSON.stringify(e)]);
                }
              } finally {
                client.release();
              }
            }),
          );
          bare.push(events.length / ((performance.now() - t0) / 1000));
        },
      ];
      // Alternate which side goes first.
      if (run % 2 === 1) sides.reverse();
      for (const side of sides) await side();
    }
    latencies.sort((a, b) => a - b);
    const fmt = (xs: number[]) => `min ${Math.min(...xs).toFixed(0)}, median ${median(xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}`;
    console.log(`bench:single — ${EVENTS.toLocaleString('en-US')} single events × ${RUNS} runs, ${CLIENTS} concurrent clients, one event per request`);
    console.log(`  API (acknowledged after commit) : ${fmt(api)} events/s; latency p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms`);
    console.log(`  bare INSERT, one commit each    : ${fmt(bare)} rows/s`);
    console.log(`  ratio (medians)                 : ${((median(api) / median(bare)) * 100).toFixed(0)} % (goal: ≥ 3,000 events/s, p99 < 50 ms)`);
  } finally {
    agent.destroy();
    server?.close();
    await bench.close();
  }
}

await main();
