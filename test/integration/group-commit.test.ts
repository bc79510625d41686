/**
 * Group commit: single-event requests arriving together share a transaction, yet each request is answered as
 * if it had run alone — a refused event fails only its own request, every event records its own key, and a
 * resend is a duplicate.
 */
import request from 'supertest';
import { ev } from '../support/events.js';
import { createApiKey } from '../../src/store/api-keys.js';
import { countUnchained } from '../../src/store/audit-store.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2025-11-20T10:00:00+07:00') });
});
afterAll(async () => t.close());

const post = (key: string, body: object) => request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${key}`).send(body);

test('concurrent single events: the good ones commit, the bad one alone is refused, each with its own key', async () => {
  const good = Array.from({ length: 24 }, (_, i) => ev.received(`GC-${i}`, '2025-11-03T09:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }));
  // An event for a dossier nobody received: 422 for its request only.
  const bad = ev.of('result_ready', 'GC-NONE', '2025-11-04T09:00:00+07:00');
  // The supervisor key of another agency: 404-alike refusal for its request only (outside its scope).
  const outside = ev.received('GC-OUT', '2025-11-03T09:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' });
  const tohieu = (await createApiKey(t.ctx.db.pool, { role: 'counter', agencyCodes: ['SLA.P.TOHIEU'], label: 'Tô Hiệu counter' })).key;
  const answers = await Promise.all([...good.map((e, i) => post(i % 2 ? t.keys.admin : tohieu, e)), post(t.keys.admin, bad), post(t.keys.counter, outside)]);
  expect(answers.slice(0, 24).map((a) => a.status)).toEqual(good.map(() => 201));
  expect(answers[24]!.status).toBe(422);
  expect(answers[24]!.body.errors[0].message).toMatch(/unknown dossier/);
  expect(answers[25]!.status).toBe(403);
  const { rows } = await t.ctx.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM dossiers WHERE code LIKE 'GC-%'");
  expect(rows[0]!.n).toBe(24);
  // Each event records the key that posted it.
  const { rows: keys } = await t.ctx.db.pool.query<{ dossier_code: string; key_role: string }>(
    "SELECT dossier_code, key_role FROM dossier_events WHERE dossier_code LIKE 'GC-%' ORDER BY (substr(dossier_code, 4))::int",
  );
  expect(keys.map((k) => k.key_role)).toEqual(good.map((_, i) => (i % 2 ? 'admin' : 'counter')));
  // They did share transactions (rows written by one transaction share its xmin).
  const { rows: tx } = await t.ctx.db.pool.query<{ n: number }>(
    "SELECT count(DISTINCT xmin::text)::int AS n FROM dossier_events WHERE dossier_code LIKE 'GC-%'",
  );
  expect(tx[0]!.n).toBeLessThan(24);
  // Resending all of them at once: duplicates, nothing written twice.
  const again = await Promise.all(good.map((e) => post(t.keys.admin, e)));
  expect(again.map((a) => [a.status, a.body.duplicates])).toEqual(good.map(() => [200, 1]));
  // The chain still verifies: every grouped transaction linked its events.
  expect(await countUnchained(t.ctx.db.pool)).toBe(0);
});
