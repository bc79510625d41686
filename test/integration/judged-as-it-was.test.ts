/**
 * Issue 23's two defects and item 7, worked by hand (DOMAIN §4–5).
 *
 * Procedure 1.004194 (Đăng ký tạm trú: 3 working days, a fee, a paper result) at phường Tô Hiệu's centre; office hours
 * 08:00–12:00, 13:00–17:00. Days off: Thu 1 – Sun 4 Jan 2026 (New Year, Fri 2 Jan by swap), Tết Sat 14 – Sun 22 Feb.
 * Now: Wed 25 Feb 2026 10:00. December 2025, Q4 2025, 2025 and January 2026 have ended; February and Q1 2026 run.
 *
 * 1. A period is judged with the events of then (3.3, 3.6, 4.1, 4.2).
 * E1 online, digitised, received Wed 31 Dec 2025 09:00. Paid online Mon 5 Jan 2026 09:00, electronic result Mon 5 Jan
 *    10:00: after December ended, so December (its quarter, its year) did not have them.
 * E2 online, digitised, received Tue 30 Dec 2025 09:00, paid online 09:05, electronic result Wed 31 Dec 15:00.
 * E3 online, received Mon 5 Jan 2026 09:00, electronic result Tue 6 Jan 10:00: January's.
 * E4 online, received Mon 23 Feb 09:00, electronic result Tue 24 Feb 10:00: in the running February, by now.
 *
 * December 2025: received 2 (E1, E2), online 2, paper result 2; online with an electronic result (3.3) 1 (E2) → 50 %;
 * electronic result (4.1) 1 → 50 %; digitised with an electronic result (4.2) 1 → 50 %; payable 2 (processing
 * started in December), paid online (3.6) 1 → 50 %. Before the fix E1 counted too: 100 %.
 *
 * 2. "Late without an apology", one definition (progress.ts lateWithoutApologyAt).
 * W1 received Mon 5 Jan 09:00 → due Thu 8 Jan 09:00; a supplement asked Tue 6 Jan 09:00 (in time), still waiting:
 *    the legal clock is stopped: not late, not "late without an apology", in the flag, list, queue, digest or metrics.
 * O1 received Mon 5 Jan 09:00 → due Thu 8 Jan 09:00, nothing since: overdue, no apology: in every one of them.
 *
 * 3. A late apology does not erase lateness (Decree 118/2025 Art. 19(6): no later than 1 day before the due date).
 * A1 received Mon 5 Jan 09:00 → due Thu 8 Jan 09:00. Apology Fri 9 Jan 10:00 (after the due instant) with a new date
 *    Wed 14 Jan 10:00; result Tue 13 Jan 10:00. Legally and by 766: late (Thu 8 h, Fri 8 h, Sat 10 Jan worked in
 *    exchange for 2 Jan 8 h, Mon 8 h, Tue 2 h = 34 working hours after Thu 09:00), an apology too late, not "without
 *    apology". Processing time Mon 5 Jan 09:00 → Tue 13 Jan 10:00: 7 + 6 × 8 + 2 = 57 h = 7.13 working days.
 *    Before the fix it was "on time" against the new date and raised January's progress rate.
 * January 2026 then: received W1 O1 A1 E3 = 4; finished E1 (received Wed 31 Dec → due Wed 7 Jan 09:00, result Mon 5
 *    Jan: early), E3 (early) and A1 (late); open at its end W1 (766: judged at the request, Tue 6 Jan 09:00 ≤ due →
 *    within time) and O1 (overdue). 2.1 = (2 early + 1 within time) / (3 finished + 2 open) = 60 % (80 % before).
 */
import request from 'supertest';
import { ev } from '../support/events.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

let t: TestApp;
const NOW = Date.parse('2026-02-25T10:00:00+07:00');
const TH = 'SLA.P.TOHIEU.TTPV';
const get = (p: string, key = t.keys.auditor) => request(t.app).get(p).set('Authorization', `Bearer ${key}`);
const post = (body: object) => request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(body);
const rec = (code: string, at: string, over: Record<string, unknown> = {}) =>
  ev.received(code, at, { procedureCode: '1.004194', receivingAgencyCode: TH, ...over });
const online = { channel: 'online', digitized: true };
const pay = (code: string, at: string) => ev.of('payment_recorded', code, at, { amount: 15000, method: 'online', viaNationalPortal: true });
const eResult = (code: string, at: string) => ev.of('result_ready', code, at, { electronicResult: true });

const early = [
  rec('E1', '2025-12-31T09:00:00+07:00', online),
  rec('E2', '2025-12-30T09:00:00+07:00', online),
  pay('E2', '2025-12-30T09:05:00+07:00'),
  eResult('E2', '2025-12-31T15:00:00+07:00'),
];
// What came after December ended: E1's payment and electronic result.
const afterDecember = [pay('E1', '2026-01-05T09:00:00+07:00'), eResult('E1', '2026-01-05T10:00:00+07:00')];
const january = [
  rec('E3', '2026-01-05T09:00:00+07:00', { channel: 'online' }),
  eResult('E3', '2026-01-06T10:00:00+07:00'),
  rec('W1', '2026-01-05T09:00:00+07:00'),
  ev.of('supplement_requested', 'W1', '2026-01-06T09:00:00+07:00', { reason: 'Thiếu giấy tờ' }),
  rec('O1', '2026-01-05T09:00:00+07:00'),
  rec('A1', '2026-01-05T09:00:00+07:00'),
  ev.of('apology_issued', 'A1', '2026-01-09T10:00:00+07:00', { reason: 'Chờ xác minh', newDueAt: '2026-01-14T10:00:00+07:00' }),
  ev.of('result_ready', 'A1', '2026-01-13T10:00:00+07:00'),
  rec('E4', '2026-02-23T09:00:00+07:00', { channel: 'online' }),
  eResult('E4', '2026-02-24T10:00:00+07:00'),
];

const DECEMBER = {
  received: 2,
  receivedOnline: 2,
  paperResult: 2,
  onlineFull: 1,
  electronicResult: 1,
  digitized: 2,
  digitizedFull: 1,
  feeRequired: 2,
  paidOnline: 1,
};

beforeAll(async () => {
  t = await createTestApp({ now: NOW });
  expect((await post(early)).status).toBe(201);
});
afterAll(async () => t.close());

/** Every way a period's figures are read: counters (all, agency), a scan (field), by month, a cell, the CSV. */
async function figures(period: string) {
  const all = (await get(`/api/v1/reports/rates?period=${period}&groupBy=all`)).body;
  const agency = (await get(`/api/v1/reports/rates?period=${period}&groupBy=agency`)).body.rows.find((r: { key: string }) => r.key === TH);
  const scanned = (await get(`/api/v1/reports/rates?period=${period}&groupBy=field`)).body.total;
  const cell = async (name: string) =>
    (await get(`/api/v1/reports/dossiers?period=${period}&outcome=${name}`)).body.items.map((d: { code: string }) => d.code).sort();
  const csv = (await get(`/api/v1/reports/rates.csv?period=${period}&groupBy=all&dialect=vn`)).text.replace('\uFEFF', '').trim().split('\r\n');
  const csvCells = Object.fromEntries(csv[0]!.split(';').map((h, i) => [h, csv.at(-1)!.split(';')[i]]));
  const indicators = Object.fromEntries(all.indicators.map((i: { id: string; percent: number | null }) => [i.id, i.percent]));
  return {
    total: all.total,
    agency,
    scanned,
    indicators,
    onlineFull: await cell('online_full'),
    paidOnline: await cell('paid_online'),
    csvOnline: csvCells['Tỷ lệ nộp trực tuyến (%)'],
  };
}

test('a result or payment given after a period ended does not change that period, whichever way it is read', async () => {
  const before = { december: await figures('2025-12'), q4: await figures('2025-Q4'), year: await figures('2025') };
  expect((await post(afterDecember)).status).toBe(201);
  expect((await post(january)).status).toBe(201);
  for (const period of ['2025-12', '2025-Q4', '2025']) {
    const f = await figures(period);
    expect(f.total).toMatchObject(DECEMBER);
    expect(f.agency).toMatchObject(DECEMBER);
    expect(f.scanned).toMatchObject(DECEMBER);
    expect(f.indicators).toMatchObject({ '3.3': 50, '3.6': 50, '4.1': 50, '4.2': 50 });
    expect(f.onlineFull).toEqual(['E2']);
    expect(f.paidOnline).toEqual(['E2']);
    expect(f.csvOnline).toBe('50,00');
  }
  // Nothing moved since before E1's result and payment were recorded.
  expect(await figures('2025-12')).toEqual(before.december);
  expect(await figures('2025-Q4')).toEqual(before.q4);
  expect(await figures('2025')).toEqual(before.year);
  // The year by month: December's row, and the year's total, as above.
  const months = (await get('/api/v1/reports/rates?period=2025&groupBy=month')).body;
  expect(months.rows.find((r: { key: string }) => r.key === '2025-12')).toMatchObject(DECEMBER);
  expect(months.total).toMatchObject(DECEMBER);

  // January: E1's result is not January's either (received in December); E3's is.
  const jan = (await get('/api/v1/reports/rates?period=2026-01&groupBy=all')).body.total;
  expect(jan).toMatchObject({ received: 4, receivedOnline: 1, onlineFull: 1, electronicResult: 1 });
  // The running February and Q1 count what happened by now: E4's result of yesterday.
  const feb = (await get('/api/v1/reports/rates?period=2026-02&groupBy=all')).body.total;
  expect(feb).toMatchObject({ received: 1, onlineFull: 1, electronicResult: 1 });
  const q1 = (await get('/api/v1/reports/rates?period=2026-Q1&groupBy=agency')).body.rows.find((r: { key: string }) => r.key === TH);
  expect(q1).toMatchObject({ received: 5, onlineFull: 2, electronicResult: 2 });
  const q1Scanned = (await get('/api/v1/reports/rates?period=2026-Q1&groupBy=field')).body.total;
  expect(q1Scanned).toMatchObject({ received: 5, onlineFull: 2, electronicResult: 2 });
});

test('a dossier waiting for the citizen after a request made in time is not "late without an apology" anywhere', async () => {
  const w1 = (await get('/api/v1/dossiers/W1')).body;
  expect(w1.progress).toBe('waiting_for_citizen');
  expect(w1.flags).toEqual([]);
  const o1 = (await get('/api/v1/dossiers/O1')).body;
  expect(o1.progress).toBe('overdue');
  expect(o1.flags).toEqual(['late_without_apology']);
  // The list filter.
  const listed = (await get(`/api/v1/dossiers?flag=late_without_apology&agency=${TH}`)).body.items.map((d: { code: string }) => d.code).sort();
  expect(listed).toEqual(['O1']);
  // The dashboard's queue.
  const page = (
    await request(t.app)
      .get(`/dashboard?agency=${TH}&period=2026-02`)
      .set('Cookie', `dunghan_session=${await signIn(t.app, t.keys.admin)}`)
  ).text;
  const queue = page.slice(page.indexOf('id="late-without-apology"'), page.indexOf('</table>', page.indexOf('id="late-without-apology"')));
  expect(queue).toContain('/dossiers/O1');
  expect(queue).not.toContain('/dossiers/W1');
  expect(page).toMatch(/data-count="late-without-apology">1</);
  // The metrics: the legal "overdue" and "late without apology" gauges (read at the database's clock, later still).
  const metrics = (await request(t.app).get('/metrics')).text;
  const value = (state: string) =>
    metrics
      .split('\n')
      .filter((l) => l.startsWith('dunghan_dossiers_open{') && l.includes(`state="${state}"`))
      .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
  // Open now: W1 and O1 (the E dossiers and A1 are finished). W1 is waiting: neither overdue nor late.
  expect(value('open')).toBe(2);
  expect(value('overdue')).toBe(1);
  expect(value('late_without_apology')).toBe(1);
});

test("an apology sent after the law's limit leaves the dossier late and the rate where it was", async () => {
  const a1 = (await get('/api/v1/dossiers/A1')).body;
  expect(a1).toMatchObject({ dueAt: '2026-01-08T09:00:00+07:00', outcome: 'late', rate: { outcome: 'late' } });
  expect(a1.apology).toMatchObject({ newDueAt: '2026-01-14T10:00:00+07:00', reschedules: false, reschedulesRate: false });
  expect(a1.flags).toEqual(['apology_too_late']);
  expect(a1.processingTime).toEqual({ value: 7.13, unit: 'working-days' });
  const jan = (await get('/api/v1/reports/rates?period=2026-01&groupBy=all')).body;
  expect(jan.total).toMatchObject({
    finished: 3,
    early: 2,
    onTime: 0,
    late: 1,
    openOnTrack: 1,
    openOverdue: 1,
    rescheduled: 1,
    apologyTooLate: 1,
    lateWithoutApology: 0,
  });
  expect(jan.total.progressRate).toBeCloseTo(0.6, 10);
});

test('the apology form says, before it is sent, what a late apology will not change', async () => {
  const cookie = `dunghan_session=${await signIn(t.app, t.keys.admin)}`;
  const page = (await request(t.app).get('/dossiers/O1').set('Cookie', cookie)).text;
  const effect = /<p id="apology-effect" class="notice">([^<]+)<\/p>/.exec(page)?.[1] ?? '';
  // Due Thu 8 Jan: the apology was due by Wed 7 Jan.
  expect(effect).toContain('Đã quá thời hạn gửi văn bản xin lỗi (chậm nhất ngày Thứ Tư, 07/01/2026, Nghị định 118/2025/NĐ-CP, Điều 19 khoản 6');
  expect(effect).toContain('hồ sơ vẫn quá hạn và sẽ được tính là trễ hạn');
  // A dossier still within the limit is told the new date becomes the appointment.
  expect((await post(rec('N1', '2026-02-24T09:00:00+07:00'))).status).toBe(201);
  const fresh = (await request(t.app).get('/dossiers/N1').set('Cookie', cookie)).text;
  expect(fresh).toMatch(
    /<p id="apology-effect" class="muted">Gửi trong thời hạn \(chậm nhất ngày Thứ Năm, 26\/02\/2026\): ngày hẹn mới trở thành hạn trả kết quả/,
  );
});
