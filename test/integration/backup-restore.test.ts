/**
 * Issue 29, item 1: `dunghan backup`, `backup verify` and `restore` through the CLI, on the sample province with a
 * generated month of dossiers. The restored database answers every report and the dossier list byte for byte as
 * the original; a file that is truncated, altered (its hash, or its chain with a recomputed hash), or from a newer
 * version, and a target that is not empty, are refused with exit 2 and nothing is written.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Express } from 'express';
import request from 'supertest';
import { AppContext } from '../../src/app-context.js';
import { connect, type Db } from '../../src/db/database.js';
import { createApp } from '../../src/http/app.js';
import { generateEvents } from '../../src/sample/sample-events.js';
import { createTestApp, createTestDatabase, type TestApp, type TestDatabase } from '../support/test-app.js';

const run = promisify(execFile);
const cli = (args: string[], databaseUrl: string) =>
  run(process.execPath, ['bin/dunghan.js', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );

let t: TestApp;
let target: TestDatabase;
let targetDb: Db;
let restored: { ctx: AppContext; app: Express };
let dir: string;
let file: string;

beforeAll(async () => {
  // Thu 20 Mar 2025 09:00: February has ended, March is running.
  t = await createTestApp();
  const events = generateEvents(t.ctx.catalog, {
    seed: 29,
    dossiers: 400,
    from: Date.parse('2025-02-03T08:00:00+07:00'),
    to: Date.parse('2025-03-19T17:00:00+07:00'),
    until: t.clock.now,
  });
  for (let i = 0; i < events.length; i += 1000) await t.ctx.ingest(events.slice(i, i + 1000));
  // A read of personal data, recorded in the read log (which a backup keeps).
  expect((await request(t.app).get(`/api/v1/dossiers/${events[0]!.dossierCode}`).set('Authorization', `Bearer ${t.keys.admin}`)).status).toBe(200);
  // A staff account with its password hash (issue 29 item 1: accounts are kept).
  await t.ctx.db.pool.query(
    `INSERT INTO people (id, name, email, roles, agency_codes, password_hash) VALUES (gen_random_uuid(), 'Lò Thị Lan', 'lan.lt@sonla.gov.vn', '{counter}', '{SLA.TPSL}', 'scrypt$test')`,
  );
  await t.ctx.close(); // everything sealed into the chain
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dunghan-backup-'));
  file = path.join(dir, 'son-la.dunghan.gz');
  target = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await restored?.ctx.close();
  await targetDb?.close();
  await target.drop();
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Where two texts first differ, with some context either side: a readable failure instead of two whole bodies. */
function firstDifference(a: string, b: string): string | null {
  if (a === b) return null;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: …${a.slice(Math.max(0, i - 150), i + 80)}… vs …${b.slice(Math.max(0, i - 150), i + 80)}…`;
}

const connectedRows = async (url: string, sql: string) => {
  const db = connect(url, 1);
  try {
    return (await db.pool.query(sql)).rows;
  } finally {
    await db.close();
  }
};

const eventCount = async (url: string) => {
  const db = connect(url, 1);
  try {
    const { rows: has } = await db.pool.query<{ has: boolean }>("SELECT to_regclass('public.dossier_events') IS NOT NULL AS has");
    if (!has[0]!.has) return -1;
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM dossier_events');
    return rows[0]!.n;
  } finally {
    await db.close();
  }
};

describe('backup and restore', () => {
  test('backup, verify offline, restore into an empty database', async () => {
    const backup = await cli(['backup', '--out', file, '--json'], t.url);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    const made = JSON.parse(backup.stdout);
    const { rows: head } = await t.ctx.db.pool.query<{ pos: number; hash: string }>('SELECT pos, hash FROM event_chain_head');
    const { rows: count } = await t.ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM dossier_events');
    expect(made.manifest.chainHead).toEqual({ pos: head[0]!.pos, hash: head[0]!.hash });
    expect(made.manifest.events).toBe(count[0]!.n);
    expect(made.manifest.chainHead.pos).toBe(count[0]!.n);

    const verified = await cli(['backup', 'verify', file], t.url);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`chain recomputed to position ${head[0]!.pos}, ${head[0]!.hash}`);

    const restore = await cli(['restore', file], target.url);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain(`${count[0]!.n} events`);

    targetDb = connect(target.url, 5);
    const ctx = await AppContext.load(targetDb, { now: () => t.clock.now, publicUrl: 'http://dunghan.test' });
    restored = { ctx, app: createApp(ctx) };
    const { rows: read } = await targetDb.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM personal_data_reads');
    expect(read[0]!.n).toBe(1);
    const accounts = 'SELECT id, name, email, roles, agency_codes, password_hash, deactivated_at FROM people ORDER BY id';
    expect((await targetDb.pool.query(accounts)).rows).toEqual(await connectedRows(t.url, accounts));
    expect((await targetDb.pool.query(accounts)).rows).toHaveLength(1);
  }, 120_000);

  test('every report of every period, byte for byte', async () => {
    const get = (app: Express, url: string) => request(app).get(url).set('Authorization', `Bearer ${t.keys.admin}`);
    let compared = 0;
    for (const period of ['2025', '2025-H1', '2025-Q1', '2025-01', '2025-02', '2025-03']) {
      for (const groupBy of ['agency', 'procedure', 'field', 'channel', 'month']) {
        for (const convention of ['calendar', 'report']) {
          for (const suffix of ['', '.csv']) {
            const url = `/api/v1/reports/rates${suffix}?period=${period}&groupBy=${groupBy}&convention=${convention}`;
            const [a, b] = [await get(t.app, url), await get(restored.app, url)];
            expect(a.status).toBe(200);
            expect({ url, difference: firstDifference(a.text, b.text) }).toEqual({ url, difference: null });
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(6 * 5 * 2 * 2);
  });

  test('the dossier list, byte for byte, page by page', async () => {
    const pages = async (app: Express) => {
      const out: string[] = [];
      let cursor: string | undefined;
      do {
        const r = await request(app)
          .get(`/api/v1/dossiers?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
          .set('Authorization', `Bearer ${t.keys.admin}`);
        expect(r.status).toBe(200);
        out.push(r.text);
        cursor = r.body.nextCursor ?? undefined;
      } while (cursor && out.length < 100);
      return out;
    };
    const [a, b] = [await pages(t.app), await pages(restored.app)];
    expect(a.length).toBeGreaterThanOrEqual(4); // 400 dossiers, 100 a page
    expect(b.length).toBe(a.length);
    a.forEach((page, i) => expect({ page: i, difference: firstDifference(page, b[i]!) }).toEqual({ page: i, difference: null }));
  });

  describe('refused with exit 2, nothing written', () => {
    const variant = (name: string, bytes: Buffer) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, bytes);
      return p;
    };
    const text = () => gunzipSync(fs.readFileSync(file)).toString('utf8');
    /** The file with its end line's hash recomputed, as someone altering it with care would. */
    const rehashed = (body: string) => {
      const cut = body.lastIndexOf('#end ');
      const content = body.slice(0, cut);
      return gzipSync(Buffer.from(`${content}#end ${JSON.stringify({ sha256: createHash('sha256').update(content).digest('hex') })}\n`));
    };

    test.each([
      ['truncated', () => variant('cut.gz', fs.readFileSync(file).subarray(0, Math.floor(fs.statSync(file).size / 2))), /truncated/],
      // A row outside the chain (the read log's): only the file's hash tells.
      [
        'a row altered',
        () => variant('altered.gz', gzipSync(Buffer.from(text().replace('api:dossier', 'api:dossiX')))),
        /SHA-256 does not match its end line: it was altered/,
      ],
      [
        'an event altered, hash recomputed',
        () => variant('rehashed.gz', rehashed(text().replace(/"name": "([^"]+)"/, '"name": "X$1"'))),
        /the chain breaks at position \d+/,
      ],
      ['from a newer version', () => variant('newer.gz', rehashed(text().replace(/"schema":"[^"]+"/, '"schema":"999_future.sql"'))), /made by a newer dunghan/],
    ])('%s', async (_what, make, reason) => {
      const bad = make();
      const verified = await cli(['backup', 'verify', bad], t.url);
      expect(verified.code).toBe(2);
      expect(verified.stderr).toMatch(reason);
      const empty = await createTestDatabase();
      try {
        const r = await cli(['restore', bad], empty.url);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(reason);
        // Not even migrated: the file was refused before the database was opened.
        expect(await eventCount(empty.url)).toBe(-1);
      } finally {
        await empty.drop();
      }
    });

    test('onto a database that is not empty', async () => {
      const before = await eventCount(target.url);
      const r = await cli(['restore', file], target.url);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/the target database is not empty/);
      expect(await eventCount(target.url)).toBe(before);
    });
  });
});
