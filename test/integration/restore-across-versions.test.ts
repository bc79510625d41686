/**
 * Issue 29, item 1: a backup is also the way across versions (and across an embedded PostgreSQL major version:
 * back up, move DATA_DIR aside, start the new version, restore). The file in test/fixtures/backups was written by
 * dunghan 0.1.0 at schema 070 (December 2026) from the sample province and 80 generated dossiers; every later
 * version must restore it. What the restore must reproduce: the log as it was (the chain verifies, every event is
 * there) and what this version computes from that log — every report and the dossier list equal those of a
 * database into which the same events were ingested by this version.
 *
 * To add a fixture for a new release (never replace an old one): DUNGHAN_WRITE_BACKUP_FIXTURE=NAME npm run jest --
 * test/integration/restore-across-versions.test.ts writes test/fixtures/backups/NAME.dunghan.gz.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Express } from 'express';
import request from 'supertest';
import { AppContext } from '../../src/app-context.js';
import { connect, type Db } from '../../src/db/database.js';
import { dossierEventSchema, type DossierEvent } from '../../src/dossiers/events.js';
import { createApp } from '../../src/http/app.js';
import { createApiKey } from '../../src/store/api-keys.js';
import { generateEvents } from '../../src/sample/sample-events.js';
import { createTestApp, createTestDatabase, type TestApp, type TestDatabase } from '../support/test-app.js';

const run = promisify(execFile);
const cli = (args: string[], databaseUrl: string) =>
  run(process.execPath, ['bin/dunghan.js', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );

/** When an event was recorded is the one thing a fresh ingest cannot reproduce: the file keeps the original instant. */
const withoutRecording = (body: unknown): unknown =>
  JSON.parse(JSON.stringify(body), (key, value: unknown) => (key === 'recordedAt' || key === 'recordedBy' ? undefined : value));

const FIXTURES = fileURLToPath(new URL('../fixtures/backups', import.meta.url));
const NOW = Date.parse('2025-03-20T09:00:00+07:00');
const writing = process.env.DUNGHAN_WRITE_BACKUP_FIXTURE;
const fixtures = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.dunghan.gz')) : [];

if (writing) {
  test(`writes the fixture ${writing}`, async () => {
    const t = await createTestApp({ now: NOW });
    try {
      const events = generateEvents(t.ctx.catalog, {
        seed: 118,
        dossiers: 80,
        from: Date.parse('2025-01-02T08:00:00+07:00'),
        to: Date.parse('2025-03-19T17:00:00+07:00'),
        until: NOW,
      });
      await t.ctx.ingest(events);
      await t.ctx.close();
      fs.mkdirSync(FIXTURES, { recursive: true });
      const r = await cli(['backup', '--out', path.join(FIXTURES, `${writing}.dunghan.gz`)], t.url);
      expect(r).toMatchObject({ code: 0, stderr: '' });
    } finally {
      await t.close();
    }
  }, 120_000);
} else {
  test('there is at least the 0.1.0 fixture', () => expect(fixtures).toContain('0.1.0-schema-070.dunghan.gz'));

  describe.each(fixtures)('restoring %s', (name) => {
    let target: TestDatabase;
    let targetDb: Db;
    let restored: { ctx: AppContext; app: Express };
    let fresh: TestApp;
    let restoredAdmin = '';

    beforeAll(async () => {
      target = await createTestDatabase();
      fresh = await createTestApp({ now: NOW });
    }, 60_000);
    afterAll(async () => {
      await restored?.ctx.close();
      await targetDb?.close();
      await target.drop();
      await fresh.close();
    });

    test('verifies offline and restores onto an empty database', async () => {
      const file = path.join(FIXTURES, name);
      const verified = await cli(['backup', 'verify', file], target.url);
      expect(verified.stderr).toBe('');
      expect(verified.code).toBe(0);
      const r = await cli(['restore', file], target.url);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/restored/i);
      targetDb = connect(target.url, 5);
      const ctx = await AppContext.load(targetDb, { now: () => NOW, publicUrl: 'http://dunghan.test' });
      restored = { ctx, app: createApp(ctx) };
      // The restored database has the file's keys (hashed), not this run's: a key of its own to read it.
      restoredAdmin = (await createApiKey(targetDb.pool, { role: 'admin', agencyCodes: ['SLA'], label: 'restore test' })).key;
      // The chain, recomputed by this version over the restored log, ends where the file's manifest says.
      const audit = await cli(['audit', 'verify'], target.url);
      expect(audit.stderr).toBe('');
      expect(audit.code).toBe(0);
    }, 120_000);

    test('every report and the dossier list equal a fresh ingest of the same log by this version', async () => {
      // The log as the file holds it, in the order it was recorded, ingested anew by this version.
      const { rows } = await targetDb.pool.query<{ body: unknown }>('SELECT body FROM dossier_events ORDER BY seq');
      expect(rows.length).toBeGreaterThan(200);
      const events: DossierEvent[] = rows.map((r) => dossierEventSchema.parse(r.body));
      await fresh.ctx.ingest(events);

      const get = (app: Express, url: string) => request(app).get(url).set('Authorization', `Bearer ${fresh.keys.admin}`);
      const urls = ['2025', '2025-Q1', '2025-01', '2025-02'].flatMap((period) =>
        ['agency', 'procedure', 'field', 'channel'].map((groupBy) => `/api/v1/reports/rates?period=${period}&groupBy=${groupBy}`),
      );
      const { rows: codes } = await targetDb.pool.query<{ code: string }>('SELECT code FROM dossiers ORDER BY code');
      expect(codes).toHaveLength(80);
      urls.push(...codes.map((c) => `/api/v1/dossiers/${c.code}`));
      for (const url of urls) {
        const [a, b] = [await get(fresh.app, url), await request(restored.app).get(url).set('Authorization', `Bearer ${restoredAdmin}`)];
        expect({ url, status: a.status }).toEqual({ url, status: 200 });
        expect({ url, body: withoutRecording(b.body) }).toEqual({ url, body: withoutRecording(a.body) });
      }
    }, 180_000);
  });
}
