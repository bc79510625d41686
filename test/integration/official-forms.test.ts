/**
 * The official report forms (Biểu II.06a, 06b, 07a, 07b/VPCP/KSTT): one quarter's II.06a worked out by hand, carried
 * over column included, in JSON, XLSX (merged headers, numbered columns) and PDF (the text a reader extracts); the
 * totals reconcile with GET /reports/rates for the same period and scope.
 */
import fs from 'node:fs/promises';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';
import { normalise, pdfInfo, pdfText } from '../support/poppler.js';

let t: TestApp;

// All at phường Chiềng Lề (SLA.TPSL.CLE), Đăng ký tạm trú: 3 working days, one working day = 8 office hours, the due
// instant keeping the time of day; judged by instant. 2025-Q1 = 1 Jan – 31 Mar 2025; days off: 1 Jan, Tết 25 Jan–2 Feb.
const events = [
  // A: Mon 16 Dec 2024 09:00 → due Thu 19 Dec 09:00; open on 1 Jan (carried over); done Tue 7 Jan → settled late.
  ev.received('Q-A', '2024-12-16T09:00:00+07:00'),
  ev.of('result_ready', 'Q-A', '2025-01-07T09:00:00+07:00'),
  // B: Fri 27 Dec 2024 10:00 → Mon 30, Tue 31 Dec, (1 Jan off) Thu 2 Jan 10:00; carried over; done Thu 2 Jan 09:00,
  // on the due day before the instant → on time.
  ev.received('Q-B', '2024-12-27T10:00:00+07:00'),
  ev.of('result_ready', 'Q-B', '2025-01-02T09:00:00+07:00'),
  // C: received and done in December: not the quarter's at all.
  ev.received('Q-C', '2024-12-23T09:00:00+07:00'),
  ev.of('result_ready', 'Q-C', '2024-12-24T09:00:00+07:00'),
  // H: Mon 16 Dec 2024, never finished: carried over, and overdue in progress on 31 Mar.
  ev.received('Q-H', '2024-12-16T09:00:00+07:00'),
  // D: online, Mon 6 Jan 09:00 → due Thu 9 Jan 09:00; done Tue 7 Jan → early.
  ev.received('Q-D', '2025-01-06T09:00:00+07:00', { channel: 'online' }),
  ev.of('result_ready', 'Q-D', '2025-01-07T15:00:00+07:00'),
  // G: Mon 20 Jan 09:00 → due Thu 23 Jan 09:00; done Thu 23 Jan 11:00, after the instant → late.
  ev.received('Q-G', '2025-01-20T09:00:00+07:00'),
  ev.of('result_ready', 'Q-G', '2025-01-23T11:00:00+07:00'),
  // I: Mon 3 Feb 09:00, refused at 11:00: settled, on an earlier day than the due day → early (the form's note says so).
  ev.received('Q-I', '2025-02-03T09:00:00+07:00'),
  ev.of('refused', 'Q-I', '2025-02-03T11:00:00+07:00', { reason: 'Không thuộc thẩm quyền.' }),
  // E: by post, Mon 10 Mar 09:00 → due Thu 13 Mar 09:00; open on 31 Mar → overdue in progress.
  ev.received('Q-E', '2025-03-10T09:00:00+07:00', { channel: 'postal' }),
  // F: Mon 31 Mar 09:00 → due Thu 3 Apr 09:00; open on 31 Mar → within time.
  ev.received('Q-F', '2025-03-31T09:00:00+07:00'),
];

// Columns 3–13 of II.06a for Chiềng Lề, 2025-Q1:
//  received in the quarter: D, E, F, G, I = 5, of which online D = 1 and counter or post E, F, G, I = 4;
//  carried over A, B, H = 3 (C finished before the quarter); total 5 + 3 = 8;
//  settled A, B, D, G, I = 5: early D, I = 2; on time B = 1; late A, G = 2;
//  in progress at the end E, F, H = 3: within time F = 1; overdue E, H = 2. And 8 = 5 + 3.
const CLE_Q1 = [8, 1, 4, 3, 5, 2, 1, 2, 3, 1, 2];

beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2025-04-15T09:00:00+07:00') });
  const res = await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(events);
  expect(res.status).toBe(201);
});
afterAll(async () => t?.close());

const get = (path: string, key = t.keys.auditor) =>
  request(t.app)
    .get(path)
    .set('Authorization', `Bearer ${key}`)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
const json = async (path: string, key?: string) => {
  const res = await get(path, key);
  return { status: res.status, body: JSON.parse((res.body as Buffer).toString('utf8')) };
};

test("one quarter's II.06a for a ward, worked by hand, carried over included; it reconciles with /reports/rates", async () => {
  const { status, body } = await json('/api/v1/reports/forms/06a.json?period=2025-Q1&agency=SLA.TPSL.CLE');
  expect(status).toBe(200);
  expect(body).toMatchObject({
    number: 'Biểu số II.06a/VPCP/KSTT',
    reportingUnit: 'Ủy ban nhân dân phường Chiềng Lề',
    receivingUnit: 'Ủy ban nhân dân thành phố Sơn La',
    periodText: 'Quý I năm 2025',
    rangeText: 'Từ ngày 01/01/2025 đến ngày 31/03/2025',
  });
  expect(body.rows).toEqual([{ label: 'Ủy ban nhân dân phường Chiềng Lề', depth: 0, numbers: CLE_Q1 }]);
  expect(body.total).toEqual(CLE_Q1);

  // The same period and scope in the 766 report: the same counts.
  const rates = (await json('/api/v1/reports/rates?period=2025-Q1&agency=SLA.TPSL.CLE&groupBy=all')).body.total;
  const [total, online, counter, carried, settled, early, onTime, late, open, onTrack, overdue] = body.total;
  expect({ received: total - carried, online, counter, carried, settled, early, onTime, late, open, onTrack, overdue }).toEqual({
    received: rates.received,
    online: rates.receivedOnline,
    counter: rates.received - rates.receivedOnline,
    carried: rates.carriedOver,
    settled: rates.finished,
    early: rates.early,
    onTime: rates.onTime,
    late: rates.late,
    open: rates.openOnTrack + rates.openOverdue,
    onTrack: rates.openOnTrack,
    overdue: rates.openOverdue,
  });
  // Carried over is the previous quarter's open stock at its end: A, B, H open on 31 Dec 2024.
  const q4 = (await json('/api/v1/reports/rates?period=2024-Q4&agency=SLA.TPSL.CLE&groupBy=all')).body.total;
  expect(q4.openOnTrack + q4.openOverdue).toBe(3);
  // From–to dates give the same form as the quarter's label.
  expect((await json('/api/v1/reports/forms/06a.json?from=2025-01-01&to=2025-03-31&agency=SLA.TPSL.CLE')).body.total).toEqual(CLE_Q1);
});

test('06b rolls the same dossiers up the agency tree; 07a and 07b give them by field; every total is the same', async () => {
  const b = (await json('/api/v1/reports/forms/06b.json?period=2025-Q1')).body;
  // The auditor's key is for the province: its tree, each level with everything below it, indented.
  expect(b.rows).toEqual([
    { label: 'Ủy ban nhân dân tỉnh Sơn La', depth: 0, numbers: CLE_Q1 },
    { label: 'Ủy ban nhân dân thành phố Sơn La', depth: 1, numbers: CLE_Q1 },
    { label: 'Ủy ban nhân dân phường Chiềng Lề', depth: 2, numbers: CLE_Q1 },
  ]);
  expect(b.receivingUnit).toBe('Văn phòng Chính phủ');
  for (const form of ['07a', '07b']) {
    const f = (await json(`/api/v1/reports/forms/${form}.json?period=2025-Q1&agency=SLA.TPSL.CLE`)).body;
    expect([form, f.rows]).toEqual([form, [{ label: 'Đăng ký, quản lý cư trú', depth: 0, numbers: CLE_Q1 }]]);
  }
  const rates = (await json('/api/v1/reports/rates?period=2025-Q1&groupBy=all')).body.total;
  expect(b.total[0]).toBe(rates.received + rates.carriedOver);
});

test('II.06a as XLSX: the form wording, merged header cells, columns numbered (1)–(13), the numbers', async () => {
  const res = await get('/api/v1/reports/forms/06a.xlsx?period=2025-Q1&agency=SLA.TPSL.CLE');
  expect([res.status, res.headers['content-type']]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.body as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const text = (ref: string) => String(sheet.getCell(ref).value);
  expect(text('A1')).toBe('Biểu số II.06a/VPCP/KSTT');
  expect(text('D1')).toBe('TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC');
  expect(text('D2')).toBe('Kỳ báo cáo: Quý I năm 2025');
  expect(text('D3')).toBe('(Từ ngày 01/01/2025 đến ngày 31/03/2025)');
  expect(text('K1')).toBe('- Đơn vị báo cáo: Ủy ban nhân dân phường Chiềng Lề');
  // The header: three rows of merged cells, as the form draws them.
  const merges = (sheet.model as unknown as { merges: string[] }).merges;
  for (const range of ['A5:A7', 'B5:B7', 'C5:F5', 'G5:J5', 'K5:M5', 'C6:C7', 'D6:E6', 'F6:F7', 'G6:G7', 'M6:M7']) expect(merges).toContain(range);
  expect([text('C5'), text('G5'), text('K5'), text('D6'), text('D7'), text('E7'), text('F6'), text('H6'), text('I6'), text('J6'), text('L6')]).toEqual([
    'Số hồ sơ nhận giải quyết',
    'Số hồ sơ đã giải quyết',
    'Số hồ sơ đang giải quyết',
    'Trong đó',
    'Trực tuyến',
    'Trực tiếp, dịch vụ bưu chính',
    'Từ kỳ trước',
    'Trước hạn',
    'Đúng hạn',
    'Quá hạn',
    'Trong hạn',
  ]);
  expect((sheet.getRow(8).values as unknown[]).slice(1)).toEqual(Array.from({ length: 13 }, (_, i) => `(${i + 1})`));
  expect((sheet.getRow(9).values as unknown[]).slice(1)).toEqual([1, 'Ủy ban nhân dân phường Chiềng Lề', ...CLE_Q1]);
  expect((sheet.getRow(10).values as unknown[]).slice(2)).toEqual(['Tổng cộng', ...CLE_Q1]);
  // The notes on what the form leaves open sit under the numbers.
  expect(text('A12')).toBe('Ghi chú:');
  expect(text('A14')).toContain('Hồ sơ từ chối, dừng giải quyết, rút hồ sơ được tính là đã giải quyết');
});

test('II.06a and 07b as PDF: A4 landscape, the form wording and the same numbers in the text a reader extracts', async () => {
  const res = await get('/api/v1/reports/forms/06a.pdf?period=2025-Q1&agency=SLA.TPSL.CLE');
  expect([res.status, res.headers['content-type']]).toEqual([200, 'application/pdf']);
  await fs.mkdir('test-artifacts', { recursive: true });
  await fs.writeFile('test-artifacts/bieu-06a.pdf', res.body as Buffer);
  const info = await pdfInfo(res.body as Buffer);
  expect([info.Pages, info['Page size']]).toEqual(['1', '841.89 x 595.28 pts (A4)']);
  const text = normalise(await pdfText(res.body as Buffer));
  for (const expected of [
    'Biểu số II.06a/VPCP/KSTT',
    'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC',
    'Kỳ báo cáo: Quý I năm 2025',
    '(Từ ngày 01/01/2025 đến ngày 31/03/2025)',
    '- Đơn vị báo cáo: Ủy ban nhân dân phường Chiềng Lề',
    '- Đơn vị nhận báo cáo: Ủy ban nhân dân thành phố Sơn La',
    'Số hồ sơ nhận giải quyết',
    'Từ kỳ trước',
    'Trực tiếp, dịch vụ bưu chính',
    '(1) (2) (3) (4) (5) (6) (7) (8) (9) (10) (11) (12) (13)',
    `1 Ủy ban nhân dân phường Chiềng Lề ${CLE_Q1.join(' ')}`,
    `Tổng cộng ${CLE_Q1.join(' ')}`,
    'THỦ TRƯỞNG ĐƠN VỊ',
  ])
    expect(text).toContain(expected);
  const b = normalise(await pdfText((await get('/api/v1/reports/forms/07b.pdf?period=2025-Q1')).body as Buffer));
  expect(b).toContain(`1 Đăng ký, quản lý cư trú ${CLE_Q1.join(' ')}`);
});

test('a period not started is a 400, a form that does not exist a 404, an agency outside the key a 403', async () => {
  const future = await json('/api/v1/reports/forms/06a.json?period=2025-Q3&agency=SLA.TPSL.CLE');
  expect([future.status, future.body.errors[0].path]).toEqual([400, 'period']);
  expect((await get('/api/v1/reports/forms/08a.pdf?period=2025-Q1')).status).toBe(404);
  expect((await get('/api/v1/reports/forms/06a.doc?period=2025-Q1')).status).toBe(404);
  expect((await get('/api/v1/reports/forms/06a.json?period=2025-Q1&agency=SLA.TPSL.CLE', t.keys.outsider)).status).toBe(403);
  expect((await get('/api/v1/reports/forms/06a.json?agency=SLA.TPSL.CLE')).status).toBe(400);
});
