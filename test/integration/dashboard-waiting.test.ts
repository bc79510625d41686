/**
 * The dashboard's list of dossiers waiting for the citizen longer than 14 days (a display threshold, not a legal
 * limit): read by when each wait began, a column of its own since migration 018. Worked by hand at Thu 20 Nov 2025
 * 10:00 (threshold: waiting since before Thu 6 Nov 10:00). Since Decree 118/2025 Art. 19(5), a dossier not completed 15
 * days after the notice is due to be closed: it moves to that queue and is not listed twice.
 */
import request from 'supertest';
import { ev } from '../support/events.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const AGENCY = { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' };
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2025-11-20T10:00:00+07:00') });
  const post = async (e: object) =>
    expect((await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(e)).status).toBe(201);
  const asked = (code: string, at: string) => ev.of('supplement_requested', code, at, { reason: 'Thiếu bản sao giấy tờ' });
  // Waiting since Thu 6 Nov 08:00: 14 days and 2 hours; due to be closed from Fri 21 Nov (6 + 15).
  await post(ev.received('WAIT-LONG', '2025-11-05T08:00:00+07:00', AGENCY));
  await post(asked('WAIT-LONG', '2025-11-06T08:00:00+07:00'));
  // Waiting since Tue 28 Oct 09:00: 23 days; due to be closed since Wed 12 Nov (28 Oct + 15).
  await post(ev.received('WAIT-CLOSE', '2025-10-27T08:00:00+07:00', AGENCY));
  await post(asked('WAIT-CLOSE', '2025-10-28T09:00:00+07:00'));
  // Waiting since Tue 18 Nov 09:00: 2 days.
  await post(ev.received('WAIT-SHORT', '2025-11-17T08:00:00+07:00', AGENCY));
  await post(asked('WAIT-SHORT', '2025-11-18T09:00:00+07:00'));
  // Asked on 28 Oct too, but the citizen answered on 30 Oct: not waiting.
  await post(ev.received('WAIT-DONE', '2025-10-27T08:00:00+07:00', AGENCY));
  await post(asked('WAIT-DONE', '2025-10-28T09:00:00+07:00'));
  await post(ev.of('supplement_received', 'WAIT-DONE', '2025-10-30T09:00:00+07:00'));
});
afterAll(async () => t.close());

test('lists only the dossier waiting more than 14 days, saying since when', async () => {
  const res = await request(t.app).get('/dashboard').set('Authorization', `Bearer ${t.keys.admin}`);
  expect(res.status).toBe(200);
  expect(res.text).toMatch(/Chờ công dân bổ sung quá 14 ngày \(<span data-count="waiting">1<\/span>\)/);
  const table = res.text.slice(res.text.indexOf('id="waiting"'), res.text.indexOf('</table>', res.text.indexOf('id="waiting"')));
  expect(table).toContain('WAIT-LONG');
  expect(table).toMatch(/chờ bổ sung từ [^<]*06\/11\/2025/);
  expect(table).not.toContain('WAIT-SHORT');
  expect(table).not.toContain('WAIT-DONE');
  expect(table).not.toContain('WAIT-CLOSE');
  const closure = res.text.slice(res.text.indexOf('id="closure-due"'), res.text.indexOf('</table>', res.text.indexOf('id="closure-due"')));
  expect(closure).toContain('WAIT-CLOSE');
  expect(closure).not.toContain('WAIT-LONG');
});
