/**
 * Decree 118/2025 as written (issue 23 items 1–3), worked by hand. Every dossier is received in November 2026, so it is
 * judged under Decree 118/2025 as amended by Decree 309/2026. At phường Tô Hiệu's centre, office hours 08:00–12:00,
 * 13:00–17:00; no day off in 2–20 November 2026 (24 November is after every date used here).
 *
 * Supplementation (Art. 19(5), 11(2)(c)); procedure 1.004194, Đăng ký tạm trú, 3 working days:
 * S1 received Mon 2 Nov 09:00 → due Thu 5 Nov 09:00. Asked Wed 4 Nov 09:00 (2 working days after receipt: in time),
 *    completed Mon 9 Nov 10:00: the time limit restarts in full from the complete dossier → due Thu 12 Nov 10:00.
 * S2 received Mon 2 Nov 09:00, asked Fri 6 Nov 10:00: 4 working days and 1 hour after receipt, later than 3: flagged.
 * S3 received Mon 2 Nov 09:00, asked Tue 3 Nov 09:00, completed Wed 4 Nov 09:00, asked again Thu 5 Nov 09:00: the
 *    decree allows one request; the second is accepted and flagged.
 * S4 received Mon 2 Nov 09:00, asked Tue 3 Nov 09:00, never completed: 15 days after the notice's day is Wed 18 Nov,
 *    from when the unit is due to close it; closed Thu 19 Nov 09:00 (counted in November's closures).
 *
 * Online dossiers (Art. 17(2)–(3)):
 * O1 submitted Fri 6 Nov 16:00, accepted Mon 9 Nov 10:00 (1 h on Friday + 2 h on Monday = 3 working hours: in time);
 *    the clock counts from the acceptance → due Thu 12 Nov 10:00.
 * O2 submitted Mon 2 Nov 09:00, accepted Tue 3 Nov 10:00 (7 h on Monday + 2 h on Tuesday = 9 > 8 working hours): flagged.
 *
 * Receipt cut-off as data (Decree 63/2024 Art. 7(2)); the online birth-registration group, 3 working days, cut-off 15:00:
 * C1 received Fri 6 Nov 15:30, after 15:00 → counts from Mon 9 Nov 08:00 → due Wed 11 Nov 17:00.
 * C2 received Fri 6 Nov 14:59 → counts at once: Fri 2 h 01 min, Mon 8 h, Tue 8 h, Wed 5 h 59 min → due Wed 11 Nov 14:59.
 */
import request from 'supertest';
import { ev } from '../support/events.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
const TH = 'SLA.P.TOHIEU.TTPV';
const get = (p: string) => request(t.app).get(p).set('Authorization', `Bearer ${t.keys.admin}`);
const post = (body: object) => request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(body);
const rec = (code: string, at: string, over: Record<string, unknown> = {}) =>
  ev.received(code, at, { procedureCode: '1.004194', receivingAgencyCode: TH, ...over });
const ask = (code: string, at: string) => ev.of('supplement_requested', code, at, { reason: 'Thiếu bản sao giấy khai sinh' });
const supplied = (code: string, at: string) => ev.of('supplement_received', code, at);
const dossier = async (code: string) => (await get(`/api/v1/dossiers/${code}`)).body;

beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2026-12-01T10:00:00+07:00') });
  const events = [
    rec('S1', '2026-11-02T09:00:00+07:00'),
    ask('S1', '2026-11-04T09:00:00+07:00'),
    supplied('S1', '2026-11-09T10:00:00+07:00'),
    rec('S2', '2026-11-02T09:00:00+07:00'),
    ask('S2', '2026-11-06T10:00:00+07:00'),
    rec('S3', '2026-11-02T09:00:00+07:00'),
    ask('S3', '2026-11-03T09:00:00+07:00'),
    supplied('S3', '2026-11-04T09:00:00+07:00'),
    ask('S3', '2026-11-05T09:00:00+07:00'),
    rec('S4', '2026-11-02T09:00:00+07:00'),
    ask('S4', '2026-11-03T09:00:00+07:00'),
    rec('O1', '2026-11-09T10:00:00+07:00', { channel: 'online', submittedAt: '2026-11-06T16:00:00+07:00' }),
    rec('O2', '2026-11-03T10:00:00+07:00', { channel: 'online', submittedAt: '2026-11-02T09:00:00+07:00' }),
    rec('C1', '2026-11-06T15:30:00+07:00', { procedureCode: 'LT.KS-TT-BHYT', channel: 'online', feeRequired: false }),
    rec('C2', '2026-11-06T14:59:00+07:00', { procedureCode: 'LT.KS-TT-BHYT', channel: 'online', feeRequired: false }),
  ];
  const res = await post(events);
  expect(res.status).toBe(201);
});
afterAll(async () => t.close());

describe('supplementation under Decree 118/2025 Art. 19(5), 11(2)(c)', () => {
  test('a request in time; the time limit restarts in full from the complete dossier', async () => {
    const s1 = await dossier('S1');
    // No violation of the supplementation rules; still open on 1 December, it is overdue without an apology.
    expect(s1).toMatchObject({
      regime: 'ND118/2025+ND309/2026',
      clockStartsAt: '2026-11-09T10:00:00+07:00',
      dueAt: '2026-11-12T10:00:00+07:00',
      flags: ['late_without_apology'],
    });
  });

  test('a request later than 3 working days after receipt, and a second request, are accepted and flagged', async () => {
    expect((await dossier('S2')).flags).toEqual(['late_supplement_request']);
    const s3 = await dossier('S3');
    expect(s3).toMatchObject({ status: 'supplement_requested', supplementCount: 2 });
    expect(s3.flags).toEqual(['repeated_supplement']);
  });

  test('15 days after the notice the dossier is due to be closed; its closure is counted', async () => {
    expect(await dossier('S4')).toMatchObject({ status: 'supplement_requested', closureDueAt: '2026-11-18T00:00:00+07:00' });
    // Completed in time, nothing is due (S1); a closure is only for a dossier waiting for its supplement.
    expect((await dossier('S1')).closureDueAt).toBeNull();
    const early = await post(ev.of('closed', 'S1', '2026-11-19T09:00:00+07:00'));
    expect(early.status).toBe(422);
    expect((await dossier('S1')).status).not.toBe('closed');

    expect((await post(ev.of('closed', 'S4', '2026-11-19T09:00:00+07:00', { reason: 'Quá 15 ngày không bổ sung hồ sơ' }))).status).toBe(201);
    expect(await dossier('S4')).toMatchObject({ status: 'closed', finishedAt: '2026-11-19T09:00:00+07:00', closureDueAt: null });
    const november = (await get(`/api/v1/reports/rates?period=2026-11&groupBy=all`)).body.total;
    expect(november).toMatchObject({ closed: 1, repeatedSupplement: 1, lateSupplementRequest: 1 });
    // The same through the dossier scan (a field filter), and the cell behind it.
    expect((await get(`/api/v1/reports/rates?period=2026-11&groupBy=field`)).body.total).toMatchObject({ closed: 1 });
    expect((await get('/api/v1/reports/dossiers?period=2026-11&outcome=closed')).body.items.map((d: { code: string }) => d.code)).toEqual(['S4']);
  });

  test('a supplement request after the result is refused and changes nothing', async () => {
    expect((await post([rec('S5', '2026-11-02T09:00:00+07:00'), ev.of('result_ready', 'S5', '2026-11-03T09:00:00+07:00')])).status).toBe(201);
    const res = await post(ask('S5', '2026-11-04T09:00:00+07:00'));
    expect(res.status).toBe(422);
    expect(res.body.errors[0].message).toMatch(/not possible when the dossier is "processed"/);
    expect(await dossier('S5')).toMatchObject({ status: 'processed', supplementCount: 0 });
  });
});

describe('online dossiers under Decree 118/2025 Art. 17(2)–(3)', () => {
  test('the clock counts from the acceptance; an acceptance after 8 working hours is flagged and counted', async () => {
    const o1 = await dossier('O1');
    // Accepted in time (open on 1 December, it is also overdue without an apology).
    expect(o1).toMatchObject({
      submittedAt: '2026-11-06T16:00:00+07:00',
      receivedAt: '2026-11-09T10:00:00+07:00',
      clockStartsAt: '2026-11-09T10:00:00+07:00',
      dueAt: '2026-11-12T10:00:00+07:00',
      flags: ['late_without_apology'],
    });
    expect((await dossier('O2')).flags).toEqual(['late_online_acceptance', 'late_without_apology']);
    expect((await get('/api/v1/reports/rates?period=2026-11&groupBy=all')).body.total.lateOnlineAcceptance).toBe(1);
  });

  test('an acceptance before the submission, and a second acceptance, are refused naming the field; nothing is written', async () => {
    const before = await post(rec('O3', '2026-11-03T09:00:00+07:00', { channel: 'online', submittedAt: '2026-11-03T10:00:00+07:00' }));
    expect(before.status).toBe(422);
    expect(before.body.errors).toEqual([expect.objectContaining({ path: '[0].submittedAt', message: expect.stringContaining('earlier than the submission') })]);
    expect((await get('/api/v1/dossiers/O3')).status).toBe(404);
    const again = await post(rec('O1', '2026-11-09T11:00:00+07:00', { channel: 'online', submittedAt: '2026-11-06T16:00:00+07:00' }));
    expect(again.status).toBe(422);
    expect(again.body.errors[0].message).toMatch(/already received/);
    expect((await dossier('O1')).receivedAt).toBe('2026-11-09T10:00:00+07:00');
  });
});

describe('receipt cut-offs as data (Decree 63/2024 Art. 7(2))', () => {
  test('received after 15:00 the clock counts from the next working day, and says which rule did it', async () => {
    const c1 = await dossier('C1');
    expect(c1).toMatchObject({ clockStartsAt: '2026-11-09T08:00:00+07:00', dueAt: '2026-11-11T17:00:00+07:00' });
    expect(c1.receiptCutoff).toEqual({ time: '15:00', source: expect.stringContaining('Nghị định 63/2024/NĐ-CP, Điều 7 khoản 2') });
    expect(await dossier('C2')).toMatchObject({ clockStartsAt: '2026-11-06T14:59:00+07:00', dueAt: '2026-11-11T14:59:00+07:00' });
  });

  test('a procedure with a cut-off and no source is refused at import, naming the field', async () => {
    const procedure = {
      code: 'X.1',
      name: 'Thủ tục thử',
      field: 'Hộ tịch',
      duration: { value: 1, unit: 'working-days' },
      onlineLevel: 'full',
      feeRequired: false,
      receiptCutoff: '15:00',
      source: 'thử',
    };
    const res = await request(t.app)
      .post('/api/v1/catalog/import?dryRun=true')
      .set('Authorization', `Bearer ${t.keys.admin}`)
      .send({ agencies: [], procedures: [procedure] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: expect.stringContaining('receiptCutoffSource'), message: 'a receipt cut-off needs the legal text that sets it' }),
    ]);
    const ok = await request(t.app)
      .post('/api/v1/catalog/import?dryRun=true')
      .set('Authorization', `Bearer ${t.keys.admin}`)
      .send({ agencies: [], procedures: [{ ...procedure, receiptCutoffSource: 'Nghị định thử, Điều 1' }] });
    expect(ok.status).toBe(200);
  });
});

describe('a province\'s reading of "late" (DOMAIN §5)', () => {
  test('set on the agency tree, the 766 figures read by date, and every report says which reading it took', async () => {
    const { sampleProvince } = await import('../../src/sample/province.js');
    const agency = sampleProvince().agencies.find((a) => a.code === TH)!;
    const imported = await request(t.app)
      .post('/api/v1/catalog/import')
      .set('Authorization', `Bearer ${t.keys.admin}`)
      .send({ agencies: [{ ...agency, settings: { ...agency.settings, latenessReading: 'date' } }], procedures: [] });
    expect(imported.status).toBe(200);
    // R1 received Mon 2 Nov 10:00 → due Thu 5 Nov 10:00; result Thu 5 Nov 16:00: late by instant, on time by date.
    expect((await post([rec('R1', '2026-11-02T10:00:00+07:00'), ev.of('result_ready', 'R1', '2026-11-05T16:00:00+07:00')])).status).toBe(201);
    const r1 = await dossier('R1');
    expect(r1).toMatchObject({ outcome: 'late', rate: { outcome: 'on_time' } });
    const ward = (await get(`/api/v1/reports/rates?period=2026-11&groupBy=all&agency=${TH}`)).body;
    expect(ward.judgment.readings).toEqual({ lateness: 'date', lateApology: 'unchanged' });
    // The province: its other agencies read by instant.
    expect((await get('/api/v1/reports/rates?period=2026-11&groupBy=all')).body.judgment.readings.lateness).toBe('mixed');
    expect((await get(`/api/v1/reports/dossiers?period=2026-11&outcome=on_time&agency=${TH}`)).body.items.map((d: { code: string }) => d.code)).toContain('R1');
  });
});

test('the action queue shows a dossier due to be closed from that day, once', async () => {
  // S3 (asked again Thu 5 Nov, still waiting) is due to be closed from Fri 20 Nov; S2 (asked Fri 6 Nov) from Sat 21 Nov.
  const { signIn } = await import('../support/test-app.js');
  const page = (
    await request(t.app)
      .get(`/dashboard?agency=${TH}&period=2026-11`)
      .set('Cookie', `dunghan_session=${await signIn(t.app, t.keys.admin)}`)
  ).text;
  const table = (id: string) => page.slice(page.indexOf(`id="${id}"`), page.indexOf('</table>', page.indexOf(`id="${id}"`)));
  expect(table('closure-due')).toContain('/dossiers/S3');
  expect(table('closure-due')).toContain('/dossiers/S2');
  expect(table('closure-due')).not.toContain('/dossiers/S4'); // closed already
  // Not listed again among the long waits.
  expect(table('waiting')).not.toContain('/dossiers/S3');
  expect(await dossier('S3')).toMatchObject({ closureDueAt: '2026-11-20T00:00:00+07:00' });
});
