/**
 * What operators see: request ids echoed in responses and error bodies, an
 * access log in JSON without bodies or secrets, Prometheus metrics that move
 * with an ingest, liveness and readiness probes, and a CLI that explains
 * itself; a .env file fills in the environment.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/http/app.js';
import { dossierEventSchema } from '../../src/dossiers/events.js';
import { countUnchained } from '../../src/store/audit-store.js';
import { ingestEvents, sealPending } from '../../src/store/event-store.js';
import { REDACT } from '../../src/observability/logger.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';

const run = promisify(execFile);
let t: TestApp;
const lines: string[] = [];
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  t = await createTestApp();
  const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
  app = createApp(t.ctx, { logger: pino({ level: 'info', redact: { paths: REDACT, censor: '[redacted]' } }, sink) });
});
afterAll(async () => t.close());

test("a request id is echoed (the caller's when it is a plain token) and carried by error bodies", async () => {
  const mine = await request(app).get('/api/v1/dossiers/NONE').set('Authorization', `Bearer ${t.keys.auditor}`).set('X-Request-Id', 'counter-42.a');
  expect(mine.headers['x-request-id']).toBe('counter-42.a');
  expect(mine.body.requestId).toBe('counter-42.a');
  const generated = await request(app).get('/livez').set('X-Request-Id', 'bad id with spaces');
  expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

test('the access log is JSON: method, path without query, status, key; never a body, a key or a cookie', async () => {
  lines.length = 0;
  const body = ev.received('OPS-1', '2025-03-17T10:00:00+07:00', { applicant: { name: 'Quàng Thị Riêng', phone: '0912000111' } });
  await request(app)
    .post('/api/v1/events?x=secret-query')
    .set('Authorization', `Bearer ${t.keys.counter}`)
    .set('Cookie', 'dunghan_session=cookie-secret-zq')
    .send(body)
    .expect(400);
  await request(app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.counter}`).send(body).expect(201);
  const entries = lines.map((l) => JSON.parse(l));
  const access = entries.find((e) => e.req?.path === '/api/v1/events' && e.res?.status === 201);
  expect(access).toMatchObject({
    req: { method: 'POST', path: '/api/v1/events' },
    res: { status: 201 },
    role: 'counter',
    keyId: expect.any(String),
    responseTime: expect.any(Number),
  });
  const all = lines.join('\n');
  for (const secret of [t.keys.counter, 'Quàng Thị Riêng', '0912000111', 'cookie-secret-zq', 'secret-query']) expect(all).not.toContain(secret);
});

test('/metrics: ingest counts and latency move with an ingest; outbox, open-dossier and unsealed-event gauges are read when scraped', async () => {
  const scrape = async () => (await request(app).get('/metrics')).text;
  const count = (text: string, result: string) => Number(new RegExp(`dunghan_events_ingested_total\\{result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  const before = await scrape();
  const e = ev.received('OPS-2', '2025-03-17T10:00:00+07:00');
  await request(app)
    .post('/api/v1/events')
    .set('Authorization', `Bearer ${t.keys.counter}`)
    .send([e, ev.received('OPS-3', '2025-03-17T10:00:00+07:00')])
    .expect(201);
  await request(app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.counter}`).send(e).expect(200);
  const after = await scrape();
  expect(count(after, 'accepted') - count(before, 'accepted')).toBe(2);
  expect(count(after, 'duplicate') - count(before, 'duplicate')).toBe(1);
  expect(after).toMatch(/dunghan_ingest_duration_seconds_count \d+/);
  expect(after).toMatch(/dunghan_outbox_messages\{status="pending"\} 0/);
  // OPS-1..3 are open and received by a ward of the old district (kind "ward"): at least three open there.
  expect(Number(/dunghan_dossiers_open\{agency_kind="ward",state="open"\} (\d+)/.exec(after)?.[1])).toBeGreaterThanOrEqual(3);
  expect(after).toMatch(/dunghan_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/events",status="201"\} \d+/);
  // Events committed but not sealed (a process that stopped in between): counted until the next seal takes them in.
  // First the API's own sealer takes in what it acknowledged above (within its 20 ms): had the test sealed instead,
  // that timer could still fire afterwards and seal the event below before the scrape.
  for (let waited = 0; (await countUnchained(t.ctx.db.pool)) > 0; waited += 5) {
    if (waited > 10_000) throw new Error('the API did not seal what it acknowledged');
    await new Promise((r) => setTimeout(r, 5));
  }
  await ingestEvents(t.ctx.db.pool, t.ctx.foldContext(), [dossierEventSchema.parse(ev.received('OPS-4', '2025-03-17T10:00:00+07:00'))], { seal: false });
  expect(await scrape()).toMatch(/dunghan_events_unsealed 1\n/);
  await sealPending(t.ctx.db.pool);
  expect(await scrape()).toMatch(/dunghan_events_unsealed 0\n/);
  // With a token set, the metrics need it.
  const guarded = createApp(t.ctx, { metricsToken: 'a-token-of-sixteen+' });
  expect((await request(guarded).get('/metrics')).status).toBe(401);
  expect((await request(guarded).get('/metrics').set('Authorization', 'Bearer a-token-of-sixteen+')).status).toBe(200);
});

test('/livez answers; /readyz says whether the database answers', async () => {
  expect((await request(app).get('/livez')).body).toEqual({ status: 'ok' });
  expect((await request(app).get('/readyz')).body).toMatchObject({ status: 'ok', database: 'ok' });
});

test('the CLI: --help per command, --version; a .env file fills in unset variables', async () => {
  const cli = (args: string[], cwd = process.cwd()) =>
    run(process.execPath, [path.join(process.cwd(), 'bin/dunghan.js'), ...args], { cwd, env: { ...process.env, DATA_DIR: '/nonexistent-dunghan-data' } });
  expect((await cli(['deadline', '--help'])).stdout).toMatch(/^Usage: dunghan deadline …\n\n {2}deadline --received ISO/);
  expect((await cli(['--version'])).stdout.trim()).toMatch(/^dunghan \d+\.\d+\.\d+$/);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-env-'));
  await fs.writeFile(path.join(dir, '.env'), `DATABASE_URL=${t.url}\n`);
  // keys list needs a database: it reaches the test one through the .env alone.
  const { stdout } = await cli(['keys', 'list', '--json'], dir);
  expect(JSON.parse(stdout).map((k: { label: string }) => k.label)).toContain('test admin');
  await fs.rm(dir, { recursive: true });
});
