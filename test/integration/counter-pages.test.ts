/**
 * A counter clerk's own pages and an officer's own list (issue 28 items 4 and 5), through the login form and the
 * session, as a browser posts them: the receipt's appointment shown before saving (the fold's, as the API computes
 * it), validation errors in Vietnamese next to their fields with what was typed kept and nothing written, the CSRF
 * token checked, a form sent twice recorded once, the actions on a dossier through the same ingestion (its refusals
 * in Vietnamese), and the list of what is theirs to do, most urgent first.
 *
 * Office hours 08:00–12:00, 13:00–17:00 (Asia/Ho_Chi_Minh); Tue 24 Nov 2026 is a day off (Culture Day, DOMAIN §2).
 * "Now" is Thu 26 Nov 2026 10:00.
 */
import request from 'supertest';
import { sessionCsrfToken } from '../../src/http/csrf.js';
import type { Person } from '../../src/store/people.js';
import { ev } from '../support/events.js';
import { signedInPerson, TEST_PASSWORD } from '../support/people.js';
import { anonymousCsrf, createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let mai: { person: Person; session: string };
let an: { person: Person; session: string };
beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2026-11-26T10:00:00+07:00') });
  // Mai: a counter clerk of Tô Hiệu ward (its one-stop centre is below it). An: of Chiềng An ward.
  mai = await signedInPerson(t.app, t.ctx.db.pool, { name: 'Lò Thị Mai', email: 'mai.lt@sonla.gov.vn', roles: ['counter'], agencyCodes: ['SLA.P.TOHIEU'] });
  an = await signedInPerson(t.app, t.ctx.db.pool, { name: 'Cầm Văn An', email: 'an.cv@sonla.gov.vn', roles: ['counter'], agencyCodes: ['SLA.P.CHIENGAN'] });
});
afterAll(async () => t.close());

const as = (session: string) => ({
  get: (path: string) => request(t.app).get(path).set('Cookie', `dunghan_session=${session}`).set('Accept', 'text/html'),
  form: (path: string, body: Record<string, string>, csrf = sessionCsrfToken(session)) =>
    request(t.app)
      .post(path)
      .set('Cookie', `dunghan_session=${session}`)
      .set('Accept', 'text/html')
      .type('form')
      .send({ ...body, ...(csrf ? { _csrf: csrf } : {}) }),
});
const api = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${t.keys.admin}`);
const events = async (code: string) =>
  (await t.ctx.db.pool.query<{ type: string; key_id: string }>('SELECT type, key_id FROM dossier_events WHERE dossier_code = $1 ORDER BY seq', [code])).rows;
const eventCount = async () => Number((await t.ctx.db.pool.query('SELECT count(*) AS n FROM dossier_events')).rows[0].n);
/** A hidden field's value in a page (in the form with that id, when given). */
const hidden = (html: string, name: string, formId?: string) => {
  const scope = formId ? html.slice(html.indexOf(`id="${formId}"`)) : html;
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(scope)?.[1];
};
const errorOf = (html: string, field: string) => new RegExp(`id="${field}-error"[^>]*>([^<]*)<`).exec(html)?.[1];

const receipt = {
  procedure: 'Đăng ký tạm trú',
  agency: 'SLA.P.TOHIEU.TTPV',
  dossierCode: 'TOHIEU-2026-Q1',
  applicantName: 'Quàng Thị Hoa',
  applicantPhone: '0912 345 678',
  applicantEmail: 'hoa.qt@example.vn',
  applicantId: '014090001234',
  channel: 'direct',
  fee: '',
  notifyEmail: 'on',
  notifySms: 'on',
};

test('the receive form: CSRF token, an event id drawn for it, the catalogue with each processing time; a post without the token is refused', async () => {
  const page = await as(mai.session).get('/counter/receive');
  expect(page.status).toBe(200);
  expect(hidden(page.text, '_csrf')).toBe(sessionCsrfToken(mai.session));
  expect(hidden(page.text, 'formId')).toMatch(/^[0-9a-f-]{36}$/);
  // Đăng ký tạm trú: 3 working days and a fee in the sample catalogue; the datalist says both.
  expect(page.text).toContain('<option value="1.004194 — Đăng ký tạm trú" label="03 ngày làm việc, có phí/lệ phí">');
  // Only the agencies the clerk receives at.
  expect(page.text).toContain('<option value="SLA.P.TOHIEU.TTPV">');
  expect(page.text).not.toContain('value="SLA.P.CHIENGAN');
  // Labels for every field: usable with a screen reader and the keyboard.
  for (const id of ['procedure', 'agency', 'dossierCode', 'applicantName', 'applicantPhone', 'applicantEmail', 'applicantId', 'channel', 'fee', 'digitized'])
    expect(page.text).toContain(`<label for="${id}">`);

  const forged = await as(mai.session).form('/counter/receive', { ...receipt, action: 'save' }, '');
  expect(forged.status).toBe(403);
  expect(forged.text).toContain('Biểu mẫu đã hết hạn');
  expect(await eventCount()).toBe(0);
  // The pages are for those who record events (counter, supervisor, admin): an auditor reads, and is refused here.
  const auditor = await signedInPerson(t.app, t.ctx.db.pool, {
    name: 'Đinh Văn Kiểm',
    email: 'kiem.dv@sonla.gov.vn',
    roles: ['auditor'],
    agencyCodes: ['SLA'],
  });
  expect((await as(auditor.session).get('/counter/receive')).status).toBe(403);
});

test('validation errors in Vietnamese next to each field, what was typed kept, nothing written', async () => {
  const res = await as(mai.session).form('/counter/receive', {
    ...receipt,
    procedure: 'thủ tục không có',
    applicantName: '  ',
    applicantPhone: 'gọi sau',
    applicantId: '12',
    applicantEmail: '',
    notifyEmail: 'on',
    notifySms: '',
    dossierCode: 'MÃ CÓ DẤU CÁCH',
    action: 'preview',
  });
  expect(res.status).toBe(422);
  expect(errorOf(res.text, 'procedure')).toBe('Không tìm thấy thủ tục “thủ tục không có” trong danh mục.');
  expect(errorOf(res.text, 'applicantName')).toBe('Nhập họ và tên người nộp hồ sơ (tối đa 200 ký tự).');
  expect(errorOf(res.text, 'applicantPhone')).toBe('Số điện thoại không hợp lệ (ví dụ 0912 345 678).');
  expect(errorOf(res.text, 'applicantId')).toBe('Số CMND/CCCD gồm 9 đến 12 chữ số.');
  // Consent to e-mail without an address: said at the address.
  expect(errorOf(res.text, 'applicantEmail')).toBe('Cần địa chỉ thư điện tử hợp lệ để gửi thông báo qua thư điện tử.');
  expect(errorOf(res.text, 'dossierCode')).toBe('Mã hồ sơ chỉ gồm chữ, số và các dấu . _ - / (tối đa 64 ký tự).');
  expect(res.text).toContain('có 6 mục cần sửa');
  // Kept as typed, and the fields marked for assistive technology.
  expect(res.text).toContain('value="gọi sau"');
  expect(res.text).toContain('value="thủ tục không có"');
  expect(res.text).toMatch(/id="applicantPhone"[^>]*aria-invalid="true" aria-describedby="applicantPhone-error"/);
  // The same form id is carried on: sent again corrected, it is still the one event.
  expect(res.text).not.toContain('id="save-button"');
  // Several procedures contain "tạm trú": the clerk is asked to pick one.
  const vague = await as(mai.session).form('/counter/receive', { ...receipt, procedure: 'tạm trú', action: 'preview' });
  expect(errorOf(vague.text, 'procedure')).toBe('Có 3 thủ tục khớp với “tạm trú”: chọn một thủ tục trong danh sách gợi ý.');
  // Outside the clerk's agencies (a forged select).
  const outside = await as(mai.session).form('/counter/receive', { ...receipt, agency: 'SLA.P.CHIENGAN.TTPV', action: 'preview' });
  expect(errorOf(outside.text, 'agency')).toBe('Chỉ tiếp nhận hồ sơ tại cơ quan của anh/chị.');
  // Saving a receipt with no fee for a procedure that has none is fine; claiming one where the catalogue has none is not.
  const fee = await as(mai.session).form('/counter/receive', { ...receipt, procedure: '1.003197', fee: 'yes', action: 'preview' });
  expect(errorOf(fee.text, 'fee')).toBe('Theo danh mục, thủ tục này không thu phí, lệ phí.');
  expect(await eventCount()).toBe(0);
});

let formId: string;
test('the appointment is shown before saving, computed as the API computes it; saved, it is that appointment; sent twice, one event', async () => {
  const page = await as(mai.session).get('/counter/receive');
  formId = hidden(page.text, 'formId')!;
  const preview = await as(mai.session).form('/counter/receive', { ...receipt, formId, action: 'preview' });
  expect(preview.status).toBe(200);
  // Received Thu 26 Nov 10:00, Đăng ký tạm trú 3 working days (24 h): Thu 10–17 (6 h), Fri 27 (8 h), Mon 30 (8 h),
  // Tue 1 Dec 08:00–10:00 (2 h) → Tue 1 Dec 2026 10:00.
  expect(preview.text).toContain('<time id="appointment" datetime="2026-12-01T10:00:00+07:00">10:00 Thứ Ba, 01/12/2026</time>');
  expect(preview.text).toContain('thời hạn giải quyết 03 ngày làm việc');
  expect(hidden(preview.text, 'receivedAt')).toBe('2026-11-26T10:00:00+07:00');
  expect(hidden(preview.text, 'formId')).toBe(formId);
  expect(await eventCount()).toBe(0);

  // The clerk saves five minutes later: the receipt is the instant previewed, its appointment the one shown.
  t.clock.now += 5 * 60_000;
  const fields = { ...receipt, formId, receivedAt: hidden(preview.text, 'receivedAt')!, previewDue: hidden(preview.text, 'previewDue')!, action: 'save' };
  const saved = await as(mai.session).form('/counter/receive', fields);
  expect([saved.status, saved.headers.location]).toEqual([303, '/counter/dossiers/TOHIEU-2026-Q1?done=received']);
  const again = await as(mai.session).form('/counter/receive', fields);
  expect([again.status, again.headers.location]).toEqual([303, '/counter/dossiers/TOHIEU-2026-Q1?done=received']);
  expect(await events('TOHIEU-2026-Q1')).toEqual([{ type: 'received', key_id: mai.person.id }]);

  const d = (await api('/api/v1/dossiers/TOHIEU-2026-Q1')).body;
  expect(d).toMatchObject({
    receivedAt: '2026-11-26T10:00:00+07:00',
    dueAt: '2026-12-01T10:00:00+07:00',
    declaredDueAt: '2026-12-01T10:00:00+07:00',
    procedureCode: '1.004194',
    channel: 'direct',
    feeRequired: true,
  });
  expect(d.flags).not.toContain('declared_due_mismatch');
  // Consent with its contacts, as the received.consent schema takes it (masked in the API's answer).
  expect(d.events[0].body.consent.map((c: { channel: string }) => c.channel)).toEqual(['email', 'sms']);
  const outbox = await t.ctx.db.pool.query("SELECT channel FROM alert_outbox WHERE dossier_code = 'TOHIEU-2026-Q1' ORDER BY channel");
  expect(outbox.rows.map((r) => r.channel)).toEqual(['email', 'sms']);

  // The receipt (form 01) prints that appointment.
  const letter = await as(mai.session).get('/letters/TOHIEU-2026-Q1/receipt');
  expect(letter.status).toBe(200);
  expect(letter.text).toContain('<b data-field="due">10 giờ 00 phút, ngày 01 tháng 12 năm 2026</b>');
  const pdf = await as(mai.session).get('/letters/TOHIEU-2026-Q1/receipt.pdf');
  expect([pdf.status, pdf.headers['content-type']]).toEqual([200, 'application/pdf']);
  const done = await as(mai.session).get('/counter/dossiers/TOHIEU-2026-Q1?done=received');
  expect(done.text).toContain('Đã tiếp nhận hồ sơ.');
  expect(done.text).toContain('href="/letters/TOHIEU-2026-Q1/receipt"');
  // It shows the applicant's name: the read is recorded under the clerk.
  const reads = await t.ctx.db.pool.query("SELECT key_id FROM personal_data_reads WHERE dossier_code = 'TOHIEU-2026-Q1' AND via = 'page:counter'");
  expect(reads.rows).toEqual([{ key_id: mai.person.id }]);
});

test('a preview that changed or grew stale is shown again, not saved', async () => {
  const fields = { ...receipt, dossierCode: 'TOHIEU-2026-Q2', action: 'save' };
  // The appointment shown was another (the procedure was changed after the preview).
  const changed = await as(mai.session).form('/counter/receive', {
    ...fields,
    receivedAt: '2026-11-26T10:05:00+07:00',
    previewDue: '2026-12-02T10:00:00+07:00',
  });
  expect(changed.status).toBe(409);
  expect(changed.text).toContain('Ngày hẹn đã thay đổi theo thông tin vừa sửa');
  // Previewed 20 minutes ago: the receipt instant is taken again (now, 10:05) and shown.
  const stale = await as(mai.session).form('/counter/receive', { ...fields, receivedAt: '2026-11-26T09:45:00+07:00', previewDue: '2026-12-01T09:45:00+07:00' });
  expect(stale.status).toBe(409);
  expect(stale.text).toContain('Đã tính lại thời điểm tiếp nhận');
  expect(hidden(stale.text, 'receivedAt')).toBe('2026-11-26T10:05:00+07:00');
  expect((await api('/api/v1/dossiers/TOHIEU-2026-Q2')).status).toBe(404);
  // A code already used: said at the code.
  const page = await as(mai.session).form('/counter/receive', { ...receipt, action: 'preview' });
  const reused = await as(mai.session).form('/counter/receive', {
    ...receipt,
    formId: hidden(page.text, 'formId')!,
    receivedAt: hidden(page.text, 'receivedAt')!,
    previewDue: hidden(page.text, 'previewDue')!,
    action: 'save',
  });
  expect([reused.status, errorOf(reused.text, 'dossierCode')]).toEqual([422, 'Mã hồ sơ này đã được dùng: chọn mã khác.']);
  expect(await events('TOHIEU-2026-Q1')).toHaveLength(1);
});

test('on a dossier: a supplement request (form 02), its completion, a hand-over, a result and the return, through the same checks', async () => {
  const code = 'TOHIEU-2026-Q1';
  const path = `/counter/dossiers/${code}`;
  // The dossier page leads a clerk here.
  expect((await as(mai.session).get(`/dossiers/${code}`)).text).toContain(`<a href="${path}" id="record-link">`);
  let page = await as(mai.session).get(path);
  expect(page.text).toContain('id="supplement-request-form"');
  expect(page.text).not.toContain('id="return-form"');
  const empty = await as(mai.session).form(`${path}/supplement-request`, { formId: hidden(page.text, 'formId', 'supplement-request-form')!, reason: ' ' });
  expect(empty.status).toBe(422);
  expect(errorOf(empty.text, 'supplement-reason')).toBe('Nhập nội dung (tối đa 2.000 ký tự).');
  expect(await events(code)).toHaveLength(1);

  // Sent twice (a double click), a minute apart: one request.
  const request1 = { formId: hidden(page.text, 'formId', 'supplement-request-form')!, reason: 'Bổ sung bản sao hợp đồng thuê nhà có chứng thực.' };
  expect((await as(mai.session).form(`${path}/supplement-request`, request1)).headers.location).toBe(`${path}?done=supplement_requested`);
  t.clock.now += 60_000;
  expect((await as(mai.session).form(`${path}/supplement-request`, request1)).status).toBe(303);
  expect((await events(code)).map((e) => e.type)).toEqual(['received', 'supplement_requested']);
  page = await as(mai.session).get(`${path}?done=supplement_requested`);
  expect(page.text).toContain('href="/letters/TOHIEU-2026-Q1/supplement-request"');
  const form02 = await as(mai.session).get(`/letters/${code}/supplement-request`);
  expect(form02.status).toBe(200);
  expect(form02.text).toContain('Bổ sung bản sao hợp đồng thuê nhà có chứng thực.');

  // A result while the dossier waits for the applicant: the fold refuses it; said in Vietnamese, nothing written.
  const early = await as(mai.session).form(`${path}/result`, { formId: '0b6e7a52-54a3-4c44-9f0e-0d5d8c0e1a11' });
  expect(early.status).toBe(422);
  expect(early.text).toContain('Không thực hiện được khi hồ sơ đang ở trạng thái “Chờ bổ sung hồ sơ”.');

  page = await as(mai.session).get(path);
  expect((await as(mai.session).form(`${path}/supplement-received`, { formId: hidden(page.text, 'formId', 'supplement-received-form')! })).status).toBe(303);

  // A hand-over to a person of another ward: refused at the person (the accounts are the directory), nothing written.
  page = await as(mai.session).get(path);
  const handOver = { formId: hidden(page.text, 'formId', 'hand-over-form')!, agencyCode: 'SLA.P.TOHIEU', step: 'Thẩm định hồ sơ' };
  const wrong = await as(mai.session).form(`${path}/hand-over`, { ...handOver, holder: an.person.id });
  expect([wrong.status, errorOf(wrong.text, 'hand-over-holder')]).toEqual([422, 'Người này không thuộc cơ quan được chuyển đến: chọn người của cơ quan đó.']);
  expect(wrong.text).toContain('value="Thẩm định hồ sơ"');
  const noStep = await as(mai.session).form(`${path}/hand-over`, { ...handOver, step: '' });
  expect(errorOf(noStep.text, 'hand-over-step')).toBe('Nhập tên bước xử lý (tối đa 200 ký tự).');
  expect((await as(mai.session).form(`${path}/hand-over`, { ...handOver, holder: mai.person.id })).status).toBe(303);
  expect((await api(`/api/v1/dossiers/${code}`)).body.holder).toMatchObject({
    agencyCode: 'SLA.P.TOHIEU',
    person: { name: 'Lò Thị Mai', personId: mai.person.id },
  });

  page = await as(mai.session).get(path);
  expect((await as(mai.session).form(`${path}/result`, { formId: hidden(page.text, 'formId', 'result-form')!, electronicResult: 'on' })).status).toBe(303);
  page = await as(mai.session).get(path);
  expect(page.text).toContain('id="return-form"');
  const badMethod = await as(mai.session).form(`${path}/return`, { formId: hidden(page.text, 'formId', 'return-form')!, method: 'bồ câu' });
  expect(errorOf(badMethod.text, 'return-method')).toBe('Chọn hình thức trả kết quả.');
  expect((await as(mai.session).form(`${path}/return`, { formId: hidden(page.text, 'formId', 'return-form')!, method: 'counter' })).status).toBe(303);

  expect(await events(code)).toEqual(
    ['received', 'supplement_requested', 'supplement_received', 'assigned', 'result_ready', 'returned'].map((type) => ({ type, key_id: mai.person.id })),
  );
  expect((await api(`/api/v1/dossiers/${code}`)).body.status).toBe('returned');
  // Another ward's clerk: the dossier does not exist for her, to read or to act on.
  expect((await as(an.session).get(path)).status).toBe(404);
  expect((await as(an.session).form(`${path}/result`, { formId: '5f0c7a52-54a3-4c44-9f0e-0d5d8c0e1a22' })).status).toBe(404);
});

test("an officer's own list: overdue and due soon at their agencies, and what they hold, most urgent first; where a person lands", async () => {
  const post = (body: unknown) =>
    request(t.app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${t.keys.admin}`)
      .send(body as object);
  const at = (code: string, when: string, agency = 'SLA.P.TOHIEU.TTPV') => ev.received(code, when, { receivingAgencyCode: agency });
  t.clock.now = Date.parse('2026-11-26T10:00:00+07:00');
  expect(
    (
      await post([
        // Thu 19 Nov 10:00 + 24 working hours: Thu 6, Fri 8, Mon 23 8, (Tue 24 off), Wed 25 2 → Wed 25 Nov 10:00: overdue now.
        at('W-OVERDUE', '2026-11-19T10:00:00+07:00'),
        // Mon 23 Nov 09:00: Mon 7, Wed 8, Thu 8, Fri 1 → Fri 27 Nov 09:00; due soon from one working day before, Thu 09:00.
        at('W-SOON', '2026-11-23T09:00:00+07:00'),
        // Wed 25 Nov 10:00: Wed 6, Thu 8, Fri 8, Mon 2 → Mon 30 Nov 10:00: on track (due soon from Fri 27 10:00).
        at('W-HELD', '2026-11-25T10:00:00+07:00'),
        at('W-TRACK', '2026-11-25T10:00:00+07:00'),
        // Overdue, but at another ward.
        at('W-ELSEWHERE', '2026-11-19T10:00:00+07:00', 'SLA.P.CHIENGAN.TTPV'),
        ev.of('assigned', 'W-HELD', '2026-11-25T11:00:00+07:00', {
          agencyCode: 'SLA.P.TOHIEU',
          step: 'Thẩm định',
          holder: { name: 'Lò Thị Mai', personId: mai.person.id },
        }),
      ])
    ).status,
  ).toBe(201);
  // Signing in with a password lands on it.
  const csrf = anonymousCsrf();
  const login = await request(t.app)
    .post('/login')
    .set('Cookie', csrf.cookie)
    .type('form')
    .send({ email: 'mai.lt@sonla.gov.vn', password: TEST_PASSWORD, next: '/', ...csrf.field });
  expect([login.status, login.headers.location]).toEqual([303, '/my-work']);
  const list = await as(mai.session).get('/my-work');
  expect(list.status).toBe(200);
  const codes = [...list.text.matchAll(/<tr data-code="([^"]+)">/g)].map((m) => m[1]);
  expect(codes).toEqual(['W-OVERDUE', 'W-SOON', 'W-HELD']);
  expect(list.text).toContain('Anh/chị đang xử lý: Thẩm định');
  // Every page's header leads back to it.
  expect(list.text).toContain('<a href="/my-work">Việc của tôi</a>');
  expect(list.text).toMatch(/W-OVERDUE[\s\S]*quá hạn 1 ngày/);
  // An's list has Chiềng An's overdue dossier only.
  const hers = await as(an.session).get('/my-work');
  expect([...hers.text.matchAll(/<tr data-code="([^"]+)">/g)].map((m) => m[1])).toEqual(['W-ELSEWHERE']);
});

test("a clerk's hand-over list names only the staff of agencies the clerk covers; an action the page does not have is a 404", async () => {
  const code = 'TOHIEU-2026-Q1';
  const page = await as(mai.session).get(`/counter/dossiers/${code}`);
  expect(page.status).toBe(200);
  // Mai (Tô Hiệu) sees herself; An (Chiềng An, another ward) is not hers to list.
  expect(page.text).toContain('Lò Thị Mai');
  expect(page.text).not.toContain('Cầm Văn An');
  for (const action of ['constructor', '__proto__', 'toString']) {
    const res = await as(mai.session).form(`/counter/dossiers/${code}/${action}`, {});
    expect([action, res.status]).toEqual([action, 404]);
  }
  expect((await as(mai.session).get(`/counter/dossiers/${code}?done=constructor`)).text).not.toContain('[object');
});
