/**
 * Issue 29, item 7: a shutdown under load whose database connections the server terminates ("terminating
 * connection due to administrator command", as a PostgreSQL restart or an operator's pg_terminate_backend does)
 * ends with "Stopped." and exit 0: every pg client's `error` event is handled (src/db/database.ts), none crashes
 * the process with an unhandled one. `dunghan serve` runs as a child process on the test database, jobs on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, inTransaction, type Db } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { sampleProvince } from '../../src/sample/province.js';
import { createApiKey } from '../../src/store/api-keys.js';
import { saveCatalog } from '../../src/store/catalog-store.js';
import { ev } from '../support/events.js';
import { freePort } from '../support/free-port.js';
import { createTestDatabase, type TestDatabase } from '../support/test-app.js';

let database: TestDatabase;
let db: Db;
let key: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  db = connect(database.url);
  await migrate(db.pool);
  const { agencies, procedures } = sampleProvince();
  await inTransaction(db.pool, (c) => saveCatalog(c, agencies, procedures));
  key = (await createApiKey(db.pool, { role: 'admin', agencyCodes: ['SLA'], label: 'shutdown test' })).key;
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await db?.close();
  await database?.drop();
});

test('connections terminated under load, then SIGTERM: "Stopped." and exit 0', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['bin/dunghan.js', 'serve'], {
    env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', JOBS: 'on', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
  for (const until = Date.now() + 60_000; !/is listening on[\s\S]*alerts: /.test(out); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`serve did not start:\n${out}`);
  }

  let stop = false;
  let answered = 0;
  // Counters posting events and auditors reading reports, as the service is used.
  const load = Array.from({ length: 6 }, async (_, w) => {
    for (let i = 0; !stop; i++) {
      const req =
        w % 2
          ? fetch(`${base}/api/v1/reports/rates?period=2025-03&groupBy=agency`, { headers: { Authorization: `Bearer ${key}` } })
          : fetch(`${base}/api/v1/events`, {
              method: 'POST',
              headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
              body: JSON.stringify([ev.received(`LOAD-${w}-${i}`, '2025-03-20T08:00:00+07:00')]),
            });
      await req.then(
        async (r) => (await r.arrayBuffer(), answered++),
        () => new Promise((r) => setTimeout(r, 20)),
      );
    }
  });
  const waitFor = async (n: number) => {
    for (const until = Date.now() + 60_000; answered < n; await new Promise((r) => setTimeout(r, 10)))
      if (Date.now() > until || child!.exitCode !== null) throw new Error(`${answered} answers; the service:\n${out}`);
  };
  // "terminating connection due to administrator command" on every connection of the service, three times under load.
  for (let round = 1; round <= 3; round++) {
    await waitFor(answered + 30);
    await db.pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  }
  await waitFor(answered + 30); // it still answers
  child.kill('SIGTERM');
  const code = await exited;
  stop = true;
  await Promise.all(load);
  expect({ code, stopped: /^Stopped\.$/m.test(out), out: code === 0 ? '' : out }).toEqual({ code: 0, stopped: true, out: '' });
  expect(out).toMatch(/a database connection was ended by the server or lost/);
});
