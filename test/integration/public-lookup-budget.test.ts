/**
 * Issue 27 item 6: the citizen's own page says the truth (overdue), takes the code in any letter case, and failed
 * tries are budgeted per code (held for everyone, the owner told) and for the whole service; the receipt prints the
 * lookup's address and what it needs.
 */
import request from 'supertest';
import { createApp } from '../../src/http/app.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';

const at = (local: string) => Date.parse(`${local}+07:00`);
let t: TestApp;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  t = await createTestApp({ now: at('2025-03-17T10:00:00') });
  // The per-address limit out of the way (each test request comes from 127.0.0.1): the code and global budgets are under test.
  app = createApp(t.ctx, { lookupAttempts: 10_000, lookupCodeFailures: 3, lookupGlobalFailures: 7 });
  const post = (e: unknown) =>
    request(t.app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${t.keys.counter}`)
      .send(e as object);
  // Received Mon 17 Mar 2025 10:00, Đăng ký tạm trú (3 working days) → due Thu 20 Mar 10:00; phone ends 5678.
  expect((await post(ev.received('CLE-LOOK-1', '2025-03-17T10:00:00+07:00'))).status).toBe(201);
  expect((await post(ev.received('CLE-LOOK-2', '2025-03-17T10:00:00+07:00'))).status).toBe(201);
});
afterAll(async () => t.close());

const lookup = (code: string, phoneLast4: string) => request(app).post('/api/v1/public/lookup').send({ code, phoneLast4 });

test('an overdue dossier says so; the code in any letter case', async () => {
  t.clock.now = at('2025-03-19T09:00:00');
  const before = await lookup('cle-look-1', '5678');
  expect(before.status).toBe(200);
  expect(before.body).toMatchObject({ code: 'CLE-LOOK-1', status: 'received', overdue: false, overdueText: null, appointmentAt: '2025-03-20T03:00:00.000Z' });
  // Fri 21 Mar 09:00: past Thu 20 Mar 10:00, no result, no apology.
  t.clock.now = at('2025-03-21T09:00:00');
  const after = await lookup('Cle-Look-1', '5678');
  expect(after.body.overdue).toBe(true);
  expect(after.body.overdueText).toBe(
    'Hồ sơ đã quá ngày hẹn trả kết quả (10 giờ 00 phút, ngày 20 tháng 3 năm 2025) mà chưa có kết quả. Cơ quan giải quyết chưa gửi văn bản xin lỗi và hẹn lại ngày trả kết quả. Ông/bà có thể liên hệ nơi tiếp nhận hồ sơ hoặc gửi phản ánh, kiến nghị.',
  );
  const page = await request(app).post('/tra-cuu').type('form').send({ code: 'cle-look-1', phoneLast4: '5678' });
  expect(page.status).toBe(200);
  expect(page.text).toContain('<b id="overdue">Quá hạn</b>');
});

test('three failed tries hold a code for everyone, its owner included, till the hour ends; the owner is told afterwards', async () => {
  t.clock.now = at('2025-03-21T10:00:00');
  for (const digits of ['0000', '1111', '2222']) expect((await lookup('CLE-LOOK-2', digits)).status).toBe(404);
  // The fourth try, even with the right digits and another letter case: held until 11:00.
  const held = await lookup('cle-look-2', '5678');
  expect(held.status).toBe(429);
  expect(held.body.detail).toBe(
    'Mã hồ sơ này đã bị tra cứu sai nhiều lần nên tạm khóa tra cứu đến 11:00 Thứ Sáu, 21/03/2025. Nếu không phải ông/bà, xin liên hệ nơi tiếp nhận hồ sơ.',
  );
  // An unknown code is held alike after three failures: the answer says nothing about existence.
  for (const digits of ['0000', '1111', '2222']) expect((await lookup('CLE-NONE', digits)).status).toBe(404);
  const none = await lookup('CLE-NONE', '5678');
  expect(none.status).toBe(429);
  expect(none.body.detail).toMatch(/^Mã hồ sơ này đã bị tra cứu sai nhiều lần/); // 6 failures in all: under the global 7
  // 11:00: a new hour. The owner finds the dossier and learns of the 3 failed tries; a second lookup, of none.
  t.clock.now = at('2025-03-21T11:00:00');
  const ok = await lookup('CLE-LOOK-2', '5678');
  expect(ok.status).toBe(200);
  expect(ok.body.failedLookupsSinceLast).toBe(3);
  const page = await request(app).post('/tra-cuu').type('form').send({ code: 'CLE-LOOK-2', phoneLast4: '5678' });
  expect(page.text).not.toContain('id="lookup-warning"');
});

test('the global budget: 7 failed tries an hour over any codes hold every lookup till the hour ends', async () => {
  t.clock.now = at('2025-03-21T13:00:00');
  for (let i = 0; i < 7; i++) expect((await lookup(`SWEEP-${i}`, '0000')).status).toBe(404);
  const held = await request(app).post('/tra-cuu').type('form').send({ code: 'CLE-LOOK-1', phoneLast4: '5678' });
  expect(held.status).toBe(429);
  expect(held.text).toContain('Hệ thống tạm ngừng tra cứu do có quá nhiều lần tra cứu sai; xin thử lại sau 14:00 Thứ Sáu, 21/03/2025.');
  t.clock.now = at('2025-03-21T14:00:00');
  expect((await lookup('CLE-LOOK-1', '5678')).status).toBe(200);
});

test('the receipt (form 01) prints the lookup address and what it needs', async () => {
  const res = await request(t.app).get('/letters/CLE-LOOK-1/receipt').set('Authorization', `Bearer ${t.keys.counter}`);
  expect(res.status).toBe(200);
  expect(res.text).toContain('Tra cứu tình trạng hồ sơ tại <b>http://dunghan.test/tra-cuu</b>: nhập mã hồ sơ trên đây và 4 số cuối của số điện thoại đã khai.');
});
