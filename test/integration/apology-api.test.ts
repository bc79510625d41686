/**
 * An apology's new date is a real appointment (DOMAIN §4): in the future,
 * after the original due instant, on a working day within office hours; whole
 * extra working days count from the later of now and the due instant.
 */
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';

let t: TestApp;
// Now: Fri 21 Mar 2025 16:11. Dossiers received Mon 17 Mar 10:00 with 3 working days are due Thu 20 Mar 10:00.
beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2025-03-21T16:11:00+07:00') });
  for (const code of ['AP-1', 'AP-2', 'AP-3', 'AP-4', 'AP-5', 'AP-6']) {
    expect(
      (await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.counter}`).send(ev.received(code, '2025-03-17T10:00:00+07:00')))
        .status,
    ).toBe(201);
  }
});
afterAll(async () => t.close());

const apologise = (code: string, body: object) =>
  request(t.app)
    .post(`/api/v1/dossiers/${code}/apology`)
    .set('Authorization', `Bearer ${t.keys.supervisor}`)
    .send({ reason: 'Cần xác minh thêm.', ...body });

test.each([
  ['AP-1', '2025-03-23T03:00:00+07:00', /working day/],
  ['AP-2', '2025-03-24T12:30:00+07:00', /office hours/],
  ['AP-3', '2025-03-21T15:00:00+07:00', /future/],
])('%s: a new date %s is refused (422, newDueAt named) and nothing is recorded', async (code, newDueAt, reason) => {
  const res = await apologise(code, { newDueAt });
  expect(res.status).toBe(422);
  expect(res.body.errors).toEqual([{ path: 'newDueAt', message: expect.stringMatching(reason) }]);
  expect(
    (await t.ctx.db.pool.query("SELECT count(*)::int AS n FROM dossier_events WHERE dossier_code = $1 AND type = 'apology_issued'", [code])).rows[0].n,
  ).toBe(0);
});

test('a fraction of a working day is a 400', async () => {
  const res = await apologise('AP-4', { extraWorkingDays: 0.37 });
  expect(res.status).toBe(400);
  expect(res.body.errors[0].path).toBe('extraWorkingDays');
});

test('whole days count from now when the due instant has passed: 16:11 Friday + 1 day → Monday 16:11', async () => {
  // Due Thu 20 Mar 10:00, already past at Fri 21 Mar 16:11: Fri 16:11–17:00 (49 min) + Mon 24 Mar 08:00 → 15:11 (7 h 11 min).
  const res = await apologise('AP-5', { extraWorkingDays: 1 });
  expect(res.status).toBe(201);
  expect(res.body.newDueAt).toBe('2025-03-24T16:11:00+07:00');
});

test('a valid appointment at closing time is kept', async () => {
  const res = await apologise('AP-6', { newDueAt: '2025-03-25T17:00:00+07:00' });
  expect(res.status).toBe(201);
  expect(res.body.newDueAt).toBe('2025-03-25T17:00:00+07:00');
});
