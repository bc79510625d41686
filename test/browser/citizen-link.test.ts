/**
 * Issue 27: the applicant opens the link in the apology message, in a real browser, without a key, and sees the
 * letter (form 04) of their dossier; the lookup link shows the dossier's progress.
 */
import request from 'supertest';
import type { Browser } from 'playwright-core';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { ev } from '../support/events.js';
import type { TestApp } from '../support/test-app.js';

let app: BrowserApp;
let t: TestApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  // Wed 19 Mar 2025 16:00; Đăng ký tạm trú at phường Chiềng Lề received Mon 17 Mar 10:00 → due Thu 20 Mar 10:00.
  app = await startBrowserApp({ now: Date.parse('2025-03-19T16:00:00+07:00') });
  ({ t, base, browser } = app);
  const received = ev.received('CLE-LINK', '2025-03-17T10:00:00+07:00', {
    applicant: { name: 'Quàng Thị Lan', address: 'Bản Hài, phường Chiềng Lề', phone: '0987654321' },
    consent: [{ channel: 'sms', phone: '0987654321' }],
  });
  expect((await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.counter}`).send(received)).status).toBe(201);
  // On the day before the due date: lawful; the new appointment Tue 25 Mar 16:30.
  const apology = await request(t.app)
    .post('/api/v1/dossiers/CLE-LINK/apology')
    .set('Authorization', `Bearer ${t.keys.supervisor}`)
    .send({ reason: 'Cần lấy ý kiến Công an tỉnh về nơi cư trú.', newDueAt: '2025-03-25T16:30:00+07:00' });
  expect(apology.status).toBe(201);
});
afterAll(async () => app?.close());

/** The link a message carries, on the test server (messages name PUBLIC_URL, http://dunghan.test, unreachable here). */
async function linkIn(kind: string): Promise<string> {
  const { rows } = await t.ctx.db.pool.query("SELECT text FROM alert_outbox WHERE dossier_code = 'CLE-LINK' AND kind = $1 AND channel = 'sms'", [kind]);
  const url = /http:\/\/dunghan\.test(\/thu\?t=[\w.-]+)/.exec(rows[0].text)!;
  return `${base}${url[1]}`;
}

test('the apology SMS link opens the letter, with no key, no session', async () => {
  const context = await browser.newContext({ viewport: { width: 700, height: 1000 } });
  const page = await context.newPage();
  const res = await page.goto(await linkIn('apology'));
  expect(res?.status()).toBe(200);
  expect(await page.textContent('[data-field="title"]')).toMatch(/^PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ/);
  expect(await page.textContent('[data-field="code"]')).toBe('CLE-LINK');
  expect(await page.textContent('[data-field="applicant"]')).toBe('Quàng Thị Lan');
  expect(await page.textContent('[data-field="reason"]')).toBe('Cần lấy ý kiến Công an tỉnh về nơi cư trú.');
  expect(await page.textContent('[data-field="new-due"]')).toBe('16 giờ 30 phút, ngày 25 tháng 3 năm 2025');
  await context.close();
});

test('the receipt SMS link opens the lookup page of that dossier; an altered token, nothing', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const link = await linkIn('receipt');
  expect((await page.goto(link))?.status()).toBe(200);
  expect(await page.textContent('#result h2')).toBe('Hồ sơ CLE-LINK');
  expect(await page.textContent('#applicant')).toBe('Q*** T*** L***');
  expect(await page.textContent('#apology')).toContain('Cần lấy ý kiến Công an tỉnh về nơi cư trú.');
  expect((await page.goto(link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))))?.status()).toBe(404);
  await context.close();
});
