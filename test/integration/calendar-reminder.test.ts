/**
 * A reminder before the year turns: from 1 October, while next year's Tết
 * schedule is not loaded, administrators get one e-mail a week and the
 * dashboard shows a banner, both naming the open dossiers whose deadlines
 * already reach into that year.
 */
import request from 'supertest';
import { runJob } from '../../src/jobs/jobs.js';
import type { Mailer } from '../../src/alerts/mailer.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';

let t: TestApp;
const noMail = {} as Mailer; // the job only writes the outbox; sending is outbox-flush's
const run = () => runJob('calendar-reminder', { ctx: t.ctx, mailer: noMail, adminEmails: ['quantri@sonla.example.vn'] });

beforeAll(async () => {
  // Tue 5 Oct 2027: 2028's Tết schedule has not been announced.
  t = await createTestApp({ now: Date.parse('2027-10-05T10:00:00+07:00') });
  const admin = (path: string, body: object) => request(t.app).post(path).set('Authorization', `Bearer ${t.keys.admin}`).send(body);
  expect((await admin('/api/v1/agencies/SLA/supervisors', { name: 'Văn phòng tỉnh', email: 'vp@sonla.example.vn' })).status).toBe(201);
  // 20 working days from Mon 20 Dec 2027 end in January 2028; 3 working days from Mon 4 Oct 2027 do not.
  expect(
    (
      await admin(
        '/api/v1/events',
        ev.received('Y2028-1', '2027-12-20T09:00:00+07:00', { procedureCode: '1.001776', receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }),
      )
    ).status,
  ).toBe(201);
  expect((await admin('/api/v1/events', ev.received('Y2027-1', '2027-10-04T09:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }))).status).toBe(201);
});
afterAll(async () => t.close());

const reminders = async () =>
  (await t.ctx.db.pool.query("SELECT recipient, subject, text FROM alert_outbox WHERE kind = 'calendar_reminder' ORDER BY recipient, id")).rows;

test('one reminder a week to the administrators and the province supervisors, naming the dossiers reaching into 2028', async () => {
  expect(await run()).toEqual({ remindersWritten: 2 });
  const rows = await reminders();
  expect(rows.map((r) => r.recipient)).toEqual(['quantri@sonla.example.vn', 'vp@sonla.example.vn']);
  expect(rows[0].subject).toBe('[Đúng hạn] Chưa có lịch nghỉ Tết 2028: 1 hồ sơ đang giải quyết có hạn sang năm 2028');
  expect(rows[0].text).toContain('Y2028-1');
  expect(rows[0].text).not.toContain('Y2027-1');
  // The same week: nothing more. The next week: once more.
  t.clock.now = Date.parse('2027-10-08T10:00:00+07:00');
  expect(await run()).toEqual({ remindersWritten: 0 });
  t.clock.now = Date.parse('2027-10-11T10:00:00+07:00');
  expect(await run()).toEqual({ remindersWritten: 2 });
});

test("the dashboard shows the banner with the dossiers, within the key's agencies", async () => {
  const page = await request(t.app).get('/dashboard').set('Authorization', `Bearer ${t.keys.admin}`);
  expect(page.status).toBe(200);
  expect(page.text).toMatch(/id="calendar-banner"[\s\S]*Chưa có lịch nghỉ Tết 2028[\s\S]*href="\/dossiers\/Y2028-1"/);
  const outside = await request(t.app).get('/dashboard').set('Authorization', `Bearer ${t.keys.supervisor}`); // SLA.TPSL
  expect(outside.text).toMatch(/data-count="reaching">0</);
});

test('while statutory-only days lie ahead the reminder goes on, naming them; once every one is announced, nothing', async () => {
  // Thu 30 Sep 2027, before 1 October: 2028 is not looked at yet, but 2027's Wed 24 Nov (Vietnamese Culture Day) is
  // still statutory-only (fixtures/calendar/VN-2027.json): the reminder names it (issue 23 item 8).
  t.clock.now = Date.parse('2027-09-30T10:00:00+07:00');
  expect(await run()).toEqual({ remindersWritten: 2 });
  const september = (await reminders()).at(-1)!;
  // Y2028-1's deadline is provisional already (it crosses the statutory New Year 2028): named among the dossiers.
  expect(september.subject).toBe('[Đúng hạn] Chưa có thông báo chính thức cho 1 ngày nghỉ: 1 hồ sơ đang giải quyết có hạn tạm tính');
  expect(september.text).toContain('Thứ Tư, 24/11/2027 (Ngày Văn hóa Việt Nam)');
  // Mon 18 Oct 2027: 2028's Tết is announced; its New Year, Hùng Kings, 30 April–1 May and 24 November are not.
  t.clock.now = Date.parse('2027-10-18T10:00:00+07:00');
  const importYear = async (year: number, days: object[]) =>
    (await request(t.app).post('/api/v1/calendar/import').set('Authorization', `Bearer ${t.keys.admin}`).send({ year, days })).status;
  // The year's file as VN-2027.json is written: every statutory day, Tết's confirmed by the notice, the rest not yet.
  const yearFile = (year: number, confirmed: (name: string) => boolean) => {
    const y = t.ctx.calendar.describeYear(year);
    return [...y.daysOff, ...y.workingWeekendDays].map(({ date, kind, name, source }) => ({ date, kind, name, source, confirmed: confirmed(name) }));
  };
  expect(
    await importYear(
      2028,
      yearFile(2028, (name) => /Tết Nguyên đán/.test(name)),
    ),
  ).toBe(200);
  expect(await run()).toEqual({ remindersWritten: 2 });
  const october = (await reminders()).at(-1)!;
  expect(october.subject).not.toContain('Tết');
  expect(october.text).toContain('Thứ Hai, 03/01/2028 (Nghỉ bù Tết Dương lịch)');
  expect(october.text).toContain('Thứ Ba, 04/04/2028 (Giỗ Tổ Hùng Vương)');
  expect(october.text).toContain('Thứ Tư, 24/11/2027 (Ngày Văn hóa Việt Nam)');
  // Y2028-1 (due Tue 18 Jan 2028) crosses the statutory Mon 3 Jan 2028: provisional, named.
  expect(october.text).toContain('Y2028-1');
  expect((await request(t.app).get('/dashboard').set('Authorization', `Bearer ${t.keys.admin}`)).text).not.toContain('calendar-banner');
  // Every rest day of 2027 and 2028 announced (confirmed): nothing more to remind of, the week after.
  expect(
    await importYear(
      2027,
      yearFile(2027, () => true),
    ),
  ).toBe(200);
  expect(
    await importYear(
      2028,
      yearFile(2028, () => true),
    ),
  ).toBe(200);
  t.clock.now = Date.parse('2027-10-25T10:00:00+07:00');
  expect(await run()).toEqual({ remindersWritten: 0 });
});
