/**
 * The Decision 766 indicators over a small province, worked by hand (DOMAIN §5), including the three defects
 * an auditor found: a dossier waiting for the citizen with time left counted overdue; a later apology changing a
 * past period; a dossier asked twice and still waiting counted within time. Also a refusal during a wait, a
 * finish exactly at the due instant, periods not started, running, and empty.
 *
 * Every dossier is procedure 1.004194 (3 working days, with a fee, paper result) at phường Tô Hiệu's centre.
 * Office hours 08:00–12:00, 13:00–17:00 (8 h a working day); no holiday in October–November 2025.
 *
 * P1 Mon 27 Oct 09:00 → due Thu 30 Oct 09:00. Supplement asked Tue 28 Oct 09:00, still waiting.
 *    766: judged at the request (Tue 28 09:00 ≤ due) → within time, at the end of October and now.
 * P2 Mon 20 Oct 09:00 → due Thu 23 Oct 09:00. Asked Mon 20 10:00, supplied Tue 21 10:00 (8 working hours: 766 due
 *    Fri 24 09:00), asked again Tue 21 11:00, still waiting → asked twice: overdue.
 * P3 Mon 27 Oct 09:00 → due Thu 30 Oct 09:00, open: overdue at the end of October. An apology dated Mon 3 Nov
 *    (new date Mon 10 Nov 09:00) must not change October; it is too late (after the due date) and counts in November.
 * P4 Mon 6 Oct 09:00 → due Thu 9 Oct 09:00. Asked Tue 7 Oct 09:00, refused Mon 13 Oct 10:00 while waiting. The wait
 *    (Tue 7 h + Wed–Fri 24 h + Mon 2 h = 33 h) is subtracted: due Wed 15 Oct 10:00 → early (not late).
 * P5 Mon 13 Oct 09:00 → due Thu 16 Oct 09:00, result exactly Thu 16 Oct 09:00 → on time.
 * P6 Mon 13 Oct 09:00 → due Thu 16 Oct 09:00, result Fri 17 Oct 09:00 → late, without an apology.
 * P7 Mon 6 Oct 09:00 → due Thu 9 Oct 09:00; apology Tue 7 Oct 10:00 (in time: by Wed 8) to Mon 13 Oct 17:00;
 *    result Mon 13 Oct 16:00 → on time against the new appointment; rescheduled.
 * P8 Wed 1 Oct 09:00 online, digitised, reusing digitised data, paid online; electronic result Thu 2 Oct 10:00 → early; liked.
 * P9 Wed 1 Oct 09:00 → due Mon 6 Oct 09:00, result Fri 3 Oct 09:00 → early; a complaint on Mon 6 Oct.
 * P10 Wed 1 Oct 09:00 → due Mon 6 Oct 09:00. Asked Tue 7 Oct 09:00 (4 working days after receipt: a late request),
 *    supplied Wed 8 Oct 09:00 (8 h: 766 due Tue 7 Oct 09:00), result Thu 9 Oct 09:00 → late by 766 (the legal time
 *    restarted from the completed dossier: early by law).
 *
 * October 2025 (ended): received 10, finished 7 (early P4 P8 P9, on time P5 P7, late P6 P10), open at the end
 * 3 (within time P1; overdue P2 P3). 2.1 = (3 + 2 + 1) / 10 = 60 %. 3.3 = P8 / 10; 3.6 = P8 / 10 (all ten
 * payable, processing started in October); 4.1 = 4.2 = 4.3 = 1 / 10. 5.4 = 100 % − (2 late + 2 overdue) / 10
 * − 1 complaint / 10 = 50 %. Compliance: rescheduled 1 (P7), late without apology 1 (P6; P10 is not late by law),
 * supplement asked twice 1 (P2), late request 1 (P10), apology too late 0.
 * 2.2 average processing time in working days (waits subtracted): P4 1, P5 3, P6 4, P7 5.75, P8 1.13 (9 h),
 * P9 2, P10 5 → 21.88 / 7 = 3.13.
 */
import ExcelJS from 'exceljs';
import request from 'supertest';
import { ev } from '../support/events.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
const NOW = Date.parse('2025-11-20T10:00:00+07:00');
const TH = 'SLA.P.TOHIEU.TTPV';
const get = (p: string, key = t.keys.auditor) => request(t.app).get(p).set('Authorization', `Bearer ${key}`);
const post = (body: object) => request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(body);
const rec = (code: string, at: string, over: Record<string, unknown> = {}) =>
  ev.received(code, at, { procedureCode: '1.004194', receivingAgencyCode: TH, ...over });

const events = [
  rec('P1', '2025-10-27T09:00:00+07:00'),
  ev.of('supplement_requested', 'P1', '2025-10-28T09:00:00+07:00', { reason: 'Thiếu giấy tờ' }),
  rec('P2', '2025-10-20T09:00:00+07:00'),
  ev.of('supplement_requested', 'P2', '2025-10-20T10:00:00+07:00', { reason: 'Thiếu giấy tờ' }),
  ev.of('supplement_received', 'P2', '2025-10-21T10:00:00+07:00'),
  ev.of('supplement_requested', 'P2', '2025-10-21T11:00:00+07:00', { reason: 'Bản chụp không rõ' }),
  rec('P3', '2025-10-27T09:00:00+07:00'),
  rec('P4', '2025-10-06T09:00:00+07:00'),
  ev.of('supplement_requested', 'P4', '2025-10-07T09:00:00+07:00', { reason: 'Thiếu giấy tờ' }),
  ev.of('refused', 'P4', '2025-10-13T10:00:00+07:00', { reason: 'Không bổ sung được giấy tờ' }),
  rec('P5', '2025-10-13T09:00:00+07:00'),
  ev.of('result_ready', 'P5', '2025-10-16T09:00:00+07:00'),
  rec('P6', '2025-10-13T09:00:00+07:00'),
  ev.of('result_ready', 'P6', '2025-10-17T09:00:00+07:00'),
  rec('P7', '2025-10-06T09:00:00+07:00'),
  ev.of('apology_issued', 'P7', '2025-10-07T10:00:00+07:00', { reason: 'Cần xác minh', newDueAt: '2025-10-13T17:00:00+07:00' }),
  ev.of('result_ready', 'P7', '2025-10-13T16:00:00+07:00'),
  rec('P8', '2025-10-01T09:00:00+07:00', { channel: 'online', digitized: true, reusedDigitizedData: true }),
  ev.of('payment_recorded', 'P8', '2025-10-01T09:05:00+07:00', { amount: 15000, method: 'online', viaNationalPortal: true }),
  ev.of('result_ready', 'P8', '2025-10-02T10:00:00+07:00', { electronicResult: true }),
  ev.of('rated', 'P8', '2025-10-03T10:00:00+07:00', { rating: 'liked' }),
  rec('P9', '2025-10-01T09:00:00+07:00'),
  ev.of('result_ready', 'P9', '2025-10-03T09:00:00+07:00'),
  ev.of('complaint_received', 'P9', '2025-10-06T10:00:00+07:00', { summary: 'Thái độ phục vụ' }),
  rec('P10', '2025-10-01T09:00:00+07:00'),
  ev.of('supplement_requested', 'P10', '2025-10-07T09:00:00+07:00', { reason: 'Thiếu giấy tờ' }),
  ev.of('supplement_received', 'P10', '2025-10-08T09:00:00+07:00'),
  ev.of('result_ready', 'P10', '2025-10-09T09:00:00+07:00'),
];
const lateApology = ev.of('apology_issued', 'P3', '2025-11-03T09:00:00+07:00', {
  reason: 'Chờ ý kiến cơ quan phối hợp',
  newDueAt: '2025-11-10T09:00:00+07:00',
});

const OCTOBER = {
  received: 10,
  receivedOnline: 1,
  receivedPostal: 0,
  onlineFull: 1,
  finished: 7,
  early: 3,
  onTime: 2,
  late: 2,
  openOnTrack: 1,
  openOverdue: 2,
  feeRequired: 10,
  paidOnline: 1,
  digitized: 1,
  digitizedFull: 1,
  paperResult: 10,
  electronicResult: 1,
  reusedData: 1,
  rescheduled: 1,
  apologyTooLate: 0,
  lateWithoutApology: 1,
  repeatedSupplement: 1,
  lateSupplementRequest: 1,
  dissatisfied: 1,
};

beforeAll(async () => {
  t = await createTestApp({ now: NOW });
  expect((await post(events)).status).toBe(201);
});
afterAll(async () => t.close());

test('October 2025: every count and indicator as worked by hand', async () => {
  const res = await get('/api/v1/reports/rates?period=2025-10&groupBy=all');
  expect(res.status).toBe(200);
  expect(res.body.total).toMatchObject(OCTOBER);
  const total = res.body.total;
  expect(total.progressRate).toBeCloseTo(0.6, 10);
  expect(total.onlineSubmissionRate).toBeCloseTo(0.1, 10);
  expect(total.onlinePaymentRate).toBeCloseTo(0.1, 10);
  expect(total.electronicResultRate).toBeCloseTo(0.1, 10);
  expect(total.digitisationRate).toBeCloseTo(0.1, 10);
  expect(total.reuseRate).toBeCloseTo(0.1, 10);
  expect(total.satisfactionRate).toBeCloseTo(0.5, 10);
  expect(total.rescheduledRate).toBeCloseTo(0.1, 10);
  expect(total.counterShare).toBeCloseTo(0.9, 10);
  expect(res.body.judgment).toMatchObject({
    running: false,
    openJudgedAt: '2025-10-31T23:59:59+07:00',
    readings: { lateness: 'instant', lateApology: 'unchanged' },
  });
  // Each indicator with its number, threshold and the share of its marks: 3.3 is at 10 % of a 50 % threshold.
  const ind = Object.fromEntries(res.body.indicators.map((i: { id: string }) => [i.id, i]));
  expect(Object.keys(ind)).toEqual(['2.1', '3.3', '3.6', '4.1', '4.2', '4.3', '5.4']);
  expect(ind['2.1']).toMatchObject({ percent: 60, threshold: 1, scoreShare: 0.6 });
  expect(ind['3.3']).toMatchObject({ percent: 10, threshold: 0.5, scoreShare: 0.2 });
  expect(ind['4.2']).toMatchObject({ percent: 10, threshold: 0.8, scoreShare: 0.125 });
  expect(ind['5.4']).toMatchObject({ percent: 50, threshold: 0.9, scoreShare: 0.5556 });
  // 3.3 says it is not the portal's online-service score; the portal's own progress row and score beside ours.
  expect(ind['3.3'].note).toMatch(/không phải điểm “Cung cấp dịch vụ trực tuyến”/);
  expect(total.portal).toEqual({
    totalReceived: 10,
    totalOnTime: 6,
    totalOverdue: 4,
    totalCompleted: 7,
    avgProcessingDays: null,
    ratio: 60,
    score: 12,
    maxScore: 20,
  });
  expect(res.body.portal.mode).toBe('portal-compatible');

  // 2.2 per procedure, in its own unit (working days).
  const byProcedure = (await get('/api/v1/reports/rates?period=2025-10&groupBy=procedure')).body;
  expect(byProcedure.rows).toHaveLength(1);
  expect(byProcedure.rows[0]).toMatchObject({ key: '1.004194', averageProcessingTime: 3.13, processingTimeCount: 7 });
});

test('the dossier page, the list filter and the report agree on a dossier waiting for the citizen', async () => {
  const p1 = (await get('/api/v1/dossiers/P1')).body;
  expect(p1).toMatchObject({ progress: 'waiting_for_citizen', rate: { progress: 'on_track' } });
  const p2 = (await get('/api/v1/dossiers/P2')).body;
  expect(p2).toMatchObject({ progress: 'waiting_for_citizen', rate: { progress: 'overdue' } });
  const waiting = (await get('/api/v1/dossiers?outcome=waiting_for_citizen')).body.items.map((d: { code: string }) => d.code).sort();
  expect(waiting).toEqual(['P1', 'P2']);
  // "On track" (within time) lists P1 as the report does, not P2 (asked twice).
  const onTrack = (await get('/api/v1/dossiers?outcome=on_track')).body.items.map((d: { code: string }) => d.code);
  expect(onTrack).toContain('P1');
  expect(onTrack).not.toContain('P2');
  // Neither is in the legal "overdue" list (their clocks are stopped); P3 is.
  const overdue = (await get('/api/v1/dossiers?outcome=overdue')).body.items.map((d: { code: string }) => d.code);
  expect(overdue).toEqual(['P3']);
  // The cells behind the report name the same dossiers.
  const cell = async (name: string) =>
    (await get(`/api/v1/reports/dossiers?period=2025-10&outcome=${name}`)).body.items.map((d: { code: string }) => d.code).sort();
  expect(await cell('on_track')).toEqual(['P1']);
  expect(await cell('overdue')).toEqual(['P2', 'P3']);
  expect(await cell('early')).toEqual(['P4', 'P8', 'P9']);
  expect(await cell('late')).toEqual(['P10', 'P6']);
});

test('an apology dated after a period does not move that period; it counts in its own', async () => {
  const before = (await get('/api/v1/reports/rates?period=2025-10&groupBy=agency')).body;
  expect((await post(lateApology)).status).toBe(201);
  const after = (await get('/api/v1/reports/rates?period=2025-10&groupBy=agency')).body;
  expect(after.rows).toEqual(before.rows);
  expect(after.total).toEqual(before.total);
  // The month scan (no counters: a field filter) judges it as it was too.
  const scanned = (await get('/api/v1/reports/rates?period=2025-10&groupBy=field')).body.total;
  expect(scanned).toMatchObject({ openOnTrack: 1, openOverdue: 2 });

  // November is running (now Thu 20 Nov 10:00): P1 within time, P2 overdue, P3 overdue (new date 10 Nov passed).
  const november = (await get('/api/v1/reports/rates?period=2025-11&groupBy=all')).body;
  expect(november.judgment).toMatchObject({ running: true, openJudgedAt: '2025-11-20T10:00:00+07:00' });
  expect(november.total).toMatchObject({ received: 0, finished: 0, openOnTrack: 1, openOverdue: 2, rescheduled: 1, apologyTooLate: 1 });
  expect(november.total.progressRate).toBeCloseTo(1 / 3, 10);
  // The same with a filter that forces a scan of the dossiers: the two paths agree.
  expect((await get('/api/v1/reports/rates?period=2025-11&groupBy=field')).body.total).toMatchObject({ openOnTrack: 1, openOverdue: 2, rescheduled: 1 });
});

test('periods: not started → 400; empty → N/A, never 0 %', async () => {
  const future = await get('/api/v1/reports/rates?period=2025-12');
  expect(future.status).toBe(400);
  expect(future.body.errors).toEqual([{ path: 'period', message: expect.stringContaining('2025-12-01T00:00:00+07:00') }]);
  expect(future.body.detail).toMatch(/has not started/);
  expect((await get('/api/v1/reports/rates?period=2026')).status).toBe(400);
  const september = (await get('/api/v1/reports/rates?period=2025-09&groupBy=all')).body.total;
  expect(september).toMatchObject({ received: 0, progressRate: null, onlineSubmissionRate: null, satisfactionRate: null, onlinePaymentRate: null });
  // By month over the year, the months not started are left out.
  const months = (await get('/api/v1/reports/rates?period=2025&groupBy=month')).body.rows.map((r: { key: string }) => r.key);
  expect(months).toHaveLength(11);
  expect(months.at(-1)).toBe('2025-11');
  const csv = (await get('/api/v1/reports/rates.csv?period=2025-09&groupBy=all&dialect=vn')).text;
  const lines = csv.replace('\uFEFF', '').trim().split('\r\n');
  const cells = Object.fromEntries(lines[0]!.split(';').map((h, i) => [h, lines.at(-1)!.split(';')[i]]));
  expect(cells['Tỷ lệ đúng hạn (QĐ 766) (%)']).toBe('N/A');
});

test('CSV and Excel carry the indicators under Vietnamese headers', async () => {
  const csv = (await get('/api/v1/reports/rates.csv?period=2025-10&groupBy=all&dialect=vn')).text;
  // Grouped by 'all', the one row is the total.
  const [header, total, ...rest] = csv.replace('\uFEFF', '').split('\r\n');
  expect(rest.filter(Boolean)).toEqual([]);
  const cells = Object.fromEntries(header!.split(';').map((h, i) => [h, total!.split(';')[i]]));
  expect(cells).toMatchObject({
    'Tỷ lệ đúng hạn (QĐ 766) (%)': '60,00',
    'Tỷ lệ nộp trực tuyến (%)': '10,00',
    'Tỷ lệ thanh toán trực tuyến (%)': '10,00',
    'Tỷ lệ cấp kết quả điện tử (%)': '10,00',
    'Tỷ lệ số hóa (%)': '10,00',
    'Tỷ lệ sử dụng lại dữ liệu số hóa (%)': '10,00',
    'Mức độ hài lòng (%)': '50,00',
    'Thời gian giải quyết trung bình (theo đơn vị của thủ tục)': '',
    'Hồ sơ xin lỗi và hẹn lại ngày trả': '1',
    'Quá hạn không có văn bản xin lỗi': '1',
    'Yêu cầu bổ sung lần thứ hai': '1',
    'Yêu cầu bổ sung sau 03 ngày làm việc': '1',
  });
  const book = new ExcelJS.Workbook();
  const xlsx = await get('/api/v1/reports/rates.xlsx?period=2025-10&groupBy=all')
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const headers = (sheet.getRow(2).values as unknown[]).slice(1);
  const last = sheet.getRow(sheet.rowCount);
  const col = (name: string) => headers.indexOf(name) + 1;
  expect(last.getCell(col('Mức độ hài lòng')).value).toBeCloseTo(0.5, 10);
  expect(last.getCell(col('Mức độ hài lòng')).numFmt).toBe('0.00%');
});

test('events carry what the indicators need; a fee-free procedure cannot charge a fee; ratings are idempotent', async () => {
  const feeFree = ev.received('X1', '2025-11-03T09:00:00+07:00', { procedureCode: '1.000656', feeRequired: true, receivingAgencyCode: TH });
  const refused = await post(feeFree);
  expect(refused.status).toBe(422);
  expect(JSON.stringify(refused.body)).toMatch(/no fee or charge/);
  const rating = ev.of('rated', 'P5', '2025-11-04T09:00:00+07:00', { rating: 'disliked' });
  expect((await post(rating)).status).toBe(201);
  expect((await post(rating)).body.results[0].status).toBe('duplicate');
  expect((await post({ ...rating, rating: 'liked' })).status).toBe(409);
  const p5 = (await get('/api/v1/dossiers/P5')).body;
  expect(p5).toMatchObject({ rating: 'disliked', complaints: 0 });
  // A dislike in November counts in November's 5.4, not October's.
  expect((await get('/api/v1/reports/rates?period=2025-11&groupBy=all')).body.total.dissatisfied).toBe(1);
  expect((await get('/api/v1/reports/rates?period=2025-10&groupBy=all')).body.total.dissatisfied).toBe(1);
  expect((await post(ev.of('rated', 'P5', '2025-11-04T10:00:00+07:00', { rating: 'meh' }))).status).toBe(400);
});

test('what-if: how many open dossiers must stay within time to reach 98 %, and which are closest to their due', async () => {
  const res = await get(`/api/v1/reports/what-if?period=2025-11&agency=${TH}&target=0.98`);
  expect(res.status).toBe(200);
  // November: nothing finished; P1 within time, P2 and P3 overdue. 98 % of 3 needs 3 within time: unreachable,
  // the best is 1/3.
  expect(res.body).toMatchObject({ toProcess: 3, finishedWithinTime: 0, alreadyLate: 2, openOnTrack: 1, mustFinishWithinTime: 3, reachable: false });
  expect(res.body.bestPossibleRate).toBeCloseTo(1 / 3, 10);
  expect(res.body.closest.map((d: { code: string }) => d.code)).toEqual(['P1']);
  const low = (await get(`/api/v1/reports/what-if?period=2025-11&agency=${TH}&target=0.3`)).body;
  expect(low).toMatchObject({ mustFinishWithinTime: 1, reachable: true });
  expect((await get('/api/v1/reports/what-if?period=2025-10&target=0.98')).status).toBe(400);
  expect((await get('/api/v1/reports/what-if?period=2025-11&target=1.5')).status).toBe(400);
});
