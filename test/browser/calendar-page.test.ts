import fs from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';

let app: BrowserApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ base, browser } = app);
});

afterAll(async () => app?.close());

test('the 2024 calendar page marks the swapped day and the make-up Saturday, and explains a deadline', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));

  const response = await page.goto(`${base}/calendar/2024`);
  expect(response?.status()).toBe(200);
  expect(await page.title()).toBe('Lịch làm việc 2024 — Đúng hạn');
  expect(await page.getAttribute('td[data-date="2024-04-29"]', 'class')).toBe('off');
  expect(await page.getAttribute('td[data-date="2024-04-29"]', 'title')).toMatch(/Nghỉ hoán đổi \(làm bù Thứ Bảy 4\/5\/2024\)/);
  expect(await page.getAttribute('td[data-date="2024-05-04"]', 'class')).toBe('work');
  expect(await page.getAttribute('td[data-date="2024-05-06"]', 'class')).toBe('');
  expect(await page.locator('#provisional').count()).toBe(0);

  // The form: received Friday 26 Apr 2024 09:00, 3 working days → Saturday 4 May 09:00 (worked, by swap).
  await page.fill('input[name=received]', '2024-04-26T09:00');
  await page.fill('input[name=duration]', '3');
  await page.selectOption('select[name=unit]', 'working-days');
  await Promise.all([page.waitForURL(/received=/), page.click('button[type=submit]')]);
  expect(await page.textContent('#due-at')).toBe('09:00 Thứ Bảy, 04/05/2024');
  const skipped = await page.locator('#skipped li').allTextContents();
  expect(skipped).toHaveLength(5); // 27 Apr – 1 May
  expect(skipped[2]).toMatch(/^Thứ Hai, 29\/04\/2024: .*hoán đổi/);

  await fs.mkdir('test-artifacts', { recursive: true });
  await page.screenshot({ path: 'test-artifacts/calendar-2024.png', fullPage: true });
  expect(problems).toEqual([]);
});

test('a year without an official schedule says it is provisional', async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/calendar/2029`);
  expect(await page.textContent('#provisional')).toMatch(/tạm tính/);
});

test('a partly announced year tells its announced days from the statutory-only ones, and a deadline across one names it', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  await page.goto(`${base}/calendar/2027`);
  expect(await page.textContent('#provisional')).toMatch(/mới công bố một phần/);
  // Tết (10065/VPCP-KGVX) is announced; Hùng Kings' day, Fri 16 Apr 2027, is by statute only.
  expect(await page.getAttribute('td[data-date="2027-02-04"]', 'class')).toBe('off');
  expect(await page.getAttribute('td[data-date="2027-04-16"]', 'class')).toBe('off tentative');
  expect(await page.getAttribute('td[data-date="2027-04-16"]', 'title')).toBe('Giỗ Tổ Hùng Vương (tạm tính)');
  expect(await page.locator('#days tr.tentative').allTextContents()).toHaveLength(5); // 1 Jan, 16 Apr, 30 Apr, 3 May, 24 Nov
  // Thu 15 Apr 2027 09:00 + 2 working days: Thu 7 h, Mon 19 Apr 8 h, 1 h on Tue 20 Apr → 09:00, if 16 Apr is off.
  await page.goto(`${base}/calendar/2027?received=2027-04-15T09:00&duration=2&unit=working-days#giai-thich`);
  expect(await page.textContent('#due-at')).toBe('09:00 Thứ Ba, 20/04/2027');
  expect(await page.textContent('#deadline-provisional')).toContain('Thứ Sáu, 16/04/2027 (Giỗ Tổ Hùng Vương)');
  await page.screenshot({ path: 'test-artifacts/calendar-2027.png' });
});
