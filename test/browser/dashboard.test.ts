import fs from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { ev } from '../support/events.js';
import { q3Events } from '../support/report-fixture.js';
import { signIn, type TestApp } from '../support/test-app.js';

let app: BrowserApp;
let t: TestApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  // 26 Sep 2025 10:00: F (due 25 Sep) is overdue now; a dossier received Wed 24 Sep 10:00 is due soon.
  app = await startBrowserApp({ now: Date.parse('2025-09-26T10:00:00+07:00') });
  ({ t, base, browser } = app);
  const events = [...q3Events().filter((e) => Date.parse(e.occurredAt) < Date.parse('2025-09-26T00:00:00+07:00')), ev.received('SOON', '2025-09-24T10:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' })];
  expect((await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(events)).status).toBe(201);
});

afterAll(async () => app?.close());

async function signedIn(key: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await context.addCookies([{ name: 'dunghan_session', value: await signIn(t.app, key), url: base }]);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems };
}

test('the province overview shows the API numbers, a chart per agency and the monthly trend', async () => {
  const { page, problems } = await signedIn(t.keys.auditor);
  const res = await page.goto(`${base}/dashboard?period=2025-Q3`);
  expect(res?.status()).toBe(200);
  const api = (await request(t.app).get('/api/v1/reports/rates?period=2025-Q3&groupBy=agency').set('Authorization', `Bearer ${t.keys.auditor}`)).body;

  for (const rate of ['progressRate', 'onlineSubmissionRate', 'onlinePaymentRate', 'digitisationRate']) {
    const shown = await page.getAttribute(`#totals [data-rate="${rate}"]`, 'data-value');
    expect(Number(shown)).toBeCloseTo(api.total[rate], 12);
  }
  expect(Number(await page.textContent('#totals [data-count="received"]'))).toBe(api.total.received);
  // Each agency row equals the API's row for it.
  const rows = await page.locator('#rates tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      key: tr.getAttribute('data-key'),
      received: Number(tr.querySelector('[data-count="received"]')!.textContent),
      finished: Number(tr.querySelector('[data-count="finished"]')!.textContent),
      progress: tr.querySelector('[data-rate="progressRate"]')!.getAttribute('data-value'),
    })),
  );
  expect(rows.length).toBeGreaterThan(3);
  for (const r of rows) {
    const a = api.rows.find((x: { key: string }) => x.key === r.key);
    expect({ key: r.key, received: r.received, finished: r.finished }).toEqual({ key: a.key, received: a.received, finished: a.finished });
    if (a.progressRate !== null) expect(Number(r.progress)).toBeCloseTo(a.progressRate, 12);
  }
  expect(await page.locator('#chart rect').count()).toBeGreaterThan(0);
  expect(await page.locator('#trend rect').count()).toBe(3); // July, August, September
  // The quarter is still running: open dossiers are judged now (26 Sep), so SOON (due 27 Sep) is within time.
  expect(api.total).toMatchObject({ openOnTrack: 1, openOverdue: 1 });
  await fs.mkdir('test-artifacts', { recursive: true });
  await page.screenshot({ path: 'test-artifacts/dashboard.png', fullPage: true });
  expect(problems).toEqual([]);
});

test('the agency page lists what needs action now, and links to the dossier pages', async () => {
  const { page, problems } = await signedIn(t.keys.auditor);
  await page.goto(`${base}/dashboard/agencies/SLA.P.TOHIEU?period=2025-Q3`);
  expect(await page.locator('#overdue tbody tr td:first-child').allTextContents()).toEqual(['F']);
  expect(await page.locator('#due-soon tbody tr td:first-child').allTextContents()).toEqual(['SOON']);
  expect(await page.locator('#late tbody tr td:first-child').allTextContents()).toEqual(['C']);
  await page.click('#overdue a');
  expect(new URL(page.url()).pathname).toBe('/dossiers/F');
  expect(await page.textContent('#progress')).toBe('Quá hạn');
  await page.goBack();
  await page.screenshot({ path: 'test-artifacts/dashboard-agency.png', fullPage: true });
  expect(problems).toEqual([]);
});

test('a supervisor of the old district sees only its agencies; other agencies are 403', async () => {
  const { page } = await signedIn(t.keys.supervisor);
  await page.goto(`${base}/dashboard?period=2025-Q3`);
  expect(await page.locator('#rates tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')))).toEqual(['SLA.TPSL', 'SLA.TPSL.CLE']);
  const res = await page.goto(`${base}/dashboard/agencies/SLA.P.TOHIEU?period=2025-Q3`);
  expect(res?.status()).toBe(403);
});
