/**
 * A late dossier's explanation (giải trình, issue 25 item 5): the handling unit says why a dossier finished late or is
 * overdue, a supervisor other than its author acknowledges or returns it; the report lists the period's late dossiers
 * with their explanations and the dashboard counts those unexplained and unacknowledged. Every refusal is a 422 naming
 * the field, with nothing written.
 */
import ExcelJS from 'exceljs';
import request from 'supertest';
import { createApiKey } from '../../src/store/api-keys.js';
import { sessionCsrfToken } from '../../src/http/csrf.js';
import { ev } from '../support/events.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
let secondSupervisor: string;
// Now: Fri 21 Mar 2025 16:11. Procedure 1.004194 takes 3 working days of 8 h (08:00–12:00, 13:00–17:00):
// - LATE: received Mon 17 Mar 10:00 → due Thu 20 Mar 10:00; handed to SLA.TPSL "Thẩm định" Mon 14:00; result Thu 20
//   Mar 15:00, 5 working hours after the due instant: finished late (legal and 766 alike, no supplement).
// - OVER, OVER2, OVER3: received Mon 17 Mar 10:00, still open → due Thu 20 Mar 10:00 passed: overdue now.
// - FINE: received Wed 19 Mar 09:00 → due Mon 24 Mar 09:00: on track now.
// - EARLY: received Mon 17 Mar 10:00, result Tue 18 Mar 09:00 (a day before the due day): early.
beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2025-03-21T16:11:00+07:00') });
  secondSupervisor = (await createApiKey(t.ctx.db.pool, { role: 'supervisor', agencyCodes: ['SLA.TPSL'], label: 'second supervisor' })).key;
  const events = [
    ev.received('LATE', '2025-03-17T10:00:00+07:00'),
    ev.of('assigned', 'LATE', '2025-03-17T14:00:00+07:00', { agencyCode: 'SLA.TPSL', step: 'Thẩm định' }),
    ev.of('result_ready', 'LATE', '2025-03-20T15:00:00+07:00'),
    ev.received('OVER', '2025-03-17T10:00:00+07:00'),
    ev.received('OVER2', '2025-03-17T10:00:00+07:00'),
    ev.received('OVER3', '2025-03-17T10:00:00+07:00'),
    ev.received('FINE', '2025-03-19T09:00:00+07:00'),
    ev.received('EARLY', '2025-03-17T10:00:00+07:00'),
    ev.of('result_ready', 'EARLY', '2025-03-18T09:00:00+07:00'),
  ];
  expect((await request(t.app).post('/api/v1/events').set(auth(t.keys.counter)).send(events)).status).toBe(201);
});
afterAll(async () => t.close());

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const explain = (code: string, body: object, key = t.keys.counter) =>
  request(t.app)
    .post(`/api/v1/dossiers/${code}/explanation`)
    .set(auth(key))
    .send({ reason: 'awaiting_coordination', responsibleAgencyCode: 'SLA.TPSL', ...body });
const review = (code: string, body: object, key = t.keys.supervisor) =>
  request(t.app).post(`/api/v1/dossiers/${code}/explanation/review`).set(auth(key)).send(body);
const explanationEvents = async () =>
  (
    await t.ctx.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM dossier_events WHERE type IN ('late_explained', 'explanation_acknowledged', 'explanation_returned')",
    )
  ).rows[0]!.n;
const stateOf = async (code: string) => (await t.ctx.db.pool.query('SELECT state, explanation_status FROM dossiers WHERE code = $1', [code])).rows[0];

describe('refusals: 422 naming the field, nothing written', () => {
  test.each([
    ['FINE', {}, 'dossierCode', /neither finished late nor overdue/],
    ['EARLY', {}, 'dossierCode', /neither finished late nor overdue/],
    ['LATE', { reason: 'lazy' }, 'reason', /unknown reason "lazy"/],
    ['LATE', { reason: 'other' }, 'note', /needs a note/],
    // SLA.MCH is another district: it took no part in LATE (received at SLA.TPSL.CLE, handled at SLA.TPSL).
    ['LATE', { responsibleAgencyCode: 'SLA.MCH' }, 'responsibleAgencyCode', /did not take part/],
    // The step exists, but at SLA.TPSL, not at the receiving ward.
    ['LATE', { responsibleAgencyCode: 'SLA.TPSL.CLE', responsibleStep: 'Thẩm định' }, 'responsibleStep', /no step "Thẩm định" at agency SLA.TPSL.CLE/],
  ])('%s with %j: 422 on %s', async (code, body, field, message) => {
    const res = await explain(code, body);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: field, message: expect.stringMatching(message) }]);
    expect(await explanationEvents()).toBe(0);
  });

  test('acknowledging a dossier nobody explained: 422 naming explanation', async () => {
    const res = await review('OVER', { decision: 'acknowledge' });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('explanation');
    expect(await explanationEvents()).toBe(0);
  });

  test('a return without a comment is a 400 naming comment; a counter may not review (403)', async () => {
    expect((await review('OVER', { decision: 'return' })).body.errors[0].path).toBe('comment');
    expect((await review('OVER', { decision: 'acknowledge' }, t.keys.counter)).status).toBe(403);
    expect(await explanationEvents()).toBe(0);
  });

  test('the events API takes the same events, signed with the caller’s own id only', async () => {
    const res = await request(t.app)
      .post('/api/v1/events')
      .set(auth(t.keys.counter))
      .send(ev.of('late_explained', 'LATE', '2025-03-21T16:00:00+07:00', { reason: 'overload', responsibleAgencyCode: 'SLA.TPSL', by: 'somebody-else' }));
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('[0].by');
    // Signed with its own id, it is judged like the API's: FINE is not late (checked at recording, as it stood then).
    const counterId = (await t.ctx.db.pool.query<{ id: string }>("SELECT id::text FROM api_keys WHERE label = 'test counter'")).rows[0]!.id;
    const notLate = await request(t.app)
      .post('/api/v1/events')
      .set(auth(t.keys.counter))
      .send(ev.of('late_explained', 'FINE', '2025-03-21T16:00:00+07:00', { reason: 'overload', responsibleAgencyCode: 'SLA.TPSL.CLE', by: counterId }));
    expect(notLate.status).toBe(422);
    expect(notLate.body.errors[0]).toMatchObject({ path: '[0].dossierCode', message: expect.stringMatching(/neither finished late nor overdue/) });
    // Another district's key: the dossier does not exist for it.
    const outside = await explain('LATE', {}, t.keys.outsider);
    expect(outside.status).toBe(404);
    expect(await explanationEvents()).toBe(0);
  });
});

describe('explained, acknowledged, returned', () => {
  test('the counter explains LATE; the supervisor returns it; explained again and acknowledged, it is final', async () => {
    const first = await explain('LATE', { responsibleStep: 'Thẩm định', note: 'Chờ Phòng Tư pháp cho ý kiến.' });
    expect(first.status).toBe(201);
    let row = await stateOf('LATE');
    expect(row.explanation_status).toBe('submitted');
    expect(row.state.explanation).toMatchObject({
      reason: 'awaiting_coordination',
      note: 'Chờ Phòng Tư pháp cho ý kiến.',
      responsibleAgencyCode: 'SLA.TPSL',
      responsibleStep: 'Thẩm định',
      status: 'submitted',
      at: Date.parse('2025-03-21T16:11:00+07:00'),
    });
    expect((await review('LATE', { decision: 'return', comment: 'Nêu rõ ngày gửi xin ý kiến.' })).status).toBe(201);
    expect((await stateOf('LATE')).explanation_status).toBe('returned');
    // Returned: explained again (a formula-like note, for the CSV below), then acknowledged by the supervisor.
    expect((await explain('LATE', { reason: 'other', note: '=HYPERLINK("http://x")', responsibleStep: 'Thẩm định' })).status).toBe(201);
    expect((await review('LATE', { decision: 'acknowledge' })).status).toBe(201);
    row = await stateOf('LATE');
    expect(row.explanation_status).toBe('acknowledged');
    expect(row.state.explanation).toMatchObject({ reason: 'other', status: 'acknowledged', comment: null });
    // The dossier API shows it, instants in local time.
    const view = (await request(t.app).get('/api/v1/dossiers/LATE').set(auth(t.keys.auditor))).body;
    expect(view.explanation).toMatchObject({
      reason: 'other',
      status: 'acknowledged',
      at: '2025-03-21T16:11:00+07:00',
      reviewedAt: '2025-03-21T16:11:00+07:00',
    });
    // Acknowledged is final: neither changed nor reviewed again.
    expect((await explain('LATE', {})).body.errors[0]).toEqual({ path: 'dossierCode', message: expect.stringMatching(/already acknowledged/) });
    expect((await review('LATE', { decision: 'acknowledge' }, secondSupervisor)).body.errors[0].path).toBe('explanation');
    expect(await explanationEvents()).toBe(4);
  });

  test('a supervisor cannot acknowledge their own explanation; another supervisor can', async () => {
    expect((await explain('OVER', { reason: 'overload', responsibleAgencyCode: 'SLA.TPSL.CLE' }, t.keys.supervisor)).status).toBe(201);
    const own = await review('OVER', { decision: 'acknowledge' });
    expect(own.status).toBe(422);
    expect(own.body.errors).toEqual([{ path: 'by', message: expect.stringMatching(/someone other than its author/) }]);
    expect((await stateOf('OVER')).explanation_status).toBe('submitted');
    expect(await explanationEvents()).toBe(5);
    const res = await review('OVER', { decision: 'acknowledge', comment: 'Đồng ý.' }, secondSupervisor);
    expect(res.status).toBe(201);
    expect((await stateOf('OVER')).state.explanation).toMatchObject({
      status: 'acknowledged',
      comment: 'Đồng ý.',
      reviewedAt: Date.parse('2025-03-21T16:11:00+07:00'),
    });
  });
});

describe('the report and the dashboard', () => {
  // After the tests above: LATE and OVER acknowledged. OVER3 is explained now and left waiting; OVER2 is never explained.
  beforeAll(async () => {
    expect((await explain('OVER3', { reason: 'system_error', responsibleAgencyCode: 'SLA.TPSL.CLE' })).status).toBe(201);
  });

  test('March 2025 lists the four dossiers the rates count late or overdue, each with its explanation', async () => {
    // The 766 cells of March, judged now (the period is running): LATE finished late in it; OVER, OVER2, OVER3 open
    // and past their appointment (Thu 20 Mar 10:00, no supplement: the 766 appointment is the legal one). FINE is
    // within time, EARLY finished early: not listed.
    const res = await request(t.app).get('/api/v1/reports/explanations?period=2025-03').set(auth(t.keys.supervisor));
    expect(res.status).toBe(200);
    expect(res.body.total).toEqual({ late: 4, unexplained: 1, submitted: 1, acknowledged: 2, returned: 0 });
    expect(
      res.body.items.map((i: { dossierCode: string; lateness: string; explanation: { status: string } | null }) => [
        i.dossierCode,
        i.lateness,
        i.explanation?.status ?? null,
      ]),
    ).toEqual([
      ['LATE', 'finished_late', 'acknowledged'],
      ['OVER', 'overdue', 'acknowledged'],
      ['OVER2', 'overdue', null],
      ['OVER3', 'overdue', 'submitted'],
    ]);
    const late = res.body.items[0];
    expect(late).toMatchObject({ dueAt: '2025-03-20T10:00:00+07:00', finishedAt: '2025-03-20T15:00:00+07:00' });
    expect(late.explanation).toMatchObject({
      reason: 'other',
      reasonText: 'Khác',
      responsibleStep: 'Thẩm định',
      byName: 'test counter',
      reviewedByName: 'test supervisor',
    });
    // The caller's agencies bound it: another district sees none of them.
    expect((await request(t.app).get('/api/v1/reports/explanations?period=2025-03').set(auth(t.keys.outsider))).body.total.late).toBe(0);
  });

  test('the CSV neutralises a formula-like note; the XLSX has the same rows in Vietnamese', async () => {
    const csv = await request(t.app).get('/api/v1/reports/explanations.csv?period=2025-03').set(auth(t.keys.supervisor));
    expect(csv.status).toBe(200);
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'Mã hồ sơ,Thủ tục,Cơ quan tiếp nhận,Hạn trả kết quả,Ngày hoàn thành,Tình trạng,Lý do trễ hạn,Nội dung giải trình,Đơn vị chịu trách nhiệm,Bước xử lý,Người giải trình,Thời điểm giải trình,Xác nhận,Người xác nhận,Ý kiến',
    );
    expect(lines[1]).toContain(',Hoàn thành trễ hạn,Khác,"\'=HYPERLINK(""http://x"")",');
    expect(lines[3]).toMatch(/^OVER2,.*,Đang quá hạn,,,,,,,Chưa giải trình,,$/);
    const xlsx = await request(t.app)
      .get('/api/v1/reports/explanations.xlsx?period=2025-03')
      .set(auth(t.keys.supervisor))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(String(sheet.getRow(1).getCell(1).value)).toMatch(/^Giải trình hồ sơ trễ hạn, kỳ 2025-03/);
    const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(row(3)).toEqual(expect.arrayContaining(['LATE', 'Hoàn thành trễ hạn', 'Khác', '=HYPERLINK("http://x")', 'Thẩm định', 'Đã xác nhận']));
    expect(row(6)).toEqual(expect.arrayContaining(['OVER3', 'Lỗi hệ thống', 'Chờ xác nhận']));
  });

  test('the dashboard counts one unexplained (OVER2) and one awaiting acknowledgement (OVER3)', async () => {
    const session = await signIn(t.app, t.keys.supervisor);
    const page = await request(t.app).get('/dashboard').set('Cookie', `dunghan_session=${session}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<span data-count="unexplained">1</span>');
    expect(page.text).toContain('<span data-count="unacknowledged">1</span>');
    expect(page.text).toMatch(/id="unexplained">[\s\S]*?OVER2[\s\S]*?<\/table>/);
  });
});

describe("the dossier page's forms (Vietnamese, CSRF)", () => {
  const post = (session: string, path: string, form: Record<string, string>) =>
    request(t.app).post(path).set('Cookie', `dunghan_session=${session}`).type('form').send(form);

  test('OVER2 is explained from the page by the counter and acknowledged by the supervisor; refusals show next to the field', async () => {
    const counter = await signIn(t.app, t.keys.counter);
    const page = await request(t.app).get('/dossiers/OVER2').set('Cookie', `dunghan_session=${counter}`);
    expect(page.text).toContain('id="explanation-missing"');
    expect(page.text).toContain('id="explanation-form"');
    expect(page.text).not.toContain('id="review-form"');
    const before = await explanationEvents();
    // No CSRF token: refused before the route.
    expect((await post(counter, '/dossiers/OVER2/explanation', { reason: 'overload', responsibleAgencyCode: 'SLA.TPSL.CLE' })).status).toBe(403);
    // "Khác" without a note: the page again, 422, the message beside the note, what was typed kept.
    const bad = await post(counter, '/dossiers/OVER2/explanation', {
      reason: 'other',
      note: '',
      responsibleAgencyCode: 'SLA.TPSL.CLE',
      _csrf: sessionCsrfToken(counter),
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('<span class="error" id="note-error">Ghi rõ nội dung giải trình (bắt buộc khi chọn lý do &quot;Khác&quot;).</span>');
    expect(bad.text).toContain('<option value="other" selected>Khác</option>');
    expect(await explanationEvents()).toBe(before);
    const ok = await post(counter, '/dossiers/OVER2/explanation', {
      reason: 'complex_verification',
      note: 'Cần xác minh nơi cư trú.',
      responsibleAgencyCode: 'SLA.TPSL.CLE',
      responsibleStep: '',
      _csrf: sessionCsrfToken(counter),
    });
    expect(ok.status).toBe(303);
    expect((await stateOf('OVER2')).state.explanation).toMatchObject({ reason: 'complex_verification', responsibleStep: null, status: 'submitted' });

    const supervisor = await signIn(t.app, t.keys.supervisor);
    const shown = await request(t.app).get('/dossiers/OVER2').set('Cookie', `dunghan_session=${supervisor}`);
    expect(shown.text).toContain('Hồ sơ phức tạp, cần xác minh: Cần xác minh nơi cư trú.');
    expect(shown.text).toContain('id="review-form"');
    const noComment = await post(supervisor, '/dossiers/OVER2/explanation/review', { decision: 'return', comment: '', _csrf: sessionCsrfToken(supervisor) });
    expect(noComment.status).toBe(422);
    expect(noComment.text).toContain('<span class="error" id="comment-error">Ghi lý do trả lại giải trình.</span>');
    expect((await post(supervisor, '/dossiers/OVER2/explanation/review', { decision: 'acknowledge', _csrf: sessionCsrfToken(supervisor) })).status).toBe(303);
    expect((await stateOf('OVER2')).explanation_status).toBe('acknowledged');
    const after = await request(t.app).get('/dossiers/OVER2').set('Cookie', `dunghan_session=${supervisor}`);
    expect(after.text).toContain('Đã xác nhận');
    expect(after.text).not.toContain('id="explanation-form"');
    expect(after.text).toContain('Giải trình được xác nhận');
  });

  test('the OpenAPI document lists the three routes', async () => {
    const doc = (await request(t.app).get('/api/v1/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/dossiers/{code}/explanation', '/api/v1/dossiers/{code}/explanation/review', '/api/v1/reports/explanations']),
    );
  });
});
