/**
 * The register of apology letters (issue 25 item 4) for 2025-Q1, worked by hand. Đăng ký tạm trú (3 working days):
 *
 * - R-1, phường Chiềng Lề, received Mon 3 Mar 10:00 → due Thu 6 Mar 10:00. Its apology goes through the workflow on
 *   Tue 4 Mar 09:00 (drafted, submitted, approved, signed by the supervisor's key, issued), new date Wed 12 Mar 10:00:
 *   issued by Wed 5 Mar, so in time.
 * - R-2, same ward, received Mon 17 Mar 10:00 → due Thu 20 Mar 10:00; its apology is recorded over the events API on
 *   the due day, Thu 20 Mar 09:00 (late: not by Wed 19 Mar), new date Tue 25 Mar 16:30; no signature through dunghan.
 * - R-3, same ward: its apology is issued on Wed 2 Apr, in Q2: not in the Q1 register.
 * - R-4, in a ward of Mộc Châu (outside the supervisor key's SLA.TPSL), apology Tue 11 Mar 09:00: seen by a key of the
 *   province only.
 */
import ExcelJS from 'exceljs';
import request from 'supertest';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';
import { makeP12 } from '../support/certificates.js';

let t: TestApp;
const valid = makeP12({ from: '2025-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', keyUsage: { digitalSignature: true } });
const at = (iso: string) => Date.parse(iso);

beforeAll(async () => {
  t = await createTestApp({ now: at('2025-03-04T09:00:00+07:00') });
  t.ctx.signing = { p12: valid.p12, passphrase: valid.passphrase };
  const moc = t.ctx.catalog.descendantsOf('SLA.MCH').find((c) => c !== 'SLA.MCH')!;
  const events = [
    ev.received('R-1', '2025-03-03T10:00:00+07:00'),
    ev.received('R-2', '2025-03-17T10:00:00+07:00'),
    ev.received('R-3', '2025-03-31T10:00:00+07:00'),
    ev.received('R-4', '2025-03-10T10:00:00+07:00', { receivingAgencyCode: moc }),
    ev.of('apology_issued', 'R-2', '2025-03-20T09:00:00+07:00', { reason: 'Chờ kết quả xác minh của Công an tỉnh.', newDueAt: '2025-03-25T16:30:00+07:00' }),
    ev.of('apology_issued', 'R-3', '2025-04-02T09:00:00+07:00', { reason: 'Quý sau.', newDueAt: '2025-04-10T10:00:00+07:00' }),
    ev.of('apology_issued', 'R-4', '2025-03-11T09:00:00+07:00', { reason: 'Ngoài phạm vi.', newDueAt: '2025-03-20T10:00:00+07:00' }),
  ];
  const posted = await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(events);
  expect(posted.status).toBe(201);
  const step = async (key: string, path: string, body: object = {}) => {
    const res = await request(t.app).post(`/api/v1/dossiers/R-1/letters/apology/${path}`).set('Authorization', `Bearer ${key}`).send(body);
    expect([path, res.status]).toEqual([path, path === 'draft' || path === 'sign' || path === 'issue' ? 201 : 200]);
  };
  await step(t.keys.counter, 'draft', { reason: 'Cần lấy ý kiến Sở Tư pháp.', newDueAt: '2025-03-12T10:00:00+07:00' });
  await step(t.keys.counter, 'submit');
  await step(t.keys.supervisor, 'approve');
  await step(t.keys.supervisor, 'sign');
  await step(t.keys.counter, 'issue');
  t.clock.now = at('2025-04-10T09:00:00+07:00');
});
afterAll(async () => t?.close());

const register = (key: string, query: string) => request(t.app).get(`/api/v1/reports/apologies${query}`).set('Authorization', `Bearer ${key}`);

const R1 = {
  dossierCode: 'R-1',
  procedureCode: '1.004194',
  agencyCode: 'SLA.TPSL.CLE',
  receivedAt: '2025-03-03T10:00:00+07:00',
  originalDueAt: '2025-03-06T10:00:00+07:00',
  newDueAt: '2025-03-12T10:00:00+07:00',
  reason: 'Cần lấy ý kiến Sở Tư pháp.',
  issuedAt: '2025-03-04T09:00:00+07:00',
  inTime: true,
  signed: { name: 'test supervisor', certificate: 'UBND phuong Chieng Le', at: '2025-03-04T09:00:00+07:00' },
};
const R2 = {
  dossierCode: 'R-2',
  originalDueAt: '2025-03-20T10:00:00+07:00',
  newDueAt: '2025-03-25T16:30:00+07:00',
  issuedAt: '2025-03-20T09:00:00+07:00',
  inTime: false,
  signed: null,
};

test("a quarter's register within the caller's agencies: each apology issued, with the appointment it moved and who signed", async () => {
  const res = await register(t.keys.supervisor, '?period=2025-Q1');
  expect(res.status).toBe(200);
  expect(res.body.period).toEqual({ label: '2025-Q1', from: '2025-01-01T00:00:00+07:00', to: '2025-04-01T00:00:00+07:00' });
  expect(res.body.entries).toEqual([expect.objectContaining({ ...R1, signed: expect.objectContaining(R1.signed) }), expect.objectContaining(R2)]);
  // The province sees R-4 too, between them by the instant it was issued (Tue 11 Mar).
  const all = await register(t.keys.admin, '?period=2025-Q1');
  expect(all.body.entries.map((e: { dossierCode: string }) => e.dossierCode)).toEqual(['R-1', 'R-4', 'R-2']);
  // R-3's apology is Q2's.
  expect((await register(t.keys.admin, '?from=2025-04-01&to=2025-04-30')).body.entries.map((e: { dossierCode: string }) => e.dossierCode)).toEqual(['R-3']);
  // An agency outside the key: 403; a period not started: 400.
  expect((await register(t.keys.supervisor, '?period=2025-Q1&agency=SLA.MCH')).status).toBe(403);
  expect((await register(t.keys.supervisor, '?period=2025-Q3')).status).toBe(400);
});

test('the XLSX and the page say the same, in Vietnamese', async () => {
  const res = await register(t.keys.supervisor, '.xlsx?period=2025-Q1')
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.body as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
  expect(row(1)[0]).toBe('Sổ theo dõi văn bản xin lỗi và hẹn lại ngày trả kết quả kỳ 2025-Q1 (từ 01/01/2025 đến hết 31/03/2025)');
  expect(row(2)).toEqual([
    'STT',
    'Mã hồ sơ',
    'Thủ tục hành chính',
    'Cơ quan tiếp nhận',
    'Ngày tiếp nhận',
    'Hẹn trả kết quả trước khi xin lỗi',
    'Hẹn lại ngày trả kết quả',
    'Lý do',
    'Ngày phát hành văn bản',
    'Xin lỗi đúng thời hạn',
    'Người ký',
    'Chứng thư số',
  ]);
  const procedure = `${t.ctx.catalog.procedure('1.004194')!.name} (1.004194)`;
  const ward = t.ctx.catalog.agency('SLA.TPSL.CLE')!.name;
  expect(row(3)).toEqual([
    1,
    'R-1',
    procedure,
    ward,
    '03/03/2025 10:00',
    '06/03/2025 10:00',
    '12/03/2025 10:00',
    'Cần lấy ý kiến Sở Tư pháp.',
    '04/03/2025 09:00',
    'Đúng thời hạn',
    'test supervisor',
    'UBND phuong Chieng Le',
  ]);
  expect(row(4)).toEqual([
    2,
    'R-2',
    procedure,
    ward,
    '17/03/2025 10:00',
    '20/03/2025 10:00',
    '25/03/2025 16:30',
    'Chờ kết quả xác minh của Công an tỉnh.',
    '20/03/2025 09:00',
    'Muộn (không thay đổi hạn)',
    'Không ký qua hệ thống',
  ]);
  expect(sheet.rowCount).toBe(4);

  const cookie = `dunghan_session=${await signIn(t.app, t.keys.supervisor)}`;
  const page = (await request(t.app).get('/dashboard/apologies?period=2025-Q1').set('Cookie', cookie)).text;
  expect(page).toContain('<span data-count="apologies">2</span>');
  expect(page).toContain('<td data-key="signerText">test supervisor</td>');
  expect(page).toContain('<td data-key="signerText">Không ký qua hệ thống</td>');
  expect(page).toContain('id="apology-register-xlsx" href="/api/v1/reports/apologies.xlsx?period&#x3D;2025-Q1"');
});
