/**
 * Issue 29, item 1: the scheduled backup job (BACKUP_DIR, BACKUP_KEEP). Three runs with BACKUP_KEEP=2 leave the two
 * newest files; the oldest is removed after the third. Every file kept verifies offline (`backup verify`'s check),
 * holds the events of its moment, and the last run is what `status` reads. A run cut short earlier (a `.partial`)
 * is cleared; a file of another name in the directory is left alone. Without BACKUP_DIR the job refuses, naming it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMailer } from '../../src/alerts/mailer.js';
import { verifyBackup } from '../../src/backup/backup-file.js';
import { migrationFiles } from '../../src/db/migrate.js';
import { runJob } from '../../src/jobs/jobs.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { databaseStatus } from '../../src/store/database-status.js';
import request from 'supertest';
import { ev } from '../support/events.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let dir: string;
const mailer = createMailer({ from: 'Đúng hạn <no-reply@dunghan.test>', mailDir: '/nonexistent' });

beforeAll(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dunghan-scheduled-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('three runs keeping two: the oldest removed, each kept file verifies with the events of its run', async () => {
  const backup = { dir, keep: 2, cron: '0 2 * * *' };
  const deps = { ctx: t.ctx, mailer, backup };
  // Left by a run cut short, and a file the operator keeps there.
  fs.writeFileSync(path.join(dir, 'dunghan-2020-01-01T02-00-00-000Z.gz.partial'), 'half');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');

  const runs: Array<{ events: number; removed: number }> = [];
  for (let i = 1; i <= 3; i++) {
    // One more dossier before each run: run i holds i received events.
    const posted = await request(t.app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${t.keys.admin}`)
      .send([ev.received(`SCHED-${i}`, `2025-03-0${i + 2}T08:30:00+07:00`)]);
    expect(posted.status).toBe(201);
    const r = await runJob('backup', deps);
    runs.push({ events: r.events!, removed: r.removed! });
    await new Promise((r) => setTimeout(r, 5)); // names are to the millisecond
  }
  // Run 1 clears the .partial; run 2 keeps both; run 3 removes run 1's file.
  expect(runs).toEqual([
    { events: 1, removed: 1 },
    { events: 2, removed: 0 },
    { events: 3, removed: 1 },
  ]);
  const files = fs.readdirSync(dir).sort();
  expect(files).toHaveLength(3);
  expect(files[2]).toBe('notes.txt');
  const kept = files.slice(0, 2);
  for (const f of kept) expect(f).toMatch(/^dunghan-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.gz$/);
  const known = await migrationFiles();
  const verified = await Promise.all(kept.map((f) => verifyBackup(path.join(dir, f), known)));
  expect(verified.map((v) => v.manifest.events)).toEqual([2, 3]);
  const status = await databaseStatus(t.ctx.db.pool);
  expect(status.lastBackup).toMatchObject({ file: path.join(dir, kept[1]!), events: 3 });
});

test('without BACKUP_DIR the job refuses, naming the variable', async () => {
  await expect(runJob('backup', { ctx: t.ctx, mailer })).rejects.toThrow('the backup job needs BACKUP_DIR');
});

test('the scheduler holds the backup job on BACKUP_SCHEDULE when BACKUP_DIR is set, and drops it when unset', async () => {
  const jobs = async () => (await t.ctx.db.pool.query("SELECT count(*)::int AS n FROM agenda_jobs WHERE name = 'backup'")).rows[0].n;
  const options = { processEvery: '1 hour', lockLifetimeMs: 10_000 };
  const scheduled = await startScheduler({ ctx: t.ctx, mailer, backup: { dir, keep: 2, cron: '0 2 * * *' } }, options);
  await scheduled.stop();
  expect(await jobs()).toBe(1);
  const unscheduled = await startScheduler({ ctx: t.ctx, mailer }, options);
  await unscheduled.stop();
  expect(await jobs()).toBe(0);
});
