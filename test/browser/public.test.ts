/**
 * What the province publishes, in Chromium and over HTTP: a citizen's lookup
 * by code and the phone's last four digits (masked name, status, appointment,
 * apology), answered identically for a wrong code and wrong digits and
 * rate-limited; and an agency's 12 months of figures as a page, JSON and CSV.
 */
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { createApp } from '../../src/http/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { ev } from '../support/events.js';
import type { TestApp } from '../support/test-app.js';

let app: BrowserApp;
let t: TestApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  app = await startBrowserApp({ now: Date.parse('2025-03-19T16:00:00+07:00') });
  ({ t, base, browser } = app);
  const post = (body: unknown) =>
    request(t.app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${t.keys.counter}`)
      .send(body as object);
  // Đăng ký tạm trú at phường Chiềng Lề, received Mon 17 Mar 2025 10:00 → due Thu 20 Mar 10:00 (3 working days).
  const received = await post([
    ev.received('CLE-P1', '2025-03-17T10:00:00+07:00', {
      applicant: { name: 'Quàng Thị Lan', address: 'Bản Hài, phường Chiềng Lề', phone: '0987 654 321', idNumber: '014090001234' },
    }),
    ev.received('CLE-P2', '2025-03-17T10:00:00+07:00'),
  ]);
  expect(received.status).toBe(201);
  const apology = await request(t.app)
    .post('/api/v1/dossiers/CLE-P1/apology')
    .set('Authorization', `Bearer ${t.keys.supervisor}`)
    .send({ reason: 'Cần lấy ý kiến Công an tỉnh về nơi cư trú.', newDueAt: '2025-03-25T16:30:00+07:00' });
  expect(apology.status).toBe(201);
});
afterAll(async () => app?.close());

describe('a citizen looks up a dossier', () => {
  test('the page shows the status, the new appointment and the apology, with the name masked and nothing else personal', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 900 } })).newPage();
    expect((await page.goto(`${base}/tra-cuu`))?.status()).toBe(200);
    await page.fill('input[name=code]', 'CLE-P1');
    await page.fill('input[name=phoneLast4]', '4321');
    await Promise.all([page.waitForNavigation(), page.click('#lookup button')]);
    expect(await page.textContent('#applicant')).toBe('Q*** T*** L***');
    expect(await page.textContent('#status')).toContain('Đã tiếp nhận');
    // The appointment in force is the apology's new date.
    expect(await page.textContent('#appointment')).toBe('16 giờ 30 phút, ngày 25 tháng 3 năm 2025');
    const apology = await page.textContent('#apology');
    expect(apology).toContain('Ngày hẹn mới: 16 giờ 30 phút, ngày 25 tháng 3 năm 2025');
    expect(apology).toContain('Lý do: Cần lấy ý kiến Công an tỉnh về nơi cư trú.');
    const html = await page.content();
    for (const personal of ['Quàng', 'Lan', '0987', '654 321', 'Bản Hài', '014090001234']) expect(html).not.toContain(personal);
    // Fits a phone.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  });

  test('a wrong code and wrong digits give the same page, byte for byte', async () => {
    const ask = (code: string, phoneLast4: string) => request(t.app).post('/tra-cuu').type('form').send({ code, phoneLast4 });
    const [wrongDigits, wrongCode, noPhone] = await Promise.all([ask('CLE-P1', '0000'), ask('CLE-P9', '4321'), ask('CLE-P2', '5678')]);
    expect(wrongDigits.status).toBe(404);
    expect(wrongCode.status).toBe(404);
    expect(wrongCode.text).toBe(wrongDigits.text);
    expect(wrongDigits.text).toContain('Không tìm thấy hồ sơ với mã và 4 số cuối điện thoại này.');
    expect(wrongDigits.text).not.toContain('CLE-P1');
    // CLE-P2's phone ends in 5678 (test default 0912345678): found.
    expect(noPhone.status).toBe(200);
  });

  test('the API answers the same, and not-found is one problem for both', async () => {
    const ask = (code: string, phoneLast4: string) => request(t.app).post('/api/v1/public/lookup').send({ code, phoneLast4 });
    const ok = await ask('CLE-P1', '4321');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      code: 'CLE-P1',
      applicant: 'Q*** T*** L***',
      status: 'received',
      appointmentAt: '2025-03-25T09:30:00.000Z',
      apology: { newAppointmentAt: '2025-03-25T09:30:00.000Z', reason: 'Cần lấy ý kiến Công an tỉnh về nơi cư trú.' },
    });
    expect(JSON.stringify(ok.body)).not.toMatch(/Quàng|0987|014090001234/);
    const [a, b] = await Promise.all([ask('CLE-P1', '1234'), ask('NO-SUCH-CODE', '4321')]);
    expect(a.status).toBe(404);
    // Identical but for the request's own id.
    const { requestId: _a, ...one } = a.body;
    const { requestId: _b, ...other } = b.body;
    expect(other).toEqual(one);
    const bad = await ask('CLE-P1', '43');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['phoneLast4']);
  });

  test('lookups are rate-limited per address', async () => {
    const limited = createApp(t.ctx, { lookupAttempts: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (
          await request(limited)
            .post('/api/v1/public/lookup')
            .send({ code: `GUESS-${i}`, phoneLast4: '0000' })
        ).status,
      );
    expect(statuses).toEqual([404, 404, 404, 429]);
  });
});

describe("an agency's published figures", () => {
  // March 2025 for the former Sơn La city (SLA.TPSL): CLE-P1 and CLE-P2 received 17 Mar, open and within time on
  // 19 Mar 16:00 → on time (0 + 0 + 2) / 2 = 100 %; online 0 / 2 = 0 %; both payable (1.004194 has a fee), none paid
  // online → 0 %. The eleven months before: nothing to judge → N/A.
  test('12 months as a page, the same as JSON and CSV, with no personal data', async () => {
    const json = await request(t.app).get('/api/v1/public/agencies/SLA.TPSL/figures');
    expect(json.status).toBe(200);
    expect(json.body.months.map((m: { month: string }) => m.month)).toEqual([
      '2024-04',
      '2024-05',
      '2024-06',
      '2024-07',
      '2024-08',
      '2024-09',
      '2024-10',
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
    ]);
    const march = json.body.months.at(-1);
    expect(march).toMatchObject({
      running: true,
      received: 2,
      finishedOnTime: 0,
      finishedLate: 0,
      openOnTrack: 2,
      openOverdue: 0,
      onTimePercent: 100,
      onlineSubmissionPercent: 0,
      onlinePaymentPercent: 0,
    });
    expect(json.body.months[0]).toMatchObject({ received: 0, onTimePercent: null, onlineSubmissionPercent: null, onlinePaymentPercent: null });

    const csv = await request(t.app).get('/api/v1/public/agencies/SLA.TPSL/figures.csv');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(13);
    expect(lines.at(-1)).toBe('2025-03,2,0,0,0,2,0,2,0,100.00,0.00,0.00,"Tháng đang diễn ra, số liệu tạm tính"');
    expect(lines[1]).toContain('N/A,N/A,N/A');

    const page = await (await browser.newContext()).newPage();
    expect((await page.goto(`${base}/cong-khai/SLA.TPSL`))?.status()).toBe(200);
    expect(await page.locator('#figures tbody tr').count()).toBe(12);
    expect(await page.textContent('#figures tr[data-month="2025-03"]')).toContain('100,00 %');
    expect(await page.textContent('#figures tr[data-month="2024-04"]')).toContain('N/A');
    const html = await page.content();
    for (const text of [JSON.stringify(json.body), csv.text, html]) expect(text).not.toMatch(/Quàng|CLE-P1|0987/);
    // Reached from the index, without a key.
    const index = await (await browser.newContext()).newPage();
    await index.goto(`${base}/cong-khai`);
    expect(await index.locator('#agencies a[href="/cong-khai/SLA.P.TOHIEU"]').count()).toBe(1);
  });

  test('an unknown agency is a 404', async () => {
    expect((await request(t.app).get('/api/v1/public/agencies/NOPE/figures')).status).toBe(404);
    expect((await request(t.app).get('/cong-khai/NOPE')).status).toBe(404);
  });
});
