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
  expect((await admin('/api/v1/events', ev.received('Y2028-1', '2027-12-20T09:00:00+07:00', { procedureCode: '1.001776', receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }))).status).toBe(201);
  expect((await admin('/api/v1/events', ev.received('Y2027-1', '2027-10-04T09:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }))).status).toBe(201);
});
afterAll(async () => t.close());

const reminders = async () => (await t.ctx.db.pool.query("SELECT recipient, subject, text FROM alert_outbox WHERE kind = 'calendar_reminder' ORDER BY recipient, id")).rows;

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

test('the dashboard shows the banner with the dossiers, within the key\'s agencies', async () => {
  const page = await request(t.app).get('/dashboard').set('Authorization', `Bearer ${t.keys.admin}`);
  expect(page.status).toBe(200);
  expect(page.text).toMatch(/id="calendar-banner"[\s\S]*Chưa có lịch nghỉ Tết 2028[\s\S]*href="\/dossiers\/Y2028-1"/);
  const outside = await request(t.app).get('/dashboard').set('Authorization', `Bearer ${t.keys.supervisor}`); // SLA.TPSL
  expect(outside.text).toMatch(/data-count="reaching">0</);
});

test('before 1 October, or once the Tết schedule is loaded, nothing', async () => {
  t.clock.now = Date.parse('2027-09-30T10:00:00+07:00');
  expect(await run()).toEqual({ remindersWritten: 0 });
  t.clock.now = Date.parse('2027-10-18T10:00:00+07:00');
  const tet = ['2028-01-24', '2028-01-25', '2028-01-26', '2028-01-27', '2028-01-28'].map((date) => ({ date, kind: 'holiday', name: 'Tết Nguyên đán Mậu Thân', source: 'Thông báo thử nghiệm', confirmed: true }));
  expect((await request(t.app).post('/api/v1/calendar/import').set('Authorization', `Bearer ${t.keys.admin}`).send({ year: 2028, days: tet })).status).toBe(200);
  expect(await run()).toEqual({ remindersWritten: 0 });
  expect((await request(t.app).get('/dashboard').set('Authorization', `Bearer ${t.keys.admin}`)).text).not.toContain('calendar-banner');
});
