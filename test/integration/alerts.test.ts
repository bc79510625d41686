import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { createMailer } from '../../src/alerts/mailer.js';
import { flushOutbox, MAX_ATTEMPTS } from '../../src/alerts/outbox.js';
import { runJob } from '../../src/jobs/jobs.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { ev } from '../support/events.js';
import { TestSmtp } from '../support/smtp.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
const at = (s: string) => Date.parse(s);
let t: TestApp;
let smtp: TestSmtp;
const mailer = () => createMailer({ smtpUrl: smtp.url, from: 'Đúng hạn <no-reply@dunghan.test>', mailDir: '/nonexistent' });
const deps = () => ({ ctx: t.ctx, mailer: mailer() });
const api = (method: 'get' | 'post', path: string, key = t.keys.admin) => request(t.app)[method](path).set('Authorization', `Bearer ${key}`);
const outbox = async (where = 'true') => (await t.ctx.db.pool.query(`SELECT * FROM alert_outbox WHERE ${where} ORDER BY id`)).rows;

beforeAll(async () => {
  t = await createTestApp({ now: at('2025-03-17T10:30:00+07:00') });
  smtp = await TestSmtp.start();
  expect((await api('post', '/api/v1/agencies/SLA.TPSL/supervisors').send({ name: 'Lãnh đạo thành phố', email: 'lanhdao@tpsl.example.vn' })).status).toBe(201);
  expect((await api('post', '/api/v1/agencies/SLA/supervisors').send({ name: 'Văn phòng tỉnh', email: 'vp@sonla.example.vn' })).status).toBe(201);
  // A supervisor elsewhere must not hear of these dossiers.
  expect((await api('post', '/api/v1/agencies/SLA.MCH/supervisors').send({ name: 'Mộc Châu', email: 'mc@example.vn' })).status).toBe(201);
  // D1: Đăng ký tạm trú (3 working days) received Mon 17 Mar 2025 10:00 → due Thu 20 Mar 10:00, due soon from Wed 19 Mar 10:00.
  const res = await api('post', '/api/v1/events', t.keys.counter).send([
    ev.received('D1', '2025-03-17T10:00:00+07:00', { applicant: { name: 'Lò Văn Hùng', address: 'Tổ 3, phường Chiềng Lề', phone: '0912345678' } }),
    // D3: the counter software printed Thu 20 Mar 17:00 on the receipt; the legal due instant is 10:00.
    ev.received('D3', '2025-03-17T10:00:00+07:00', { declaredDueAt: '2025-03-20T17:00:00+07:00' }),
  ]);
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await smtp.down();
  await t.close();
});

test('supervisors: only an admin registers them; bad e-mail is 400', async () => {
  expect((await api('post', '/api/v1/agencies/SLA.TPSL/supervisors', t.keys.counter).send({ name: 'x', email: 'x@example.vn' })).status).toBe(403);
  const bad = await api('post', '/api/v1/agencies/SLA.TPSL/supervisors').send({ name: 'x', email: 'not-an-email' });
  expect(bad.status).toBe(400);
  expect(bad.body.errors[0].path).toBe('email');
  const list = await api('get', '/api/v1/agencies/SLA.TPSL/supervisors', t.keys.supervisor);
  expect(list.body.items.map((s: { email: string }) => s.email)).toEqual(['lanhdao@tpsl.example.vn']);
});

test('nothing is due soon before the lead time; then one alert per supervisor of the agency and its ancestors, once', async () => {
  t.clock.now = at('2025-03-19T09:00:00+07:00');
  expect(await runJob('due-soon-scan', deps())).toEqual({ alertsWritten: 0, dossiersExamined: 0 });

  t.clock.now = at('2025-03-19T11:00:00+07:00');
  expect(await runJob('due-soon-scan', deps())).toEqual({ alertsWritten: 4, dossiersExamined: 2 }); // D1 and D3, two supervisors each
  // Overlapping scans write nothing twice.
  const again = await Promise.all([runJob('due-soon-scan', deps()), runJob('due-soon-scan', deps())]);
  // …and look at nothing: no threshold crossed and no event since the last scan.
  expect(again).toEqual([
    { alertsWritten: 0, dossiersExamined: 0 },
    { alertsWritten: 0, dossiersExamined: 0 },
  ]);
  // Each supervisor gets one message listing both dossiers, most urgent first; each alert is in the ledger once.
  expect((await outbox("kind = 'due_soon'")).map((r) => r.recipient).sort()).toEqual(['lanhdao@tpsl.example.vn', 'vp@sonla.example.vn']);
  const ledger = (await t.ctx.db.pool.query("SELECT dossier_code, recipient, outbox_id FROM alerts WHERE kind = 'due_soon' ORDER BY 1, 2")).rows;
  expect(ledger.map((r) => `${r.dossier_code} ${r.recipient}`)).toEqual([
    'D1 lanhdao@tpsl.example.vn',
    'D1 vp@sonla.example.vn',
    'D3 lanhdao@tpsl.example.vn',
    'D3 vp@sonla.example.vn',
  ]);
  expect(ledger.every((r) => r.outbox_id !== null)).toBe(true);

  // Two workers flushing at once send each row once.
  const [a, b] = await Promise.all([flushOutbox(t.ctx.db.pool, mailer(), t.clock.now), flushOutbox(t.ctx.db.pool, mailer(), t.clock.now)]);
  expect(a.sent + b.sent).toBe(2);
  expect(smtp.received).toHaveLength(2);
  const mail = smtp.received.find((m) => (m.to as { text: string }).text === 'lanhdao@tpsl.example.vn')!;
  expect(mail.subject).toBe('[Đúng hạn] 2 hồ sơ sắp đến hạn');
  // Wed 11:00 → Thu 10:00: 1 h + 4 h on Wednesday, 2 h on Thursday = 7 working hours.
  expect(mail.text).toContain(
    '- D1 | Đăng ký tạm trú | L* V** H*** | hạn 10 giờ 00 phút, ngày 20 tháng 3 năm 2025 | còn 7 giờ làm việc | http://dunghan.test/dossiers/D1',
  );
  expect(mail.text).toContain('- D3 | Đăng ký tạm trú |');
  expect(mail.html).toContain('<a href="http://dunghan.test/dossiers/D1">D1</a>');
  expect(mail.text).not.toContain('Lò Văn Hùng');
  expect(mail.messageId).toMatch(/^<alert-\d+@dunghan>$/);
});

test('overdue alerts; a late apology leaves the dossier overdue, one in time moves the due instant and may alert again', async () => {
  t.clock.now = at('2025-03-20T15:00:00+07:00');
  expect(await runJob('overdue-scan', deps())).toEqual({ alertsWritten: 4, dossiersExamined: 2 });
  await runJob('outbox-flush', deps());
  // Thu 10:00 → 15:00: 10–12 and 13–15 = 4 working hours late.
  const overdueMail = smtp.received.find((m) => m.subject === '[Đúng hạn] 2 hồ sơ đã quá hạn')!;
  expect(overdueMail.text).toContain('- D1 | Đăng ký tạm trú | L* V** H*** | hạn 10 giờ 00 phút, ngày 20 tháng 3 năm 2025 | quá hạn 4 giờ làm việc |');
  // Neither has an apology yet: the alert says so.
  expect(overdueMail.text).toContain('| http://dunghan.test/dossiers/D1 | chưa có văn bản xin lỗi');

  // The open, overdue dossier without an apology is a violation already.
  const flagged = await api('get', '/api/v1/dossiers?flag=late_without_apology');
  expect(flagged.body.items.map((d: { code: string }) => d.code)).toEqual(['D1', 'D3']);

  // Written at Thu 15:00, past the due instant: a new appointment Mon 24 Mar 10:00 (a working day, within hours) is
  // recorded and told to the citizen, but Decree 118 Art. 19(6) wants it no later than Wed 19 Mar (1 day before the
  // due date): it is no lawful rescheduling, and the dossier stays overdue (issue 23 item 7).
  const apology = await api('post', '/api/v1/dossiers/D1/apology', t.keys.supervisor).send({
    reason: 'Cần xác minh nơi cư trú với Công an tỉnh.',
    newDueAt: '2025-03-24T10:00:00+07:00',
  });
  expect(apology.status).toBe(201);
  expect(apology.body).toMatchObject({ newDueAt: '2025-03-24T10:00:00+07:00', letterUrl: 'http://dunghan.test/letters/D1/apology' });
  const second = await api('post', '/api/v1/dossiers/D1/apology', t.keys.supervisor).send({ reason: 'Lần hai', extraWorkingDays: 1 });
  expect(second.status).toBe(422);
  const both = await api('post', '/api/v1/dossiers/D3/apology', t.keys.supervisor).send({
    reason: 'x',
    extraWorkingDays: 1,
    newDueAt: '2025-03-28T10:00:00+07:00',
  });
  expect(both.status).toBe(400);

  const d1 = (await api('get', '/api/v1/dossiers/D1')).body;
  expect(d1.dueAt).toBe('2025-03-20T10:00:00+07:00');
  expect(d1.progress).toBe('overdue');
  expect(d1.apology).toMatchObject({ newDueAt: '2025-03-24T10:00:00+07:00', reschedules: false, reschedulesRate: false });
  // Issued after the original due instant: later than the law's one-day lead. It has an apology, a late one.
  expect(d1.flags).toEqual(['apology_too_late']);
  expect((await api('get', '/api/v1/dossiers?flag=late_without_apology')).body.items.map((d: { code: string }) => d.code)).toEqual(['D3']);
  expect((await api('get', '/api/v1/dossiers?flag=apology_too_late')).body.items.map((d: { code: string }) => d.code)).toEqual(['D1']);
  expect((await api('get', '/api/v1/dossiers?flag=declared_due_mismatch')).body.items.map((d: { code: string }) => d.code)).toEqual(['D3']);

  // D2: received Thu 20 Mar 15:00 → due Tue 25 Mar 15:00 (Thu 2 h, Fri 8 h, Mon 8 h, Tue 6 h). An apology the same
  // day is in time (the due date is 5 days ahead): its new appointment Wed 26 Mar 10:00 is the due instant.
  expect((await api('post', '/api/v1/events', t.keys.counter).send(ev.received('D2', '2025-03-20T15:00:00+07:00'))).status).toBe(201);
  const inTime = await api('post', '/api/v1/dossiers/D2/apology', t.keys.supervisor).send({
    reason: 'Cần xác minh nơi cư trú với Công an tỉnh.',
    newDueAt: '2025-03-26T10:00:00+07:00',
  });
  expect(inTime.status).toBe(201);
  const d2 = (await api('get', '/api/v1/dossiers/D2')).body;
  expect(d2.dueAt).toBe('2025-03-26T10:00:00+07:00');
  expect(d2.originalDueAt).toBe('2025-03-25T15:00:00+07:00');
  expect(d2.apology).toMatchObject({ reschedules: true, reschedulesRate: true });
  expect(d2.flags).toEqual([]);

  // Tue 25 Mar 11:00: one working day before the new due instant → due soon, for the new instant.
  t.clock.now = at('2025-03-25T11:00:00+07:00');
  // D2 only: its threshold (Tue 25 Mar 10:00) was crossed since the last scan; D1 and D3 are overdue, not due soon.
  expect(await runJob('due-soon-scan', deps())).toEqual({ alertsWritten: 2, dossiersExamined: 1 });
  // A scan that finds one dossier for a supervisor sends that dossier's own message.
  const before = smtp.received.length;
  await runJob('outbox-flush', deps());
  const single = smtp.received.slice(before).find((m) => (m.to as { text: string }).text === 'lanhdao@tpsl.example.vn')!;
  // Tue 11:00 → Wed 26 Mar 10:00: 1 h + 4 h on Tuesday, 2 h on Wednesday.
  expect(single.subject).toBe('[Đúng hạn] Hồ sơ D2 sắp đến hạn (còn 7 giờ làm việc)');
  expect(single.text).toContain('Thủ tục:           Đăng ký tạm trú (1.004194)');
  expect(single.text).toContain('Cơ quan tiếp nhận: Ủy ban nhân dân phường Chiềng Lề');
  expect(single.text).toContain('Người nộp:         L* V** H***');
  expect(single.text).toContain('Hạn trả kết quả:   10 giờ 00 phút, ngày 26 tháng 3 năm 2025');
  expect(single.text).toContain('Xem hồ sơ: http://dunghan.test/dossiers/D2');
  expect(single.html).toContain('<strong>D2</strong>');
});

test('SMTP down, then up: every alert is delivered exactly once', async () => {
  await runJob('outbox-flush', deps());
  const before = smtp.received.length;
  await smtp.down();
  t.clock.now = at('2025-03-26T10:30:00+07:00');
  // D2 is overdue, for its new due instant (Wed 26 Mar 10:00): two supervisors. D1 is looked at again (its late
  // apology is an event since the last scan) but not alerted again: its due instant did not move. D3 is not looked at.
  expect(await runJob('overdue-scan', deps())).toEqual({ alertsWritten: 2, dossiersExamined: 2 });
  const pending = await outbox("status = 'pending'");
  const failedFirst = await runJob('outbox-flush', deps());
  expect(failedFirst).toEqual({ sent: 0, retried: pending.length, failed: 0 });
  // Still pending, backed off; flushing again at once sends nothing (not due yet).
  expect((await outbox("status = 'pending' AND attempts = 1")).length).toBe(pending.length);
  expect(await runJob('outbox-flush', deps())).toEqual({ sent: 0, retried: 0, failed: 0 });

  await smtp.up();
  t.clock.now += 2 * 60_000;
  expect(await runJob('outbox-flush', deps())).toEqual({ sent: pending.length, retried: 0, failed: 0 });
  expect(await runJob('outbox-flush', deps())).toEqual({ sent: 0, retried: 0, failed: 0 });
  const delivered = smtp.received.slice(before);
  expect(delivered).toHaveLength(pending.length);
  expect(new Set(delivered.map((m) => m.messageId)).size).toBe(pending.length);
  expect(new Set(delivered.map((m) => m.messageId))).toEqual(new Set(pending.map((r) => `<alert-${r.id}@dunghan>`)));
});

test('after the last try a row is marked failed and shown on the admin page, never dropped', async () => {
  await smtp.down();
  await t.ctx.db.pool.query(
    `INSERT INTO alert_outbox (dedupe_key, kind, dossier_code, recipient, subject, html, text, next_attempt_at)
     VALUES ('test:unreachable', 'overdue', 'D3', 'vp@sonla.example.vn', 'Thư thử', '<p>x</p>', 'x', $1)`,
    [new Date(t.clock.now)],
  );
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    await runJob('outbox-flush', deps());
    t.clock.now += 5 * 3_600_000;
  }
  const [row] = await outbox("dedupe_key = 'test:unreachable'");
  expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
  expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
  await smtp.up();

  const page = await request(t.app)
    .get('/admin/outbox')
    .set('Cookie', `dunghan_session=${await signIn(t.app, t.keys.admin)}`);
  expect(page.status).toBe(200);
  expect(page.text).toMatch(/<td class="status">Gửi lỗi<\/td>/);
  expect(page.text).toContain('Thư thử');
  // Not for other roles; without a session, to the login form.
  expect(
    (
      await request(t.app)
        .get('/admin/outbox')
        .set('Cookie', `dunghan_session=${await signIn(t.app, t.keys.auditor)}`)
    ).status,
  ).toBe(403);
  const anonymous = await request(t.app).get('/admin/outbox');
  expect(anonymous.status).toBe(302);
  expect(anonymous.headers.location).toBe('/login?next=%2Fadmin%2Foutbox');
});

test('the daily digest: one mail per supervisor on a working day, none on a holiday', async () => {
  t.clock.now = at('2025-04-30T07:30:00+07:00'); // Victory Day
  expect(await runJob('daily-digest', deps())).toEqual({ digestsWritten: 0 });
  t.clock.now = at('2025-04-26T07:30:00+07:00'); // a Saturday worked in exchange for 2 May
  const { digestsWritten } = await runJob('daily-digest', deps());
  expect(digestsWritten).toBe(2); // SLA.TPSL's and SLA's supervisors; Mộc Châu has nothing
  expect(await runJob('daily-digest', deps())).toEqual({ digestsWritten: 0 });
  const before = smtp.received.length;
  await runJob('outbox-flush', deps());
  const digest = smtp.received.slice(before).find((m) => (m.to as { text: string }).text === 'lanhdao@tpsl.example.vn')!;
  expect(digest.subject).toBe('[Đúng hạn] Ủy ban nhân dân thành phố Sơn La: 3 hồ sơ quá hạn, 0 hồ sơ sắp đến hạn');
  // D3 alone has no apology: D1's came late (still overdue, but not "without apology"), D2's in time.
  expect(digest.text).toContain('3 hồ sơ quá hạn (1 hồ sơ chưa có văn bản xin lỗi)');
  expect(digest.text).toMatch(
    /- D2 \| Đăng ký tạm trú \| L\* V\*\* H\*\*\* \| hạn 10 giờ 00 phút, ngày 26 tháng 3 năm 2025 \| quá hạn [^|]+\| http:\/\/dunghan.test\/dossiers\/D2\n/,
  );
  expect(digest.text).toMatch(/- D3 \| [^\n]*\| http:\/\/dunghan.test\/dossiers\/D3 \| chưa có văn bản xin lỗi\n/);
});

test('agenda workers: two schedulers on one database run each job once and send each alert once', async () => {
  await api('post', '/api/v1/events', t.keys.counter).send(ev.received('D9', '2025-04-01T09:00:00+07:00'));
  t.clock.now = at('2025-04-10T09:00:00+07:00');
  const before = smtp.received.length;
  // A short lock lifetime: agenda's alive-check timers (every half of it) would otherwise keep this process up for
  // five minutes after the workers stop. A job that outlived it would be taken over, never sent twice (the ledger).
  const fast = { processEvery: '1 second', scanEvery: '2 seconds', flushEvery: '1 second', lockLifetimeMs: 10_000 };
  const workers = await Promise.all([startScheduler(deps(), { name: 'w1', ...fast }), startScheduler(deps(), { name: 'w2', ...fast })]);
  try {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await outbox("dossier_code = 'D9' AND status = 'sent'")).length < 2) await new Promise((r) => setTimeout(r, 300));
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
  const d9 = smtp.received.slice(before).filter((m) => m.subject?.includes('D9'));
  expect(d9.map((m) => (m.to as { text: string }).text).sort()).toEqual(['lanhdao@tpsl.example.vn', 'vp@sonla.example.vn']);
  const { rows } = await t.ctx.db.pool.query("SELECT count(*)::int AS n FROM agenda_jobs WHERE name = 'overdue-scan'");
  expect(rows[0].n).toBe(1);
});

test('the overdue scan looks at the newly overdue and the newly changed, not the backlog', async () => {
  const overdueNow = async () => (await api('get', '/api/v1/dossiers?outcome=overdue&limit=500')).body.items.length;
  // E1–E3: Đăng ký tạm trú received Mon 14 Apr 2025 09:00 → due Thu 17 Apr 09:00.
  const post = (events: unknown[]) => api('post', '/api/v1/events', t.keys.counter).send(events);
  expect((await post(['E1', 'E2', 'E3'].map((c) => ev.received(c, '2025-04-14T09:00:00+07:00')))).status).toBe(201);
  t.clock.now = at('2025-04-14T10:00:00+07:00');
  // Changed since the last scan, but not overdue.
  expect(await runJob('overdue-scan', deps())).toEqual({ alertsWritten: 0, dossiersExamined: 0 });
  t.clock.now = at('2025-04-17T10:00:00+07:00');
  const backlog = await overdueNow();
  expect(backlog).toBeGreaterThan(3);
  // Only the three that crossed their due instant since: two supervisors each.
  expect(await runJob('overdue-scan', deps())).toEqual({ alertsWritten: 6, dossiersExamined: 3 });
  t.clock.now = at('2025-04-17T11:00:00+07:00');
  expect(await runJob('overdue-scan', deps())).toEqual({ alertsWritten: 0, dossiersExamined: 0 });
  // A dossier posted late, with a receipt of 1 Apr (due Fri 4 Apr 09:00, before the last scan): found by its event.
  expect((await post([ev.received('E4', '2025-04-01T09:00:00+07:00')])).status).toBe(201);
  expect(await runJob('overdue-scan', deps())).toEqual({ alertsWritten: 2, dossiersExamined: 1 });
  // Someone new to tell hears of the whole backlog once.
  expect((await api('post', '/api/v1/agencies/SLA.TPSL.CLE/supervisors').send({ name: 'Phường Chiềng Lề', email: 'cle@example.vn' })).status).toBe(201);
  const all = await overdueNow();
  expect(await runJob('overdue-scan', deps())).toEqual({ alertsWritten: all, dossiersExamined: all });
  expect(await runJob('overdue-scan', deps())).toEqual({ alertsWritten: 0, dossiersExamined: 0 });
});

test('`dunghan jobs run` runs one job and exits; an unknown job is exit 2', async () => {
  const env = { ...process.env, DATABASE_URL: t.url, SMTP_URL: smtp.url };
  const { stdout } = await run(process.execPath, ['bin/dunghan.js', 'jobs', 'run', 'outbox-flush'], { env });
  expect(JSON.parse(stdout)).toEqual({ sent: expect.any(Number), retried: 0, failed: 0 });
  await expect(run(process.execPath, ['bin/dunghan.js', 'jobs', 'run', 'make-coffee'], { env })).rejects.toMatchObject({ code: 2 });
});
