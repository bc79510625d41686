import request from 'supertest';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';

// A hand-worked November 2026, judged from Thu 10 Dec 2026 09:00. Office hours 08:00–12:00, 13:00–17:00; Tue 24 Nov
// 2026 is a day off (Culture Day); no day off in December. Procedure 1.004194: 3 working days (24 h), received at the
// Tô Hiệu ward centre; "Thẩm định" at the ward (SLA.P.TOHIEU), "Ký duyệt" at the Department of Construction (SLA.SXD).
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2026-12-10T09:00:00+07:00') });
  const rec = (code: string, at: string) => ev.received(code, at, { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' });
  const appraise = (code: string, at: string, days: number) =>
    ev.of('assigned', code, at, { agencyCode: 'SLA.P.TOHIEU', step: 'Thẩm định', budget: { value: days, unit: 'working-days' } });
  const sign = (code: string, at: string) =>
    ev.of('assigned', code, at, { agencyCode: 'SLA.SXD', step: 'Ký duyệt', budget: { value: 4, unit: 'working-hours' } });
  const done = (code: string, at: string) => ev.of('result_ready', code, at);
  const events = [
    // A: due Thu 26 Nov 14:00 (Fri 3 h, Mon 8, Tue off, Wed 8, Thu 5). Thẩm định from Fri 20 15:00, 2 days → due Wed 25
    // 15:00, ended Thu 26 10:00: 240 min over. Ký duyệt from Thu 10:00, 4 h → due Thu 15:00, ended Fri 27 09:30:
    // 210 min over. Finished late.
    rec('LT-A', '2026-11-20T14:00:00+07:00'),
    appraise('LT-A', '2026-11-20T15:00:00+07:00', 2),
    sign('LT-A', '2026-11-26T10:00:00+07:00'),
    done('LT-A', '2026-11-27T09:30:00+07:00'),
    // B: due Thu 5 Nov 09:00. Thẩm định from Mon 2 10:00, 1 day → due Tue 3 10:00, ended Tue 15:00: 240 min over.
    // Ký duyệt from Tue 15:00 → due Wed 4 10:00, ended Wed 09:00: in time. Finished early: an overrun that made nothing late.
    rec('LT-B', '2026-11-02T09:00:00+07:00'),
    appraise('LT-B', '2026-11-02T10:00:00+07:00', 1),
    sign('LT-B', '2026-11-03T15:00:00+07:00'),
    done('LT-B', '2026-11-04T09:00:00+07:00'),
    // C: due Fri 27 Nov 09:00 (Mon 7 h, Tue off, Wed 8, Thu 8, Fri 1). Thẩm định from Mon 23 10:00, 2 days → due Thu
    // 26 10:00 (Mon 6 h, Tue off, Wed 8, Thu 2). Open at November's end (Mon 30 Nov 24:00): Thu 6 h + Fri 8 + Mon 8 =
    // 22 h = 1,320 min over, and the dossier overdue. Handed on Tue 1 Dec 09:00: November does not see it.
    rec('LT-C', '2026-11-23T09:00:00+07:00'),
    appraise('LT-C', '2026-11-23T10:00:00+07:00', 2),
    sign('LT-C', '2026-12-01T09:00:00+07:00'),
    // D: due Wed 4 Nov 17:00 (3 whole days from Mon 08:00), no step, finished Thu 5 Nov 10:00: late, from no step.
    rec('LT-D', '2026-11-02T08:00:00+07:00'),
    done('LT-D', '2026-11-05T10:00:00+07:00'),
  ];
  const res = await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(events);
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
});
afterAll(async () => t.close());

const get = (path: string, key = t.keys.auditor) => request(t.app).get(path).set('Authorization', `Bearer ${key}`);

test('November by agency and step: the overruns, the dossiers they made late, the late ones no step explains', async () => {
  const res = await get('/api/v1/reports/lateness?period=2026-11');
  expect(res.status).toBe(200);
  expect(res.body.judgment).toMatchObject({ running: false, judgedAt: '2026-11-30T23:59:59+07:00' });
  expect(res.body.rows).toEqual([
    // A 240 + B 240 (ended) + C 1,320 (open at the end) = 1,800 min over 3 overruns (mean 600); A and C were made late by it.
    {
      agencyCode: 'SLA.P.TOHIEU',
      agencyName: expect.any(String),
      step: 'Thẩm định',
      overruns: 3,
      overrunsEnded: 2,
      overrunsOpen: 1,
      overrunWorkingMinutes: 1800,
      averageOverrunWorkingMinutes: 600,
      dossiersMadeLate: 2,
    },
    // A 210; C's signing began in December.
    {
      agencyCode: 'SLA.SXD',
      agencyName: expect.any(String),
      step: 'Ký duyệt',
      overruns: 1,
      overrunsEnded: 1,
      overrunsOpen: 0,
      overrunWorkingMinutes: 210,
      averageOverrunWorkingMinutes: 210,
      dossiersMadeLate: 1,
    },
  ]);
  // Late or overdue: A, C and D; D is late with no step over its budget.
  expect(res.body.total).toEqual({ lateDossiers: 3, attributed: 2, unattributed: 1, overruns: 4, overrunWorkingMinutes: 2010 });
});

test('the drill-down lists the dossiers behind a row, the largest overrun first', async () => {
  const res = await get(`/api/v1/reports/lateness/dossiers?period=2026-11&stepAgency=SLA.P.TOHIEU&step=${encodeURIComponent('Thẩm định')}`);
  expect(res.status).toBe(200);
  expect(res.body.items).toEqual([
    { dossierCode: 'LT-C', agencyCode: 'SLA.P.TOHIEU', step: 'Thẩm định', overrunWorkingMinutes: 1320, open: true, overrun: true, madeLate: true },
    { dossierCode: 'LT-A', agencyCode: 'SLA.P.TOHIEU', step: 'Thẩm định', overrunWorkingMinutes: 240, open: false, overrun: true, madeLate: true },
    { dossierCode: 'LT-B', agencyCode: 'SLA.P.TOHIEU', step: 'Thẩm định', overrunWorkingMinutes: 240, open: false, overrun: true, madeLate: false },
  ]);
  const madeLate = await get(`/api/v1/reports/lateness/dossiers?period=2026-11&cell=made_late`);
  expect(madeLate.body.items.map((i: { dossierCode: string; step: string }) => `${i.dossierCode} ${i.step}`)).toEqual([
    'LT-C Thẩm định',
    'LT-A Thẩm định',
    'LT-A Ký duyệt',
  ]);
});

test("December, running: C's appraisal ended 1 Dec over by 1,380 min, its signing open and over by 3,120 min now", async () => {
  // Thẩm định due Thu 26 Nov 10:00, ended Tue 1 Dec 09:00: Thu 6 h + Fri 8 + Mon 8 + Tue 1 = 23 h.
  // Ký duyệt from Tue 1 Dec 09:00, 4 h → due Tue 14:00; now Thu 10 Dec 09:00: Tue 3 h + 6 days × 8 h + Thu 1 h = 52 h.
  const res = await get('/api/v1/reports/lateness?period=2026-12');
  expect(res.body.judgment).toMatchObject({ running: true, judgedAt: '2026-12-10T09:00:00+07:00' });
  expect(res.body.rows.map((r: Record<string, unknown>) => [r.agencyCode, r.step, r.overruns, r.overrunWorkingMinutes, r.dossiersMadeLate])).toEqual([
    ['SLA.P.TOHIEU', 'Thẩm định', 1, 1380, 1],
    ['SLA.SXD', 'Ký duyệt', 1, 3120, 1],
  ]);
  expect(res.body.total).toEqual({ lateDossiers: 1, attributed: 1, unattributed: 0, overruns: 2, overrunWorkingMinutes: 4500 });
});

test("CSV and XLSX carry the same rows with Vietnamese headers; another agency's key sees none of it", async () => {
  const csv = await get('/api/v1/reports/lateness.csv?period=2026-11');
  expect(csv.status).toBe(200);
  const lines = csv.text
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
  expect(lines[0]).toBe(
    'Mã cơ quan,Cơ quan xử lý,Bước xử lý,Bước quá hạn,Đã chuyển nhưng quá hạn,Đang xử lý quá hạn,Tổng thời gian quá hạn (phút làm việc),Quá hạn bình quân (phút làm việc),Hồ sơ bị trễ hạn do bước này',
  );
  expect(lines[1]).toMatch(/^SLA\.P\.TOHIEU,.*,Thẩm định,3,2,1,1800,600,2$/);
  const xlsx = await get('/api/v1/reports/lateness.xlsx?period=2026-11')
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.body as unknown as Parameters<typeof book.xlsx.load>[0]);
  const values = book.worksheets[0]!.getSheetValues()
    .filter(Boolean)
    .map((r) => (r as unknown[]).slice(1));
  const sxd = values.find((r) => r[0] === 'SLA.SXD')!;
  expect(sxd.slice(2)).toEqual(['Ký duyệt', 1, 1, 0, 210, 210, 1]);
  const outsider = await get('/api/v1/reports/lateness?period=2026-11', t.keys.outsider);
  expect(outsider.body.rows).toEqual([]);
  expect(outsider.body.total).toMatchObject({ lateDossiers: 0, overruns: 0 });
});
