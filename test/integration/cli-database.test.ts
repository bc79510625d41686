/**
 * Issue 29, item 5: a command that reads, run without the service's DATA_DIR or DATABASE_URL, used to create a new
 * empty database and answer an all-zero report with exit 0. Now it refuses (exit 2) naming where it looked, and
 * creates nothing; `dunghan status` says which database, which versions, how many events, the chain's head.
 */
import { STATE_VERSION } from '../../src/dossiers/state.js';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import request from 'supertest';
import { createTestApp, createTestDatabase, type TestApp, type TestDatabase } from '../support/test-app.js';

const run = promisify(execFile);
const cli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['bin/dunghan.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );

let t: TestApp;
let empty: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestApp();
  empty = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dunghan-cli-db-'));
});
afterAll(async () => {
  await t.close();
  await empty.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('without DATABASE_URL and with a DATA_DIR holding no database: exit 2 naming it, nothing created', async () => {
  const dataDir = path.join(dir, 'not-the-service');
  for (const args of [['report', '--period', '2025-Q1'], ['status'], ['audit', 'verify'], ['keys', 'list']]) {
    const r = await cli(args, { DATABASE_URL: '', DATA_DIR: dataDir });
    expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
    expect(r.stderr).toContain(`DATA_DIR=${dataDir} has no embedded PostgreSQL (nothing was created)`);
  }
  expect(fs.existsSync(dataDir)).toBe(false);
});

test('a DATABASE_URL with no province: exit 2 naming it (password hidden), the database left as it was', async () => {
  const password = decodeURIComponent(new URL(empty.url).password);
  const r = await cli(['report', '--period', '2025-Q1', '--format', 'json'], { DATABASE_URL: empty.url });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/the database at DATABASE_URL=postgres:\/\/.*\/t_[0-9a-f]+ holds no dunghan province/);
  if (password) expect(r.stderr).not.toContain(password);
  // Not migrated: no table was created in it.
  const client = new pg.Client({ connectionString: empty.url });
  await client.connect();
  const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
  await client.end();
  expect(rows[0].n).toBe(0);
});

test('status: the database, the versions, the events and the chain head', async () => {
  const posted = await request(t.app)
    .post('/api/v1/events')
    .set('Authorization', `Bearer ${t.keys.counter}`)
    .send({
      eventId: crypto.randomUUID(),
      type: 'received',
      dossierCode: 'STATUS-1',
      occurredAt: '2025-03-18T09:00:00+07:00',
      procedureCode: '1.001193',
      receivingAgencyCode: 'SLA.TPSL',
      channel: 'direct',
      applicant: { name: 'Lò Văn A' },
      feeRequired: false,
      digitized: false,
    });
  expect(posted.status).toBe(201);
  await t.ctx.close(); // seals the event into the chain, as the service does on its way out
  const r = await cli(['status'], { DATABASE_URL: t.url });
  expect(r.code).toBe(0);
  const { rows } = await t.ctx.db.pool.query<{ pos: number; hash: string }>('SELECT pos, hash FROM event_chain_head');
  const shown = new URL(t.url);
  if (shown.password) shown.password = '***';
  expect(r.stdout).toContain(`Database:    ${shown.toString()}`);
  // The newest migration applied: the last file of src/db/migrations, whatever it is by now.
  const newest = (await import('node:fs'))
    .readdirSync('src/db/migrations')
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .at(-1)!;
  expect(r.stdout).toMatch(
    new RegExp(`Versions: {4}dunghan 0\\.1\\.0, PostgreSQL \\d+\\.\\d+.*, schema ${newest.replace('.', '\\.')}, dossier state ${STATE_VERSION}`),
  );
  expect(r.stdout).toContain('Events:      1 (1 dossiers)');
  expect(r.stdout).toContain(`Chain head:  position 1, ${rows[0]!.hash}`);
  expect(r.stdout).toContain('Last backup: none recorded');
});
