/**
 * Issue 29, item 3: reports from a read replica. A primary and a streaming standby of Debian's PostgreSQL, on
 * loopback, the standby made with `pg_basebackup -R -X stream` as docs/deploy.md says; the service's reports read
 * there (DATABASE_REPLICA_URL) while it is within REPLICA_MAX_LAG_MS, and from the primary when it lags past that
 * or is stopped. Writes always go to the primary.
 *
 * How a report is shown to come from the standby: its replay is paused (pg_wal_replay_pause) and a dossier is
 * received on the primary; the standby's report still counts the dossiers of before (3), the primary's counts 4.
 *
 * Skipped, saying so, only where Debian's postgresql is not installed; .ci/run installs it, so CI never skips.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import request from 'supertest';
import type { Express } from 'express';
import { AppContext } from '../../src/app-context.js';
import { connect, inTransaction, type Db } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { ReplicaReads } from '../../src/db/replica.js';
import { createApp } from '../../src/http/app.js';
import { sampleProvince } from '../../src/sample/province.js';
import { createApiKey } from '../../src/store/api-keys.js';
import { saveCatalog } from '../../src/store/catalog-store.js';
import { DEBIAN_PG_BIN, scratchDir, startPrimary, startStandby, type DebianServer } from '../support/debian-postgres.js';
import { ev } from '../support/events.js';
import { signIn } from '../support/test-app.js';

if (!DEBIAN_PG_BIN) console.warn('read-replica.test.ts SKIPPED: Debian postgresql is not installed here (apt-get install postgresql; .ci/run installs it).');
const describeWithPg = DEBIAN_PG_BIN ? describe : describe.skip;
const run = promisify(execFile);

let scratch: ReturnType<typeof scratchDir>;
let primary: DebianServer;
let standby: DebianServer;
let db: Db;
let ctx: AppContext;
let app: Express;
let key: string;
const NOW = Date.parse('2025-03-20T09:00:00+07:00');

const sql = async (url: string, text: string) => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
};
const rates = () =>
  request(app)
    .get('/api/v1/reports/rates?period=2025-03')
    .set('Authorization', `Bearer ${key}`)
    .then((r) => ({ status: r.status, from: r.headers['x-dunghan-read-from'] as string | undefined, received: r.body.total?.received as number }));
const receive = (code: string, day: string) =>
  request(app)
    .post('/api/v1/events')
    .set('Authorization', `Bearer ${key}`)
    .send([ev.received(code, `2025-03-${day}T08:30:00+07:00`)])
    .then((r) => expect(r.status).toBe(201));
/** Measures until the standby has applied everything (lag 0). */
async function caughtUp(reads: ReplicaReads): Promise<void> {
  for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    const s = await reads.check();
    if (s.condition === 'replica' && s.lagMs === 0) return;
  }
  throw new Error(`the standby did not catch up: ${JSON.stringify(reads.current())}`);
}

describeWithPg('read replica (Debian PostgreSQL, streaming standby)', () => {
  beforeAll(async () => {
    scratch = scratchDir();
    primary = await startPrimary(scratch.dir);
    await sql(primary.url(), 'CREATE DATABASE dunghan');
    db = connect(primary.url('dunghan'));
    await migrate(db.pool);
    const { agencies, procedures } = sampleProvince();
    await inTransaction(db.pool, (c) => saveCatalog(c, agencies, procedures));
    key = (await createApiKey(db.pool, { role: 'admin', agencyCodes: ['SLA'], label: 'replica test' })).key;
    standby = await startStandby(scratch.dir, primary);
    ctx = await AppContext.load(db, { now: () => NOW });
    app = createApp(ctx);
    await receive('R-1', '03');
    await receive('R-2', '04');
    await receive('R-3', '05');
    ctx.replica = await ReplicaReads.open(db.pool, standby.url('dunghan'), { maxLagMs: 60_000 });
  });
  afterAll(async () => {
    await ctx?.close();
    await db?.close();
    for (const s of [standby, primary]) {
      try {
        s?.stop();
      } catch {
        // already stopped by the test
      }
    }
    scratch?.remove();
  });

  test('start-up refuses a replica URL naming the primary, or a server of another major version', async () => {
    await expect(ReplicaReads.open(db.pool, primary.url('dunghan'), { maxLagMs: 1000 })).rejects.toThrow(
      /DATABASE_REPLICA_URL=postgres:\/\/dunghan@127\.0\.0\.1:\d+\/dunghan is not a standby \(pg_is_in_recovery\(\) is false\)/,
    );
    // The suite's own server (embedded PostgreSQL 17, or TEST_DATABASE_URL): another major version than Debian's when embedded.
    const other = process.env.DUNGHAN_TEST_ADMIN_URL!;
    const [{ num }] = await sql(other, "SELECT current_setting('server_version_num') AS num");
    const [{ num: ours }] = await sql(primary.url(), "SELECT current_setting('server_version_num') AS num");
    if (Math.floor(Number(num) / 10000) !== Math.floor(Number(ours) / 10000)) {
      await expect(ReplicaReads.open(db.pool, other, { maxLagMs: 1000 })).rejects.toThrow(
        new RegExp(`is PostgreSQL ${Math.floor(Number(num) / 10000)}\\.\\d+.*, the primary \\(DATABASE_URL\\) ${Math.floor(Number(ours) / 10000)}\\.\\d+`),
      );
    } else
      console.warn('read-replica.test.ts: the suite server has the primary major version; the other-major refusal is checked in test/unit/replica.test.ts');

    // The service itself: `dunghan serve` with the primary as its replica stops at start, saying why (exit 1).
    const child = await run(process.execPath, ['bin/dunghan.js', 'serve'], {
      env: { ...process.env, DATABASE_URL: primary.url('dunghan'), DATABASE_REPLICA_URL: primary.url('dunghan'), PORT: '0', JOBS: 'off', LOG_LEVEL: 'silent' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
    expect(child.code).toBe(1);
    expect(child.stderr).toMatch(/^dunghan: DATABASE_REPLICA_URL=\S+ is not a standby/m);
  });

  test('a report is served by the replica, which shows in pg_stat_activity and the response', async () => {
    await caughtUp(ctx.replica!);
    expect(await rates()).toEqual({ status: 200, from: 'replica; lag-ms=0', received: 3 });
    // The reports' connections are the standby's, named as such.
    const [{ n }] = await sql(standby.url('dunghan'), "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'dunghan-reports'");
    expect(n).toBeGreaterThanOrEqual(1);
  });

  test('a lagging replica: the lag shown; within the bound reports read there, past it from the primary', async () => {
    await sql(standby.url('dunghan'), 'SELECT pg_wal_replay_pause()');
    const paused = Date.now();
    await receive('R-4', '06'); // committed on the primary, not applied on the standby
    await new Promise((r) => setTimeout(r, 1500));
    const s = await ctx.replica!.check();
    // Lag: the primary's clock minus the commit time of the last transaction applied, which came before the pause.
    expect(s.condition).toBe('replica');
    expect(s.lagMs!).toBeGreaterThanOrEqual(Date.now() - paused - 200);
    expect(s.behindBytes!).toBeGreaterThan(0);
    // Within 60 s: the standby answers, without R-4; the primary has it (ingestion and the dossier read are the primary's).
    expect(await rates()).toEqual({ status: 200, from: `replica; lag-ms=${s.lagMs}`, received: 3 });
    // `dunghan report` reads there too (DATABASE_REPLICA_URL, as the service).
    const cli = await run(process.execPath, ['bin/dunghan.js', 'report', '--period', '2025-03', '--format', 'json'], {
      env: { ...process.env, DATABASE_URL: primary.url('dunghan'), DATABASE_REPLICA_URL: standby.url('dunghan'), LOG_LEVEL: 'silent' },
    });
    expect(JSON.parse(cli.stdout).total.received).toBe(3);
    const dossier = await request(app).get('/api/v1/dossiers/R-4').set('Authorization', `Bearer ${key}`);
    expect(dossier.status).toBe(200);
    const cookie = `dunghan_session=${await signIn(app, key)}`;
    const page = await request(app).get('/dashboard?period=2025-03').set('Cookie', cookie);
    const seconds = (s.lagMs! / 1000).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
    expect(page.text).toContain(`Số liệu đọc từ máy chủ bản sao, chậm ${seconds} giây so với máy chủ chính.`);
    const ready = await request(app).get('/readyz');
    expect(ready.body.replica).toEqual({ condition: 'replica', lagMs: s.lagMs, behindBytes: s.behindBytes, maxLagMs: 60_000 });

    // A bound of 1 s (REPLICA_MAX_LAG_MS=1000): the primary answers, with R-4, and the page says why.
    const strict = await ReplicaReads.open(db.pool, standby.url('dunghan'), { maxLagMs: 1000 });
    const patient = ctx.replica!;
    ctx.replica = strict;
    try {
      expect(strict.current().condition).toBe('lagging');
      expect(await rates()).toEqual({ status: 200, from: 'primary', received: 4 });
      const fallback = await request(app).get('/dashboard?period=2025-03').set('Cookie', cookie);
      expect(fallback.text).toMatch(/Máy chủ bản sao chậm [\d,]+ giây, quá giới hạn 1 giây: số liệu đọc từ máy chủ chính\./);
    } finally {
      ctx.replica = patient;
      await strict.close();
    }
    await sql(standby.url('dunghan'), 'SELECT pg_wal_replay_resume()');
    await caughtUp(ctx.replica!);
    expect(await rates()).toEqual({ status: 200, from: 'replica; lag-ms=0', received: 4 });
  });

  test('the replica stopped: reads fall back to the primary at once, and the page says so', async () => {
    standby.stop();
    // Before any check notices: the read the standby cannot answer is asked of the primary.
    const first = await rates();
    expect({ status: first.status, received: first.received }).toEqual({ status: 200, received: 4 });
    expect(ctx.replica!.current().condition).toBe('down');
    expect(await rates()).toEqual({ status: 200, from: 'primary', received: 4 });
    expect((await ctx.replica!.check()).condition).toBe('down');
    const cookie = `dunghan_session=${await signIn(app, key)}`;
    const page = await request(app).get('/dashboard?period=2025-03').set('Cookie', cookie);
    expect(page.text).toContain('Máy chủ bản sao không trả lời: số liệu đọc từ máy chủ chính.');
    // Back: the next check sends reports there again.
    standby.start();
    await caughtUp(ctx.replica!);
    expect(await rates()).toEqual({ status: 200, from: 'replica; lag-ms=0', received: 4 });
  });
});
