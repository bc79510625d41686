/**
 * Issue 27 item 1: the applicant's channels of choice, as events; contacts validated; masked everywhere but the
 * dossier page for the staff who handle it; each read recorded.
 */
import request from 'supertest';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const post = (body: unknown, key = t.keys.counter) =>
  request(t.app)
    .post('/api/v1/events')
    .set('Authorization', `Bearer ${key}`)
    .send(body as object);
const get = (path: string, key = t.keys.auditor) => request(t.app).get(path).set('Authorization', `Bearer ${key}`);
const count = async (sql: string) => Number((await t.ctx.db.pool.query(sql)).rows[0].n);

const consent = [
  { channel: 'email', address: 'lovanhung@example.vn' },
  { channel: 'sms', phone: '0912 345 678' },
];

test('consent at receipt, then withdrawn: the record shows both, contacts masked in the API', async () => {
  expect((await post(ev.received('CON-1', '2025-03-17T10:00:00+07:00', { consent }))).status).toBe(201);
  const d = await get('/api/v1/dossiers/CON-1');
  expect(d.status).toBe(200);
  // A phone keeps its first three digits only (its last four are the lookup's secret); an e-mail its first letter and domain.
  expect(d.body.consent).toEqual({
    channels: [
      { channel: 'email', contact: 'l***@example.vn' },
      { channel: 'sms', contact: '091*******' },
    ],
    history: [{ at: '2025-03-17T10:00:00+07:00', action: 'given', channels: ['email', 'sms'], via: 'counter' }],
  });
  // The history's bodies are masked alike.
  expect(d.body.events[0].body.consent).toEqual([
    { channel: 'email', address: 'l***@example.vn' },
    { channel: 'sms', phone: '091*******' },
  ]);
  expect(JSON.stringify(d.body)).not.toContain('345 678');

  expect((await post(ev.of('consent_withdrawn', 'CON-1', '2025-03-18T09:00:00+07:00', { channels: ['sms'], via: 'phone' }))).status).toBe(201);
  expect(
    (await post(ev.of('consent_given', 'CON-1', '2025-03-18T09:30:00+07:00', { consent: [{ channel: 'zalo', phone: '+84 98 765 4321' }], via: 'counter' })))
      .status,
  ).toBe(201);
  const after = await get('/api/v1/dossiers/CON-1');
  expect(after.body.consent.channels).toEqual([
    { channel: 'email', contact: 'l***@example.vn' },
    { channel: 'zalo', contact: '098*******' },
  ]);
  expect(after.body.consent.history.map((h: { action: string; via: string }) => `${h.action}:${h.via}`)).toEqual([
    'given:counter',
    'withdrawn:phone',
    'given:counter',
  ]);
});

test('a malformed contact or a channel without one is a 400 naming the field; nothing is written', async () => {
  const before = await count('SELECT count(*) AS n FROM dossier_events');
  const cases: Array<[unknown, string]> = [
    [[{ channel: 'sms' }], 'consent[0].phone'],
    [[{ channel: 'email', address: 'not-an-address' }], 'consent[0].address'],
    [
      [
        { channel: 'email', address: 'a@b.vn' },
        { channel: 'sms', phone: '0212345678' },
      ],
      'consent[1].phone',
    ], // 02x is a landline
    [
      [
        { channel: 'sms', phone: '0912345678' },
        { channel: 'sms', phone: '0987654321' },
      ],
      'consent',
    ],
  ];
  for (const [c, path] of cases) {
    const res = await post(ev.received('CON-BAD', '2025-03-17T10:00:00+07:00', { consent: c }));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  }
  expect(await count('SELECT count(*) AS n FROM dossier_events')).toBe(before);
  expect((await get('/api/v1/dossiers/CON-BAD')).status).toBe(404);
});

test('the dossier page shows the contacts in full to the counter, masked to an auditor; both reads are recorded', async () => {
  await post(ev.received('CON-2', '2025-03-17T10:00:00+07:00', { consent, receivingAgencyCode: 'SLA.TPSL.CLE' }));
  const page = async (key: string) =>
    (
      await request(t.app)
        .get('/dossiers/CON-2')
        .set('Cookie', `dunghan_session=${await signIn(t.app, key)}`)
    ).text;
  const counter = await page(t.keys.counter);
  expect(counter).toContain('lovanhung@example.vn');
  expect(counter).toContain('0912 345 678');
  const auditor = await page(t.keys.auditor);
  expect(auditor).not.toContain('lovanhung@example.vn');
  expect(auditor).toContain('l***@example.vn');
  expect(auditor).toContain('091*******');
  expect(await count("SELECT count(*) AS n FROM personal_data_reads WHERE dossier_code = 'CON-2' AND via = 'page:dossier'")).toBe(2);
});
