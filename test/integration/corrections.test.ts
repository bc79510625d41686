/**
 * Issue 28 item 6: the future is not recorded, and mistakes can be put right.
 *
 * The clock reads Friday 10 April 2026, 10:00 (UTC+7); the tolerance is the default, 5 minutes. Dossiers are
 * received at phường Tô Hiệu's centre (SLA.P.TOHIEU.TTPV) for Đăng ký tạm trú (1.004194: 3 working days of 8 hours,
 * office hours 08:00–12:00, 13:00–17:00). February to April 2026 around the dates used have no day off (Tết is
 * 14–22 Feb), so a receipt on a Monday at 09:00 is due on the Thursday at 09:00.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApiKey } from '../../src/store/api-keys.js';
import { sealPending } from '../../src/store/event-store.js';
import { verifyChain } from '../../src/store/audit-store.js';
import { rebuildDossiers } from '../../src/store/rebuild.js';
import { ingestEvents } from '../../src/store/event-store.js';
import { dossierEventSchema } from '../../src/dossiers/events.js';
import { sessionCsrfToken } from '../../src/http/csrf.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';

let t: TestApp;
const keys = {} as { supervisor: string; counter: string; outsider: string };
const AGENCY = 'SLA.P.TOHIEU.TTPV';
beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2026-04-10T10:00:00+07:00'), clockToleranceMs: 300_000 });
  keys.supervisor = (await createApiKey(t.ctx.db.pool, { role: 'supervisor', agencyCodes: ['SLA.P.TOHIEU'], label: 'supervisor' })).key;
  keys.counter = (await createApiKey(t.ctx.db.pool, { role: 'counter', agencyCodes: ['SLA.P.TOHIEU'], label: 'counter' })).key;
  // A supervisor of another ward: Tô Hiệu's dossiers do not exist for it.
  keys.outsider = (await createApiKey(t.ctx.db.pool, { role: 'supervisor', agencyCodes: ['SLA.P.CHIENGAN'], label: 'outsider' })).key;
});
afterAll(async () => t.close());

const post = (body: unknown, key = keys.counter) =>
  request(t.app)
    .post('/api/v1/events')
    .set('Authorization', `Bearer ${key}`)
    .send(body as object);
const dossier = async (code: string) => (await request(t.app).get(`/api/v1/dossiers/${code}`).set('Authorization', `Bearer ${t.keys.admin}`)).body;
const rates = async (period: string) =>
  (await request(t.app).get(`/api/v1/reports/rates?period=${period}&agency=SLA.P.TOHIEU`).set('Authorization', `Bearer ${t.keys.admin}`)).body;
const logged = async (code: string) =>
  Number((await t.ctx.db.pool.query('SELECT count(*) AS n FROM dossier_events WHERE dossier_code = $1', [code])).rows[0].n);
const received = (code: string, at: string, over: Record<string, unknown> = {}) => ev.received(code, at, { receivingAgencyCode: AGENCY, ...over });

describe('the future is not recorded', () => {
  test('an event dated beyond the tolerance is refused naming occurredAt, nothing written; within it, accepted', async () => {
    // 10:06 is 6 minutes ahead of the clock: past the 5-minute tolerance. 10:04 is within it.
    const ahead = await post(received('FUT-1', '2026-04-10T10:06:00+07:00'));
    expect(ahead.status).toBe(422);
    expect(ahead.body.errors).toEqual([expect.objectContaining({ path: '[0].occurredAt', message: expect.stringMatching(/in the future/) })]);
    expect(await logged('FUT-1')).toBe(0);
    expect((await post(received('FUT-1', '2026-04-10T10:04:00+07:00'))).status).toBe(201);
  });

  test('a batch with one future event is refused whole; an online submission in the future is named too', async () => {
    const res = await post([
      received('FUT-2', '2026-04-09T09:00:00+07:00'),
      ev.of('supplement_requested', 'FUT-2', '2026-04-13T09:00:00+07:00', { reason: 'Thiếu tờ khai' }),
    ]);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['[1].occurredAt']);
    expect(await logged('FUT-2')).toBe(0);
    const online = await post(received('FUT-3', '2026-04-12T09:00:00+07:00', { channel: 'online', submittedAt: '2026-04-11T20:00:00+07:00' }));
    expect(online.status).toBe(422);
    expect(online.body.errors.map((e: { path: string }) => e.path)).toEqual(['[0].occurredAt', '[0].submittedAt']);
  });

  test('portal sync goes through the same path: a record received tomorrow is refused, nothing written', async () => {
    const res = await request(t.app)
      .post('/api/v1/sync/dossiers')
      .set('Authorization', `Bearer ${t.keys.admin}`)
      .send([
        {
          MaHoSo: 'FUT-SYNC',
          MaTTHC: '1.004194',
          TenTTHC: 'Đăng ký tạm trú',
          ChuHoSo: 'Quàng Văn Minh',
          NgayTiepNhan: '20260411090000',
          NgayHenTra: '20260415090000',
          TrangThaiHoSo: 2,
          DonViXuLy: AGENCY,
        },
      ]);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.errors)).toMatch(/in the future/);
    expect(await logged('FUT-SYNC')).toBe(0);
  });
});

describe('a supervisor voids a wrongly dated result; the right one is then accepted', () => {
  // Received Mon 30 Mar 2026 09:00 → due Thu 2 Apr 09:00. The result came on Wed 1 Apr 10:00 (early: an earlier
  // working day than the due day) but was recorded as Wed 8 Apr 10:00 (late).
  const wrong = ev.of('result_ready', 'VOID-1', '2026-04-08T10:00:00+07:00');
  const right = ev.of('result_ready', 'VOID-1', '2026-04-01T10:00:00+07:00');
  let voidEvent: Record<string, unknown>;

  test('before: late, and the right result is refused (the dossier already has one)', async () => {
    expect((await post([received('VOID-1', '2026-03-30T09:00:00+07:00'), wrong])).status).toBe(201);
    expect(await dossier('VOID-1')).toMatchObject({ dueAt: '2026-04-02T09:00:00+07:00', finishedAt: '2026-04-08T10:00:00+07:00', outcome: 'late' });
    // April is still running: its report follows the dossier (late now).
    expect((await rates('2026-04')).total).toMatchObject({ late: 1, early: 0 });
    const refused = await post(right);
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].message).toMatch(/not possible when the dossier is "processed"/);
  });

  test('a counter clerk cannot void (403); a supervisor of another ward is answered as for a missing dossier', async () => {
    voidEvent = ev.of('voided', 'VOID-1', '2026-04-10T09:55:00+07:00', { targetEventId: wrong.eventId, reason: 'Nhập nhầm ngày có kết quả' });
    expect((await post(voidEvent, keys.counter)).status).toBe(403);
    const outside = await post(voidEvent, keys.outsider);
    const missing = await post({ ...voidEvent, eventId: randomUUID(), dossierCode: 'VOID-NONE' }, keys.outsider);
    expect([outside.status, missing.status]).toEqual([422, 422]);
    expect(outside.body.errors[0].message.replace('VOID-1', 'X')).toBe(missing.body.errors[0].message.replace('VOID-NONE', 'X'));
    expect(await dossier('VOID-1')).toMatchObject({ outcome: 'late' });
  });

  test('the void is accepted: the dossier is open again, April follows, no ended month moved', async () => {
    const res = await post(voidEvent, keys.supervisor);
    expect(res.status).toBe(201);
    // The history changed from 8 Apr on; April has not ended on 10 Apr: no ended month's figures moved.
    expect(res.body.results).toEqual([{ eventId: voidEvent.eventId, status: 'accepted', targetEventId: wrong.eventId, affectsEndedPeriods: [] }]);
    expect(await dossier('VOID-1')).toMatchObject({ status: 'received', finishedAt: null, outcome: null });
    expect((await post(right)).status).toBe(201);
    expect(await dossier('VOID-1')).toMatchObject({ finishedAt: '2026-04-01T10:00:00+07:00', outcome: 'early' });
    expect((await rates('2026-04')).total).toMatchObject({ late: 0, early: 1 });
    // The log keeps all four events.
    expect(await logged('VOID-1')).toBe(4);
  });

  test('refused: voiding it again, voiding the void, an unknown event, the receipt', async () => {
    const again = await post(ev.of('voided', 'VOID-1', '2026-04-10T09:56:00+07:00', { targetEventId: wrong.eventId, reason: 'lần nữa' }), keys.supervisor);
    expect([again.status, again.body.errors[0].path, again.body.errors[0].message]).toEqual([
      422,
      '[0].targetEventId',
      `event ${wrong.eventId} was already voided`,
    ]);
    const ofVoid = await post(
      ev.of('voided', 'VOID-1', '2026-04-10T09:56:00+07:00', { targetEventId: voidEvent.eventId, reason: 'hủy lệnh hủy' }),
      keys.supervisor,
    );
    expect([ofVoid.status, ofVoid.body.errors[0].path]).toEqual([422, '[0].targetEventId']);
    expect(ofVoid.body.errors[0].message).toMatch(/itself a void or a correction/);
    const id = randomUUID();
    const unknown = await post(ev.of('voided', 'VOID-1', '2026-04-10T09:56:00+07:00', { targetEventId: id, reason: 'không có' }), keys.supervisor);
    expect([unknown.status, unknown.body.errors[0].message]).toEqual([422, `unknown event ${id} in dossier VOID-1`]);
    const receiptId = (await t.ctx.db.pool.query("SELECT event_id FROM dossier_events WHERE dossier_code = 'VOID-1' AND type = 'received'")).rows[0].event_id;
    const receipt = await post(ev.of('voided', 'VOID-1', '2026-04-10T09:56:00+07:00', { targetEventId: receiptId, reason: 'nhầm' }), keys.supervisor);
    expect([receipt.status, receipt.body.errors[0].message]).toEqual([422, 'a receipt cannot be voided: correct it instead']);
    expect(await logged('VOID-1')).toBe(4);
  });

  test('a result dated 2027, recorded before the future was refused, is voided the same way', async () => {
    // Written straight to the store, as an older version accepted it: finished "late" in 2027.
    const future = dossierEventSchema.parse(ev.of('result_ready', 'VOID-2', '2027-04-08T10:00:00+07:00'));
    await ingestEvents(t.ctx.db.pool, t.ctx.foldContext(), [dossierEventSchema.parse(received('VOID-2', '2026-03-30T09:00:00+07:00')), future]);
    expect(await dossier('VOID-2')).toMatchObject({ outcome: 'late', finishedAt: '2027-04-08T10:00:00+07:00' });
    const res = await post(ev.of('voided', 'VOID-2', '2026-04-10T10:00:00+07:00', { targetEventId: future.eventId, reason: 'Sai năm' }), keys.supervisor);
    expect(res.status).toBe(201);
    expect((await post(ev.of('result_ready', 'VOID-2', '2026-04-02T08:30:00+07:00'), keys.counter)).status).toBe(201);
    // 08:30 on the due day, before 09:00: on time.
    expect(await dossier('VOID-2')).toMatchObject({ outcome: 'on_time', finishedAt: '2026-04-02T08:30:00+07:00' });
  });
});

describe('a supervisor corrects an event: re-validated as if sent, an ended month revised', () => {
  // Received Mon 2 Mar 2026 09:00 → due Thu 5 Mar 09:00. The result came Wed 4 Mar 10:00 (early), recorded as Tue
  // 10 Mar 10:00 (late). March has ended on 10 Apr: its report counted the dossier late.
  const wrong = ev.of('result_ready', 'CORR-1', '2026-03-10T10:00:00+07:00');
  const correction = (replacement: Record<string, unknown>, target = wrong.eventId) =>
    ev.of('corrected', 'CORR-1', '2026-04-10T09:58:00+07:00', { targetEventId: target, reason: 'Nhập nhầm ngày', replacement });

  test('before: March shows it late', async () => {
    expect((await post([received('CORR-1', '2026-03-02T09:00:00+07:00'), wrong])).status).toBe(201);
    // March received VOID-1 and VOID-2 too (30 Mar), both open at its end: CORR-1 is its only finished dossier.
    expect((await rates('2026-03')).total).toMatchObject({ received: 3, finished: 1, late: 1, early: 0 });
  });

  test('refused: another type, a replacement that fails as the event would, one in the future, a counter', async () => {
    const type = await post(correction({ type: 'returned', occurredAt: '2026-03-04T10:00:00+07:00', method: 'counter' }), keys.supervisor);
    expect([type.status, type.body.errors[0].path]).toEqual([422, '[0].replacement.type']);
    const early = await post(correction({ type: 'result_ready', occurredAt: '2026-02-27T10:00:00+07:00' }), keys.supervisor);
    expect(early.status).toBe(422);
    expect(early.body.errors[0].message).toMatch(/earlier than the receipt of dossier CORR-1/);
    const future = await post(correction({ type: 'result_ready', occurredAt: '2026-04-11T10:00:00+07:00' }), keys.supervisor);
    expect([future.status, future.body.errors[0].path]).toEqual([422, '[0].replacement.occurredAt']);
    expect((await post(correction({ type: 'result_ready', occurredAt: '2026-03-04T10:00:00+07:00' }), keys.counter)).status).toBe(403);
    expect(await dossier('CORR-1')).toMatchObject({ outcome: 'late' });
  });

  test('accepted: early now; March (ended) is named in the answer and its report follows, marked revised', async () => {
    const fix = correction({ type: 'result_ready', occurredAt: '2026-03-04T10:00:00+07:00' });
    const res = await post(fix, keys.supervisor);
    expect(res.status).toBe(201);
    // The history changed from 4 Mar on (the earlier of 10 Mar and 4 Mar): March has ended, April has not.
    expect(res.body.results[0]).toEqual({ eventId: fix.eventId, status: 'accepted', targetEventId: wrong.eventId, affectsEndedPeriods: ['2026-03'] });
    expect(await dossier('CORR-1')).toMatchObject({ finishedAt: '2026-03-04T10:00:00+07:00', outcome: 'early' });
    const march = await rates('2026-03');
    expect(march.total).toMatchObject({ received: 3, finished: 1, late: 0, early: 1 });
    expect(march.revisions).toEqual({ count: 1, latestAt: '2026-04-10T09:58:00+07:00' });
    // April has not ended: nothing to say there.
    expect((await rates('2026-04')).revisions).toBeUndefined();
  });

  test('a receipt is corrected (its time), not moved to another procedure or channel it cannot have', async () => {
    // Received Mon 9 Feb 2026, recorded at 09:00 but it was 14:00: due Thu 12 Feb 14:00 instead of 09:00.
    const receipt = received('RCPT-1', '2026-02-09T09:00:00+07:00');
    expect((await post(receipt)).status).toBe(201);
    const { eventId: _id, dossierCode: _code, ...body } = receipt;
    const fix = (over: Record<string, unknown>) =>
      ev.of('corrected', 'RCPT-1', '2026-04-10T09:59:00+07:00', {
        targetEventId: receipt.eventId,
        reason: 'Sai giờ tiếp nhận',
        replacement: { ...body, ...over },
      });
    const submitted = await post(fix({ occurredAt: '2026-02-09T14:00:00+07:00', submittedAt: '2026-02-09T13:00:00+07:00' }), keys.supervisor);
    expect([submitted.status, submitted.body.errors[0].path]).toEqual([422, '[0].replacement.submittedAt']);
    const procedure = await post(fix({ occurredAt: '2026-02-09T14:00:00+07:00', procedureCode: '1.000656' }), keys.supervisor);
    expect([procedure.status, procedure.body.errors[0].path]).toEqual([422, '[0].replacement.procedureCode']);
    const ok = await post(fix({ occurredAt: '2026-02-09T14:00:00+07:00' }), keys.supervisor);
    expect(ok.status).toBe(201);
    expect(ok.body.results[0].affectsEndedPeriods).toEqual(['2026-02', '2026-03']);
    expect(await dossier('RCPT-1')).toMatchObject({ receivedAt: '2026-02-09T14:00:00+07:00', dueAt: '2026-02-12T14:00:00+07:00' });
  });

  test('the chain covers voids and corrections; a rebuild from the log gives the same dossiers', async () => {
    await sealPending(t.ctx.db.pool);
    const chain = await verifyChain(t.ctx.db.pool);
    expect(chain.firstBreak).toBeNull();
    const { rows } = await t.ctx.db.pool.query(
      "SELECT count(*)::int AS n FROM dossier_events e JOIN event_chain c ON c.seq = e.seq WHERE e.type IN ('voided', 'corrected')",
    );
    expect(rows[0].n).toBe(4);
    const before = await Promise.all(['VOID-1', 'VOID-2', 'CORR-1', 'RCPT-1'].map(dossier));
    await rebuildDossiers(t.ctx.db.pool, t.ctx.foldContext());
    expect(await Promise.all(['VOID-1', 'VOID-2', 'CORR-1', 'RCPT-1'].map(dossier))).toEqual(before);
  });
});

describe('the dossier page: "Hủy" and "Sửa" for supervisors, with a reason, CSRF, problems next to their field', () => {
  // Received Mon 6 Apr 2026 09:00 (due Thu 9 Apr 09:00); a supplement request recorded by mistake on Tue 7 Apr 10:00.
  const request1 = ev.of('supplement_requested', 'PAGE-1', '2026-04-07T10:00:00+07:00', { reason: 'Thiếu tờ khai' });
  let supervisor: string;
  let counter: string;
  beforeAll(async () => {
    expect((await post([received('PAGE-1', '2026-04-06T09:00:00+07:00'), request1])).status).toBe(201);
    supervisor = await signIn(t.app, keys.supervisor);
    counter = await signIn(t.app, keys.counter);
  });
  const form = (session: string, path: string, fields: Record<string, string>) =>
    request(t.app)
      .post(path)
      .set('Cookie', `dunghan_session=${session}`)
      .type('form')
      .send({ ...fields, _csrf: sessionCsrfToken(session) });

  test('a supervisor sees the forms beside each event; a counter clerk neither sees nor may post them', async () => {
    const page = await request(t.app).get('/dossiers/PAGE-1').set('Cookie', `dunghan_session=${supervisor}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`/dossiers/PAGE-1/events/${request1.eventId}/void`);
    expect(page.text).toContain('Hủy / Sửa');
    const clerkPage = await request(t.app).get('/dossiers/PAGE-1').set('Cookie', `dunghan_session=${counter}`);
    expect(clerkPage.text).not.toContain('/void');
    expect((await form(counter, `/dossiers/PAGE-1/events/${request1.eventId}/void`, { reason: 'nhầm' })).status).toBe(403);
    // Without the CSRF token nothing is done either.
    const forged = await request(t.app)
      .post(`/dossiers/PAGE-1/events/${request1.eventId}/void`)
      .set('Cookie', `dunghan_session=${supervisor}`)
      .type('form')
      .send({ reason: 'nhầm' });
    expect(forged.status).toBe(403);
    expect((await dossier('PAGE-1')).status).toBe('supplement_requested');
  });

  test('no reason, or a time in the future: 422, the message in Vietnamese next to the field, what was typed kept', async () => {
    const blank = await form(supervisor, `/dossiers/PAGE-1/events/${request1.eventId}/void`, { reason: '  ' });
    expect(blank.status).toBe(422);
    expect(blank.text).toMatch(/id="void-reason-error" role="alert">Nhập lý do/);
    const future = await form(supervisor, `/dossiers/PAGE-1/events/${request1.eventId}/correct`, { reason: 'Sai ngày', occurredAt: '2026-04-12T10:00' });
    expect(future.status).toBe(422);
    expect(future.text).toMatch(/id="correct-time-error" role="alert">Thời điểm này ở tương lai/);
    expect(future.text).toContain('value="2026-04-12T10:00"');
    expect(future.text).toContain('Sai ngày</textarea>');
    expect(await logged('PAGE-1')).toBe(2);
  });

  test('corrected to Wednesday 8 Apr 10:00, then voided: the page marks both, the dossier is back to "received"', async () => {
    const fixed = await form(supervisor, `/dossiers/PAGE-1/events/${request1.eventId}/correct`, { reason: 'Sai ngày', occurredAt: '2026-04-08T10:00' });
    expect(fixed.status).toBe(303);
    expect(await dossier('PAGE-1')).toMatchObject({ status: 'supplement_requested', pausedSince: '2026-04-08T10:00:00+07:00' });
    const voided = await form(supervisor, `/dossiers/PAGE-1/events/${request1.eventId}/void`, { reason: 'Không có yêu cầu bổ sung nào' });
    expect(voided.status).toBe(303);
    expect(await dossier('PAGE-1')).toMatchObject({ status: 'received', supplementCount: 0, dueAt: '2026-04-09T09:00:00+07:00' });
    const page = await request(t.app).get('/dossiers/PAGE-1').set('Cookie', `dunghan_session=${supervisor}`);
    expect(page.text).toContain('(đã hủy)');
    expect(page.text).toContain('Hủy một sự kiện ghi nhầm. Lý do: Không có yêu cầu bổ sung nào');
    expect(await logged('PAGE-1')).toBe(4);
  });
});

test('the dashboard of an ended month revised by a correction says so, in Vietnamese', async () => {
  const session = await signIn(t.app, t.keys.admin);
  const march = await request(t.app).get('/dashboard?period=2026-03').set('Cookie', `dunghan_session=${session}`);
  expect(march.status).toBe(200);
  // CORR-1's correction (recorded 10 Apr 09:58) changed March's history, and RCPT-1's (09:59) February's and March's.
  expect(march.text).toMatch(/id="period-revised">Số liệu của kỳ đã kết thúc này đã được điều chỉnh theo 2 lần hủy, sửa sự kiện ghi nhầm/);
  const april = await request(t.app).get('/dashboard?period=2026-04').set('Cookie', `dunghan_session=${session}`);
  expect(april.text).not.toContain('period-revised');
});

test('the portal export reads the corrected rounds: a voided request is gone, a corrected one at its new time with its new reason', async () => {
  // EXP-1: received Mon 6 Apr 2026 09:00, a supplement request recorded at 10:00 "Thiếu tờ khai", corrected to 11:00
  // "Thiếu bản sao CCCD". PAGE-1's request was voided (above): no round left.
  const req = ev.of('supplement_requested', 'EXP-1', '2026-04-06T10:00:00+07:00', { reason: 'Thiếu tờ khai' });
  expect((await post([received('EXP-1', '2026-04-06T09:00:00+07:00'), req])).status).toBe(201);
  const fix = ev.of('corrected', 'EXP-1', '2026-04-10T09:59:30+07:00', {
    targetEventId: req.eventId,
    reason: 'Sai nội dung',
    replacement: { type: 'supplement_requested', occurredAt: '2026-04-06T11:00:00+07:00', reason: 'Thiếu bản sao CCCD' },
  });
  expect((await post(fix, keys.supervisor)).status).toBe(201);
  const res = await request(t.app)
    .get('/api/v1/sync/dossiers')
    .query({ period: '2026-04', agency: 'SLA.P.TOHIEU' })
    .set('Authorization', `Bearer ${t.keys.admin}`);
  expect(res.status).toBe(200);
  const record = (code: string) => (res.body.records as Array<Record<string, unknown>>).find((r) => r.MaHoSo === code)!;
  expect(record('EXP-1').DanhSachHoSoBoSung).toEqual([{ NgayBoSung: '20260406110000', NoiDungBoSung: 'Thiếu bản sao CCCD' }]);
  expect(record('PAGE-1').DanhSachHoSoBoSung ?? []).toEqual([]);
});
