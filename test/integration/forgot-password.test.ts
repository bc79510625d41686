/**
 * Issue 28 item 3, the rest: a person who forgot their password asks for a link from the sign-in page and gets it at
 * their own address (a real SMTP server on loopback); a stranger learns nothing from the answer; an account cannot
 * be flooded. An admin makes a deactivated person active again (API and page).
 */
import type { Express } from 'express';
import request from 'supertest';
import { createMailer } from '../../src/alerts/mailer.js';
import { createApp } from '../../src/http/app.js';
import { sessionCsrfToken } from '../../src/http/csrf.js';
import { TestSmtp } from '../support/smtp.js';
import { anonymousCsrf, createTestApp, signIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
let smtp: TestSmtp;
let app: Express;
let person: { id: string };
const EMAIL = 'tong.van.binh@sonla.gov.vn';

const form = (path: string, body: object, on: Express = app) => {
  const csrf = anonymousCsrf();
  return request(on)
    .post(path)
    .set('Cookie', csrf.cookie)
    .type('form')
    .send({ ...body, ...csrf.field });
};
const mailsTo = (address: string) => smtp.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === address);
const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
};

beforeAll(async () => {
  t = await createTestApp();
  smtp = await TestSmtp.start();
  app = createApp(t.ctx, { mailer: createMailer({ smtpUrl: smtp.url, from: 'dunghan@sonla.gov.vn', mailDir: '/nonexistent' }) });
  const created = await request(app)
    .post('/api/v1/users')
    .set('Authorization', `Bearer ${t.keys.admin}`)
    .send({ name: 'Tòng Văn Bình', email: EMAIL, roles: ['counter'], agencyCodes: ['SLA.TPSL'] });
  expect(created.status).toBe(201);
  person = created.body;
  const token = new URL(created.body.passwordLink).searchParams.get('token');
  expect((await form('/password/set', { token, password: 'mật khẩu đầu tiên', confirm: 'mật khẩu đầu tiên' })).status).toBe(303);
});
afterAll(async () => {
  await smtp.down();
  await t.close();
});

test('the link reaches the account’s own address, works once, and the new password signs in', async () => {
  const page = await request(app).get('/login');
  expect(page.text).toContain('href="/password/forgot"');
  const res = await form('/password/forgot', { email: 'TONG.VAN.BINH@sonla.gov.vn' });
  expect(res.status).toBe(200);
  expect(res.text).toContain('hiệu lực 72 giờ');
  await until(() => mailsTo(EMAIL).length === 1);
  const [mail] = mailsTo(EMAIL);
  expect(mail!.subject).toBe('Đặt lại mật khẩu Đúng hạn');
  expect(mail!.text).toContain('Kính gửi Tòng Văn Bình,');
  const link = /http:\/\/dunghan\.test\/password\/set\?token=[A-Za-z0-9_-]+/.exec(mail!.text ?? '')![0];
  const token = new URL(link).searchParams.get('token');
  expect((await form('/password/set', { token, password: 'mật khẩu sau khi quên', confirm: 'mật khẩu sau khi quên' })).status).toBe(303);
  expect((await form('/password/set', { token, password: 'lần thứ hai dùng lại', confirm: 'lần thứ hai dùng lại' })).status).toBe(410);
  expect(await signIn(app, { email: EMAIL, password: 'mật khẩu sau khi quên' })).toMatch(/.+/);
  await expect(signIn(app, { email: EMAIL, password: 'mật khẩu đầu tiên' })).rejects.toThrow('sign-in failed: 401');
});

test('a stranger learns nothing: an unknown address gets the same answer and no mail; an account is sent one link in 5 minutes', async () => {
  const before = mailsTo(EMAIL).length;
  const known = await form('/password/forgot', { email: EMAIL });
  const unknown = await form('/password/forgot', { email: 'khong.co.ai@sonla.gov.vn' });
  expect([known.status, unknown.status]).toEqual([200, 200]);
  const answer = (html: string, email: string) => html.slice(html.indexOf('<main>'), html.indexOf('</main>')).replace(email, 'ADDRESS');
  expect(answer(unknown.text, 'khong.co.ai@sonla.gov.vn')).toBe(answer(known.text, EMAIL));
  // Asked again at once: the link just sent is unused and less than 5 minutes old, so no second mail.
  expect((await form('/password/forgot', { email: EMAIL })).status).toBe(200);
  await until(() => mailsTo(EMAIL).length > before);
  await new Promise((r) => setTimeout(r, 500));
  expect(mailsTo(EMAIL).length).toBe(before + 1);
  expect(mailsTo('khong.co.ai@sonla.gov.vn')).toEqual([]);
});

test('a malformed address is refused next to its field; without a mail server the page says to ask an admin', async () => {
  const bad = await form('/password/forgot', { email: 'không phải địa chỉ' });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('id="forgot-error"');
  expect(bad.text).toContain('value="không phải địa chỉ"');
  const noMail = createApp(t.ctx);
  expect((await request(noMail).get('/password/forgot')).text).toContain('id="forgot-no-mail"');
  expect((await form('/password/forgot', { email: EMAIL }, noMail)).status).toBe(503);
});

test('the form is refused without its CSRF token, and answers 429 after 10 requests from one address', async () => {
  const fresh = createApp(t.ctx, { mailer: createMailer({ smtpUrl: smtp.url, from: 'dunghan@sonla.gov.vn', mailDir: '/nonexistent' }) });
  expect((await request(fresh).post('/password/forgot').type('form').send({ email: EMAIL })).status).toBe(403);
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) statuses.push((await form('/password/forgot', { email: `ai${i}@sonla.gov.vn` }, fresh)).status);
  expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);
});

test('an admin makes a deactivated person active again: the old password signs in, sessions stay ended', async () => {
  const session = await signIn(app, { email: EMAIL, password: 'mật khẩu sau khi quên' });
  const admin = (path: string) => request(app).post(path).set('Authorization', `Bearer ${t.keys.admin}`).send({});
  expect((await admin(`/api/v1/users/${person.id}/reactivate`)).status).toBe(422);
  expect((await admin(`/api/v1/users/${person.id}/deactivate`)).body).toEqual({ id: person.id, deactivated: true });
  expect((await admin(`/api/v1/users/${person.id}/reactivate`)).body).toEqual({ id: person.id, deactivated: false });
  const old = await request(app).get('/dashboard').set('Cookie', `dunghan_session=${session}`);
  expect(old.status).toBe(302);
  expect(await signIn(app, { email: EMAIL, password: 'mật khẩu sau khi quên' })).toMatch(/.+/);
  // The page: an admin person deactivates, then makes the person active again with the button.
  const created = await request(app)
    .post('/api/v1/users')
    .set('Authorization', `Bearer ${t.keys.admin}`)
    .send({ name: 'Quàng Thị Mai', email: 'quang.thi.mai@sonla.gov.vn', roles: ['admin'], agencyCodes: ['SLA'] });
  const token = new URL(created.body.passwordLink).searchParams.get('token');
  expect((await form('/password/set', { token, password: 'quản trị tỉnh Sơn La', confirm: 'quản trị tỉnh Sơn La' })).status).toBe(303);
  const adminSession = await signIn(app, { email: 'quang.thi.mai@sonla.gov.vn', password: 'quản trị tỉnh Sơn La' });
  const asAdmin = (path: string) =>
    request(app)
      .post(path)
      .set('Cookie', `dunghan_session=${adminSession}`)
      .type('form')
      .send({ _csrf: sessionCsrfToken(adminSession) });
  expect((await asAdmin(`/admin/users/${person.id}/deactivate`)).status).toBe(200);
  const listed = await request(app).get('/admin/users').set('Cookie', `dunghan_session=${adminSession}`);
  expect(listed.text).toContain(`action="/admin/users/${person.id}/reactivate"`);
  const again = await asAdmin(`/admin/users/${person.id}/reactivate`);
  expect(again.text).toContain('Đã cho hoạt động lại tài khoản Tòng Văn Bình');
});
