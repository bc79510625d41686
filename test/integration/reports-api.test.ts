import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { q3Events, Q3_TOTAL } from '../support/report-fixture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
let t: TestApp;
const get = (p: string, key = t.keys.auditor) => request(t.app).get(p).set('Authorization', `Bearer ${key}`);

beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2025-11-01T09:00:00+07:00') });
  const res = await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(q3Events());
  expect(res.status).toBe(201);
});
afterAll(async () => t.close());

const expectedTotal = Q3_TOTAL;

test('Q3 2025 by agency: hand-worked counts and rates, agency rows rolled up across the 1 July reform', async () => {
  const res = await get('/api/v1/reports/rates?period=2025-Q3&groupBy=agency');
  expect(res.status).toBe(200);
  expect(res.body.period).toMatchObject({ label: '2025-Q3', convention: 'calendar', from: '2025-07-01T00:00:00+07:00', to: '2025-10-01T00:00:00+07:00' });
  expect(res.body.total).toMatchObject(expectedTotal);
  expect(res.body.total.progressRate).toBeCloseTo(7 / 9, 10);
  expect(res.body.total.finishedOnTimeRate).toBeCloseTo(6 / 7, 10);
  expect(res.body.total.onlineSubmissionRate).toBeCloseTo(1 / 8, 10);
  expect(res.body.total.onlinePaymentRate).toBeCloseTo(1 / 7, 10);
  expect(res.body.total.digitisationRate).toBeCloseTo(1 / 8, 10);
  expect(res.body.total.electronicResultRate).toBeCloseTo(1 / 8, 10);

  const row = (code: string) => res.body.rows.find((r: { key: string }) => r.key === code);
  // The province row rolls up everything; the old district keeps A, received under it before the reform.
  expect(row('SLA')).toMatchObject(expectedTotal);
  expect(row('SLA.TPSL')).toMatchObject({ received: 0, finished: 1, early: 1, progressRate: 1 });
  expect(row('SLA.TPSL.CLE')).toMatchObject({ finished: 1, early: 1 });
  // Tô Hiệu: B C D E F G K → (early 2 + on time 2 + on track 1) / (finished 5 + open 2) = 5/7.
  expect(row('SLA.P.TOHIEU')).toMatchObject({ received: 7, finished: 5, early: 2, onTime: 2, late: 1, openOnTrack: 1, openOverdue: 1 });
  expect(row('SLA.P.TOHIEU').progressRate).toBeCloseTo(5 / 7, 10);
  expect(row('SLA.P.TOHIEU.TTPV')).toMatchObject({ received: 7 });
  expect(row('SLA.P.MOCCHAU')).toMatchObject({ received: 1, finished: 1, early: 1 });
});

test('by month, by procedure and by channel; the reporting convention shifts the window to the 15th', async () => {
  const months = (await get('/api/v1/reports/rates?from=2025-07-01&to=2025-09-30&groupBy=month')).body;
  expect(months.rows.map((r: { key: string; received: number }) => [r.key, r.received])).toEqual([
    ['2025-07', 5],
    ['2025-08', 1],
    ['2025-09', 2],
  ]);
  // July's end (1 Aug): D was finished, nothing open; September's: E on track, F overdue.
  expect(months.rows[2]).toMatchObject({ openOnTrack: 1, openOverdue: 1 });

  const procedures = (await get('/api/v1/reports/rates?period=2025-Q3&groupBy=procedure')).body;
  expect(procedures.rows.map((r: { key: string; received: number }) => [r.key, r.received])).toEqual([
    ['1.000656', 1],
    ['1.004194', 7],
  ]);
  const channels = (await get('/api/v1/reports/rates?period=2025-Q3&groupBy=channel')).body;
  expect(channels.rows.map((r: { key: string; received: number }) => [r.key, r.received])).toEqual([
    ['direct', 6],
    ['online', 2],
  ]);

  // Reporting Q3 = 15 Jun – 14 Sep: A (27 Jun) is received in it, E (29 Sep) and F (22 Sep) are not.
  const report = (await get('/api/v1/reports/rates?period=2025-Q3&convention=report&groupBy=agency')).body;
  expect(report.period.from).toBe('2025-06-15T00:00:00+07:00');
  expect(report.period.to).toBe('2025-09-15T00:00:00+07:00');
  expect(report.total.received).toBe(7);
});

test('an auditor sees only its agencies; bad parameters are 400 with the field named', async () => {
  // The supervisor key covers SLA.TPSL (the abolished district): only A.
  const scoped = (await get('/api/v1/reports/rates?period=2025-Q3', t.keys.supervisor)).body;
  expect(scoped.total).toMatchObject({ received: 0, finished: 1, early: 1 });
  expect(scoped.rows.map((r: { key: string }) => r.key)).toEqual(['SLA.TPSL', 'SLA.TPSL.CLE']);
  expect((await get('/api/v1/reports/rates?period=2025-Q3&agency=SLA.P.TOHIEU', t.keys.supervisor)).status).toBe(403);
  const bad = await get('/api/v1/reports/rates?period=2025-Q5&groupBy=colour');
  expect(bad.status).toBe(400);
  expect(bad.body.errors.map((i: { path: string }) => i.path).sort()).toEqual(['groupBy', 'period']);
  expect((await get('/api/v1/reports/rates?from=2025-09-30&to=2025-07-01')).status).toBe(400);
});

test('the dossiers behind a cell: late finished, overdue at the end', async () => {
  const late = (await get('/api/v1/reports/dossiers?period=2025-Q3&outcome=late')).body;
  expect(late.items.map((d: { code: string }) => d.code)).toEqual(['C']);
  const overdue = (await get('/api/v1/reports/dossiers?period=2025-Q3&outcome=overdue')).body;
  expect(overdue.items.map((d: { code: string }) => d.code)).toEqual(['F']);
  const csv = await get('/api/v1/reports/dossiers.csv?period=2025-Q3&outcome=early');
  expect(csv.headers['content-type']).toMatch(/text\/csv/);
  expect(
    csv.text
      .split('\r\n')
      .slice(1, 5)
      .map((l) => l.split(',')[0]),
  ).toEqual(['A', 'J', 'K', 'G']);
});

test('CSV and Excel exports: Vietnamese headers, counts as numbers, rates as percentages', async () => {
  const csv = await get('/api/v1/reports/rates.csv?period=2025-Q3&groupBy=agency');
  expect(csv.status).toBe(200);
  expect(csv.text.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.text.slice(1).trim().split('\r\n');
  const header = lines[0]!.split(',');
  expect(header).toContain('Hồ sơ tiếp nhận');
  expect(header).toContain('Tỷ lệ đúng hạn (QĐ 766) (%)');
  const total = lines[lines.length - 1]!.split(',');
  expect(total[header.indexOf('Mã')]).toBe('total');
  expect(total[header.indexOf('Hồ sơ tiếp nhận')]).toBe('8');
  expect(total[header.indexOf('Tỷ lệ đúng hạn (QĐ 766) (%)')]).toBe('77.78');
  // Grouped by 'all', the one row is the total: printed once.
  const all = (await get('/api/v1/reports/rates.csv?period=2025-Q3&groupBy=all')).text.slice(1).trim().split('\r\n');
  expect(all.slice(1).map((l) => l.split(',').slice(0, 3))).toEqual([['total', 'Tổng cộng', '8']]);

  const xlsx = await get('/api/v1/reports/rates.xlsx?period=2025-Q3&groupBy=agency')
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  expect(xlsx.status).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.body as unknown as Parameters<typeof book.xlsx.load>[0]);
  const sheet = book.worksheets[0]!;
  const headers = (sheet.getRow(2).values as unknown[]).slice(1);
  const last = sheet.getRow(sheet.rowCount);
  const col = (name: string) => headers.indexOf(name) + 1;
  expect(last.getCell(col('Hồ sơ tiếp nhận')).value).toBe(8);
  expect(last.getCell(col('Tỷ lệ đúng hạn (QĐ 766)')).value).toBeCloseTo(7 / 9, 10);
  expect(last.getCell(col('Tỷ lệ đúng hạn (QĐ 766)')).numFmt).toBe('0.00%');
});

test('`dunghan report` writes the same numbers to a file; bad arguments exit 2', async () => {
  const out = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-report-')), 'q3.json');
  const env = { ...process.env, DATABASE_URL: t.url };
  await run(
    process.execPath,
    ['bin/dunghan.js', 'report', '--from', '2025-07-01', '--to', '2025-09-30', '--group-by', 'agency', '--format', 'json', '--out', out],
    { env },
  );
  const report = JSON.parse(await fs.readFile(out, 'utf8'));
  expect(report.total).toMatchObject(expectedTotal);
  await expect(run(process.execPath, ['bin/dunghan.js', 'report', '--period', '2025-Q9'], { env })).rejects.toMatchObject({ code: 2 });
});

test('exports for Vietnamese Excel: ";" and decimal commas, names instead of codes, dd/MM/yyyy HH:mm, a Vietnamese title', async () => {
  const csv = await get('/api/v1/reports/rates.csv?period=2025-Q3&groupBy=agency&dialect=vn');
  const lines = csv.text.slice(1).trim().split('\r\n');
  const header = lines[0]!.split(';');
  const total = lines[lines.length - 1]!.split(';');
  // The same 7 of 9 as the standard export (77.78 %), written the Vietnamese way.
  expect(total[header.indexOf('Tỷ lệ đúng hạn (QĐ 766) (%)')]).toBe('77,78');

  const dossiers = await get('/api/v1/reports/dossiers.csv?period=2025-Q3&outcome=early&dialect=vn');
  const [head, first] = dossiers.text
    .slice(1)
    .split('\r\n')
    .map((l) => l.split(';'));
  expect(head).toEqual(['Mã hồ sơ', 'Thủ tục', 'Cơ quan tiếp nhận', 'Kênh tiếp nhận', 'Tiếp nhận', 'Hạn trả kết quả', 'Hoàn thành', 'Trạng thái', 'Kết quả']);
  expect(first![0]).toBe('A');
  expect(first![2]).not.toMatch(/^SLA\./); // a name, not a code
  expect(first![4]).toMatch(/^\d{2}\/\d{2}\/2025 \d{2}:\d{2}$/);
  expect(first![8]).toBe('Trước hạn');

  const xlsx = await get('/api/v1/reports/rates.xlsx?period=2025-Q3&groupBy=agency')
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.body as unknown as Parameters<typeof book.xlsx.load>[0]);
  expect(String(book.worksheets[0]!.getRow(1).getCell(1).value)).toBe(
    'Tình hình giải quyết hồ sơ TTHC kỳ 2025-Q3 (từ 01/07/2025 đến hết 30/09/2025), theo cơ quan',
  );
});

test('each kind of error has its own problem type: unknown agency, outside the key, a period not started, an unknown dossier', async () => {
  const app = await createTestApp({ now: Date.parse('2025-11-20T10:00:00+07:00') });
  try {
    const ask = (path: string, key = app.keys.supervisor) => request(app.app).get(path).set('Authorization', `Bearer ${key}`);
    const kinds = await Promise.all([
      ask('/api/v1/reports/rates?period=2025-10&agency=NO.SUCH'),
      ask('/api/v1/reports/rates?period=2025-10&agency=SLA.MCH'),
      ask('/api/v1/reports/rates?period=2026-01'),
      ask('/api/v1/dossiers/NO-SUCH-DOSSIER'),
    ]);
    expect(kinds.map((r) => [r.status, r.body.type])).toEqual([
      [400, 'urn:dunghan:problem:unknown-agency'],
      [403, 'urn:dunghan:problem:not-in-scope'],
      [400, 'urn:dunghan:problem:period-not-started'],
      [404, 'urn:dunghan:problem:unknown-dossier'],
    ]);
  } finally {
    await app.close();
  }
});
