/**
 * Rules pinned at receipt, against the real database: a catalogue edit after
 * receipt re-times neither the next event nor a full rebuild; a state stored
 * under an older version is replayed at start.
 */
import request from 'supertest';
import { AppContext } from '../../src/app-context.js';
import { inTransaction } from '../../src/db/database.js';
import { rebuildDossiers } from '../../src/store/rebuild.js';
import { saveCatalog } from '../../src/store/catalog-store.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const post = (body: unknown) =>
  request(t.app)
    .post('/api/v1/events')
    .set('Authorization', `Bearer ${t.keys.counter}`)
    .send(body as object);
const get = async (code: string) => (await request(t.app).get(`/api/v1/dossiers/${code}`).set('Authorization', `Bearer ${t.keys.counter}`)).body;

test('a catalogue edit after receipt re-times neither later events nor a rebuild', async () => {
  // Đăng ký tạm trú, 3 working days. Received Mon 17 Mar 2025 10:00; asked to supplement Tue 18 Mar 10:00,
  // completed Wed 19 Mar 15:00: the 3 days run again from then (Decree 61/2018 Art. 19(4)) → Mon 24 Mar 15:00.
  expect((await post(ev.received('PIN-1', '2025-03-17T10:00:00+07:00'))).status).toBe(201);
  expect((await get('PIN-1')).regime).toBe('ND61/2018');

  // The province changes the procedure to 10 working days.
  const procedure = t.ctx.catalog.procedure('1.004194')!;
  await inTransaction(t.ctx.db.pool, (c) => saveCatalog(c, [], [{ ...procedure, duration: { value: 10, unit: 'working-days' } }]));
  await t.ctx.reloadCatalog();

  expect((await post(ev.of('supplement_requested', 'PIN-1', '2025-03-18T10:00:00+07:00', { reason: 'thiếu giấy tờ' }))).status).toBe(201);
  expect((await post(ev.of('supplement_received', 'PIN-1', '2025-03-19T15:00:00+07:00'))).status).toBe(201);
  const before = await get('PIN-1');
  expect(before).toMatchObject({ dueAt: '2025-03-24T15:00:00+07:00', legalTime: { value: 3, unit: 'working-days' } });
  // The 766 judgment: the first appointment (Thu 20 Mar 10:00) plus the 12 working hours waited → Fri 21 Mar 15:00.
  expect(before.rate).toMatchObject({ dueAt: '2025-03-21T15:00:00+07:00', differsFromLegal: true });

  await rebuildDossiers(t.ctx.db.pool, t.ctx.foldContext());
  const after = await get('PIN-1');
  expect({ dueAt: after.dueAt, rate: after.rate, legalTime: after.legalTime }).toEqual({ dueAt: before.dueAt, rate: before.rate, legalTime: before.legalTime });

  // A dossier received now is judged by the new time.
  expect((await post(ev.received('PIN-2', '2025-03-17T10:00:00+07:00'))).status).toBe(201);
  expect((await get('PIN-2')).legalTime).toEqual({ value: 10, unit: 'working-days' });
  await inTransaction(t.ctx.db.pool, (c) => saveCatalog(c, [], [procedure]));
  await t.ctx.reloadCatalog();
});

test('a state stored under an older version is replayed when the service starts', async () => {
  expect((await post(ev.received('OLD-1', '2025-03-17T10:00:00+07:00'))).status).toBe(201);
  const fresh = await get('OLD-1');
  // As a release of state version 1 left it (the column is what the start-up check asks, migration 019).
  await t.ctx.db.pool.query(
    `UPDATE dossiers SET state = ((state::jsonb - 'rules' - 'rate') || '{"stateVersion": 1}')::json, state_version = 1 WHERE code = 'OLD-1'`,
  );
  const lines: string[] = [];
  await AppContext.load(t.ctx.db, { log: (l) => lines.push(l) });
  expect(lines.join('\n')).toMatch(/Replayed 1 dossiers/);
  const upgraded = await get('OLD-1');
  expect({ dueAt: upgraded.dueAt, regime: upgraded.regime }).toEqual({ dueAt: fresh.dueAt, regime: fresh.regime });
});
