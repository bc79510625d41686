/**
 * A counter clerk at work in Chromium (issue 28 item 4): she signs in with her password and lands on her own list,
 * receives a dossier through the page with the keyboard alone, sees the appointment before saving — the one
 * `GET /api/v1/dossiers/:code` then computes — prints the receipt (form 01, page and PDF) with it, records a
 * supplement request (form 02 printed), its completion and the result. At 390 px and at 1366 px no page is wider
 * than the screen.
 *
 * "Now" is Thu 26 Nov 2026 10:00 (office hours 08:00–12:00, 13:00–17:00; Tue 24 Nov 2026 is a day off).
 */
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { personWithPassword, TEST_PASSWORD } from '../support/people.js';
import { pdfText } from '../support/poppler.js';
import type { TestApp } from '../support/test-app.js';

let app: BrowserApp;
let t: TestApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  app = await startBrowserApp({ now: Date.parse('2026-11-26T10:00:00+07:00') });
  ({ t, base, browser } = app);
  await personWithPassword(t.ctx.db.pool, { name: 'Lò Thị Mai', email: 'mai.lt@sonla.gov.vn', roles: ['counter'], agencyCodes: ['SLA.P.TOHIEU'] });
});
afterAll(async () => app?.close());

async function signInAt(width: number): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  // A refused form answers 422 (the browser logs it as a failed load): only the page's own errors count.
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${base}/login`);
  await page.fill('input[name=email]', 'mai.lt@sonla.gov.vn');
  await page.fill('input[name=password]', TEST_PASSWORD);
  await page.press('input[name=password]', 'Enter');
  await page.waitForURL(`${base}/my-work`);
  return { page, problems };
}

/** Nothing wider than the screen: the page scrolls only downwards. */
// Expressions evaluated in the page (the tests are compiled without the DOM's types).
const fitsWidth = async (page: Page) => (await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')) as boolean;
/** The id (or name) of the element that has the keyboard's focus. */
const focused = async (page: Page) => (await page.evaluate("document.activeElement?.id || document.activeElement?.getAttribute('name') || ''")) as string;

test('a clerk receives a dossier with the keyboard, sees the appointment the API computes, prints form 01, records a supplement request and a result', async () => {
  const { page, problems } = await signInAt(390);
  expect(await fitsWidth(page)).toBe(true);
  await page.click('#receive-link');
  await page.waitForURL(`${base}/counter/receive`);
  expect(await fitsWidth(page)).toBe(true);

  // The keyboard alone: fields in reading order, each reached with Tab, the buttons real buttons.
  await page.focus('#procedure');
  const order = ['procedure'];
  for (let i = 0; i < 13; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused(page));
  }
  expect(order).toEqual([
    'procedure',
    'agency',
    'dossierCode',
    'applicantName',
    'applicantPhone',
    'applicantEmail',
    'applicantId',
    'channel',
    'fee',
    'digitized',
    'notifyEmail',
    'notifySms',
    'notifyZalo',
    'preview-button',
  ]);
  await page.focus('#procedure');
  await page.keyboard.type('Đăng ký tạm trú');
  await page.focus('#dossierCode');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('TOHIEU-2026-B1');
  await page.focus('#applicantName');
  await page.keyboard.type('Quàng Thị Hoa');
  await page.keyboard.press('Tab');
  await page.keyboard.type('0912345678');
  await page.focus('#notifySms');
  await page.keyboard.press('Space');
  // Enter in a field asks for the appointment (the first button), never saves.
  await page.focus('#applicantName');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#appointment');
  expect(await fitsWidth(page)).toBe(true);
  const shown = { at: await page.getAttribute('#appointment', 'datetime'), text: await page.textContent('#appointment') };
  // Received Thu 26 Nov 10:00, 3 working days (24 h): Thu 6 h, Fri 8 h, Mon 30 8 h, Tue 1 Dec 08:00–10:00.
  expect(shown).toEqual({ at: '2026-12-01T10:00:00+07:00', text: '10:00 Thứ Ba, 01/12/2026' });
  expect(await page.inputValue('#applicantName')).toBe('Quàng Thị Hoa');
  expect(await page.isChecked('#notifySms')).toBe(true);
  expect((await request(t.app).get('/api/v1/dossiers/TOHIEU-2026-B1').set('Authorization', `Bearer ${t.keys.admin}`)).status).toBe(404);

  await page.focus('#save-button');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${base}/counter/dossiers/TOHIEU-2026-B1?done=received`);
  expect(await page.textContent('#done')).toBe('Đã tiếp nhận hồ sơ.');
  expect(await fitsWidth(page)).toBe(true);

  // The API computes the same appointment; the page's event is the API's event.
  const api = (await request(t.app).get('/api/v1/dossiers/TOHIEU-2026-B1').set('Authorization', `Bearer ${t.keys.admin}`)).body;
  expect([api.dueAt, api.declaredDueAt, api.status]).toEqual([shown.at, shown.at, 'received']);
  expect(await page.getAttribute('#due', 'datetime')).toBe(api.dueAt);

  // Form 01 prints that appointment, on the page and in the PDF.
  await page.click('#print-receipt');
  await page.waitForURL(`${base}/letters/TOHIEU-2026-B1/receipt`);
  expect(await page.textContent('[data-field=due]')).toBe('10 giờ 00 phút, ngày 01 tháng 12 năm 2026');
  const pdf = await page.request.get(`${base}/letters/TOHIEU-2026-B1/receipt.pdf`);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdfText(await pdf.body())).replace(/\s+/g, ' ')).toContain('10 giờ 00 phút, ngày 01 tháng 12 năm 2026');

  // A supplement request, then form 02.
  await page.goto(`${base}/counter/dossiers/TOHIEU-2026-B1`);
  await page.focus('#supplement-reason');
  await page.keyboard.type('Bổ sung bản sao hợp đồng thuê nhà có chứng thực.');
  await page.keyboard.press('Tab');
  expect(await page.evaluate('document.activeElement?.tagName')).toBe('BUTTON');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${base}/counter/dossiers/TOHIEU-2026-B1?done=supplement_requested`);
  expect(await page.textContent('#status')).toBe('Chờ bổ sung hồ sơ');
  await page.click('#print-supplement');
  await page.waitForURL(`${base}/letters/TOHIEU-2026-B1/supplement-request`);
  expect(await page.textContent('body')).toContain('Bổ sung bản sao hợp đồng thuê nhà có chứng thực.');

  // Completed the next morning, the result that afternoon.
  t.clock.now = Date.parse('2026-11-27T09:00:00+07:00');
  await page.goto(`${base}/counter/dossiers/TOHIEU-2026-B1`);
  await page.click('#supplement-received-form button');
  await page.waitForURL(`${base}/counter/dossiers/TOHIEU-2026-B1?done=supplement_received`);
  t.clock.now = Date.parse('2026-11-27T15:00:00+07:00');
  await page.click('#result-form button');
  await page.waitForURL(`${base}/counter/dossiers/TOHIEU-2026-B1?done=result_ready`);
  expect(await page.textContent('#status')).toBe('Đã có kết quả');
  const done = (await request(t.app).get('/api/v1/dossiers/TOHIEU-2026-B1').set('Authorization', `Bearer ${t.keys.admin}`)).body;
  expect(done.events.map((e: { type: string }) => e.type)).toEqual(['received', 'supplement_requested', 'supplement_received', 'result_ready']);
  expect(done.status).toBe('processed');
  expect(problems).toEqual([]);
});

test('a validation error shows next to its field in Vietnamese and keeps what was typed; the pages fit 1366 px', async () => {
  const { page, problems } = await signInAt(1366);
  await page.goto(`${base}/counter/receive`);
  await page.fill('#procedure', 'Đăng ký tạm trú');
  await page.fill('#applicantName', 'Lường Văn Pọm');
  await page.fill('#applicantPhone', 'gọi sau');
  await page.click('#preview-button');
  await page.waitForSelector('#applicantPhone-error');
  expect(await page.textContent('#applicantPhone-error')).toBe('Số điện thoại không hợp lệ (ví dụ 0912 345 678).');
  expect(await page.inputValue('#applicantPhone')).toBe('gọi sau');
  expect(await page.inputValue('#applicantName')).toBe('Lường Văn Pọm');
  expect(await page.getAttribute('#applicantPhone', 'aria-invalid')).toBe('true');
  expect(await page.$('#save-button')).toBeNull();
  expect(await fitsWidth(page)).toBe(true);
  await page.goto(`${base}/counter/dossiers/TOHIEU-2026-B1`);
  expect(await fitsWidth(page)).toBe(true);
  expect(problems).toEqual([]);
});
