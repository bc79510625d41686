import request from 'supertest';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';
import { createPerson, deactivatePerson } from '../../src/store/people.js';

// Office hours 08:00–12:00, 13:00–17:00, Asia/Ho_Chi_Minh; Tue 24 Nov 2026 is a day off (Culture Day, DOMAIN §2).
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2026-11-26T09:00:00+07:00') });
});
afterAll(async () => t.close());

const post = (body: unknown) =>
  request(t.app)
    .post('/api/v1/events')
    .set('Authorization', `Bearer ${t.keys.admin}`)
    .send(body as object);
const get = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${t.keys.auditor}`);
const eventCount = async (code: string) =>
  Number((await t.ctx.db.pool.query('SELECT count(*) AS n FROM dossier_events WHERE dossier_code = $1', [code])).rows[0].n);

// Tô Hiệu ward (from 1 Jul 2025): its one-stop centre receives, the ward's office handles.
const rec = (code: string, at: string) => ev.received(code, at, { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' });
const holder = { name: 'Lò Thị Mai', email: 'mai.lt@sonla.gov.vn' };

test('a hand-over to a person: the step due across a weekend and a day off, the holder, the overrun now; on the page too', async () => {
  // Received Fri 20 Nov 2026 14:00 (Đăng ký tạm trú, 3 working days): Fri 3 h, Mon 8 h, Tue 24 off, Wed 8 h, Thu 5 h → Thu 26 Nov 14:00.
  expect((await post(rec('ST-1', '2026-11-20T14:00:00+07:00'))).status).toBe(201);
  // Handed to the specialist Fri 15:00 with 2 working days (16 h): Fri 15–17 (2 h), Mon (8 h), Tue off, Wed 08–12, 13–15 → Wed 25 Nov 15:00.
  const assigned = ev.of('assigned', 'ST-1', '2026-11-20T15:00:00+07:00', {
    agencyCode: 'SLA.P.TOHIEU',
    step: 'Thẩm định',
    budget: { value: 2, unit: 'working-days' },
    holder,
  });
  expect((await post(assigned)).status).toBe(201);

  const d = (await get('/api/v1/dossiers/ST-1')).body;
  expect(d.dueAt).toBe('2026-11-26T14:00:00+07:00');
  // Now Thu 26 Nov 09:00: Wed 15–17 (2 h) + Thu 08–09 (1 h) past the step's due instant.
  expect(d.steps).toEqual([
    {
      agencyCode: 'SLA.P.TOHIEU',
      step: 'Thẩm định',
      holder,
      budget: { value: 2, unit: 'working-days' },
      startedAt: '2026-11-20T15:00:00+07:00',
      dueAt: '2026-11-25T15:00:00+07:00',
      endedAt: null,
      outcome: null,
      waitingForCitizen: false,
      overrun: true,
      overrunWorkingMinutes: 180,
    },
  ]);
  expect(d.holder).toEqual({ agencyCode: 'SLA.P.TOHIEU', step: 'Thẩm định', person: holder, since: '2026-11-20T15:00:00+07:00' });
  // Held Fri 15:00 → Thu 09:00: 2 + 8 + 0 + 8 + 1 = 19 working hours.
  expect(d.holders).toEqual([
    { agencyCode: 'SLA.P.TOHIEU', step: 'Thẩm định', person: holder, from: '2026-11-20T15:00:00+07:00', to: null, heldWorkingMinutes: 1140 },
  ]);
  // The dossier itself is due at 14:00: not late yet.
  expect(d.lateBecause).toEqual([]);

  const cookie = `dunghan_session=${await signIn(t.app, t.keys.admin)}`;
  const page = (await request(t.app).get('/dossiers/ST-1').set('Cookie', cookie)).text;
  expect(page).toContain('Đang giữ hồ sơ: <b>Lò Thị Mai &lt;mai.lt@sonla.gov.vn&gt;, ');
  const row = /<table class="list" id="steps">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(page)![1]!;
  expect(row).toContain('<tr class="late"><td>Thẩm định</td>');
  // Budget, due instant, still open, held 19 working hours (2 days 3 hours), over by 3 working hours so far.
  expect(row).toContain(
    '<td>02 ngày làm việc</td><td>15:00 Thứ Tư, 25/11/2026</td><td>Đang xử lý</td><td>2 ngày 3 giờ làm việc</td><td>Quá hạn 3 giờ làm việc</td>',
  );
});

test('bad holders and budgets: 400 for the shape, 422 for an unknown person, naming the field; nothing written', async () => {
  expect((await post(rec('ST-2', '2026-11-23T08:30:00+07:00'))).status).toBe(201);
  const before = await eventCount('ST-2');
  const badUnit = await post(
    ev.of('assigned', 'ST-2', '2026-11-23T09:00:00+07:00', { agencyCode: 'SLA.P.TOHIEU', step: 'Thẩm định', budget: { value: 2, unit: 'fortnights' } }),
  );
  expect(badUnit.status).toBe(400);
  expect(badUnit.body.errors.map((e: { path: string }) => e.path)).toEqual(['budget.unit']);
  const badEmail = await post(
    ev.of('assigned', 'ST-2', '2026-11-23T09:00:00+07:00', { agencyCode: 'SLA.P.TOHIEU', step: 'Thẩm định', holder: { name: 'Mai', email: 'not-an-address' } }),
  );
  expect(badEmail.status).toBe(400);
  expect(badEmail.body.errors.map((e: { path: string }) => e.path)).toEqual(['holder.email']);
  const noName = await post(
    ev.of('assigned', 'ST-2', '2026-11-23T09:00:00+07:00', { agencyCode: 'SLA.P.TOHIEU', step: 'Thẩm định', holder: { email: 'mai@sonla.gov.vn' } }),
  );
  expect(noName.status).toBe(400);
  expect(noName.body.errors.map((e: { path: string }) => e.path)).toEqual(['holder.name']);
  // An id that is no account's names nobody known.
  const unknown = await post([
    ev.of('assigned', 'ST-2', '2026-11-23T09:00:00+07:00', { agencyCode: 'SLA.P.TOHIEU', step: 'Thẩm định', holder: { name: 'Mai', personId: 'p-404' } }),
  ]);
  expect(unknown.status).toBe(422);
  expect(unknown.body.errors).toMatchObject([{ path: '[0].holder.personId', message: 'unknown person p-404' }]);
  expect(await eventCount('ST-2')).toBe(before);
  expect((await get('/api/v1/dossiers/ST-2')).body.steps).toEqual([]);
});

test("a hand-over's named person is checked against the accounts: active, and of the agency the step goes to (else 422 at holder.personId)", async () => {
  expect((await post(rec('ST-P', '2026-11-23T08:00:00+07:00'))).status).toBe(201);
  const pool = t.ctx.db.pool;
  const mai = await createPerson(pool, { name: 'Lò Thị Mai', email: 'mai.p@sonla.gov.vn', roles: ['counter'], agencyCodes: ['SLA.P.TOHIEU'] }, null);
  const other = await createPerson(pool, { name: 'Cầm Văn Xuân', email: 'xuan.p@sonla.gov.vn', roles: ['counter'], agencyCodes: ['SLA.TPSL'] }, null);
  const gone = await createPerson(pool, { name: 'Quàng Văn Đô', email: 'do.p@sonla.gov.vn', roles: ['counter'], agencyCodes: ['SLA.P.TOHIEU'] }, null);
  await deactivatePerson(pool, gone.id);
  const handOver = (person: { id: string; name: string }) =>
    ev.of('assigned', 'ST-P', '2026-11-23T09:00:00+07:00', {
      agencyCode: 'SLA.P.TOHIEU',
      step: 'Thẩm định',
      holder: { name: person.name, personId: person.id },
    });
  const before = await eventCount('ST-P');
  // Xuân belongs to the city (SLA.TPSL), not to the ward the step goes to; Đô's account is deactivated.
  const outside = await post([handOver(other)]);
  expect([outside.status, outside.body.errors]).toMatchObject([
    422,
    [{ path: '[0].holder.personId', message: `person ${other.id} does not belong to agency SLA.P.TOHIEU` }],
  ]);
  const deactivated = await post([handOver(gone)]);
  expect([deactivated.status, deactivated.body.errors]).toMatchObject([422, [{ path: '[0].holder.personId', message: `unknown person ${gone.id}` }]]);
  expect(await eventCount('ST-P')).toBe(before);
  // Mai is of the ward, and active; her id in capitals is hers too (a UUID's case means nothing).
  expect((await post([{ ...handOver(mai), holder: { name: mai.name, personId: mai.id.toUpperCase() } }])).status).toBe(201);
  expect((await get('/api/v1/dossiers/ST-P')).body.holder).toMatchObject({ agencyCode: 'SLA.P.TOHIEU', person: { name: 'Lò Thị Mai' } });
});
