/**
 * Issue 27: Zalo ZNS against a loopback endpoint, an apology that does not reach the applicant by its legal moment
 * (the supervisor's queue, /metrics), the longest realistic SMS within its segments, a channel nobody configured,
 * the stop link (item 5), contacts masked on the outbox page, and a province's bad templates refused by the CLI.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { flushOutbox, type Senders } from '../../src/alerts/outbox.js';
import { createZaloZns } from '../../src/alerts/zalo-zns.js';
import { staticAccessToken } from '../../src/alerts/zalo-token.js';
import { gsmLength } from '../../src/alerts/sms-text.js';
import { DEFAULT_TEMPLATES_FILE } from '../../src/alerts/message-templates.js';
import { createApiKey } from '../../src/store/api-keys.js';
import { main } from '../../src/cli/main.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';
import { TestSmsGateway } from '../support/sms-gateway.js';
import { ev } from '../support/events.js';

const at = (local: string) => Date.parse(`${local}+07:00`);
let t: TestApp;
let zalo: TestSmsGateway;
let key: string;
beforeAll(async () => {
  t = await createTestApp({ now: at('2026-03-16T09:00:00') });
  zalo = await TestSmsGateway.start();
  zalo.zalo = true;
  key = (await createApiKey(t.ctx.db.pool, { role: 'counter', agencyCodes: ['SLA'], label: 'province counter' })).key;
});
afterAll(async () => {
  await zalo.close();
  await t.close();
});

const post = (body: unknown) =>
  request(t.app)
    .post('/api/v1/events')
    .set('Authorization', `Bearer ${key}`)
    .send(body as object);
/** Zalo configured, SMS not: SMS rows are marked failed at once, visibly. */
const senders = (): Senders => ({
  zalo: createZaloZns({ url: zalo.url, tokens: staticAccessToken('oa-token'), templateIds: { receipt: '301001', apology: '301003' }, timeoutMs: 300 }),
});
const row = async (kind: string, channel: string, code: string) =>
  (
    await t.ctx.db.pool.query('SELECT status, text, payload, last_error FROM alert_outbox WHERE kind = $1 AND channel = $2 AND dossier_code = $3', [
      kind,
      channel,
      code,
    ])
  ).rows[0];

test("Zalo ZNS; an apology undelivered by the day before the due date goes to the supervisor's queue; the longest SMS fits", async () => {
  const code = '000.00.12.H55-260316-0001'; // Circular 04/2025's long form of a dossier code
  // Mon 16 Mar 2026 09:00 at the province's centre; 3 working days → Thu 19 Mar 09:00.
  expect(
    (
      await post(
        ev.received(code, '2026-03-16T09:00:00+07:00', {
          receivingAgencyCode: 'SLA.TTPVHCC',
          consent: [
            { channel: 'zalo', phone: '0987654321' },
            { channel: 'sms', phone: '0987654321' },
          ],
        }),
      )
    ).status,
  ).toBe(201);
  // Tue 17 Mar 10:00, lawful (no later than Wed 18), with a reason as long as the API takes (2,000 characters).
  t.clock.now = at('2026-03-17T10:00:00');
  const reason = `Hồ sơ cần xác minh thêm thông tin tại nhiều cơ quan. ${'Chờ ý kiến phối hợp của cơ quan liên quan. '.repeat(60)}`.slice(0, 2000);
  expect(
    (await request(t.app).post(`/api/v1/dossiers/${code}/apology`).set('Authorization', `Bearer ${key}`).send({ reason, extraWorkingDays: 3 })).status,
  ).toBe(201);

  // The longest realistic SMS: the province centre's name, the long code, 2,000 characters of reason → 3 segments
  // (459 characters) at most, the reason cut and ending "..", the link whole at the end.
  const sms = await row('apology', 'sms', code);
  expect(gsmLength(sms.text)).toBeLessThanOrEqual(459);
  expect(sms.text).toMatch(
    /^Trung tam Phuc vu hanh chinh cong tinh Son La xin loi: ho so 000\.00\.12\.H55-260316-0001 cham tra ket qua\. Ly do: Ho so can xac minh them .*\.\.\. Hen moi: 24\/03\/2026 09:00\. Van ban: http:\/\/dunghan\.test\/thu\?t=[\w.-]+$/,
  );

  // Zalo hangs, then refuses (an error code): retried; SMS has no gateway: failed at once, with the reason.
  zalo.mode = 'hang';
  expect(await flushOutbox(t.ctx.db.pool, senders(), t.clock.now)).toEqual({ sent: 0, retried: 2, failed: 2 });
  expect((await row('apology', 'sms', code)).last_error).toBe('no sms channel is configured (see .env.example)');
  expect((await row('apology', 'zalo', code)).last_error).toBe('Zalo ZNS: no answer within 300 ms');

  // Thu 19 Mar 08:00: the day before the due date has ended, the apology never arrived. The dashboard's first queue.
  t.clock.now = at('2026-03-19T08:00:00');
  const dashboard = await request(t.app).get('/dashboard').set('Authorization', `Bearer ${t.keys.admin}`);
  expect(dashboard.status).toBe(200);
  expect(dashboard.text).toMatch(
    /Văn bản xin lỗi chưa đến được người nộp trước thời hạn: cần liên hệ trực tiếp \(<span data-count="message-undelivered">1<\/span>\)/,
  );
  expect(dashboard.text).toContain(`href="/dossiers/${code}"`);
  const metrics = await request(t.app).get('/metrics');
  expect(metrics.text).toMatch(/dunghan_outbox_channel_messages\{channel="zalo",status="late"\} 1/);
  expect(metrics.text).toMatch(/dunghan_outbox_channel_messages\{channel="sms",status="late"\} 1/);
  expect(metrics.text).toMatch(/dunghan_outbox_channel_messages\{channel="sms",status="failed"\} 2/);

  // Zalo answers again: the two messages go, each with its template and parameters, the phone as 84…, once.
  zalo.mode = 'ok';
  expect(await flushOutbox(t.ctx.db.pool, senders(), t.clock.now)).toEqual({ sent: 2, retried: 0, failed: 0 });
  expect(zalo.delivered.map((d) => d.body.template_id)).toEqual(['301001', '301003']);
  expect(zalo.delivered[1]!.body).toMatchObject({ phone: '84987654321', template_data: { ma_ho_so: code, ngay_hen_moi: '24/03/2026 09:00' } });
  expect(zalo.requests.every((r) => r.headers.access_token === 'oa-token')).toBe(true);
});

test('the stop link in every e-mail: opening it changes nothing, confirming records consent_withdrawn via link, and nothing more is sent', async () => {
  const code = 'TOHIEU-2026-000777';
  t.clock.now = at('2026-03-16T09:00:00');
  expect(
    (
      await post(
        ev.received(code, '2026-03-16T09:00:00+07:00', {
          receivingAgencyCode: 'SLA.P.TOHIEU.TTPV',
          consent: [{ channel: 'email', address: 'nguoidan@example.vn' }],
        }),
      )
    ).status,
  ).toBe(201);
  const mail = await row('receipt', 'email', code);
  const token = /Ngừng nhận thông báo về hồ sơ này: http:\/\/dunghan\.test\/thu\?t=([\w.-]+)/.exec(mail.text)![1]!;

  const page = await request(t.app).get(`/thu?t=${token}`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('id="stop-form"');
  const dossier = async () => (await request(t.app).get(`/api/v1/dossiers/${code}`).set('Authorization', `Bearer ${key}`)).body;
  expect((await dossier()).consent.channels).toHaveLength(1);

  t.clock.now = at('2026-03-16T11:00:00');
  const stopped = await request(t.app).post('/thu/ngung').type('form').send({ t: token });
  expect(stopped.status).toBe(200);
  expect(stopped.text).toContain('id="stopped"');
  const after = await dossier();
  expect(after.consent).toEqual({
    channels: [],
    history: [
      { at: '2026-03-16T09:00:00+07:00', action: 'given', channels: ['email'], via: 'counter' },
      { at: '2026-03-16T11:00:00+07:00', action: 'withdrawn', channels: ['email'], via: 'link' },
    ],
  });
  // A second confirmation records nothing more; the result is not sent to anyone.
  await request(t.app).post('/thu/ngung').type('form').send({ t: token });
  expect((await dossier()).events.filter((e: { type: string }) => e.type === 'consent_withdrawn')).toHaveLength(1);
  expect((await post(ev.of('result_ready', code, '2026-03-17T09:00:00+07:00'))).status).toBe(201);
  expect(await row('result_ready', 'email', code)).toBeUndefined();
  // A stop token opens no letter, and a token of another purpose stops nothing.
  expect((await request(t.app).post('/thu/ngung').type('form').send({ t: 'x.y' })).status).toBe(404);
});

test("the outbox page shows messages by channel with the citizen's contacts masked", async () => {
  const cookie = `dunghan_session=${await signIn(t.app, t.keys.admin)}`;
  const page = await request(t.app).get('/admin/outbox').set('Cookie', cookie);
  expect(page.status).toBe(200);
  expect(page.text).toContain('098*******');
  expect(page.text).not.toContain('0987654321');
  expect(page.text).toContain('n***@example.vn');
  // Zalo: 2 sent; SMS: 2 failed (no gateway); e-mail: the receipt of the second dossier, pending.
  expect(page.text).toMatch(/<tr data-channel="zalo"><td>Zalo<\/td><td class="pending">0<\/td><td class="sent">2<\/td><td class="failed">0<\/td><\/tr>/);
  expect(page.text).toMatch(/<tr data-channel="sms"><td>SMS<\/td><td class="pending">0<\/td><td class="sent">0<\/td><td class="failed">2<\/td><\/tr>/);
});

test('dunghan messages check: a province file with an unknown field is refused naming it (exit 2); the shipped one passes', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-templates-'));
  const doc = JSON.parse(await fs.readFile(DEFAULT_TEMPLATES_FILE, 'utf8'));
  doc.apology.sms = 'Ho so {{code}}: {{lyDo}}';
  const file = path.join(dir, 'tinh.json');
  await fs.writeFile(file, JSON.stringify(doc));
  const errors: string[] = [];
  const original = console.error;
  console.error = (line: string) => errors.push(line);
  const log = console.log;
  console.log = () => undefined;
  try {
    expect(await main(['messages', 'check', file])).toBe(2);
    expect(await main(['messages', 'check', DEFAULT_TEMPLATES_FILE])).toBe(0);
  } finally {
    console.error = original;
    console.log = log;
    await fs.rm(dir, { recursive: true });
  }
  expect(errors.join('\n')).toMatch(/apology\.sms: unknown field \{\{lyDo\}\}/);
});
