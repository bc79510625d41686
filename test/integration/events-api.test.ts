import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const post = (body: unknown, key = t.keys.counter) =>
  request(t.app)
    .post('/api/v1/events')
    .set('Authorization', `Bearer ${key}`)
    .send(body as object);
const get = (path: string, key = t.keys.auditor) => request(t.app).get(path).set('Authorization', `Bearer ${key}`);
const count = async (sql: string, params: unknown[] = []) => Number((await t.ctx.db.pool.query(sql, params)).rows[0].n);

describe('POST /api/v1/events', () => {
  test('a received event creates the dossier with its legal deadline and history', async () => {
    // Received Monday 17 Mar 2025 10:00 for Đăng ký tạm trú (3 working days) → due Thursday 20 Mar 10:00.
    const res = await post(ev.received('CLE-0001', '2025-03-17T10:00:00+07:00'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 0 });

    const d = await get('/api/v1/dossiers/CLE-0001');
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({
      code: 'CLE-0001',
      status: 'received',
      procedureCode: '1.004194',
      receivingAgencyCode: 'SLA.TPSL.CLE',
      agencyCodes: ['SLA', 'SLA.TPSL', 'SLA.TPSL.CLE'],
      channel: 'direct',
      receivedAt: '2025-03-17T10:00:00+07:00',
      clockStartsAt: '2025-03-17T10:00:00+07:00',
      dueAt: '2025-03-20T10:00:00+07:00',
      provisional: false,
      finishedAt: null,
      outcome: null,
      pausedWorkingMinutes: 0,
    });
    expect(d.body.events).toHaveLength(1);
    expect(d.body.events[0].type).toBe('received');
  });

  test('an identical resend is acknowledged without effect; the same eventId with another body is 409', async () => {
    const e = ev.received('CLE-0002', '2025-03-17T10:00:00+07:00');
    expect((await post(e)).status).toBe(201);
    const before = await count('SELECT count(*) AS n FROM dossier_events');
    const again = await post(e);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1, results: [{ eventId: e.eventId, status: 'duplicate' }] });
    expect(await count('SELECT count(*) AS n FROM dossier_events')).toBe(before);

    const changed = await post({ ...e, channel: 'online' });
    expect(changed.status).toBe(409);
    expect(changed.body.errors[0]).toMatchObject({ index: 0, eventId: e.eventId });
    expect(await count('SELECT count(*) AS n FROM dossier_events')).toBe(before);
  });

  test('an invalid batch is refused whole, naming every bad index and field path', async () => {
    const before = await count('SELECT count(*) AS n FROM dossier_events');
    const good = ev.received('CLE-0003', '2025-03-17T10:00:00+07:00');
    const res = await post([
      good,
      { ...ev.received('CLE-0004', '2025-03-17T10:00:00+07:00'), channel: 'fax', applicant: { name: '' } },
      { ...ev.of('result_ready', 'CLE-0003', 'yesterday'), eventId: 'not-a-uuid' },
      { type: 'teleported' },
    ]);
    expect(res.status).toBe(400);
    expect([...new Set(res.body.errors.map((i: { index: number }) => i.index))]).toEqual([1, 2, 3]);
    const paths = res.body.errors.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['[1].channel', '[1].applicant.name', '[2].eventId', '[2].occurredAt', '[3].type']));
    expect(await count('SELECT count(*) AS n FROM dossier_events')).toBe(before);
    expect(await count("SELECT count(*) AS n FROM dossiers WHERE code = 'CLE-0003'")).toBe(0);
  });

  test('a batch over 1,000 events is refused', async () => {
    const res = await post(Array.from({ length: 1001 }, (_, i) => ev.received(`BIG-${i}`, '2025-03-17T10:00:00+07:00')));
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/at most 1000/);
  });

  test.each([
    ['an unknown procedure', () => ev.received('X-1', '2025-03-17T10:00:00+07:00', { procedureCode: '9.999999' }), /unknown procedure 9\.999999/],
    ['an unknown agency', () => ev.received('X-2', '2025-03-17T10:00:00+07:00', { receivingAgencyCode: 'SLA.NOWHERE' }), /unknown agency/],
    // Districts were abolished on 1 July 2025: a dossier received by one afterwards is impossible.
    ['an agency that no longer existed', () => ev.received('X-3', '2025-07-02T09:00:00+07:00'), /did not exist/],
    ['an event for an unknown dossier', () => ev.of('result_ready', 'NEVER-RECEIVED', '2025-03-18T10:00:00+07:00'), /unknown dossier/],
  ])('%s is 422 with the reason, and nothing is written', async (_name, make, reason) => {
    const before = await count('SELECT count(*) AS n FROM dossier_events');
    const res = await post(make());
    expect(res.status).toBe(422);
    expect(res.body.errors[0].message).toMatch(reason);
    expect(await count('SELECT count(*) AS n FROM dossier_events')).toBe(before);
  });

  test('impossible transitions are 422: returned before result_ready, a second apology', async () => {
    await post(ev.received('CLE-0005', '2025-03-17T10:00:00+07:00'));
    const early = await post(ev.of('returned', 'CLE-0005', '2025-03-18T10:00:00+07:00', { method: 'counter' }));
    expect(early.status).toBe(422);
    expect(early.body.errors[0].message).toMatch(/"returned" is not possible when the dossier is "received"/);

    const apology = ev.of('apology_issued', 'CLE-0005', '2025-03-18T10:00:00+07:00', { reason: 'Chờ xác minh', newDueAt: '2025-03-25T10:00:00+07:00' });
    expect((await post(apology)).status).toBe(201);
    const second = await post(ev.of('apology_issued', 'CLE-0005', '2025-03-19T10:00:00+07:00', { reason: 'Lần nữa', newDueAt: '2025-03-28T10:00:00+07:00' }));
    expect(second.status).toBe(422);
    expect(second.body.errors[0].message).toMatch(/only once/);
    const d = await get('/api/v1/dossiers/CLE-0005');
    expect(d.body.dueAt).toBe('2025-03-25T10:00:00+07:00');
    expect(d.body.originalDueAt).toBe('2025-03-20T10:00:00+07:00');
  });

  test("an event dated before the receipt is 422 saying so, alone or in the receipt's batch, and nothing is written", async () => {
    await post(ev.received('CLE-0007', '2025-03-17T10:00:00+07:00'));
    const before = await count('SELECT count(*) AS n FROM dossier_events');
    const backdated = ev.of('result_ready', 'CLE-0007', '2025-03-14T15:00:00+07:00');
    const alone = await post(backdated);
    expect(alone.status).toBe(422);
    expect(alone.body.errors[0]).toMatchObject({
      index: 0,
      eventId: backdated.eventId,
      message: '"result_ready" at 2025-03-14T15:00:00+07:00 is earlier than the receipt of dossier CLE-0007 at 2025-03-17T10:00:00+07:00',
    });
    const together = await post([
      ev.received('CLE-0008', '2025-03-17T10:00:00+07:00'),
      ev.of('supplement_requested', 'CLE-0008', '2025-03-17T09:00:00+07:00', { reason: 'Thiếu tờ khai' }),
    ]);
    expect(together.status).toBe(422);
    expect(together.body.errors[0]).toMatchObject({
      index: 1,
      message: expect.stringMatching(/"supplement_requested" at 2025-03-17T09:00:00\+07:00 is earlier than the receipt/),
    });
    expect(await count('SELECT count(*) AS n FROM dossier_events')).toBe(before);
  });

  test('one bad event in a batch rolls back the good ones', async () => {
    const res = await post([
      ev.received('CLE-0006', '2025-03-17T10:00:00+07:00'),
      ev.of('returned', 'CLE-0006', '2025-03-17T11:00:00+07:00', { method: 'counter' }),
    ]);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].index).toBe(1);
    expect(await count("SELECT count(*) AS n FROM dossier_events WHERE dossier_code = 'CLE-0006'")).toBe(0);
  });
});

describe('lifecycle, pauses and out-of-order arrival', () => {
  const code = 'CLE-0100';
  // Received Mon 17 Mar 2025 10:00, 3 working days → due Thu 20 Mar 10:00.
  // Supplement asked Tue 18 Mar 10:00, completed Wed 19 Mar 15:00: the clock was stopped for
  // Tue 10–12, 13–17 (6 h) + Wed 8–12, 13–15 (6 h) = 12 working hours = 720 minutes.
  // The 766 judgment moves the appointment 12 working hours: Thu 20 Mar 10:00 → 17:00 is 6 h (lunch 12–13),
  // Fri 8–12 is 4 h, the last 2 h end Fri 21 Mar 15:00. The legal time restarts from the completed dossier
  // (Decree 61/2018 Art. 19(4)): Wed 15–17 (2 h), Thu (10), Fri (18), Mon 08–12, 13–15 (24) → Mon 24 Mar 15:00.
  const events = [
    ev.received(code, '2025-03-17T10:00:00+07:00'),
    ev.of('assigned', code, '2025-03-17T11:00:00+07:00', { agencyCode: 'SLA.TPSL.CLE', step: 'Thẩm định' }),
    ev.of('supplement_requested', code, '2025-03-18T10:00:00+07:00', { reason: 'Thiếu giấy tờ chứng minh chỗ ở hợp pháp' }),
    ev.of('supplement_received', code, '2025-03-19T15:00:00+07:00'),
    ev.of('payment_recorded', code, '2025-03-19T15:30:00+07:00', { amount: 15000, method: 'online', viaNationalPortal: true }),
    ev.of('result_ready', code, '2025-03-21T11:00:00+07:00'),
    ev.of('returned', code, '2025-03-24T09:00:00+07:00', { method: 'counter' }),
  ];

  test('the time restarts after a supplement (law) and is paused (766); finished Fri 21 is early by law, on time by 766', async () => {
    // Sent in a scrambled arrival order (each prefix still possible): the state must not depend on it.
    const [e0, e1, e2, e3, e4, e5, e6] = events;
    for (const batch of [[e0], [e2, e1], [e4], [e3], [e6, e5]]) expect((await post(batch)).status).toBe(201);
    const d = (await get(`/api/v1/dossiers/${code}`)).body;
    expect(d).toMatchObject({
      status: 'returned',
      pausedWorkingMinutes: 720,
      supplementCount: 1,
      dueAt: '2025-03-24T15:00:00+07:00',
      finishedAt: '2025-03-21T11:00:00+07:00',
      outcome: 'early',
      // Same working day as the 766 appointment, and before it.
      rate: { dueAt: '2025-03-21T15:00:00+07:00', outcome: 'on_time', differsFromLegal: true },
      paidOnline: true,
    });
    expect(d.events.map((e: { type: string }) => e.type)).toEqual(events.map((e) => e.type));
  });

  test('a late arrival that happened earlier re-folds the dossier', async () => {
    const c = 'CLE-0101';
    await post(ev.received(c, '2025-03-17T10:00:00+07:00'));
    await post(ev.of('result_ready', c, '2025-03-21T11:00:00+07:00'));
    let d = (await get(`/api/v1/dossiers/${c}`)).body;
    expect(d.outcome).toBe('late'); // due Thu 20 Mar 10:00
    // The supplementation the counter software forgot to send arrives now.
    await post([
      ev.of('supplement_requested', c, '2025-03-18T10:00:00+07:00', { reason: 'Thiếu giấy tờ' }),
      ev.of('supplement_received', c, '2025-03-19T15:00:00+07:00'),
    ]);
    d = (await get(`/api/v1/dossiers/${c}`)).body;
    expect(d.rate).toMatchObject({ outcome: 'on_time', dueAt: '2025-03-21T15:00:00+07:00' });
    expect({ outcome: d.outcome, dueAt: d.dueAt }).toEqual({ outcome: 'early', dueAt: '2025-03-24T15:00:00+07:00' });
  });
});

describe('reading dossiers', () => {
  beforeAll(async () => {
    const batch = [];
    for (let i = 0; i < 7; i++)
      batch.push(ev.received(`LIST-${i}`, `2025-03-1${i}T09:0${i}:00+07:00`, { receivingAgencyCode: i % 2 ? 'SLA.TPSL.THI' : 'SLA.MSO.HLO' }));
    expect((await post(batch, t.keys.admin)).status).toBe(201);
  });

  test('filters and cursor pagination walk the whole list once, in receipt order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await get(`/api/v1/dossiers?agency=SLA.TPSL.THI&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((d: { code: string }) => d.code));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['LIST-1', 'LIST-3', 'LIST-5']);
    const ranged = await get('/api/v1/dossiers?receivedFrom=2025-03-12&receivedTo=2025-03-13&agency=SLA.MSO');
    expect(ranged.body.items.map((d: { code: string }) => d.code)).toEqual(['LIST-2']);
  });

  test('in-progress judgement at the injected clock: overdue after the due instant', async () => {
    // LIST-0 received Mon 10 Mar 09:00 → due Thu 13 Mar 09:00; the test clock is 20 Mar 09:00.
    const overdue = await get('/api/v1/dossiers?outcome=overdue&agency=SLA.MSO.HLO');
    expect(overdue.body.items.map((d: { code: string }) => d.code)).toContain('LIST-0');
    expect(overdue.body.items[0].progress).toBe('overdue');
  });

  test('bad filters are 400 with the field named', async () => {
    const res = await get('/api/v1/dossiers?outcome=sometimes&limit=0');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((i: { path: string }) => i.path).sort()).toEqual(['limit', 'outcome']);
  });
});

describe('authentication and scope', () => {
  test('401 without a key or with a wrong one', async () => {
    expect((await request(t.app).get('/api/v1/dossiers')).status).toBe(401);
    expect((await get('/api/v1/dossiers', 'dh_admin_nope')).status).toBe(401);
  });

  test('a counter key posts only for its agencies: 403 outside, nothing written', async () => {
    const res = await post(ev.received('OUT-1', '2025-03-17T10:00:00+07:00'), t.keys.outsider);
    expect(res.status).toBe(403);
    expect(await count("SELECT count(*) AS n FROM dossier_events WHERE dossier_code = 'OUT-1'")).toBe(0);
    // Nor may it add events to a dossier of another agency.
    // It is answered as if the dossier did not exist.
    const other = await post(ev.of('result_ready', 'CLE-0001', '2025-03-18T10:00:00+07:00'), t.keys.outsider);
    const none = await post(ev.of('result_ready', 'CLE-NONE', '2025-03-18T10:00:00+07:00'), t.keys.outsider);
    expect(other.status).toBe(422);
    expect(other.body.errors.map((e: { message: string }) => e.message.replace('CLE-0001', 'X'))).toEqual(
      none.body.errors.map((e: { message: string }) => e.message.replace('CLE-NONE', 'X')),
    );
  });

  test('an auditor cannot post events; dossiers outside a key are 404 like missing ones, and absent from lists', async () => {
    expect((await post(ev.received('AUD-1', '2025-03-17T10:00:00+07:00'), t.keys.auditor)).status).toBe(403);
    expect((await get('/api/v1/dossiers/CLE-0001', t.keys.outsider)).status).toBe(404);
    const list = await get('/api/v1/dossiers?limit=500', t.keys.outsider);
    expect(list.body.items).toEqual([]);
  });

  test('keys are stored hashed, never in clear', async () => {
    const { rows } = await t.ctx.db.pool.query('SELECT key_hash FROM api_keys');
    for (const k of Object.values(t.keys)) expect(rows.map((r) => r.key_hash)).not.toContain(k);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash))).toBe(true);
  });
});
