/**
 * The trust boundary, walked as a matrix: keys and people (signed in with a
 * password, acting through their session) × every role × a dossier of their
 * own agency, a child, a sibling and the parent × every endpoint family.
 * Expected cells come from the rules written here, not from the code: a key
 * of any role covers its agency and everything below it (an admin's agencies
 * bound it like anyone's: issue 28); only counter, supervisor and admin post; a
 * dossier outside the key does not exist for it (the answers for "outside" and
 * "missing" are identical).
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../src/http/app.js';
import { createApiKey, type Role } from '../../src/store/api-keys.js';
import { sessionCsrfToken } from '../../src/http/csrf.js';
import { hashPassword } from '../../src/accounts/password-hash.js';
import { createPasswordToken, createPerson, setPasswordWithToken } from '../../src/store/people.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';

let t: TestApp;
const ROLES: Role[] = ['counter', 'supervisor', 'auditor', 'admin'];
// The key's agency is the district SLA.TPSL (valid until 30 June 2025).
const TARGETS = { own: 'SLA.TPSL', child: 'SLA.TPSL.CLE', sibling: 'SLA.MCH', parent: 'SLA' } as const;
type Target = keyof typeof TARGETS;
const keys = {} as Record<Role, string>;
const AT = '2025-03-17T10:00:00+07:00';
let n = 0;

/** People of SLA.TPSL, one per role: their session cookie. */
const sessions = {} as Record<Role, string>;
beforeAll(async () => {
  t = await createTestApp();
  for (const role of ROLES) keys[role] = (await createApiKey(t.ctx.db.pool, { role, agencyCodes: ['SLA.TPSL'], label: `matrix ${role}` })).key;
  for (const role of ROLES) {
    const email = `matrix-${role}@sla.example.vn`;
    const person = await createPerson(t.ctx.db.pool, { name: `Người ${role}`, email, roles: [role], agencyCodes: ['SLA.TPSL'] }, null);
    await setPasswordWithToken(t.ctx.db.pool, (await createPasswordToken(t.ctx.db.pool, person.id))!, await hashPassword('mật khẩu thử nghiệm'));
    sessions[role] = await signIn(t.app, { email, password: 'mật khẩu thử nghiệm' });
  }
});
afterAll(async () => t.close());

const asKey = (role: Role) => ({
  get: (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${keys[role]}`),
  post: (path: string, body: unknown) =>
    request(t.app)
      .post(path)
      .set('Authorization', `Bearer ${keys[role]}`)
      .send(body as object),
});
const as = asKey;
/** A person of the role acting through their web session (a page's script: the cookie and the page's CSRF token). */
const asPerson = (role: Role) => ({
  get: (path: string) => request(t.app).get(path).set('Cookie', `dunghan_session=${sessions[role]}`),
  post: (path: string, body: unknown) =>
    request(t.app)
      .post(path)
      .set('Cookie', `dunghan_session=${sessions[role]}`)
      .set('X-CSRF-Token', sessionCsrfToken(sessions[role]))
      .send(body as object),
});
/** The province's admin: a key for the root agency, SLA. */
const province = {
  post: (path: string, body: unknown) =>
    request(t.app)
      .post(path)
      .set('Authorization', `Bearer ${t.keys.admin}`)
      .send(body as object),
};

/** A fresh dossier received at the target agency (by the province admin). */
async function dossierAt(target: Target): Promise<string> {
  const code = `MX-${target}-${++n}`;
  const res = await province.post('/api/v1/events', ev.received(code, AT, { receivingAgencyCode: TARGETS[target] }));
  expect(res.status).toBe(201);
  return code;
}
const stateOf = async (code: string) => (await t.ctx.db.pool.query('SELECT state FROM dossiers WHERE code = $1', [code])).rows[0]?.state;

const covers = (_role: Role, target: Target) => target === 'own' || target === 'child';
const posts = (role: Role) => role !== 'auditor';

const cells = (['key', 'person'] as const).flatMap((kind) =>
  ROLES.flatMap((role) => (Object.keys(TARGETS) as Target[]).map((target) => [kind, role, target] as const)),
);

describe.each(cells)('%s: %s of SLA.TPSL, %s agency', (kind, role, target) => {
  const as = kind === 'key' ? asKey : asPerson;
  const agency = TARGETS[target];
  const inScope = covers(role, target);

  test('events: receive a new dossier there', async () => {
    const code = `MX-new-${kind}-${role}-${target}`;
    const res = await as(role).post('/api/v1/events', ev.received(code, AT, { receivingAgencyCode: agency }));
    expect(res.status).toBe(posts(role) && inScope ? 201 : 403);
    expect(Boolean(await stateOf(code))).toBe(posts(role) && inScope);
  });

  test('events: add an event to a dossier there; outside it is answered as a missing dossier and changes nothing', async () => {
    const code = await dossierAt(target);
    const before = await stateOf(code);
    const res = await as(role).post('/api/v1/events', ev.of('supplement_requested', code, '2025-03-18T09:00:00+07:00', { reason: 'thiếu giấy tờ' }));
    if (!posts(role)) expect(res.status).toBe(403);
    else if (inScope) expect(res.status).toBe(201);
    else {
      const missing = await as(role).post(
        '/api/v1/events',
        ev.of('supplement_requested', `${code}-missing`, '2025-03-18T09:00:00+07:00', { reason: 'thiếu giấy tờ' }),
      );
      expect([res.status, missing.status]).toEqual([422, 422]);
      expect(res.body.detail.replace(code, 'X')).toBe(missing.body.detail.replace(`${code}-missing`, 'X'));
      expect(res.body.errors[0].message.replace(code, 'X')).toBe(missing.body.errors[0].message.replace(`${code}-missing`, 'X'));
    }
    if (!(posts(role) && inScope)) expect(await stateOf(code)).toEqual(before);
  });

  test('events: void and correct an event there: supervisors and admins only (403 for others), outside answered as a missing dossier', async () => {
    // Issue 28 item 6: putting a mistake right is the supervisor's (and admin's) act; a counter clerk who posts the
    // events cannot undo them. Out of scope the void is refused exactly like one for a dossier that does not exist.
    const code = await dossierAt(target);
    const wrong = ev.of('supplement_requested', code, '2025-03-18T09:00:00+07:00', { reason: 'ghi nhầm' });
    expect((await province.post('/api/v1/events', wrong)).status).toBe(201);
    const before = await stateOf(code);
    const corrects = role === 'supervisor' || role === 'admin';
    const correct = await as(role).post(
      '/api/v1/events',
      ev.of('corrected', code, '2025-03-19T09:00:00+07:00', {
        targetEventId: wrong.eventId,
        reason: 'sai lý do',
        replacement: { type: 'supplement_requested', occurredAt: '2025-03-18T09:00:00+07:00', reason: 'thiếu tờ khai' },
      }),
    );
    const voided = await as(role).post(
      '/api/v1/events',
      ev.of('voided', code, '2025-03-19T09:30:00+07:00', { targetEventId: wrong.eventId, reason: 'ghi nhầm' }),
    );
    if (!corrects) expect([correct.status, voided.status]).toEqual([403, 403]);
    else if (inScope) {
      expect([correct.status, voided.status]).toEqual([201, 201]);
      expect((await stateOf(code)).status).toBe('received');
    } else {
      const missing = await as(role).post(
        '/api/v1/events',
        ev.of('voided', `${code}-missing`, '2025-03-19T09:30:00+07:00', { targetEventId: wrong.eventId, reason: 'ghi nhầm' }),
      );
      expect([correct.status, voided.status, missing.status]).toEqual([422, 422, 422]);
      expect(voided.body.errors[0].message.replace(code, 'X')).toBe(missing.body.errors[0].message.replace(`${code}-missing`, 'X'));
    }
    if (!(corrects && inScope)) expect(await stateOf(code)).toEqual(before);
  });

  test('reads: the dossier, its letters and its page; outside is 404 like a missing one', async () => {
    const code = await dossierAt(target);
    const expected = inScope ? 200 : 404;
    expect((await as(role).get(`/api/v1/dossiers/${code}`)).status).toBe(expected);
    expect((await as(role).get(`/letters/${code}/receipt`)).status).toBe(expected);
    expect((await as(role).get(`/dossiers/${code}`)).status).toBe(expected);
    const missing = await as(role).get(`/api/v1/dossiers/${code}-missing`);
    expect(missing.status).toBe(404);
    if (!inScope)
      expect((await as(role).get(`/api/v1/dossiers/${code}`)).body.detail.replace(code, 'X')).toBe(missing.body.detail.replace(`${code}-missing`, 'X'));
  });

  test('lists, reports, exports and the agency page filtered to that agency', async () => {
    const expected = inScope ? 200 : 403;
    expect((await as(role).get(`/api/v1/dossiers?agency=${agency}`)).status).toBe(expected);
    expect((await as(role).get(`/api/v1/reports/rates?period=2025-03&agency=${agency}`)).status).toBe(expected);
    expect((await as(role).get(`/api/v1/reports/rates.csv?period=2025-03&agency=${agency}`)).status).toBe(expected);
    expect((await as(role).get(`/api/v1/reports/dossiers?period=2025-03&outcome=overdue&agency=${agency}`)).status).toBe(expected);
    expect((await as(role).get(`/dashboard/agencies/${agency}`)).status).toBe(expected);
    expect((await as(role).get(`/api/v1/agencies/${agency}/supervisors`)).status).toBe(expected);
  });

  test('apology: only posting roles, only in scope', async () => {
    const code = await dossierAt(target);
    const res = await as(role).post(`/api/v1/dossiers/${code}/apology`, { reason: 'cần xác minh thêm', extraWorkingDays: 2 });
    expect(res.status).toBe(!posts(role) ? 403 : inScope ? 201 : 404);
  });

  test('admin endpoints: admin only', async () => {
    const expected = role === 'admin' ? 200 : 403;
    expect((await as(role).post('/api/v1/calendar/import?dryRun=true', { year: 2031, days: [] })).status).toBe(expected);
    expect((await as(role).get('/api/v1/keys')).status).toBe(expected);
    expect((await as(role).get('/admin/outbox')).status).toBe(expected);
    expect((await as(role).get('/api/v1/users')).status).toBe(expected);
    expect((await as(role).get('/admin/users')).status).toBe(expected);
  });
});

describe('the takeover sequences, by name', () => {
  test('a sibling counter assigning a dossier to itself gets "unknown dossier", and still cannot read it', async () => {
    const code = await dossierAt('own');
    const outsider = (await createApiKey(t.ctx.db.pool, { role: 'counter', agencyCodes: ['SLA.MCH'], label: 'sibling' })).key;
    const res = await request(t.app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${outsider}`)
      .send(ev.of('assigned', code, '2025-03-18T09:00:00+07:00', { agencyCode: 'SLA.MCH', step: 'Xử lý' }));
    expect(res.status).toBe(422);
    expect(res.body.errors[0].message).toBe(`unknown dossier ${code}: no "received" event for it`);
    expect((await request(t.app).get(`/api/v1/dossiers/${code}`).set('Authorization', `Bearer ${outsider}`)).status).toBe(404);
    expect((await stateOf(code)).agencyCodes).not.toContain('SLA.MCH');
  });

  test("a child counter cannot take over its parent agency's dossier", async () => {
    const code = await dossierAt('own');
    const child = (await createApiKey(t.ctx.db.pool, { role: 'counter', agencyCodes: ['SLA.TPSL.CLE'], label: 'child' })).key;
    const res = await request(t.app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${child}`)
      .send(ev.of('assigned', code, '2025-03-18T09:00:00+07:00', { agencyCode: 'SLA.TPSL.CLE', step: 'Xử lý' }));
    expect(res.status).toBe(422);
    expect((await stateOf(code)).currentAgencyCode).toBe('SLA.TPSL');
  });

  test('receiving at another agency and assigning to oneself in one batch is refused whole', async () => {
    const outsider = (await createApiKey(t.ctx.db.pool, { role: 'counter', agencyCodes: ['SLA.MCH'], label: 'sibling 2' })).key;
    const res = await request(t.app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${outsider}`)
      .send([
        ev.received('MX-BATCH', AT, { receivingAgencyCode: 'SLA.TPSL.CLE' }),
        ev.of('assigned', 'MX-BATCH', '2025-03-17T11:00:00+07:00', { agencyCode: 'SLA.MCH', step: 'Xử lý' }),
      ]);
    expect(res.status).toBe(403);
    expect(await stateOf('MX-BATCH')).toBeUndefined();
  });

  test('a hand-over comes from the agency handling the dossier: a former handler cannot pull it back', async () => {
    const code = await dossierAt('child');
    const clerk = (await createApiKey(t.ctx.db.pool, { role: 'counter', agencyCodes: ['SLA.TPSL.CLE'], label: 'ward' })).key;
    const dept = (await createApiKey(t.ctx.db.pool, { role: 'counter', agencyCodes: ['SLA.STP'], label: 'department' })).key;
    const send = (key: string, body: unknown) =>
      request(t.app)
        .post('/api/v1/events')
        .set('Authorization', `Bearer ${key}`)
        .send(body as object);
    expect((await send(clerk, ev.of('assigned', code, '2025-03-17T11:00:00+07:00', { agencyCode: 'SLA.STP', step: 'Thẩm định' }))).status).toBe(201);
    // The department now handles it and can read it; the ward still sees it but can no longer hand it on.
    expect((await request(t.app).get(`/api/v1/dossiers/${code}`).set('Authorization', `Bearer ${dept}`)).status).toBe(200);
    const back = await send(clerk, ev.of('assigned', code, '2025-03-17T14:00:00+07:00', { agencyCode: 'SLA.TPSL.CLE', step: 'Trả kết quả' }));
    expect(back.status).toBe(403);
    expect(back.body.errors[0].message).toMatch(/only the agency handling/);
    expect((await send(dept, ev.of('assigned', code, '2025-03-17T15:00:00+07:00', { agencyCode: 'SLA.TPSL.CLE', step: 'Trả kết quả' }))).status).toBe(201);
  });
});

/**
 * Issue 28: scope before everything else. Each pair below compares the whole answer (status and problem document,
 * with the dossier codes and event ids that differ by construction written as placeholders) for another agency's
 * dossier with the answer for one that does not exist.
 */
describe("scope before resends and conflicts: another agency's stored data answers as an unknown dossier", () => {
  const post = (key: string, path: string, body: unknown) =>
    request(t.app)
      .post(path)
      .set('Authorization', `Bearer ${key}`)
      .send(body as object);
  /** The answer with the names that differ by construction replaced: what is left is what the caller learns. */
  const seen = (res: request.Response, names: Record<string, string>) => {
    let text = JSON.stringify(res.body);
    for (const [name, placeholder] of Object.entries(names)) text = text.split(name).join(placeholder);
    const { requestId: _differsOnEveryRequest, ...body } = JSON.parse(text);
    return { status: res.status, body };
  };
  const posting: Role[] = ['counter', 'supervisor', 'admin'];

  test.each(posting)("a %s key resending another agency's received event, identical or with one field changed", async (role) => {
    const code = `MX-R28-${role}`;
    const stored = ev.received(code, AT, { receivingAgencyCode: TARGETS.sibling });
    expect((await post(t.keys.admin, '/api/v1/events', stored)).status).toBe(201);
    const missing = { ...stored, eventId: randomUUID(), dossierCode: `${code}-missing` };
    const unknown = seen(await as(role).post('/api/v1/events', missing), { [missing.dossierCode]: 'CODE', [missing.eventId]: 'ID' });
    expect(unknown.status).toBe(403); // a receipt outside the key's agencies
    const identical = seen(await as(role).post('/api/v1/events', stored), { [code]: 'CODE', [stored.eventId]: 'ID' });
    const changed = seen(await as(role).post('/api/v1/events', { ...stored, applicant: { ...stored.applicant, phone: '0900000000' } }), {
      [code]: 'CODE',
      [stored.eventId]: 'ID',
    });
    expect(identical).toEqual(unknown);
    expect(changed).toEqual(unknown);
  });

  test.each(posting)("a %s key resending another agency's later event, identical or changed", async (role) => {
    const code = await dossierAt('sibling');
    const stored = ev.of('supplement_requested', code, '2025-03-18T09:00:00+07:00', { reason: 'thiếu giấy tờ' });
    expect((await province.post('/api/v1/events', stored)).status).toBe(201);
    const missing = { ...stored, eventId: randomUUID(), dossierCode: `${code}-missing` };
    const unknown = seen(await as(role).post('/api/v1/events', missing), { [missing.dossierCode]: 'CODE', [missing.eventId]: 'ID' });
    expect(unknown.status).toBe(422);
    expect(seen(await as(role).post('/api/v1/events', stored), { [code]: 'CODE', [stored.eventId]: 'ID' })).toEqual(unknown);
    expect(seen(await as(role).post('/api/v1/events', { ...stored, reason: 'khác' }), { [code]: 'CODE', [stored.eventId]: 'ID' })).toEqual(unknown);
  });

  test('in scope, a resend is acknowledged and the same id with another body is still a conflict', async () => {
    const stored = ev.received('MX-R28-OWN', AT, { receivingAgencyCode: TARGETS.own });
    expect((await as('counter').post('/api/v1/events', stored)).status).toBe(201);
    const again = await as('counter').post('/api/v1/events', stored);
    expect([again.status, again.body.results[0].status]).toEqual([200, 'duplicate']);
    const changed = await as('counter').post('/api/v1/events', { ...stored, applicant: { ...stored.applicant, phone: '0900000000' } });
    expect(changed.status).toBe(409);
    expect(changed.body.errors[0].message).toMatch(/already recorded with a different body/);
    // The province's key covers the dossier too: the same answers.
    expect((await post(t.keys.admin, '/api/v1/events', stored)).status).toBe(200);
    expect((await post(t.keys.admin, '/api/v1/events', { ...stored, channel: 'online' })).status).toBe(409);
  });

  /** A portal record of a dossier received at `agency` in March 2025 (the matrix's clock). */
  const record = (code: string, agency: string, extra: Record<string, unknown> = {}) => ({
    MaHoSo: code,
    MaTTHC: '1.004194',
    TenTTHC: 'Đăng ký tạm trú',
    ChuHoSo: 'Quàng Văn Minh',
    SoDienThoai: '0912 345 678',
    NgayTiepNhan: '20250317100000',
    NgayHenTra: '20250320100000',
    TrangThaiHoSo: 4,
    DonViXuLy: agency,
    ...extra,
  });

  test.each(posting)("a %s key resending another agency's portal record, identical, changed or older", async (role) => {
    const code = `MX-SYNC-${role}`;
    const stored = record(code, TARGETS.sibling, { NgayKetThucXuLy: '20250319150000', TrangThaiHoSo: 8 });
    expect((await post(t.keys.admin, '/api/v1/sync/dossiers', stored)).status).toBe(201);
    const unknown = seen(await as(role).post('/api/v1/sync/dossiers', { ...stored, MaHoSo: `${code}-missing` }), { [`${code}-missing`]: 'CODE' });
    expect(unknown.status).toBe(403);
    for (const resend of [stored, { ...stored, SoDienThoai: '0900 000 000' }, { ...stored, NgayTiepNhan: '20250317110000' }, record(code, TARGETS.sibling)]) {
      expect(seen(await as(role).post('/api/v1/sync/dossiers', resend), { [code]: 'CODE' })).toEqual(unknown);
    }
    // In scope the same records are still compared: unchanged, or a conflict naming the portal field.
    const again = await post(t.keys.admin, '/api/v1/sync/dossiers', stored);
    expect([again.status, again.body.results[0].status]).toEqual([200, 'unchanged']);
    const changed = await post(t.keys.admin, '/api/v1/sync/dossiers', { ...stored, SoDienThoai: '0900 000 000' });
    expect(changed.status).toBe(409);
    expect(changed.body.errors[0].path).toBe('[0].ChuHoSo / MaDoiTuong / SoDienThoai / Email');
  });
});

describe('an admin key for one ward acts for that ward only (issue 28)', () => {
  let ward: string;
  const WARD = 'SLA.TPSL.CLE';
  const OTHER_WARD = 'SLA.TPSL.THI';
  const as_ = (key: string) => ({
    get: (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${key}`),
    post: (path: string, body: unknown) =>
      request(t.app)
        .post(path)
        .set('Authorization', `Bearer ${key}`)
        .send(body as object),
  });
  beforeAll(async () => {
    ward = (await createApiKey(t.ctx.db.pool, { role: 'admin', agencyCodes: [WARD], label: 'ward admin' })).key;
  });

  test("it cannot receive at another ward, finish another agency's dossier, or list or read it", async () => {
    expect((await as_(ward).post('/api/v1/events', ev.received('MX-WARD-1', AT, { receivingAgencyCode: OTHER_WARD }))).status).toBe(403);
    expect(await stateOf('MX-WARD-1')).toBeUndefined();
    expect((await as_(ward).post('/api/v1/events', ev.received('MX-WARD-2', AT, { receivingAgencyCode: WARD }))).status).toBe(201);

    const theirs = `MX-WARD-THEIRS`;
    expect((await province.post('/api/v1/events', ev.received(theirs, AT, { receivingAgencyCode: OTHER_WARD }))).status).toBe(201);
    const before = await stateOf(theirs);
    const finish = (code: string) => as_(ward).post('/api/v1/events', ev.of('result_ready', code, '2025-03-18T09:00:00+07:00'));
    const [done, missing] = [await finish(theirs), await finish(`${theirs}-missing`)];
    expect(done.status).toBe(422);
    expect([done.body.detail.replace(theirs, 'X'), done.body.errors[0].message.replace(theirs, 'X')]).toEqual([
      missing.body.detail.replace(`${theirs}-missing`, 'X'),
      missing.body.errors[0].message.replace(`${theirs}-missing`, 'X'),
    ]);
    expect(await stateOf(theirs)).toEqual(before);

    const listed = await as_(ward).get('/api/v1/dossiers?limit=500');
    expect(listed.status).toBe(200);
    const codes = listed.body.items.map((d: { code: string }) => d.code);
    expect(codes).toContain('MX-WARD-2');
    expect(codes).not.toContain(theirs);
    expect((await as_(ward).get(`/api/v1/dossiers?agency=${OTHER_WARD}`)).status).toBe(403);
    const read = await as_(ward).get(`/api/v1/dossiers/${theirs}`);
    const readMissing = await as_(ward).get(`/api/v1/dossiers/${theirs}-missing`);
    expect([read.status, read.body.detail.replace(theirs, 'X')]).toEqual([404, readMissing.body.detail.replace(`${theirs}-missing`, 'X')]);
  });

  test("it manages the keys and supervisors of its ward only; the catalogue is the province's; the calendar stays national", async () => {
    const admin = as_(ward);
    expect((await admin.post('/api/v1/keys', { role: 'counter', agencyCodes: [OTHER_WARD], label: 'not mine' })).status).toBe(403);
    expect((await admin.post('/api/v1/keys', { role: 'admin', agencyCodes: ['SLA'], label: 'escalation' })).status).toBe(403);
    const mine = await admin.post('/api/v1/keys', { role: 'counter', agencyCodes: [WARD], label: 'ward counter' });
    expect(mine.status).toBe(201);

    const listed = (await admin.get('/api/v1/keys')).body.items as Array<{ id: string; agencyCodes: string[] }>;
    expect(listed.map((k) => k.id)).toContain(mine.body.id);
    expect(listed.every((k) => k.agencyCodes.every((a) => a === WARD))).toBe(true);

    const theirs = await createApiKey(t.ctx.db.pool, { role: 'counter', agencyCodes: [OTHER_WARD], label: 'other ward counter' });
    expect(listed.map((k) => k.id)).not.toContain(theirs.id);
    expect((await admin.post(`/api/v1/keys/${theirs.id}/revoke`, {})).status).toBe(403);
    expect((await admin.post(`/api/v1/keys/${theirs.id}/rotate`, {})).status).toBe(403);
    expect((await as_(theirs.key).get('/api/v1/dossiers')).status).toBe(200); // untouched
    expect((await admin.post(`/api/v1/keys/${mine.body.id}/revoke`, {})).status).toBe(200);

    const supervisor = { name: 'Lò Văn Sơn', email: 'son@example.vn' };
    expect((await admin.post(`/api/v1/agencies/${OTHER_WARD}/supervisors`, supervisor)).status).toBe(403);
    expect((await admin.post(`/api/v1/agencies/${WARD}/supervisors`, supervisor)).status).toBe(201);

    const catalog = (key: string) =>
      request(t.app)
        .post('/api/v1/catalog/import?dryRun=true')
        .set('Authorization', `Bearer ${key}`)
        .set('Content-Type', 'application/json')
        .send('{"agencies":[],"procedures":[]}');
    expect((await catalog(ward)).status).toBe(403);
    expect((await catalog(t.keys.admin)).status).not.toBe(403);
    expect((await admin.post('/api/v1/calendar/import?dryRun=true', { year: 2031, days: [] })).status).toBe(200);
  });
});

describe('the failed-authentication limit counts failures, and refuses only them (issue 28)', () => {
  test('after more than 60 bad keys from one address, a bad key gets 429 and every valid key still gets its answer', async () => {
    const app = createApp(t.ctx); // the default limit, with counters of its own
    const get = (key: string) => request(app).get('/api/v1/dossiers?limit=1').set('Authorization', `Bearer ${key}`);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await get(`dh_counter_bad${i}`)).status);
    expect(statuses).toEqual([...Array(60).fill(401), 429]);
    const bad = await get('dh_counter_bad-again');
    expect([bad.status, bad.body.type, bad.body.detail]).toEqual([
      429,
      'urn:dunghan:problem:too-many-requests',
      'Too many failed sign-ins or bad keys from this address; try again later.',
    ]);
    for (const role of ROLES) {
      const valid = await get(keys[role]);
      const fresh = await request(t.app).get('/api/v1/dossiers?limit=1').set('Authorization', `Bearer ${keys[role]}`);
      expect({ status: valid.status, body: valid.body }).toEqual({ status: 200, body: fresh.body });
    }
    expect((await get('dh_counter_bad-once-more')).status).toBe(429);
  });
});
