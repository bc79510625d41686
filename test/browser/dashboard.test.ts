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
  const events = [
    ...q3Events().filter((e) => Date.parse(e.occurredAt) < Date.parse('2025-09-26T00:00:00+07:00')),
    ev.received('SOON', '2025-09-24T10:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }),
  ];
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
  expect(await page.locator('#due-soon tbody tr td:first-child').allTextContents()).toEqual(['SOON']);
  // F is past its due instant with no apology: first in the queue, and not listed again among the overdue.
  expect(await page.locator('#overdue tbody tr td:first-child').allTextContents()).toEqual(['Không có']);
  expect(await page.locator('#late-without-apology tbody tr td:first-child').allTextContents()).toEqual(['F']);
  expect(await page.textContent('[data-count="late-without-apology"]')).toBe('1');
  // The late count of the agency's row leads to the dossiers behind it: C.
  await page.click('#rates tr[data-key="SLA.P.TOHIEU"] [data-count="late"] a');
  expect(await page.locator('#cell-dossiers tbody tr td:first-child').allTextContents()).toEqual(['C']);
  await page.goBack();
  await page.click('#late-without-apology a');
  expect(new URL(page.url()).pathname).toBe('/dossiers/F');
  expect(await page.textContent('#progress')).toBe('Quá hạn');
  await page.goBack();
  await page.screenshot({ path: 'test-artifacts/dashboard-agency.png', fullPage: true });
  expect(problems).toEqual([]);
});

test('every count on the overview links to as many dossiers as it says', async () => {
  const { page, problems } = await signedIn(t.keys.auditor);
  await page.goto(`${base}/dashboard?period=2025-Q3`);
  const links = await page.locator('#rates [data-count] a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href')!, n: Number(a.textContent) })));
  expect(links.length).toBeGreaterThan(20);
  for (const { href, n } of links.filter((l) => l.n > 0).slice(0, 12)) {
    await page.goto(`${base}${href}`);
    expect({ href, shown: Number(await page.textContent('[data-count="cell"]')) }).toEqual({ href, shown: n });
    expect(await page.locator('#cell-dossiers tbody tr a').count()).toBe(n);
  }
  expect(problems).toEqual([]);
});

test('search by dossier code, and the apology draft on the dossier page proposes a valid date', async () => {
  const { page, problems } = await signedIn(t.keys.admin);
  await page.goto(`${base}/dashboard?period=2025-Q3`);
  await page.fill('#search input[name="q"]', 'F');
  await page.click('#search button');
  expect(new URL(page.url()).pathname).toBe('/dossiers/F');
  await page.fill('#letter-apology-draft textarea[name="reason"]', 'Cần lấy ý kiến cơ quan phối hợp.');
  await page.fill('#letter-apology-draft input[name="extraWorkingDays"]', '2');
  await page.click('#letter-apology-draft button');
  expect(new URL(page.url()).pathname).toBe('/dossiers/F');
  // Now Fri 26 Sep 10:00 (later than the due instant Thu 25 Sep 09:00) + 2 working days → Tue 30 Sep 10:00: a draft,
  // which moves nothing until it is approved, signed and issued (the letter workflow's own test goes on from here).
  const letter = (await request(t.app).get('/api/v1/dossiers/F/letters/apology').set('Authorization', `Bearer ${t.keys.auditor}`)).body;
  expect(letter).toMatchObject({ status: 'draft', newDueAt: '2025-09-30T10:00:00+07:00' });
  expect(await page.textContent('#letter-apology .letter-status')).toBe('Dự thảo');
  expect((await request(t.app).get('/api/v1/dossiers/F').set('Authorization', `Bearer ${t.keys.auditor}`)).body.apology).toBeNull();
  expect(problems).toEqual([]);
  // A code that matches nothing lists nothing, in Vietnamese: no dossier of another agency is told apart.
  const res = await page.goto(`${base}/search?q=KHONG-CO`);
  expect(res?.status()).toBe(200);
  expect(await page.textContent('#no-results')).toBe('Không có hồ sơ phù hợp.');
  expect(await page.getAttribute('html', 'lang')).toBe('vi');
});

test('the pages fit a 390 px phone; screenshots at 1366 and 390 px', async () => {
  await fs.mkdir('test-artifacts', { recursive: true });
  for (const width of [1366, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    await context.addCookies([{ name: 'dunghan_session', value: await signIn(t.app, t.keys.admin), url: base }]);
    const page = await context.newPage();
    for (const [name, path] of [
      ['dashboard', '/dashboard?period=2025-Q3'],
      ['agency', '/dashboard/agencies/SLA.P.TOHIEU?period=2025-Q3'],
      ['dossier', '/dossiers/C'],
      ['search', '/search?sort=due'],
      ['error', '/dashboard?period=2099'],
      ['cell', '/dashboard/dossiers?period=2025-Q3&outcome=received'],
      ['letter', '/letters/C/receipt'],
      ['outbox', '/admin/outbox'],
    ] as const) {
      await page.goto(`${base}${path}`);
      const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect({ name, width, scrollWidth }).toEqual({ name, width, scrollWidth: width });
      // The key figure of each table (the on-time rate, the due instant) is on screen without scrolling sideways.
      const keyFigures = await page.evaluate<
        Array<{ text: string; right: number }>
      >(`[...document.querySelectorAll('#rates thead th, #search-results thead th, #overdue thead th')]
        .filter((th) => ['Tỷ lệ đúng hạn', 'Hạn'].includes(th.textContent.trim())).map((th) => ({ text: th.textContent.trim(), right: Math.round(th.getBoundingClientRect().right) }))`);
      for (const figure of keyFigures) expect({ name, width, ...figure, visible: figure.right <= width }).toEqual({ name, width, ...figure, visible: true });
      await page.screenshot({ path: `test-artifacts/${name}-${width}.png`, fullPage: true });
    }
    // The charts draw their axes, the target line and the values.
    await page.goto(`${base}/dashboard?period=2025-Q3`);
    expect(await page.locator('#trend-target').count()).toBe(1);
    expect(await page.locator('#chart-target').count()).toBe(1);
    expect(await page.locator('#trend text.value').allTextContents()).toHaveLength(3);
    await context.close();
  }
});

test('the API reference page renders the OpenAPI document from local files', async () => {
  const { page, problems } = await signedIn(t.keys.auditor);
  const outside: string[] = [];
  page.on('request', (r) => !r.url().startsWith(base) && !r.url().startsWith('data:') && outside.push(r.url()));
  const res = await page.goto(`${base}/docs/api`);
  expect(res?.status()).toBe(200);
  await page.waitForSelector('.opblock', { timeout: 15_000 });
  const ids = await page.locator('.opblock .opblock-summary-operation-id').allTextContents();
  expect(ids).toEqual(expect.arrayContaining(['getRates', 'postEvents', 'getWhatIf']));
  expect(outside).toEqual([]);
  await page.screenshot({ path: 'test-artifacts/api-docs.png' });
  expect(problems).toEqual([]);
});

test('a supervisor of the old district sees only its agencies; other agencies are 403', async () => {
  const { page } = await signedIn(t.keys.supervisor);
  await page.goto(`${base}/dashboard?period=2025-Q3`);
  expect(await page.locator('#rates tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')))).toEqual(['SLA.TPSL', 'SLA.TPSL.CLE']);
  const res = await page.goto(`${base}/dashboard/agencies/SLA.P.TOHIEU?period=2025-Q3`);
  expect(res?.status()).toBe(403);
});
