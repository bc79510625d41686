/**
 * Issue 27, "done means": one online dossier, consent e-mail and SMS, from its receipt through a supplementation
 * request, an apology and its result, against a loopback SMTP server and a loopback SMS gateway that fails (503),
 * hangs and answers garbage on command, and a restart of the service in between. Every message is asserted, with
 * its content, and each reaches the applicant exactly once.
 */
import request from 'supertest';
import { AppContext } from '../../src/app-context.js';
import { connect } from '../../src/db/database.js';
import { createApp } from '../../src/http/app.js';
import { createMailer } from '../../src/alerts/mailer.js';
import { flushOutbox, mailSender, type Senders } from '../../src/alerts/outbox.js';
import { createSmsGateway } from '../../src/alerts/sms-gateway.js';
import { letterAttachment } from '../../src/alerts/letter-pdf.js';
import { createApiKey } from '../../src/store/api-keys.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { TestSmtp } from '../support/smtp.js';
import { TestSmsGateway } from '../support/sms-gateway.js';
import { ev } from '../support/events.js';

const CODE = 'TOHIEU-2026-000001';
const at = (local: string) => Date.parse(`${local}+07:00`);

let t: TestApp;
let smtp: TestSmtp;
let gateway: TestSmsGateway;
let key: string;
beforeAll(async () => {
  t = await createTestApp({ now: at('2026-03-16T09:00:00') });
  smtp = await TestSmtp.start();
  gateway = await TestSmsGateway.start();
  key = (await createApiKey(t.ctx.db.pool, { role: 'counter', agencyCodes: ['SLA.P.TOHIEU'], label: 'Tô Hiệu counter' })).key;
});
afterAll(async () => {
  await smtp.down();
  await gateway.close();
  await t.close();
});

/** What `serve` builds from SMTP_URL and SMS_GATEWAY_*: eSMS's body shape; a gateway silent for 300 ms has failed. */
function senders(ctx: AppContext): Senders {
  return {
    email: mailSender(createMailer({ smtpUrl: smtp.url, from: 'Đúng hạn <no-reply@dunghan.test>', mailDir: '/nonexistent' }), letterAttachment(ctx)),
    sms: createSmsGateway({
      url: gateway.url,
      headers: { authorization: 'Basic dGVzdDp0ZXN0' },
      body: '{"ApiKey":"k","SecretKey":"s","Phone":"{{phone}}","Content":"{{text}}","Brandname":"{{brandname}}","SmsType":"2","RequestId":"{{requestId}}"}',
      contentType: 'application/json',
      brandname: 'UBND-SONLA',
      success: { field: 'CodeResult', value: '100' },
      timeoutMs: 300,
    }),
  };
}

const outboxRows = async (ctx: AppContext) =>
  (
    await ctx.db.pool.query<{ kind: string; channel: string; round: number; status: string; attempts: number }>(
      "SELECT kind, channel, round, status, attempts FROM alert_outbox WHERE dedupe_key LIKE 'citizen:%' ORDER BY id",
    )
  ).rows;
/** The one SMS delivered that starts so (delivery order follows the retries' back-off, not the kinds'). */
const smsText = (start: string) => {
  const found = gateway.delivered.map((d) => String(d.body.Content)).filter((c) => c.startsWith(start));
  expect(found).toHaveLength(1);
  return found[0]!;
};
const tokenIn = (text: string) => /\/thu\?t=([\w.-]+)/.exec(text)![1]!;

test('receipt, supplement request, apology and result reach the applicant once each, through a gateway outage and a restart', async () => {
  const post = (app: ReturnType<typeof createApp>, body: unknown) =>
    request(app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${key}`)
      .send(body as object);
  const consent = [
    { channel: 'email', address: 'lovanhung@example.vn' },
    { channel: 'sms', phone: '0912 345 678' },
  ];
  // Mon 16 Mar 2026 (no day off that week): submitted 08:30, accepted 09:00; Đăng ký tạm trú, 3 working days → Thu 19 Mar 09:00.
  const received = ev.received(CODE, '2026-03-16T09:00:00+07:00', {
    channel: 'online',
    submittedAt: '2026-03-16T08:30:00+07:00',
    receivingAgencyCode: 'SLA.P.TOHIEU.TTPV',
    applicant: { name: 'Lò Văn Hùng', phone: '0912345678' },
    consent,
  });
  expect((await post(t.app, received)).status).toBe(201);
  // 10:00 the same day, within 3 working days: one request. Art. 19(5): closed from the 15th day after the notice's day
  // (31 Mar 00:00), so the last day to supplement is 30 Mar.
  t.clock.now = at('2026-03-16T10:00:00');
  expect(
    (await post(t.app, ev.of('supplement_requested', CODE, '2026-03-16T10:00:00+07:00', { reason: 'Thiếu bản sao Giấy khai sinh của người đăng ký' }))).status,
  ).toBe(201);
  // Each event wrote its messages in its own transaction: 2 kinds × 2 channels.
  expect((await outboxRows(t.ctx)).map((r) => `${r.kind}/${r.channel}/${r.round}`)).toEqual([
    'receipt/email/1',
    'receipt/sms/1',
    'supplement_request/email/1',
    'supplement_request/sms/1',
  ]);

  // The gateway is down (503): the e-mails go, the SMS wait for their retry (1 minute).
  gateway.mode = '5xx';
  expect(await flushOutbox(t.ctx.db.pool, senders(t.ctx), t.clock.now)).toEqual({ sent: 2, retried: 2, failed: 0 });
  expect(smtp.received.map((m) => m.subject)).toEqual([`Đã tiếp nhận hồ sơ ${CODE}`, `Hồ sơ ${CODE} cần bổ sung, hoàn thiện`]);
  expect(gateway.requests).toHaveLength(2);
  expect(gateway.delivered).toHaveLength(0);

  // Tue 17 Mar 09:00 the supplement arrives: the time limit restarts in full → Fri 20 Mar 09:00. Wed 18 Mar 10:00 the
  // agency apologises with 2 more working days: from the later of now and the due instant (Fri 20 09:00) → Tue 24 Mar
  // 09:00. Lawful: issued on the 18th, no later than the 19th (1 day before the due date).
  t.clock.now = at('2026-03-17T09:00:00');
  expect((await post(t.app, ev.of('supplement_received', CODE, '2026-03-17T09:00:00+07:00'))).status).toBe(201);
  t.clock.now = at('2026-03-18T10:00:00');
  const apology = await request(t.app)
    .post(`/api/v1/dossiers/${CODE}/apology`)
    .set('Authorization', `Bearer ${key}`)
    .send({ reason: 'Chờ xác minh thông tin cư trú tại địa phương khác', extraWorkingDays: 2 });
  expect(apology.status).toBe(201);
  expect(apology.body.newDueAt).toBe('2026-03-24T09:00:00+07:00');
  // The apology must reach the applicant before Fri 20 Mar 00:00 (the day before the due date ends then).
  const deliverBy = (await t.ctx.db.pool.query("SELECT deliver_by FROM alert_outbox WHERE kind = 'apology' AND channel = 'sms'")).rows[0].deliver_by as Date;
  expect(deliverBy.toISOString()).toBe(new Date(at('2026-03-20T00:00:00')).toISOString());

  // The gateway hangs: each SMS try ends at the time-out and is retried; the apology's e-mail does not wait behind them.
  gateway.mode = 'hang';
  expect(await flushOutbox(t.ctx.db.pool, senders(t.ctx), t.clock.now)).toEqual({ sent: 1, retried: 3, failed: 0 });
  expect(smtp.received).toHaveLength(3);
  // /metrics shows the backlog by channel.
  const metrics = await request(t.app).get('/metrics');
  expect(metrics.text).toMatch(/dunghan_outbox_channel_messages\{channel="sms",status="pending"\} 3/);
  expect(metrics.text).toMatch(/dunghan_outbox_channel_messages\{channel="email",status="pending"\} 0/);

  // The gateway delivers but answers garbage: the sender cannot know, so it retries (5 minutes after a second failure).
  gateway.mode = 'garbage';
  t.clock.now = at('2026-03-18T10:10:00');
  expect(await flushOutbox(t.ctx.db.pool, senders(t.ctx), t.clock.now)).toEqual({ sent: 0, retried: 3, failed: 0 });
  expect(gateway.delivered).toHaveLength(3);

  // The service restarts: a new process over the same database.
  await t.ctx.close();
  await t.ctx.db.close();
  const db2 = connect(t.url, 5);
  const ctx2 = await AppContext.load(db2, { now: () => t.clock.now, publicUrl: 'http://dunghan.test' });
  const app2 = createApp(ctx2);
  try {
    // Mon 23 Mar 15:00 the electronic result is issued, before the new appointment.
    gateway.mode = 'ok';
    t.clock.now = at('2026-03-23T15:00:00');
    const result = ev.of('result_ready', CODE, '2026-03-23T15:00:00+07:00', { electronicResult: true });
    expect((await post(app2, result)).status).toBe(201);
    // The three SMS retried after garbage are accepted again under their request ids: the gateway delivers none twice.
    expect(await flushOutbox(db2.pool, senders(ctx2), t.clock.now)).toEqual({ sent: 5, retried: 0, failed: 0 });
    expect(await flushOutbox(db2.pool, senders(ctx2), t.clock.now)).toEqual({ sent: 0, retried: 0, failed: 0 });
    // A resend of an event writes no message again.
    expect((await post(app2, result)).status).toBe(200);
    const rows = await outboxRows(ctx2);
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);

    // Exactly once each: 4 e-mails, 4 SMS, one per kind.
    expect(smtp.received.map((m) => m.subject)).toEqual([
      `Đã tiếp nhận hồ sơ ${CODE}`,
      `Hồ sơ ${CODE} cần bổ sung, hoàn thiện`,
      `Xin lỗi và hẹn lại ngày trả kết quả hồ sơ ${CODE}`,
      `Hồ sơ ${CODE} đã có kết quả`,
    ]);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(4);
    expect(smtp.received.every((m) => m.to && JSON.stringify(m.to).includes('lovanhung@example.vn'))).toBe(true);
    expect(gateway.delivered).toHaveLength(4);
    expect(new Set(gateway.requests.map((r) => r.body.RequestId)).size).toBe(4);
    expect(gateway.delivered.every((d) => d.body.Phone === '84912345678' && d.body.Brandname === 'UBND-SONLA')).toBe(true);

    // The SMS, without diacritics, with the appointment, the reason, the deadline and a link each.
    const link = 'http://dunghan\\.test/thu\\?t=[\\w.-]+';
    expect(smsText('Trung tam Phuc vu hanh chinh cong phuong To Hieu da tiep nhan')).toMatch(
      new RegExp(`^Trung tam Phuc vu hanh chinh cong phuong To Hieu da tiep nhan ho so ${CODE}\\. Hen tra ket qua: 19/03/2026 09:00\\. Tra cuu: ${link}$`),
    );
    expect(smsText(`Ho so ${CODE} can bo sung`)).toMatch(
      new RegExp(`^Ho so ${CODE} can bo sung: Thieu ban sao Giay khai sinh cua nguoi dang ky\\. Han bo sung: het ngay 30/03/2026\\. Chi tiet: ${link}$`),
    );
    expect(smsText('Trung tam Phuc vu hanh chinh cong phuong To Hieu xin loi')).toMatch(
      new RegExp(
        `^Trung tam Phuc vu hanh chinh cong phuong To Hieu xin loi: ho so ${CODE} cham tra ket qua\\. Ly do: Cho xac minh thong tin cu tru tai dia phuong khac\\. Hen moi: 24/03/2026 09:00\\. Van ban: ${link}$`,
      ),
    );
    expect(smsText(`Ho so ${CODE} da co ket qua`)).toMatch(
      new RegExp(`^Ho so ${CODE} da co ket qua\\. Ket qua dien tu da gui tren Cong DVC\\. Tra cuu: ${link}$`),
    );

    // The e-mails: the appointment in words, the supplement's content and deadline, the apology with its letter attached.
    const [receipt, supplement, apologyMail, resultMail] = smtp.received.map((m) => m.text ?? '');
    expect(receipt).toContain('Ngày hẹn trả kết quả: 09 giờ 00 phút, ngày 19 tháng 3 năm 2026.');
    expect(supplement).toContain('Thiếu bản sao Giấy khai sinh của người đăng ký');
    expect(supplement).toContain('Xin nộp bổ sung trước hết ngày 30/03/2026');
    expect(apologyMail).toContain('không thể trả kết quả đúng hẹn ngày 09 giờ 00 phút, ngày 20 tháng 3 năm 2026.');
    expect(apologyMail).toContain('Ngày hẹn trả kết quả mới: 09 giờ 00 phút, ngày 24 tháng 3 năm 2026.');
    expect(resultMail).toContain('Kết quả điện tử đã được gửi vào tài khoản của ông/bà trên Cổng Dịch vụ công.');
    for (const m of smtp.received) expect(m.text).toMatch(/Ngừng nhận thông báo về hồ sơ này: http:\/\/dunghan\.test\/thu\?t=/);
    const pdf = smtp.received[2]!.attachments.find((a) => a.contentType === 'application/pdf');
    expect(pdf?.filename).toBe(`xin-loi-${CODE}.pdf`);
    expect(pdf!.content.subarray(0, 5).toString()).toBe('%PDF-');

    // The apology SMS's link, written before the restart, opens that dossier's letter after it; an altered one opens nothing.
    const letter = await request(app2).get(`/thu?t=${tokenIn(smsText('Trung tam Phuc vu hanh chinh cong phuong To Hieu xin loi'))}`);
    expect(letter.status).toBe(200);
    expect(letter.text).toContain('Chờ xác minh thông tin cư trú tại địa phương khác');
    expect(letter.text).toContain('09 giờ 00 phút, ngày 24 tháng 3 năm 2026');
    const forged = tokenIn(smsText('Trung tam Phuc vu hanh chinh cong phuong To Hieu xin loi')).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await request(app2).get(`/thu?t=${forged}`)).status).toBe(404);
  } finally {
    await ctx2.close();
    await db2.close();
  }
});
