import fs from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import request from 'supertest';
import { ev } from '../support/events.js';
import type { TestApp } from '../support/test-app.js';

let app: BrowserApp;
let t: TestApp;
let browser: Browser;
let base: string;
const at = (s: string) => Date.parse(s);

beforeAll(async () => {
  app = await startBrowserApp({ now: at('2025-03-19T16:00:00+07:00') });
  ({ t, base, browser } = app);
  const post = (body: unknown) =>
    request(t.app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${t.keys.counter}`)
      .send(body as object);
  // Đăng ký tạm trú at phường Chiềng Lề, received Mon 17 Mar 2025 10:00 → due Thu 20 Mar 10:00.
  expect(
    (
      await post([
        ev.received('CLE-L1', '2025-03-17T10:00:00+07:00', {
          applicant: { name: 'Quàng Thị Lan', address: 'Bản Hài, phường Chiềng Lề', phone: '0987654321', email: 'lan@example.vn' },
        }),
        ev.of('assigned', 'CLE-L1', '2025-03-17T14:00:00+07:00', {
          agencyCode: 'SLA.TPSL.CLE',
          step: 'Thẩm định hồ sơ',
          budget: { value: 1, unit: 'working-days' },
        }),
        ev.of('assigned', 'CLE-L1', '2025-03-18T16:00:00+07:00', { agencyCode: 'SLA.TPSL', step: 'Phê duyệt', budget: { value: 4, unit: 'working-hours' } }),
        ev.received('CLE-L2', '2025-03-17T10:00:00+07:00'),
      ])
    ).status,
  ).toBe(201);
  // The apology, drafted from the API on Wed 19 Mar 16:00: 2 office hours before the due instant (Thu 20 Mar 10:00)
  // but on the day before the due date, which is what Decree 61/2018 Art. 19(9) asks: lawful, not flagged.
  const apology = await request(t.app)
    .post('/api/v1/dossiers/CLE-L1/apology')
    .set('Authorization', `Bearer ${t.keys.supervisor}`)
    .send({ reason: 'Cần lấy ý kiến Công an tỉnh về nơi cư trú.', newDueAt: '2025-03-25T16:30:00+07:00' });
  expect(apology.status).toBe(201);
});

afterAll(async () => app?.close());

async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 700, height: 1000 }, extraHTTPHeaders: { Authorization: `Bearer ${t.keys.auditor}` } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  const res = await page.goto(`${base}${path}`);
  expect(res?.status()).toBe(200);
  return { page, problems };
}

const field = (page: Page, name: string) => page.textContent(`[data-field="${name}"]`);

test('the receipt and appointment (form 01) carries the received and due instants in hour and minute', async () => {
  const { page, problems } = await open('/letters/CLE-L1/receipt');
  expect(await field(page, 'title')).toBe('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
  expect(await field(page, 'parent')).toBe('UBND THÀNH PHỐ SƠN LA');
  expect(await field(page, 'agency')).toBe('ỦY BAN NHÂN DÂN PHƯỜNG CHIỀNG LỀ');
  expect(await field(page, 'date-line')).toBe('Sơn La, ngày 17 tháng 3 năm 2025');
  expect(await field(page, 'code')).toBe('CLE-L1');
  expect(await field(page, 'applicant')).toBe('Quàng Thị Lan');
  expect(await field(page, 'address')).toBe('Bản Hài, phường Chiềng Lề');
  expect(await field(page, 'phone')).toBe('0987654321');
  expect(await field(page, 'procedure')).toBe('Đăng ký tạm trú');
  expect(await field(page, 'legal-time')).toBe('03 ngày làm việc');
  expect(await field(page, 'received')).toBe('10 giờ 00 phút, ngày 17 tháng 3 năm 2025');
  // The receipt prints the legal due instant at receipt, not the later apology's date.
  expect(await field(page, 'due')).toBe('10 giờ 00 phút, ngày 20 tháng 3 năm 2025');
  expect(await page.textContent('.form-no')).toContain('Thông tư số 01/2018/TT-VPCP');
  await fs.mkdir('test-artifacts', { recursive: true });
  await page.screenshot({ path: 'test-artifacts/letter-receipt.png', fullPage: true });
  // The print button opens the browser's print dialog; it is not itself printed.
  await page.evaluate('window.print = () => { window.__printed = true; }');
  await page.click('#print');
  expect(await page.evaluate('window.__printed')).toBe(true);
  await page.emulateMedia({ media: 'print' });
  expect(await page.isVisible('#letter-actions')).toBe(false);
  expect(problems).toEqual([]);
});

test('the apology (form 04) has the reason and the new appointment of the apology_issued event', async () => {
  const { page, problems } = await open('/letters/CLE-L1/apology');
  expect(await field(page, 'title')).toBe('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
  expect(await field(page, 'date-line')).toBe('Sơn La, ngày 19 tháng 3 năm 2025');
  expect(await field(page, 'applicant')).toBe('Quàng Thị Lan');
  expect(await field(page, 'received-date')).toBe('ngày 17 tháng 3 năm 2025');
  expect(await field(page, 'code')).toBe('CLE-L1');
  expect(await field(page, 'previous-due')).toBe('10 giờ 00 phút, ngày 20 tháng 3 năm 2025');
  expect(await field(page, 'reason')).toBe('Cần lấy ý kiến Công an tỉnh về nơi cư trú.');
  expect(await field(page, 'new-due')).toBe('16 giờ 30 phút, ngày 25 tháng 3 năm 2025');
  expect(await page.textContent('.head .left')).toContain('Số: ……/PXL');
  expect(await page.textContent('body')).toContain('Trân trọng./.');
  await page.screenshot({ path: 'test-artifacts/letter-apology.png', fullPage: true });
  // The project's own font (Tinos, metric-compatible with Times New Roman), not whatever the machine has.
  // (Run in the page, where `document` exists; given as text so the test's TypeScript needs no DOM types.)
  expect(
    await page.evaluate(
      `document.fonts.ready.then(() => document.fonts.check('12pt "Tinos"') && [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'Tinos' && f.status === 'loaded'))`,
    ),
  ).toBe(true);
  // Printed on A5: one page.
  const pdf = await page.pdf({ preferCSSPageSize: true });
  expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
  expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBe(1);
  expect(problems).toEqual([]);
});

test('the control slip (form 05) lists each hand-over with its budget and whether it was on time', async () => {
  const { page, problems } = await open('/letters/CLE-L1/control-slip');
  expect(await field(page, 'title')).toBe('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ');
  const rows = await page.locator('table.slip tbody tr').allTextContents();
  expect(rows).toHaveLength(3);
  expect(rows[0]).toContain('Tiếp nhận hồ sơ');
  // Step 1: Mon 14:00 + 1 working day = Tue 18 Mar 14:00; handed on Tue 16:00 → late.
  expect(rows[1]).toContain('Thẩm định hồ sơ');
  expect(rows[1]).toContain('Giao: 14 giờ 00 phút, ngày 17 tháng 3 năm 2025');
  expect(rows[1]).toContain('Nhận: 16 giờ 00 phút, ngày 18 tháng 3 năm 2025');
  expect(await page.locator('table.slip tbody tr').nth(1).locator('td.result').textContent()).toBe('Quá hạn');
  // Step 2 is still open.
  expect(rows[2]).toContain('Phê duyệt');
  expect(rows[2]).toContain('Đang xử lý');
  expect(await field(page, 'outcome')).toBe('Đang giải quyết');
  await page.screenshot({ path: 'test-artifacts/letter-control-slip.png', fullPage: true });
  expect(problems).toEqual([]);
});

test('no apology letter before an apology; letters need a key and stay within its agencies', async () => {
  expect((await request(t.app).get('/letters/CLE-L2/apology').set('Authorization', `Bearer ${t.keys.auditor}`)).status).toBe(404);
  // Without a session a person is taken to the sign-in page, and back to the letter after it.
  const anonymous = await request(t.app).get('/letters/CLE-L2/receipt');
  expect([anonymous.status, anonymous.headers.location]).toEqual([302, '/login?next=%2Fletters%2FCLE-L2%2Freceipt']);
  // A page that does not exist answers a person in Vietnamese, with the request id to quote.
  const missing = await request(t.app).get('/dossiers/NOPE').set('Authorization', `Bearer ${t.keys.auditor}`).set('Accept', 'text/html');
  expect(missing.status).toBe(404);
  expect(missing.text).toMatch(/<h1 id="error-heading">Không tìm thấy<\/h1>[\s\S]*id="request-id">[0-9a-f-]{36}</);
  // Outside the key's agencies the dossier does not exist for it.
  expect((await request(t.app).get('/letters/CLE-L2/receipt').set('Authorization', `Bearer ${t.keys.outsider}`)).status).toBe(404);
  expect((await request(t.app).get('/letters/NOPE/receipt').set('Authorization', `Bearer ${t.keys.auditor}`)).status).toBe(404);
});

test('signing in with a key in the form, the dossier page shows what the API says, with its timeline and letters', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(`${base}/dossiers/CLE-L1`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.fill('input[name=key]', 'dh_wrong_key');
  await page.click('button[type=submit]');
  expect(await page.textContent('#login-error')).toMatch(/không đúng/);
  problems.length = 0; // the refused sign-in answered 401, as it should
  await page.fill('input[name=key]', t.keys.supervisor);
  await Promise.all([page.waitForURL(/\/dossiers\/CLE-L1$/), page.click('button[type=submit]')]);
  const cookie = (await context.cookies()).find((c) => c.name === 'dunghan_session')!;
  expect(cookie.httpOnly).toBe(true);

  const api = (await request(t.app).get('/api/v1/dossiers/CLE-L1').set('Authorization', `Bearer ${t.keys.supervisor}`)).body;
  expect(await page.getAttribute('#due-at', 'data-iso')).toBe(api.dueAt);
  expect(await page.getAttribute('#received-at', 'data-iso')).toBe(api.receivedAt);
  expect(await page.textContent('#progress')).toBe('Trong hạn');
  expect(await page.locator('#flags').count()).toBe(0);
  // The legal time, Mon 17 10:00 → Thu 20 Mar 10:00, steps over no rest day; the apology's Tue 25 Mar is an
  // appointment, not a count, so the weekend before it is not "a day not counted".
  expect(await page.locator('#skipped li').allTextContents()).toEqual(['Không có']);
  expect(await page.textContent('#deadline-explained')).toContain('03 ngày làm việc');
  expect(await page.locator('#events tbody tr').count()).toBe(api.events.length);
  expect(await page.locator('#letters a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
    '/letters/CLE-L1/receipt',
    '/letters/CLE-L1/apology',
    '/letters/CLE-L1/control-slip',
  ]);
  await page.click('#letters a[href$="/apology"]');
  expect(await page.textContent('[data-field="new-due"]')).toBe('16 giờ 30 phút, ngày 25 tháng 3 năm 2025');
  await page.goBack();
  await page.screenshot({ path: 'test-artifacts/dossier-page.png', fullPage: true });
  // Who is signed in, and a logout that ends the session: the page asks to sign in again. The line sits inside the
  // header's band (it once wrapped below it, dark red text off the red).
  expect(await page.textContent('#signed-in b')).toBe('test supervisor');
  const band = (await page.locator('header').boundingBox())!;
  const who = (await page.locator('#signed-in').boundingBox())!;
  expect(who.y + who.height).toBeLessThanOrEqual(band.y + band.height);
  await Promise.all([page.waitForURL(/\/login$/), page.click('#logout')]);
  await page.goto(`${base}/dossiers/CLE-L1`);
  expect(new URL(page.url()).pathname).toBe('/login');
  expect(problems).toEqual([]);
});

test('a clock restarted by a completed supplement is explained as restarted, not as extended by the wait', async () => {
  // Mon 17 Mar 2025 10:00, 3 working days; supplement asked Tue 18 Mar 09:00 (7 working hours in), completed
  // Wed 19 Mar 14:00: the time starts again in full (Decree 61/2018 Art. 19(4)) → due Mon 24 Mar 14:00.
  const post = (body: unknown) =>
    request(t.app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${t.keys.counter}`)
      .send(body as object);
  const posted = await post([
    ev.received('CLE-RS', '2025-03-17T10:00:00+07:00'),
    ev.of('supplement_requested', 'CLE-RS', '2025-03-18T09:00:00+07:00', { reason: 'Thiếu bản sao giấy tờ' }),
    ev.of('supplement_received', 'CLE-RS', '2025-03-19T14:00:00+07:00'),
  ]);
  expect(posted.status).toBe(201);
  const { page, problems } = await open('/dossiers/CLE-RS');
  expect(await page.getAttribute('#due-at', 'data-iso')).toBe('2025-03-24T14:00:00+07:00');
  const explained = await page.textContent('#deadline-explained');
  expect(explained).toContain('tính lại từ đầu từ 14:00 Thứ Tư, 19/03/2025, khi nhận đủ hồ sơ bổ sung (lần đầu tính từ 10:00 Thứ Hai, 17/03/2025)');
  expect(explained).not.toContain('cộng');
  // The timeline counts from the first start: the request came 7 working hours in.
  expect(await page.locator('#events tbody tr').nth(1).locator('td').nth(2).textContent()).toBe('7 giờ làm việc');
  expect(problems).toEqual([]);
});

test('a provisional deadline names the unconfirmed days it depends on', async () => {
  // Thu 15 Apr 2027 09:00, 3 working days, across Hùng Kings' day (Fri 16 Apr 2027, by statute, not yet announced).
  const posted = await request(t.app)
    .post('/api/v1/events')
    .set('Authorization', `Bearer ${t.keys.admin}`)
    .send(ev.received('TH-PV', '2027-04-15T09:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }));
  expect(posted.status).toBe(201);
  const { page, problems } = await open('/dossiers/TH-PV');
  expect(await page.textContent('#provisional')).toBe(
    'Hạn tạm tính: phụ thuộc ngày nghỉ chưa có thông báo chính thức: Thứ Sáu, 16/04/2027 (Giỗ Tổ Hùng Vương)',
  );
  expect(problems).toEqual([]);
});

test('the receipt says "tạm tính" of the appointment it prints, not of a later one', async () => {
  // Mon 12 Apr 2027 09:00 + 3 working days → Thu 15 Apr 09:00: nothing unconfirmed in between. A supplement asked
  // Tue 13 and completed Wed 14 Apr 09:00 restarts the time: 7 h on Wed, 8 on Thu, Hùng Kings' day Fri 16 Apr
  // (statutory only), 8 on Mon 19 → Tue 20 Apr 09:00. Today's deadline is provisional; the receipt's appointment is not.
  const post = (body: unknown) =>
    request(t.app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${t.keys.admin}`)
      .send(body as object);
  expect((await post(ev.received('TH-RC', '2027-04-12T09:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }))).status).toBe(201);
  const receipt = async () => (await request(t.app).get('/letters/TH-RC/receipt').set('Authorization', `Bearer ${t.keys.admin}`)).text;
  expect(await receipt()).not.toContain('tạm tính');
  const supplement = [
    ev.of('supplement_requested', 'TH-RC', '2027-04-13T09:00:00+07:00', { reason: 'Thiếu tờ khai' }),
    ev.of('supplement_received', 'TH-RC', '2027-04-14T09:00:00+07:00'),
  ];
  expect((await post(supplement)).status).toBe(201);
  const now = (await request(t.app).get('/api/v1/dossiers/TH-RC').set('Authorization', `Bearer ${t.keys.admin}`)).body;
  expect(now).toMatchObject({ dueAt: '2027-04-20T09:00:00+07:00', provisional: true, provisionalEntries: [expect.objectContaining({ date: '2027-04-16' })] });
  const printed = await receipt();
  expect(printed).toContain('09 giờ 00 phút, ngày 15 tháng 4 năm 2027');
  expect(printed).not.toContain('tạm tính');
  // An apology's new date is an appointment: nothing the calendar may still announce moves it.
  const apology = ev.of('apology_issued', 'TH-RC', '2027-04-16T10:00:00+07:00', { reason: 'Cần xác minh thêm', newDueAt: '2027-04-22T16:00:00+07:00' });
  expect((await post(apology)).status).toBe(201);
  expect((await request(t.app).get('/api/v1/dossiers/TH-RC').set('Authorization', `Bearer ${t.keys.admin}`)).body).toMatchObject({
    dueAt: '2027-04-22T16:00:00+07:00',
    provisional: false,
  });
});

test('a dossier received for another, competent agency says its clock waits for that agency (Decree 309/2026)', async () => {
  // Thu 19 Nov 2026 15:30, a paper dossier at phường Tô Hiệu's centre for phường Chiềng An. Handed over at 16:00,
  // after the 15:00 cut-off (Art. 9): the clock starts Fri 20 Nov 08:00; 3 working days over the weekend and
  // 24 Nov → Wed 25 Nov 17:00.
  const post = (body: unknown) =>
    request(t.app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${t.keys.admin}`)
      .send(body as object);
  const received = ev.received('TH-LT', '2026-11-19T15:30:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV', competentAgencyCode: 'SLA.P.CHIENGAN' });
  expect((await post(received)).status).toBe(201);
  const api = async () => (await request(t.app).get('/api/v1/dossiers/TH-LT').set('Authorization', `Bearer ${t.keys.admin}`)).body;
  expect(await api()).toMatchObject({ awaitingCompetentAgencyCode: 'SLA.P.CHIENGAN' });
  const { page, problems } = await open('/dossiers/TH-LT');
  const notice = await page.textContent('#awaiting');
  expect(notice).toContain('Hồ sơ được tiếp nhận hộ Ủy ban nhân dân phường Chiềng An');
  expect(notice).toContain('Nghị định 309/2026/NĐ-CP, Điều 8');
  expect((await post(ev.of('assigned', 'TH-LT', '2026-11-19T16:00:00+07:00', { agencyCode: 'SLA.P.CHIENGAN', step: 'Xử lý' }))).status).toBe(201);
  expect(await api()).toMatchObject({ awaitingCompetentAgencyCode: null, clockStartsAt: '2026-11-20T08:00:00+07:00', dueAt: '2026-11-25T17:00:00+07:00' });
  await page.reload();
  expect(await page.locator('#awaiting').count()).toBe(0);
  expect(problems).toEqual([]);
});

test('the longest realistic content still prints the receipt and the apology on one A5 page each', async () => {
  const longest = t.ctx.catalog.allProcedures().reduce((a, b) => (b.name.length > a.name.length ? b : a));
  const post = (body: unknown, key = t.keys.counter) =>
    request(t.app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${key}`)
      .send(body as object);
  expect(
    (
      await post(
        ev.received('CLE-LONG', '2025-03-18T09:00:00+07:00', {
          procedureCode: longest.code,
          applicant: {
            name: 'Nguyễn Thị Phương Thảo Hoàng Lê Minh Khuê',
            address: 'Số nhà 128, ngõ 45, đường Chu Văn Thịnh, tổ dân phố số 12, phường Chiềng Lề, thành phố Sơn La, tỉnh Sơn La',
            phone: '0987654321',
            email: 'phuongthao.hoangleminhkhue@example.vn',
          },
        }),
      )
    ).status,
  ).toBe(201);
  const reason =
    'Hồ sơ cần lấy ý kiến bằng văn bản của Sở Tài nguyên và Môi trường, Công an tỉnh và Ủy ban nhân dân phường nơi có đất về nguồn gốc, quá trình sử dụng đất và tình trạng tranh chấp; đến nay chưa nhận đủ văn bản trả lời của các cơ quan liên quan.';
  expect(
    (await request(t.app).post('/api/v1/dossiers/CLE-LONG/apology').set('Authorization', `Bearer ${t.keys.supervisor}`).send({ reason, extraWorkingDays: 5 }))
      .status,
  ).toBe(201);
  for (const form of ['receipt', 'apology']) {
    const { page, problems } = await open(`/letters/CLE-LONG/${form}`);
    await page.evaluate('document.fonts.ready.then(() => true)');
    const pdf = await page.pdf({ preferCSSPageSize: true });
    expect({ form, pages: (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length }).toEqual({ form, pages: 1 });
    expect(problems).toEqual([]);
  }
});
