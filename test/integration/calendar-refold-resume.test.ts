/**
 * Issue 29, item 7: a calendar import interrupted during its re-fold finishes later.
 *
 * `dunghan serve` runs as a child process on the test database (DATABASE_URL). 6,000 generated dossiers received
 * Feb–Mar 2025; an import of 2025 with one more day off (Mon 24 Mar) touches them all. The service is killed
 * (SIGKILL) while the re-fold is part done: the dossiers not yet re-folded are judged under the previous revision,
 * which `status` and the calendar page say. After a restart the re-fold is resumed and finished, and every
 * dossier's stored state equals the one a rebuild from the log gives.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import request from 'supertest';
import { AppContext } from '../../src/app-context.js';
import { connect, inTransaction, type Db } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { createApp } from '../../src/http/app.js';
import { generateEvents } from '../../src/sample/sample-events.js';
import { sampleProvince } from '../../src/sample/province.js';
import { createApiKey } from '../../src/store/api-keys.js';
import { saveCatalog } from '../../src/store/catalog-store.js';
import { loadCalendar } from '../../src/store/calendar-store.js';
import { rebuildDossiers } from '../../src/store/rebuild.js';
import { freePort } from '../support/free-port.js';
import { createTestDatabase, type TestDatabase } from '../support/test-app.js';

const run = promisify(execFile);
let database: TestDatabase;
let db: Db;
let key: string;
let base: string;
const running = new Set<ChildProcess>();
const DOSSIERS = 6000;

beforeAll(async () => {
  database = await createTestDatabase();
  db = connect(database.url);
  await migrate(db.pool);
  const { agencies, procedures } = sampleProvince();
  await inTransaction(db.pool, (c) => saveCatalog(c, agencies, procedures));
  key = (await createApiKey(db.pool, { role: 'admin', agencyCodes: ['SLA'], label: 'refold test' })).key;
  const ctx = await AppContext.load(db);
  const events = generateEvents(ctx.catalog, {
    seed: 7,
    dossiers: DOSSIERS,
    from: Date.parse('2025-02-03T08:00:00+07:00'),
    to: Date.parse('2025-03-19T17:00:00+07:00'),
    until: Date.parse('2025-03-20T09:00:00+07:00'),
  });
  for (let i = 0; i < events.length; i += 2000) await ctx.ingest(events.slice(i, i + 2000));
  await ctx.close();
  base = `http://127.0.0.1:${await freePort()}`;
}, 300_000);
afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await db?.close();
  await database?.drop();
});

interface Service {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const env = () => ({ ...process.env, DATABASE_URL: database.url, PORT: new URL(base).port, HOST: '127.0.0.1', JOBS: 'off', LOG_LEVEL: 'info' });

async function start(extra: Record<string, string> = {}): Promise<Service> {
  const child = spawn(process.execPath, ['bin/dunghan.js', 'serve'], { env: { ...env(), ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (running.delete(child), resolve(code))));
  for (const until = Date.now() + 60_000; !/is listening on[\s\S]*alerts: /.test(out); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`serve did not start:\n${out}`);
  }
  return { child, output: () => out, exited };
}

const progress = async () =>
  (
    await db.pool.query<{ revision: number; done: number; total: number; finished: boolean }>(
      'SELECT revision, done, cardinality(codes) AS total, finished_at IS NOT NULL AS finished FROM calendar_refolds ORDER BY revision',
    )
  ).rows;
const states = async () => (await db.pool.query<{ code: string; state: string }>('SELECT code, state::text AS state FROM dossiers ORDER BY code')).rows;

test('killed mid-re-fold: status and the calendar page say so; a restart finishes it, every dossier equal to a rebuild', async () => {
  const service = await start();
  // 2025 as announced, plus Monday 24 March off: every dossier whose window crosses it moves by a working day.
  const vn2025 = JSON.parse(fs.readFileSync('fixtures/calendar/VN-2025.json', 'utf8')) as { days: unknown[] };
  const file = {
    ...vn2025,
    days: [...vn2025.days, { date: '2025-03-24', kind: 'holiday', name: 'Nghỉ thử nghiệm', source: 'Thông báo thử nghiệm', confirmed: true }],
  };
  const answer = fetch(`${base}/api/v1/calendar/import`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(file),
  }).then(
    (r) => r.status,
    () => 'connection closed',
  );
  // Killed as soon as the first batch of 500 is committed, with the rest to do.
  for (const until = Date.now() + 120_000; ; await new Promise((r) => setTimeout(r, 5))) {
    const p = await progress();
    if (p[0] && p[0].done > 0) break;
    if (Date.now() > until) throw new Error(`no re-fold progress:\n${service.output()}`);
  }
  service.child.kill('SIGKILL');
  await service.exited;
  expect(await answer).toBe('connection closed');
  const [cut] = await progress();
  expect(cut).toMatchObject({ revision: 1, finished: false, total: DOSSIERS });
  expect(cut!.done).toBeLessThan(DOSSIERS);

  // Under the previous revision: the dossiers not yet re-folded keep the calendar version of before.
  const calendar = await loadCalendar(db.pool);
  const { rows: stale } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM dossiers WHERE state->>'calendarVersion' <> $1", [
    calendar.version,
  ]);
  expect(stale[0]!.n).toBe(DOSSIERS - cut!.done);

  // `status` says it, as does the calendar page (read by an app that does not resume it).
  const status = await run(process.execPath, ['bin/dunghan.js', 'status'], { env: env() });
  expect(status.stdout).toMatch(new RegExp(`Calendar: +revision 1's re-fold running since \\S+: ${cut!.done} of ${DOSSIERS} dossiers done`));
  const reader = await AppContext.load(db);
  const page = await request(createApp(reader)).get('/calendar/2025');
  expect(page.text).toMatch(
    new RegExp(
      `Đang tính lại thời hạn theo lịch phiên bản 1 \\(nhập lúc [^)]+\\): đã xong <span data-count="refold-done">${cut!.done}</span>/<span data-count="refold-total">${DOSSIERS}</span> hồ sơ`,
    ),
  );

  // Restarted: the re-fold is resumed in the background and finished.
  const again = await start();
  for (const until = Date.now() + 180_000; !(await progress())[0]!.finished; await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() > until) throw new Error(`the re-fold was not resumed:\n${again.output()}`);
  }
  again.child.kill('SIGTERM');
  expect(await again.exited).toBe(0);
  expect((await progress())[0]).toMatchObject({ done: DOSSIERS, finished: true });
  expect((await reader.resumeCalendarRefolds()) + 0).toBe(0);
  expect((await request(createApp(reader)).get('/calendar/2025')).text).not.toContain('Đang tính lại thời hạn');

  // Every dossier as a rebuild from the log makes it, with the calendar of revision 1.
  const incremental = await states();
  await reader.reloadCalendar();
  await rebuildDossiers(db.pool, reader.foldContext());
  const rebuilt = await states();
  expect(rebuilt.length).toBe(DOSSIERS);
  const differing = rebuilt.filter((r, i) => incremental[i]?.code !== r.code || incremental[i]?.state !== r.state).map((r) => r.code);
  expect(differing).toEqual([]);
  await reader.close();
});
