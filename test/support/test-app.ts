/**
 * A fresh database on the test server with the schema, the sample province's
 * catalogue and one key per role; and the Express app over it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Express } from 'express';
import { AppContext } from '../../src/app-context.js';
import { connect, inTransaction } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { createApp } from '../../src/http/app.js';
import { sampleProvince } from '../../src/sample/province.js';
import { createApiKey, type Role } from '../../src/store/api-keys.js';
import { saveCatalog } from '../../src/store/catalog-store.js';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.DUNGHAN_TEST_ADMIN_URL;
  if (!adminUrl) throw new Error('DUNGHAN_TEST_ADMIN_URL is not set: run the tests through jest (global setup)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestApp {
  ctx: AppContext;
  app: Express;
  url: string;
  keys: Record<Role, string> & { outsider: string };
  /** Lets a test move the clock. */
  clock: { now: number };
  close(): Promise<void>;
}

/**
 * `empty`: no catalogue and no keys, as a province that has not run `dunghan init` yet. `clockToleranceMs`: how far
 * ahead of the test's clock an event may be dated. Unset: no limit, because most suites freeze their clock and post
 * the events of the days that follow it to watch a dossier age; the tests of that rule (corrections.test.ts) set it.
 */
export async function createTestApp(options: { now?: number; empty?: boolean; publicUrl?: string; clockToleranceMs?: number } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const db = connect(database.url, 10);
  await migrate(db.pool);
  const { agencies, procedures } = options.empty ? { agencies: [], procedures: [] } : sampleProvince();
  await inTransaction(db.pool, (c) => saveCatalog(c, agencies, procedures));
  const clock = { now: options.now ?? Date.parse('2025-03-20T09:00:00+07:00') };
  const ctx = await AppContext.load(db, {
    now: () => clock.now,
    publicUrl: options.publicUrl ?? 'http://dunghan.test',
    clockToleranceMs: options.clockToleranceMs ?? Infinity,
  });
  const key = async (role: Role, agency: string) => (await createApiKey(db.pool, { role, agencyCodes: [agency], label: `test ${role}` })).key;
  const seeded = async () => ({
    counter: await key('counter', 'SLA.TPSL'),
    supervisor: await key('supervisor', 'SLA.TPSL'),
    auditor: await key('auditor', 'SLA'),
    admin: await key('admin', 'SLA'),
    outsider: (await createApiKey(db.pool, { role: 'counter', agencyCodes: ['SLA.MCH'], label: 'test outsider' })).key,
  });
  const keys = options.empty ? ({} as TestApp['keys']) : await seeded();
  return {
    ctx,
    app: createApp(ctx),
    url: database.url,
    keys,
    clock,
    close: async () => {
      await db.close();
      await database.drop();
    },
  };
}

/**
 * A form posted without a session carries a double-submit token (src/http/csrf.ts): the same random value in the
 * cookie and the form's `_csrf` field. `secure`: the cookie's name over https.
 */
export function anonymousCsrf(secure = false): { cookie: string; field: { _csrf: string } } {
  const token = randomBytes(32).toString('base64url');
  return { cookie: `${secure ? '__Host-' : ''}dunghan_csrf=${token}`, field: { _csrf: token } };
}

/** Signs in through the login form as a person would (a key, or an e-mail and password); returns the session cookie's value. */
export async function signIn(app: Express, key: string | { email: string; password: string }): Promise<string> {
  const { default: request } = await import('supertest');
  const csrf = anonymousCsrf();
  const credentials = typeof key === 'string' ? { key } : key;
  const res = await request(app)
    .post('/login')
    .set('Cookie', csrf.cookie)
    .type('form')
    .send({ ...credentials, next: '/', ...csrf.field });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const pair = setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('dunghan_session='));
  if (!pair) throw new Error('no session cookie');
  return pair.slice('dunghan_session='.length);
}
