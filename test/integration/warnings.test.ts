/**
 * Warnings that climb (issue 26 items 3 and 5): a three-step dossier crosses each default threshold, the scans run
 * at explicit instants and the loopback SMTP server receives exactly the expected messages — none outside office
 * hours, none twice, through a restart (the app closed and a new one started on the same database). Then the admin
 * API: settings as data, inherited down the tree, bad input refused naming the field with nothing written.
 *
 * Office hours 08:00–12:00, 13:00–17:00 (Sơn La's default); Mon 7 – Fri 11 Dec 2026 are all working days.
 */
import pg from 'pg';
import request from 'supertest';
import type { Express } from 'express';
import { AppContext } from '../../src/app-context.js';
import { createMailer } from '../../src/alerts/mailer.js';
import { flushOutbox } from '../../src/alerts/outbox.js';
import { connect, type Db } from '../../src/db/database.js';
import { createApp } from '../../src/http/app.js';
import { runJob } from '../../src/jobs/jobs.js';
import { ev } from '../support/events.js';
import { TestSmtp } from '../support/smtp.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const at = (s: string) => Date.parse(s);
let t: TestApp;
let smtp: TestSmtp;
// The running application: replaced by a new one on the same database halfway (the restart).
let live: { ctx: AppContext; app: Express; db: Db };
const mailer = () => createMailer({ smtpUrl: smtp.url, from: 'Đúng hạn <no-reply@dunghan.test>', mailDir: '/nonexistent' });
const api = (method: 'get' | 'post' | 'put' | 'delete', path: string, key = t.keys.admin) =>
  request(live.app)[method](path).set('Authorization', `Bearer ${key}`);

const MAI = { name: 'Lò Thị Mai', email: 'mai.lt@tohieu.example.vn' };
const TU = { name: 'Cầm Văn Tú', email: 'tu.cv@tohieu.example.vn' };
const HOA = { name: 'Quàng Thị Hoa', email: 'hoa.qt@tohieu.example.vn' };
const WARD = 'lanhdao@tohieu.example.vn';
const PROVINCE = 'vanphong@sonla.example.vn';

/** Runs the warning scan at `when`, then flushes the outbox; returns the scan's counts and the mails it caused. */
async function scanAt(when: string) {
  t.clock.now = at(when);
  const before = smtp.received.length;
  const counts = await runJob('warning-scan', { ctx: live.ctx, mailer: mailer() });
  await flushOutbox(live.ctx.db.pool, mailer(), at(when));
  const mails = smtp.received.slice(before).map((m) => ({ to: (m.to as { text: string }).text, subject: m.subject ?? '', text: m.text ?? '' }));
  return { counts, mails: mails.sort((a, b) => a.to.localeCompare(b.to)) };
}

async function post(when: string, event: Record<string, unknown>) {
  t.clock.now = at(when);
  const res = await api('post', '/api/v1/events').send(event);
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  t = await createTestApp({ now: at('2026-12-07T08:30:00+07:00') });
  live = { ctx: t.ctx, app: t.app, db: t.ctx.db };
  smtp = await TestSmtp.start();
  // The ward's supervisor (the unit's), and the province's office above it (the leader).
  expect((await api('post', '/api/v1/agencies/SLA.P.TOHIEU/supervisors').send({ name: 'Lãnh đạo phường Tô Hiệu', email: WARD })).status).toBe(201);
  expect((await api('post', '/api/v1/agencies/SLA/supervisors').send({ name: 'Văn phòng UBND tỉnh', email: PROVINCE })).status).toBe(201);
});

afterAll(async () => {
  await smtp.down();
  await live.ctx.close();
  await live.db.close();
  const admin = new pg.Client({ connectionString: process.env.DUNGHAN_TEST_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${new URL(t.url).pathname.slice(1)} WITH (FORCE)`);
  await admin.end();
});

test('a three-step dossier crosses each default threshold: the expected messages at the expected scans, none out of hours, none twice, through a restart', async () => {
  // Đăng ký tạm trú (3 working days = 24 h) received Mon 7 Dec 09:00 at the ward's centre: Mon 09–17 (7 h), Tue (8 h),
  // Wed (8 h), Thu 08–09 (1 h) → due Thu 10 Dec 09:00.
  await post('2026-12-07T09:00:00+07:00', ev.received('W-1', '2026-12-07T09:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }));
  // Step 1 at the centre, 2 working hours from Mon 09:00 → due Mon 11:00; 75 % used (30 min left) at Mon 10:30.
  await post(
    '2026-12-07T09:00:00+07:00',
    ev.of('assigned', 'W-1', '2026-12-07T09:00:00+07:00', {
      agencyCode: 'SLA.P.TOHIEU.TTPV',
      step: 'Tiếp nhận, kiểm tra',
      budget: { value: 2, unit: 'working-hours' },
      holder: MAI,
    }),
  );
  expect((await api('get', '/api/v1/dossiers/W-1')).body.dueAt).toBe('2026-12-10T09:00:00+07:00');

  // Mon 10:00, the first scan: it judges the one open dossier (no watermark yet); nothing crossed.
  expect(await scanAt('2026-12-07T10:00:00+07:00')).toEqual({
    counts: { warningsWritten: 0, messagesWritten: 0, warningsHeldBack: 0, dossiersExamined: 1 },
    mails: [],
  });

  // Mon 10:30: step 1 is 75 % used → its holder alone.
  const s2 = await scanAt('2026-12-07T10:30:00+07:00');
  expect(s2.counts).toEqual({ warningsWritten: 1, messagesWritten: 1, warningsHeldBack: 0, dossiersExamined: 1 });
  expect(s2.mails.map((m) => [m.to, m.subject])).toEqual([
    [MAI.email, '[Đúng hạn] Bước «Tiếp nhận, kiểm tra» của hồ sơ W-1 đã dùng 75% thời gian (còn 30 phút làm việc)'],
  ]);
  expect(s2.mails[0]!.text).toContain('Kính gửi Lò Thị Mai,');
  expect(s2.mails[0]!.text).toContain('Đề nghị hoàn thành bước xử lý trong thời hạn, hoặc báo lãnh đạo nếu cần hỗ trợ.');
  // The applicant's name is masked, as in every alert.
  expect(s2.mails[0]!.text).toContain('Người nộp: L* V** H***');

  // Mon 10:45, in time: step 2 at the ward, 1 working day (8 h): Mon 10:45–12 (1 h 15), 13–17 (4 h), Tue 08–10:45
  // (2 h 45) → due Tue 10:45; 75 % used (2 h left) at Tue 08:45; due at Tue 10:45, then every 4 working hours:
  // Tue 15:45 (10:45–12, 13–15:45), Wed 10:45.
  await post(
    '2026-12-07T10:45:00+07:00',
    ev.of('assigned', 'W-1', '2026-12-07T10:45:00+07:00', {
      agencyCode: 'SLA.P.TOHIEU',
      step: 'Thẩm định',
      budget: { value: 1, unit: 'working-days' },
      holder: TU,
    }),
  );
  // Mon 17:30: the office is closed, and nothing has crossed since (the hand-over is the one change looked at).
  expect((await scanAt('2026-12-07T17:30:00+07:00')).counts).toEqual({ warningsWritten: 0, messagesWritten: 0, warningsHeldBack: 0, dossiersExamined: 1 });

  // Tue 09:00: step 2 is 75 % used (since 08:45); 1 h 45 min left until 10:45.
  const s4 = await scanAt('2026-12-08T09:00:00+07:00');
  expect(s4.mails.map((m) => [m.to, m.subject])).toEqual([
    [TU.email, '[Đúng hạn] Bước «Thẩm định» của hồ sơ W-1 đã dùng 75% thời gian (còn 1 giờ 45 phút làm việc)'],
  ]);

  // Tue 11:00: step 2 is due (10:45) → the holder and the unit's supervisor (the ward's); overdue by 15 minutes.
  const s5 = await scanAt('2026-12-08T11:00:00+07:00');
  expect(s5.counts).toEqual({ warningsWritten: 2, messagesWritten: 2, warningsHeldBack: 0, dossiersExamined: 1 });
  const overdue = '[Đúng hạn] Bước «Thẩm định» của hồ sơ W-1 đã quá hạn 15 phút làm việc';
  expect(s5.mails.map((m) => [m.to, m.subject])).toEqual([
    [WARD, overdue],
    [TU.email, overdue],
  ]);
  expect(s5.mails[0]!.text).toContain('Người đang xử lý: Cầm Văn Tú');

  // The restart: this application closes, a new one starts on the same database.
  await live.ctx.close();
  await live.db.close();
  const db = connect(t.url, 5);
  const ctx = await AppContext.load(db, { now: () => t.clock.now, publicUrl: 'http://dunghan.test' });
  live = { ctx, app: createApp(ctx), db };

  // The same instant again, on the new application: nothing crossed since and nothing sent twice.
  expect(await scanAt('2026-12-08T11:00:00+07:00')).toEqual({
    counts: { warningsWritten: 0, messagesWritten: 0, warningsHeldBack: 0, dossiersExamined: 0 },
    mails: [],
  });
  // Tue 18:00: the first repeat (Tue 15:45) has come, but the office is closed: held back, nothing written.
  expect(await scanAt('2026-12-08T18:00:00+07:00')).toEqual({
    counts: { warningsWritten: 0, messagesWritten: 0, warningsHeldBack: 1, dossiersExamined: 1 },
    mails: [],
  });
  // The held dossier is planned for the opening (Wed 08:00): a scan later in the night reads nothing.
  expect((await scanAt('2026-12-08T21:00:00+07:00')).counts).toEqual({ warningsWritten: 0, messagesWritten: 0, warningsHeldBack: 0, dossiersExamined: 0 });
  // Wed 08:00, the office opens: the repeat goes out. Overdue Tue 10:45–12 (1 h 15) + 13–17 (4 h) = 5 h 15.
  const s8 = await scanAt('2026-12-09T08:00:00+07:00');
  const repeat = '[Đúng hạn] Bước «Thẩm định» của hồ sơ W-1 đã quá hạn 5 giờ 15 phút làm việc (nhắc lại lần 1)';
  expect(s8.mails.map((m) => [m.to, m.subject])).toEqual([
    [WARD, repeat],
    [TU.email, repeat],
  ]);

  // Wed 09:00: the dossier is due within 1 working day (Wed 09:00 → Thu 09:00 = 8 h) with no apology → the unit's
  // supervisor and the leader (the province's office, the next level up with supervisors).
  // Two workers scanning at once write each warning once: one scan waits for the other's watermark, then finds the
  // crossing in the ledger.
  t.clock.now = at('2026-12-09T09:00:00+07:00');
  const both = await Promise.all([runJob('warning-scan', { ctx: live.ctx, mailer: mailer() }), runJob('warning-scan', { ctx: live.ctx, mailer: mailer() })]);
  expect(both.map((r) => r.warningsWritten).sort()).toEqual([0, 2]);
  const s9 = await scanAt('2026-12-09T09:00:00+07:00');
  expect(s9.counts.warningsWritten).toBe(0);
  const dossierDue = '[Đúng hạn] Hồ sơ W-1 còn 1 ngày làm việc là đến hạn trả kết quả và chưa có văn bản xin lỗi';
  expect(s9.mails.map((m) => [m.to, m.subject])).toEqual([
    [WARD, dossierDue],
    [PROVINCE, dossierDue],
  ]);
  expect(s9.mails[1]!.text).toContain('Kính gửi Văn phòng UBND tỉnh,');

  // Wed 09:30: step 3 (the leader's signature), 4 working hours → due Wed 14:30 (09:30–12, 13–14:30); 75 % at 13:30.
  // Step 2 ends: its second repeat (Wed 10:45) never comes.
  await post(
    '2026-12-09T09:30:00+07:00',
    ev.of('assigned', 'W-1', '2026-12-09T09:30:00+07:00', {
      agencyCode: 'SLA.P.TOHIEU',
      step: 'Ký duyệt',
      budget: { value: 4, unit: 'working-hours' },
      holder: HOA,
    }),
  );
  const s10 = await scanAt('2026-12-09T13:30:00+07:00');
  expect(s10.mails.map((m) => [m.to, m.subject])).toEqual([[HOA.email, '[Đúng hạn] Bước «Ký duyệt» của hồ sơ W-1 đã dùng 75% thời gian (còn 1 giờ làm việc)']]);

  // Wed 14:30: step 3 is due (→ Hoa and the ward), and the dossier warning repeats (Wed 09:00 + 4 working hours =
  // 14:00; → the ward and the province). The ward hears of both in one message: one message per person per scan.
  const s11 = await scanAt('2026-12-09T14:30:00+07:00');
  expect(s11.counts).toEqual({ warningsWritten: 4, messagesWritten: 3, warningsHeldBack: 0, dossiersExamined: 1 });
  // 14:30 → Thu 09:00: 14:30–17 (2 h 30) + 08–09 (1 h) = 3 h 30 left.
  const dossierRepeat = 'Hồ sơ W-1 còn 3 giờ 30 phút làm việc là đến hạn trả kết quả và chưa có văn bản xin lỗi (nhắc lại lần 1)';
  const stepDue = 'Bước «Ký duyệt» của hồ sơ W-1 đã đến hạn';
  expect(s11.mails.map((m) => [m.to, m.subject])).toEqual([
    [HOA.email, `[Đúng hạn] ${stepDue}`],
    [WARD, '[Đúng hạn] 2 cảnh báo hồ sơ cần xử lý'],
    [PROVINCE, `[Đúng hạn] ${dossierRepeat}`],
  ]);
  // Most urgent first: the step (0 left) before the dossier (3 h 30 left).
  const ward = s11.mails[1]!.text;
  expect(ward.indexOf(`- ${stepDue}`)).toBeGreaterThan(0);
  expect(ward.indexOf(`- ${stepDue}`)).toBeLessThan(ward.indexOf(`- ${dossierRepeat}`));

  // Wed 15:00: an apology, lawful (Wed 9 Dec is no later than 1 day before the due date, Thu 10 Dec): the dossier's
  // warning stops. Step 3's next repeat would be Wed 14:30 + 4 h = Thu 09:30.
  await post(
    '2026-12-09T15:00:00+07:00',
    ev.of('apology_issued', 'W-1', '2026-12-09T15:00:00+07:00', { reason: 'Cần xác minh nơi cư trú.', newDueAt: '2026-12-11T15:00:00+07:00' }),
  );
  expect((await scanAt('2026-12-09T16:00:00+07:00')).counts).toEqual({ warningsWritten: 0, messagesWritten: 0, warningsHeldBack: 0, dossiersExamined: 1 });
  // Wed 16:30: the result is ready; the dossier has moved for good, and leaves the plan.
  await post('2026-12-09T16:30:00+07:00', ev.of('result_ready', 'W-1', '2026-12-09T16:30:00+07:00'));
  expect((await scanAt('2026-12-10T10:00:00+07:00')).counts).toEqual({ warningsWritten: 0, messagesWritten: 0, warningsHeldBack: 0, dossiersExamined: 1 });
  expect((await scanAt('2026-12-10T11:00:00+07:00')).counts).toEqual({ warningsWritten: 0, messagesWritten: 0, warningsHeldBack: 0, dossiersExamined: 0 });
  expect((await live.db.pool.query('SELECT count(*)::int AS n FROM warning_plan')).rows[0].n).toBe(0);

  // In all: 1 + 1 + 2 + 2 + 2 + 1 + 3 = 12 messages, each written at a scan within office hours, each (crossing,
  // recipient) once in the ledger.
  const warnings = smtp.received.filter((m) => m.subject?.startsWith('[Đúng hạn]'));
  expect(warnings).toHaveLength(12);
  const { rows } = await live.db.pool.query("SELECT created_at FROM alert_outbox WHERE kind = 'warning'");
  const index = live.ctx.calendar.workingTime();
  expect(rows.filter((r) => index.nextOpening(r.created_at.getTime()) !== r.created_at.getTime())).toEqual([]);
  const ledger = await live.db.pool.query("SELECT count(*)::int AS n, count(DISTINCT dedupe_key)::int AS keys FROM alerts WHERE kind = 'warning'");
  expect(ledger.rows[0]).toEqual({ n: 13, keys: 13 }); // 1 + 1 + 2 + 2 + 2 + 1 + 4 (crossing, recipient) pairs
});

test('settings are data: validated field by field with nothing written, inherited down the tree, a named person told outside office hours when the agency says so', async () => {
  const settingsOf = async (code: string) => (await api('get', `/api/v1/agencies/${code}/warnings`, t.keys.auditor)).body;
  const commune = 'SLA.X.MAISON';
  const before = await settingsOf(commune);
  expect(before).toMatchObject({ agencyCode: commune, own: null, inheritedFrom: null });
  expect(before.effective).toEqual(before.defaults);
  expect(
    before.defaults.thresholds.map((x: { on: string; usedPercent?: number; dueWithinWorkingDays?: number; notify: unknown[] }) => [
      x.on,
      x.usedPercent ?? x.dueWithinWorkingDays,
      x.notify,
    ]),
  ).toEqual([
    ['step', 75, ['holder']],
    ['step', 100, ['holder', 'supervisor']],
    ['dossier', 1, ['supervisor', 'leader']],
  ]);

  // People: one at the commune, one at Mộc Châu.
  const person = async (name: string, email: string, agency: string) => {
    const res = await api('post', '/api/v1/users').send({ name, email, roles: ['supervisor'], agencyCodes: [agency] });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const chairman = await person('Hà Văn Sơn', 'son.hv@maison.example.vn', commune);
  const outsider = await person('Đinh Thị Lan', 'lan.dt@mocchau.example.vn', 'SLA.MCH');
  const step = (notify: unknown[], usedPercent = 50) => ({ thresholds: [{ on: 'step', usedPercent, notify }], outsideOfficeHours: true });

  const put = (body: unknown, key = t.keys.admin) => api('put', `/api/v1/agencies/${commune}/warnings`, key).send(body as object);
  const refusals: Array<[unknown, number, Array<{ path: string; message?: string }>]> = [
    [step(['holder'], 120), 400, [{ path: 'thresholds[0].usedPercent' }]],
    [step([]), 400, [{ path: 'thresholds[0].notify', message: 'a threshold needs at least one recipient' }]],
    [step(['holder', 'mayor']), 400, [{ path: 'thresholds[0].notify[1]' }]],
    [
      { thresholds: [{ on: 'dossier', dueWithinWorkingDays: 1, notify: ['leader'], repeatEveryWorkingHours: -4 }] },
      400,
      [{ path: 'thresholds[0].repeatEveryWorkingHours' }],
    ],
    [
      step([{ personId: 'a4b0c7e2-0000-4000-8000-000000000000' }]),
      422,
      [{ path: 'thresholds[0].notify[0].personId', message: 'unknown person a4b0c7e2-0000-4000-8000-000000000000' }],
    ],
    [
      step(['holder', { personId: outsider }]),
      422,
      [{ path: 'thresholds[0].notify[1].personId', message: `person ${outsider} does not belong to agency ${commune}` }],
    ],
  ];
  for (const [body, status, errors] of refusals) {
    const res = await put(body);
    expect({
      status: res.status,
      errors: res.body.errors?.map((e: { path: string; message: string }) => ({ path: e.path, ...(errors[0]?.message ? { message: e.message } : {}) })),
    }).toEqual({
      status,
      errors,
    });
  }
  // Only an admin sets them.
  expect((await put(step(['holder']), t.keys.supervisor)).status).toBe(403);
  // Nothing was written.
  expect((await live.db.pool.query('SELECT count(*)::int AS n FROM warning_settings')).rows[0].n).toBe(0);

  // The province sets its own: the commune, with none of its own, inherits them whole.
  const province = { thresholds: [{ on: 'step', usedPercent: 90, notify: ['supervisor'], repeatEveryWorkingHours: 8 }], outsideOfficeHours: false };
  expect((await api('put', '/api/v1/agencies/SLA/warnings').send(province)).status).toBe(200);
  expect(await settingsOf(commune)).toMatchObject({ own: null, inheritedFrom: 'SLA', effective: province });

  // The commune's own: half the step's time used → its chairman, by account, even outside office hours.
  const own = await put(step([{ personId: chairman }]));
  expect(own.status).toBe(200);
  expect(own.body).toMatchObject({
    inheritedFrom: null,
    effective: { thresholds: [{ on: 'step', usedPercent: 50, notify: [{ personId: chairman }], repeatEveryWorkingHours: null }], outsideOfficeHours: true },
  });

  // Received Thu 10 Dec 14:00 at the commune; its step, 2 working hours from 15:00, runs out at the closing time:
  // due Thu 17:00, half used at 16:00.
  await post('2026-12-10T14:00:00+07:00', ev.received('W-2', '2026-12-10T14:00:00+07:00', { receivingAgencyCode: commune }));
  await post(
    '2026-12-10T15:00:00+07:00',
    ev.of('assigned', 'W-2', '2026-12-10T15:00:00+07:00', { agencyCode: commune, step: 'Xác minh', budget: { value: 2, unit: 'working-hours' }, holder: MAI }),
  );
  // Thu 18:00, after hours: the commune says warnings may go out then. The settings changed, so this scan judges
  // every open dossier once (W-2 alone: W-1 is finished).
  const evening = await scanAt('2026-12-10T18:00:00+07:00');
  expect(evening.counts).toEqual({ warningsWritten: 1, messagesWritten: 1, warningsHeldBack: 0, dossiersExamined: 1 });
  // The step was due at the closing time (17:00); no working time has passed since, so it is due, not overdue.
  expect(evening.mails.map((m) => [m.to, m.subject])).toEqual([
    ['son.hv@maison.example.vn', '[Đúng hạn] Bước «Xác minh» của hồ sơ W-2 đã dùng 50% thời gian (nay đã đến hạn)'],
  ]);
  expect(evening.mails[0]!.text).toContain('Kính gửi Hà Văn Sơn,');

  // Cleared, the commune inherits the province's again.
  expect((await api('delete', `/api/v1/agencies/${commune}/warnings`)).status).toBe(204);
  expect((await api('delete', `/api/v1/agencies/${commune}/warnings`)).status).toBe(404);
  expect((await settingsOf(commune)).inheritedFrom).toBe('SLA');
});
