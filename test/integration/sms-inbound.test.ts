/**
 * Issue 27 item 5: a citizen replies "TC <mã hồ sơ>" to an SMS; the gateway forwards the reply (MO) with the phone it
 * came from, authenticated by the shared secret; the dossier's SMS consent is withdrawn (`via: keyword`) through the
 * one ingestion path, only for the phone the messages go to.
 */
import request from 'supertest';
import { createApp } from '../../src/http/app.js';
import { ev } from '../support/events.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const SECRET = 'gateway-shared-secret-0123456789';
let t: TestApp;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2026-12-01T10:00:00+07:00') });
  app = createApp(t.ctx, { smsInboundSecret: SECRET });
  const received = ev.received('MO-1', '2026-12-01T09:00:00+07:00', {
    receivingAgencyCode: 'SLA.TTPVHCC',
    consent: [
      { channel: 'sms', phone: '0912 345 678' },
      { channel: 'email', address: 'hung@example.vn' },
    ],
  });
  expect((await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(received)).status).toBe(201);
});
afterAll(async () => t.close());

const reply = (body: object, secret: string | null = SECRET) => {
  const r = request(app).post('/api/v1/sms/inbound');
  return (secret === null ? r : r.set('X-Dunghan-Secret', secret)).send(body);
};
const withdrawals = async () =>
  (await t.ctx.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM dossier_events WHERE type = 'consent_withdrawn'")).rows[0]!.n;
const consentOf = async () => (await t.ctx.db.pool.query("SELECT state->'consent' AS c FROM dossiers WHERE code = 'MO-1'")).rows[0].c;

test('without the secret, or with another: 401, nothing recorded; without SMS_INBOUND_SECRET there is no such route', async () => {
  expect((await reply({ phone: '0912345678', text: 'TC MO-1' }, null)).status).toBe(401);
  expect((await reply({ phone: '0912345678', text: 'TC MO-1' }, 'not-the-secret')).status).toBe(401);
  // The default app has none: the request reaches the API's key authentication and is refused there.
  expect((await request(t.app).post('/api/v1/sms/inbound').set('X-Dunghan-Secret', SECRET).send({ phone: '0912345678', text: 'TC MO-1' })).status).toBe(401);
  expect(await withdrawals()).toBe(0);
});

test('a malformed phone is a 400 naming it; other texts, a keyword without a code, another phone: acknowledged, ignored', async () => {
  const bad = await reply({ phone: 'abc', text: 'TC MO-1' });
  expect(bad.status).toBe(400);
  expect(bad.body.errors[0].path).toBe('phone');
  expect((await reply({ phone: '0912345678', text: 'Cảm ơn' })).body).toEqual({ result: 'ignored', reason: 'not a stop keyword' });
  expect((await reply({ phone: '0912345678', text: 'TC' })).body.result).toBe('ignored');
  // Another phone cannot stop MO-1's messages; the answer is the same as for a code that does not exist.
  const other = await reply({ phone: '0987654321', text: 'TC MO-1' });
  const unknown = await reply({ phone: '0912345678', text: 'TC MO-404' });
  expect(other.body).toEqual(unknown.body);
  expect(await withdrawals()).toBe(0);
});

test('"Từ chối mo-1" from +84912345678 (the same mobile as 0912 345 678) stops the SMS, not the e-mail', async () => {
  const res = await reply({ phone: '+84912345678', text: 'Từ chối mo-1' });
  expect(res.body).toEqual({ result: 'withdrawn' });
  expect(await withdrawals()).toBe(1);
  const consent = await consentOf();
  expect(consent.contacts).toEqual([{ channel: 'email', address: 'hung@example.vn' }]);
  expect(consent.history.at(-1)).toEqual({ at: Date.parse('2026-12-01T10:00:00+07:00'), action: 'withdrawn', channels: ['sms'], via: 'keyword' });
  // Form-encoded too (gateways that post forms); already stopped: ignored, nothing more recorded.
  const again = await request(app).post('/api/v1/sms/inbound').set('X-Dunghan-Secret', SECRET).type('form').send({ phone: '0912345678', text: 'TC MO-1' });
  expect(again.body.result).toBe('ignored');
  expect(await withdrawals()).toBe(1);
});

test('a gateway that sends the same reply twice at once records one withdrawal', async () => {
  const received = ev.received('MO-2', '2026-12-01T09:30:00+07:00', {
    receivingAgencyCode: 'SLA.TTPVHCC',
    consent: [{ channel: 'sms', phone: '0987 654 321' }],
  });
  expect((await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(received)).status).toBe(201);
  const before = await withdrawals();
  const answers = await Promise.all([reply({ phone: '0987654321', text: 'TC MO-2' }), reply({ phone: '0987654321', text: 'TC MO-2' })]);
  expect(answers.map((a) => a.status)).toEqual([200, 200]);
  // Whichever came second saw the same id recorded (withdrawn) or the SMS already stopped (ignored): never a second event.
  expect(answers.map((a) => a.body.result)).toContain('withdrawn');
  for (const a of answers) expect(['withdrawn', 'ignored']).toContain(a.body.result);
  expect((await withdrawals()) - before).toBe(1);
});
