/**
 * Single events, as counter software posts them: CLIENTS concurrent HTTP
 * clients (in a worker thread of their own) each posting one event per
 * request over keep-alive, acknowledged after commit, timed until the last
 * event is sealed into the chain. Next to
 * it, in the same run and with the same clients:
 * - the HTTP floor: the same requests, each made invalid, so that the server
 *   authenticates, parses, validates and answers 400 without touching the
 *   database (what the HTTP stack alone costs on this machine);
 * - a bare INSERT of the same rows, one autocommitted statement each, from as
 *   many connections (the floor of "one event, one commit");
 * - a bare node:http server answering the same requests 400 after reading and
 *   parsing their bodies: what one Node event loop can answer at all on this
 *   machine, beside which the HTTP floor shows what the settled stack (Express
 *   and the middleware every request needs) costs.
 * The bare sides' CPU added up (a bare answer, its clients, a bare INSERT)
 * bounds what these cores could carry.
 * A CHECKPOINT before each side, the order alternating, RUNS rounds (min /
 * median / max reported).
 *
 *   npm run bench:single            # CLIENTS=4,16 EVENTS=6000 RUNS=3; BENCH_STATEMENTS=1 prints PostgreSQL's time by statement
 */
import http, { type Server } from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { AppContext } from '../src/app-context.js';
import { openBenchDatabase, printStatementStats, untilSealed } from './bench-database.js';
import { createApp } from '../src/http/app.js';
import { createApiKey } from '../src/store/api-keys.js';
import { countUnchained } from '../src/store/audit-store.js';
import type { DossierEvent } from '../src/dossiers/events.js';
import { postFromWorker } from './post-clients.js';
import { alternate, median, record } from './results.js';
import { newDossierShares } from './client-shares.js';
import { recordCpu, startCpu, type CpuShares } from './cpu-meter.js';

const CLIENTS = (process.env.CLIENTS ?? '4,16').split(',').map(Number);
const EVENTS = Number(process.env.EVENTS ?? 6000);
const RUNS = Number(process.env.RUNS ?? 3);

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(0.99 * xs.length))]!;

async function main(): Promise<void> {
  const bench = await openBenchDatabase(Math.max(...CLIENTS) + 8);
  const { db } = bench;
  let server: Server | undefined;
  let bareHttp: Server | undefined;
  let unwatch = async () => undefined as void;
  try {
    const ctx = await AppContext.load(db);
    unwatch = await ctx.watchChanges(); // as `serve` does: follows revocations, so it remembers keys briefly
    const { key } = await createApiKey(db.pool, { role: 'admin', agencyCodes: ['SLA'], label: 'bench' });
    server = await new Promise<Server>((resolve) => {
      const s = createApp(ctx).listen(0, '127.0.0.1', () => resolve(s));
    });
    const port = (server.address() as AddressInfo).port;
    bareHttp = await new Promise<Server>((resolve) => {
      const s = http
        .createServer((req, res) => {
          const chunks: Buffer[] = [];
          req.on('data', (c: Buffer) => chunks.push(c));
          req.on('end', () => {
            try {
              JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              // answered 400 either way
            }
            res.writeHead(400, { 'content-type': 'application/problem+json' });
            res.end('{"status":400}');
          });
        })
        .listen(0, '127.0.0.1', () => resolve(s));
    });
    const barePort = (bareHttp.address() as AddressInfo).port;
    await db.pool.query('CREATE TABLE bare_single (event_id uuid PRIMARY KEY, dossier_code text, type text, occurred_at timestamptz, body jsonb)');
    console.log(
      `bench:single — ${EVENTS.toLocaleString('en-US')} single events × ${RUNS} runs per side, one event per request, ${bench.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}`,
    );

    let batch = 0;
    for (const clients of CLIENTS) {
      const latencies: number[][] = [];
      const cpu: Record<'api' | 'floor' | 'bare' | 'bareHttp', CpuShares[]> = { api: [], floor: [], bare: [], bareHttp: [] };
      /** Fresh dossiers for each run; each client owns a share and posts their events in order. */
      const nextShares = () => {
        return newDossierShares(ctx.catalog, { seed: 100 + batch, events: EVENTS, codePrefix: `SINGLE${batch++}`, clients });
      };
      const invalid = (e: DossierEvent) => JSON.stringify({ ...e, occurredAt: 'not an instant' });
      const [api, floor, bare, bareFloor] = await alternate(RUNS, () => db.pool.query('CHECKPOINT'), [
        async () => {
          const shares = nextShares();
          const meter = startCpu(bench.postmaster);
          const posted = await postFromWorker({ port, path: '/api/v1/events', key, expect: 201, clients: shares.map((s) => s.map((e) => JSON.stringify(e))) });
          const sealing = await untilSealed(db);
          cpu.api.push(meter.stop(EVENTS, posted.cpuMs));
          latencies.push(posted.latencies);
          return EVENTS / (posted.seconds + sealing / 1000);
        },
        async () => {
          const shares = nextShares();
          const meter = startCpu(bench.postmaster);
          const posted = await postFromWorker({ port, path: '/api/v1/events', key, expect: 400, clients: shares.map((s) => s.map(invalid)) });
          cpu.floor.push(meter.stop(EVENTS, posted.cpuMs));
          return EVENTS / posted.seconds;
        },
        async () => {
          const shares = nextShares();
          const meter = startCpu(bench.postmaster);
          const t0 = performance.now();
          await Promise.all(
            shares.map(async (share) => {
              const client = await db.pool.connect();
              try {
                for (const e of share)
                  await client.query('INSERT INTO bare_single VALUES ($1, $2, $3, $4, $5)', [
                    e.eventId,
                    e.dossierCode,
                    e.type,
                    e.occurredAt,
                    JSON.stringify(e),
                  ]);
              } finally {
                client.release();
              }
            }),
          );
          const seconds = (performance.now() - t0) / 1000;
          cpu.bare.push(meter.stop(EVENTS, 0));
          return EVENTS / seconds;
        },
        async () => {
          const shares = nextShares();
          const meter = startCpu(bench.postmaster);
          const posted = await postFromWorker({ port: barePort, path: '/api/v1/events', key, expect: 400, clients: shares.map((s) => s.map(invalid)) });
          cpu.bareHttp.push(meter.stop(EVENTS, posted.cpuMs));
          return EVENTS / posted.seconds;
        },
      ]);
      const goal = clients === 16 ? '≥ 3,000 events/s' : undefined;
      record({
        bench: 'single',
        what: `single events, ${clients} clients`,
        unit: 'events/s',
        values: api!,
        higherIsBetter: true,
        baseline: { what: 'bare INSERT, one commit each', values: bare! },
        goal,
      });
      record({
        bench: 'single',
        what: `single events, ${clients} clients`,
        unit: 'events/s',
        values: api!,
        higherIsBetter: true,
        baseline: { what: 'HTTP floor (same requests refused by validation, no database)', values: floor! },
      });
      record({
        bench: 'single',
        what: `single events, ${clients} clients, p99 latency`,
        unit: 'ms',
        values: latencies.map(p99),
        higherIsBetter: false,
        goal: clients === 16 ? '< 50 ms' : undefined,
      });
      console.log(`    (p50 latency ${median(latencies.map((l) => median(l))).toFixed(1)} ms)`);
      recordCpu('single', `single events, ${clients} clients`, cpu.api, {
        server: ['HTTP floor: server CPU per request', cpu.floor],
        postgres: ['bare INSERT, one commit each: PostgreSQL CPU per row', cpu.bare],
      });
      const bareAnswer = 'bare node:http answering the same requests 400 (no Express, no middleware)';
      record({
        bench: 'single',
        what: `HTTP floor, ${clients} clients`,
        unit: 'req/s',
        values: floor!,
        higherIsBetter: true,
        baseline: { what: bareAnswer, values: bareFloor! },
      });
      record({
        bench: 'single',
        what: `HTTP floor, ${clients} clients: server CPU per request`,
        unit: 'µs',
        values: cpu.floor.map((c) => c.server),
        higherIsBetter: false,
        baseline: { what: bareAnswer, values: cpu.bareHttp.map((c) => c.server) },
      });
      const cores = os.availableParallelism();
      const answer = median(cpu.bareHttp.map((c) => c.server + c.clients));
      const rateOn = (us: number) => Math.round((cores * 1e6) / us).toLocaleString('en-US');
      const insert = cpu.bare.every((c) => c.postgres !== null) ? median(cpu.bare.map((c) => c.postgres!)) : null;
      // The bare sides' CPU, added up: the least an answer over HTTP (with these clients on the same cores) and a row committed on its own can cost.
      console.log(
        `    (bare sides: a node:http answer and its clients' share ${Math.round(answer)} µs, at most ${rateOn(answer)} requests/s on these ${cores} cores` +
          (insert === null ? ')' : `; with a bare INSERT committed on its own ${Math.round(answer + insert)} µs, at most ${rateOn(answer + insert)} events/s)`),
      );
      await printStatementStats(db, `${clients} clients, all sides`);
    }
    const outside = await countUnchained(db.pool);
    if (outside !== 0) throw new Error(`${outside} acknowledged events are outside the chain`);
  } finally {
    await unwatch();
    server?.close();
    bareHttp?.close();
    await bench.close();
  }
}

await main();
