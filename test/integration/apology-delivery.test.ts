/**
 * Issue 27 item 4: the apology's legal judgment uses the instant it reached the applicant (Decree 118/2025 Art.
 * 19(6): the agency sends the applicant the apology no later than 1 day before the due date, judged by date).
 *
 * Hand-worked: each dossier is received at phường Tô Hiệu's centre on Monday 16 March 2026 at 09:00 for Đăng ký tạm
 * trú (1.004194: 3 working days of 8 hours; no day off that week), so it is due Thursday 19 March at 09:00. The last
 * lawful day for the apology is Wednesday 18 March (19 − 1). Each apology is issued on Monday 16 March at 15:00 (in
 * time) with 2 more working days: the new appointment is Monday 23 March 09:00 (Thu 19 09:00 + 2 working days).
 */
import request from 'supertest';
import { createMailer } from '../../src/alerts/mailer.js';
import { mailSender } from '../../src/alerts/outbox.js';
import { runJob } from '../../src/jobs/jobs.js';
import { createApiKey } from '../../src/store/api-keys.js';
import { rebuildDossiers } from '../../src/store/rebuild.js';
import { sessionCsrfToken } from '../../src/http/csrf.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';
import { TestSmtp } from '../support/smtp.js';
import { ev } from '../support/events.js';

const at = (local: string) => Date.parse(`${local}+07:00`);
const AGENCY = 'SLA.P.TOHIEU.TTPV';
const DUE = '2026-03-19T09:00:00+07:00';
const NEW_DUE = '2026-03-23T09:00:00+07:00';

let t: TestApp;
let smtp: TestSmtp;
let key: string;
beforeAll(async () => {
  t = await createTestApp({ now: at('2026-03-16T09:00:00'), clockToleranceMs: 300_000 });
  smtp = await TestSmtp.start();
  key = (await createApiKey(t.ctx.db.pool, { role: 'counter', agencyCodes: ['SLA.P.TOHIEU'], label: 'Tô Hiệu counter' })).key;
});
afterAll(async () => {
  await smtp.down();
  await t.close();
});

const post = (body: unknown) =>
  request(t.app)
    .post('/api/v1/events')
    .set('Authorization', `Bearer ${key}`)
    .send(body as object);
const dossier = async (code: string) => (await request(t.app).get(`/api/v1/dossiers/${code}`).set('Authorization', `Bearer ${key}`)).body;
const flush = () =>
  runJob('outbox-flush', {
    ctx: t.ctx,
    mailer: createMailer({ smtpUrl: smtp.url, from: 'Đúng hạn <no-reply@dunghan.test>', mailDir: '/nonexistent' }),
    senders: { email: mailSender(createMailer({ smtpUrl: smtp.url, from: 'Đúng hạn <no-reply@dunghan.test>', mailDir: '/nonexistent' })) },
  });

test('received Monday 09:00, apologies issued Monday 15:00: in time by their issuing, not delivered yet', async () => {
  const consent = [{ channel: 'email', address: 'minh@example.vn' }];
  for (const code of ['APO-MAIL', 'APO-COUNTER', 'APO-LATE'])
    expect((await post(ev.received(code, '2026-03-16T09:00:00+07:00', { receivingAgencyCode: AGENCY, channel: 'online', consent }))).status).toBe(201);
  t.clock.now = at('2026-03-16T15:00:00');
  for (const code of ['APO-MAIL', 'APO-COUNTER', 'APO-LATE']) {
    const res = await request(t.app)
      .post(`/api/v1/dossiers/${code}/apology`)
      .set('Authorization', `Bearer ${key}`)
      .send({ reason: 'Cần xác minh nơi cư trú', extraWorkingDays: 2 });
    expect(res.status).toBe(201);
    // Without a delivery the issuing instant is judged (Monday ≤ Wednesday): the new date is the appointment.
    expect(await dossier(code)).toMatchObject({
      dueAt: NEW_DUE,
      apology: { issuedAt: '2026-03-16T15:00:00+07:00', reschedules: true, deliveredAt: null, deliveredVia: null },
    });
  }
});

test('handed over at the counter on Wednesday, the last lawful day: in time; a later copy by post changes nothing', async () => {
  t.clock.now = at('2026-03-18T16:00:00');
  expect((await post(ev.of('apology_delivered', 'APO-COUNTER', '2026-03-18T10:00:00+07:00', { via: 'counter' }))).status).toBe(201);
  expect((await post(ev.of('apology_delivered', 'APO-COUNTER', '2026-03-18T15:00:00+07:00', { via: 'post' }))).status).toBe(201);
  const d = await dossier('APO-COUNTER');
  expect(d).toMatchObject({ dueAt: NEW_DUE, apology: { reschedules: true, deliveredAt: '2026-03-18T10:00:00+07:00', deliveredVia: 'counter' } });
  expect(d.flags).not.toContain('apology_too_late');
});

test('handed over on Thursday, the due day: issued in time but delivered too late, the appointment stays Thursday 09:00', async () => {
  t.clock.now = at('2026-03-19T10:00:00');
  expect((await post(ev.of('apology_delivered', 'APO-LATE', '2026-03-19T08:30:00+07:00', { via: 'counter' }))).status).toBe(201);
  const d = await dossier('APO-LATE');
  // 19 > 19 − 1: too late. The legal and the 766 appointment both return to the due instant (lateApology766 default).
  expect(d).toMatchObject({ dueAt: DUE, rate: { dueAt: DUE }, apology: { reschedules: false, reschedulesRate: false, deliveredVia: 'counter' } });
  expect(d.flags).toContain('apology_too_late');
});

test('the outbox records the e-mail delivery when the server accepts it: on Thursday, too late; flushing again records nothing twice', async () => {
  // APO-MAIL's messages (receipt, apology) wait in the outbox until the worker runs on Thursday at 08:00.
  t.clock.now = at('2026-03-19T08:00:00');
  const first = await flush();
  expect(first.sent).toBeGreaterThanOrEqual(2);
  const d = await dossier('APO-MAIL');
  expect(d).toMatchObject({ dueAt: DUE, apology: { deliveredAt: '2026-03-19T08:00:00+07:00', deliveredVia: 'email', reschedules: false } });
  expect(d.flags).toContain('apology_too_late');
  const deliveries = async () =>
    Number((await t.ctx.db.pool.query("SELECT count(*) AS n FROM dossier_events WHERE dossier_code = 'APO-MAIL' AND type = 'apology_delivered'")).rows[0].n);
  expect(await deliveries()).toBe(1);
  expect(await flush()).toMatchObject({ sent: 0 });
  expect(await deliveries()).toBe(1);
});

test('a delivery without an apology is refused; a rebuild from the log judges the same', async () => {
  t.clock.now = at('2026-03-19T10:00:00');
  expect((await post(ev.received('APO-NONE', '2026-03-19T09:00:00+07:00', { receivingAgencyCode: AGENCY }))).status).toBe(201);
  const res = await post(ev.of('apology_delivered', 'APO-NONE', '2026-03-19T09:30:00+07:00', { via: 'counter' }));
  expect(res.status).toBe(422);
  expect(res.body.errors[0].message).toMatch(/no apology was issued/);
  const before = await Promise.all(['APO-MAIL', 'APO-COUNTER', 'APO-LATE'].map(dossier));
  await rebuildDossiers(t.ctx.db.pool, t.ctx.foldContext());
  expect(await Promise.all(['APO-MAIL', 'APO-COUNTER', 'APO-LATE'].map(dossier))).toEqual(before);
});

test('the dossier page says "not delivered" and records a hand-over at the counter (Vietnamese, CSRF, problems next to the field)', async () => {
  t.clock.now = at('2026-03-16T15:00:00');
  expect((await post(ev.received('APO-PAGE', '2026-03-16T09:00:00+07:00', { receivingAgencyCode: AGENCY }))).status).toBe(201);
  const apology = await request(t.app)
    .post('/api/v1/dossiers/APO-PAGE/apology')
    .set('Authorization', `Bearer ${key}`)
    .send({ reason: 'Cần xác minh nơi cư trú', extraWorkingDays: 2 });
  expect(apology.status).toBe(201);
  t.clock.now = at('2026-03-18T16:00:00');
  const session = await signIn(t.app, key);
  const page = await request(t.app).get('/dossiers/APO-PAGE').set('Cookie', `dunghan_session=${session}`);
  expect(page.text).toContain('Chưa ghi nhận văn bản xin lỗi đã đến người nộp');
  expect(page.text).toContain('value="2026-03-18T16:00"');
  const send = (fields: Record<string, string>) =>
    request(t.app)
      .post('/dossiers/APO-PAGE/apology/delivered')
      .set('Cookie', `dunghan_session=${session}`)
      .type('form')
      .send({ ...fields, _csrf: sessionCsrfToken(session) });
  // Thursday 19 March 08:00 is after the clock (Wednesday 16:00) plus 5 minutes: refused, the field says why.
  const future = await send({ via: 'counter', occurredAt: '2026-03-19T08:00' });
  expect(future.status).toBe(422);
  expect(future.text).toMatch(/id="delivery-time-error" role="alert">Thời điểm này ở tương lai/);
  expect(future.text).toContain('value="2026-03-19T08:00"');
  // Handed over on Wednesday 18 March 11:00, the last lawful day: in time, the new date stands.
  expect((await send({ via: 'counter', occurredAt: '2026-03-18T11:00' })).status).toBe(303);
  expect(await dossier('APO-PAGE')).toMatchObject({
    dueAt: NEW_DUE,
    apology: { deliveredAt: '2026-03-18T11:00:00+07:00', deliveredVia: 'counter', reschedules: true },
  });
  const after = await request(t.app).get('/dossiers/APO-PAGE').set('Cookie', `dunghan_session=${session}`);
  expect(after.text).toContain('Văn bản xin lỗi đã đến người nộp lúc');
  expect(after.text).not.toContain('apology-delivered-form');
});
