/**
 * Staff accounts (issue 28 items 1 and 3): an admin creates a person (API, page, CLI), the person sets a first
 * password through a one-time link, signs in with it and acts under their own name (events, apologies, reads), changes
 * it, is locked out after repeated failures, and when deactivated loses every session at once. Keys stop opening web
 * sessions once accounts exist, unless the setting keeps the old behaviour. Every form that changes something is
 * refused without its CSRF token.
 */
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/http/app.js';
import { sessionCsrfToken } from '../../src/http/csrf.js';
import { REDACT } from '../../src/observability/logger.js';
import { createApiKey } from '../../src/store/api-keys.js';
import { anonymousCsrf, createTestApp, signIn, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const q = async (sql: string, params: unknown[] = []) => (await t.ctx.db.pool.query(sql, params)).rows;
const admin = {
  get: (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${t.keys.admin}`),
  post: (path: string, body: object = {}) => request(t.app).post(path).set('Authorization', `Bearer ${t.keys.admin}`).send(body),
  patch: (path: string, body: object) => request(t.app).patch(path).set('Authorization', `Bearer ${t.keys.admin}`).send(body),
};
/** The token of a one-time link. */
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;
/** Posts the first-password form as the browser would, with the double-submit token. */
const setPassword = (token: string, password: string, confirm = password) => {
  const csrf = anonymousCsrf();
  return request(t.app)
    .post('/password/set')
    .set('Cookie', csrf.cookie)
    .type('form')
    .send({ token, password, confirm, ...csrf.field });
};
const login = (app: Parameters<typeof request>[0], body: object) => {
  const csrf = anonymousCsrf();
  return request(app)
    .post('/login')
    .set('Cookie', csrf.cookie)
    .type('form')
    .send({ ...body, ...csrf.field });
};
/** A person acting through their session: pages with the cookie, changes with the page's token too. */
const as = (session: string) => ({
  get: (path: string) => request(t.app).get(path).set('Cookie', `dunghan_session=${session}`),
  form: (path: string, body: object) =>
    request(t.app)
      .post(path)
      .set('Cookie', `dunghan_session=${session}`)
      .type('form')
      .send({ ...body, _csrf: sessionCsrfToken(session) }),
  api: (path: string, body: object) =>
    request(t.app).post(path).set('Cookie', `dunghan_session=${session}`).set('X-CSRF-Token', sessionCsrfToken(session)).send(body),
});

const PASSWORD = 'Sơn La mùa hoa ban nở';
let lan: { id: string; link: string };

test('an admin creates a person; the answer carries a one-time link, never a password; the address is unique whatever its case', async () => {
  // While nobody has an account, a key still opens a web session (a new installation's first sign-in).
  expect((await login(t.app, { key: t.keys.auditor, next: '/' })).status).toBe(303);

  const res = await admin.post('/api/v1/users', {
    name: 'Lò Thị Lan',
    email: 'lan.lt@sonla.gov.vn',
    roles: ['supervisor', 'counter'],
    agencyCodes: ['SLA.TPSL'],
  });
  expect(res.status).toBe(201);
  expect(res.headers['cache-control']).toBe('no-store');
  // Roles are kept in the one order they are listed everywhere.
  expect(res.body).toMatchObject({
    name: 'Lò Thị Lan',
    email: 'lan.lt@sonla.gov.vn',
    roles: ['counter', 'supervisor'],
    agencyCodes: ['SLA.TPSL'],
    deactivatedAt: null,
    hasPassword: false,
    passwordLinkHours: 72,
  });
  expect(res.body.passwordLink).toMatch(/^http:\/\/dunghan\.test\/password\/set\?token=[A-Za-z0-9_-]{43}$/);
  lan = { id: res.body.id, link: res.body.passwordLink };
  // Only the token's hash is stored.
  expect(await q('SELECT 1 FROM password_tokens WHERE token_hash = $1', [tokenOf(lan.link)])).toEqual([]);

  const again = await admin.post('/api/v1/users', { name: 'Lan khác', email: 'LAN.LT@sonla.gov.vn', roles: ['counter'], agencyCodes: ['SLA.TPSL'] });
  expect([again.status, again.body.errors]).toEqual([409, [{ path: 'email', message: 'already used by another account' }]]);
  const unknown = await admin.post('/api/v1/users', { name: 'A', email: 'a@sonla.gov.vn', roles: ['counter'], agencyCodes: ['SLA.TPSL', 'SLA.NOPE'] });
  expect([unknown.status, unknown.body.errors]).toEqual([422, [{ path: 'agencyCodes[1]', message: 'unknown agency' }]]);
  const shape = await admin.post('/api/v1/users', { name: '', email: 'not-an-address', roles: ['clerk'], agencyCodes: [] });
  expect(shape.status).toBe(400);
  expect(shape.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['agencyCodes', 'email', 'name', 'roles[0]']);
  expect((await q("SELECT count(*)::int AS n FROM people WHERE email <> 'lan.lt@sonla.gov.vn'"))[0].n).toBe(0);

  const list = await admin.get('/api/v1/users');
  expect(list.body.items.map((p: { email: string }) => p.email)).toEqual(['lan.lt@sonla.gov.vn']);
  expect(JSON.stringify(list.body)).not.toMatch(/password_hash|scrypt/);
});

test('the first password through the link: a short one is refused next to its field; the link works once', async () => {
  const token = tokenOf(lan.link);
  const form = await request(t.app).get(`/password/set?token=${token}`);
  expect(form.status).toBe(200);
  expect(form.text).toContain('Lò Thị Lan');

  const short = await setPassword(token, 'ngắn');
  expect(short.status).toBe(422);
  expect(short.text).toMatch(/id="password-error">Mật khẩu phải có ít nhất 10 ký tự\./);
  const mismatch = await setPassword(token, PASSWORD, `${PASSWORD}!`);
  expect(mismatch.text).toMatch(/id="confirm-error">Hai lần nhập mật khẩu không khớp\./);
  expect((await q('SELECT password_hash FROM people WHERE id = $1', [lan.id]))[0].password_hash).toBeNull();

  const done = await setPassword(token, PASSWORD);
  expect([done.status, done.headers.location]).toEqual([303, '/login?done=password']);
  const [row] = await q('SELECT password_hash FROM people WHERE id = $1', [lan.id]);
  // scrypt, N = 2^15, r = 8, p = 1, a 16-byte salt and a 32-byte key, base64url (22 and 43 characters).
  expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  expect(row.password_hash).not.toContain(PASSWORD);

  const reused = await setPassword(token, 'một mật khẩu khác hẳn');
  expect(reused.status).toBe(410);
  expect(reused.text).toContain('Liên kết đặt mật khẩu không còn hiệu lực');
  expect((await request(t.app).get(`/password/set?token=${token}`)).status).toBe(410);
});

test('once accounts exist a key no longer opens a web session, unless KEY_WEB_SIGN_IN=on keeps the old behaviour', async () => {
  const refused = await login(t.app, { key: t.keys.auditor, next: '/' });
  expect(refused.status).toBe(401);
  expect(refused.text).toContain('Khóa truy cập chỉ dùng cho phần mềm kết nối');
  expect(String(refused.headers['set-cookie'] ?? '')).not.toContain('dunghan_session=');
  // The form no longer offers the key field.
  expect((await request(t.app).get('/login')).text).not.toContain('name="key"');
  expect((await login(createApp(t.ctx, { keyWebSignIn: 'on' }), { key: t.keys.auditor, next: '/' })).status).toBe(303);
  // Keys keep working for software.
  expect((await request(t.app).get('/api/v1/dossiers').set('Authorization', `Bearer ${t.keys.auditor}`)).status).toBe(200);
});

test('a person signs in with e-mail and password, lands on their page, and everything they do records them', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
  const app = createApp(t.ctx, { logger: pino({ level: 'debug', redact: { paths: REDACT, censor: '[redacted]' } }, sink) });
  const wrong = await login(app, { email: 'lan.lt@sonla.gov.vn', password: 'sai mật khẩu rồi', next: '/' });
  expect(wrong.status).toBe(401);
  expect(wrong.text).toContain('Địa chỉ thư điện tử hoặc mật khẩu không đúng.');
  // An unknown address gets the same answer (no account is revealed).
  expect((await login(app, { email: 'nobody@sonla.gov.vn', password: 'sai mật khẩu rồi' })).text).toContain('Địa chỉ thư điện tử hoặc mật khẩu không đúng.');
  const ok = await login(app, { email: 'LAN.LT@sonla.gov.vn', password: PASSWORD, next: '/' });
  // A person lands on what is theirs to do (issue 28 item 5).
  expect([ok.status, ok.headers.location]).toEqual([303, '/my-work']);
  // Neither password is in the logs.
  expect(lines.join('\n')).not.toMatch(/sai mật khẩu|mùa hoa ban/);
  const session = await signIn(t.app, { email: 'lan.lt@sonla.gov.vn', password: PASSWORD });
  const lan_ = as(session);

  const dash = await lan_.get('/dashboard');
  expect(dash.status).toBe(200);
  expect(dash.text).toMatch(/<a href="\/account" id="account-link">Lò Thị Lan<\/a> \(cán bộ một cửa, lãnh đạo\)/);

  // An event through the API with the session (a page's script): the person and the roles they held are recorded.
  const e = ev.received('PPL-1', '2025-03-17T10:00:00+07:00', { receivingAgencyCode: 'SLA.TPSL' });
  expect((await request(t.app).post('/api/v1/events').set('Cookie', `dunghan_session=${session}`).send(e)).status).toBe(403); // no CSRF header
  expect(await q("SELECT 1 FROM dossiers WHERE code = 'PPL-1'")).toEqual([]);
  expect((await lan_.api('/api/v1/events', e)).status).toBe(201);
  expect(await q('SELECT key_id, key_role FROM dossier_events WHERE event_id = $1', [e.eventId])).toEqual([{ key_id: lan.id, key_role: 'counter,supervisor' }]);
  // The actors view names whom the id is.
  expect(await q('SELECT a.kind, a.name FROM dossier_events e JOIN actors a ON a.id = e.key_id WHERE e.event_id = $1', [e.eventId])).toEqual([
    { kind: 'person', name: 'Lò Thị Lan' },
  ]);

  // The dossier page and a letter: each read logged under the person.
  expect((await lan_.get('/dossiers/PPL-1')).status).toBe(200);
  expect((await lan_.get('/letters/PPL-1/receipt')).status).toBe(200);
  expect(await q("SELECT key_id, role, via FROM personal_data_reads WHERE dossier_code = 'PPL-1' ORDER BY id")).toEqual([
    { key_id: lan.id, role: 'counter,supervisor', via: 'page:dossier' },
    { key_id: lan.id, role: 'counter,supervisor', via: 'letter:receipt' },
  ]);

  // The apology's draft through the page's form: refused without the token, recorded under the person with it (as
  // the actor of the event and as its `by`, the drafter the approval checks against).
  const noToken = await request(t.app)
    .post('/dossiers/PPL-1/letters/apology/draft')
    .set('Cookie', `dunghan_session=${session}`)
    .type('form')
    .send({ reason: 'Cần xác minh', extraWorkingDays: '2' });
  expect(noToken.status).toBe(403);
  expect(noToken.text).toContain('Biểu mẫu đã hết hạn hoặc không được gửi từ trang của hệ thống');
  const forged = await request(t.app)
    .post('/dossiers/PPL-1/letters/apology/draft')
    .set('Cookie', `dunghan_session=${session}`)
    .type('form')
    .send({ reason: 'Cần xác minh', extraWorkingDays: '2', _csrf: sessionCsrfToken('another session') });
  expect(forged.status).toBe(403);
  expect(await q("SELECT 1 FROM dossier_events WHERE dossier_code = 'PPL-1' AND type LIKE 'letter_%'")).toEqual([]);
  expect((await lan_.form('/dossiers/PPL-1/letters/apology/draft', { reason: 'Cần xác minh', extraWorkingDays: '2' })).status).toBe(303);
  expect(await q("SELECT key_id, key_role, body->>'by' AS by FROM dossier_events WHERE dossier_code = 'PPL-1' AND type = 'letter_drafted'")).toEqual([
    { key_id: lan.id, key_role: 'counter,supervisor', by: lan.id },
  ]);
  // Logging out needs the token too: a cross-site post cannot sign a person out.
  expect((await request(t.app).post('/logout').set('Cookie', `dunghan_session=${session}`)).status).toBe(403);
  expect((await lan_.get('/dashboard')).status).toBe(200);
});

test('a person changes their password: the current one is asked, other sessions end, this one stays', async () => {
  const mine = await signIn(t.app, { email: 'lan.lt@sonla.gov.vn', password: PASSWORD });
  const other = await signIn(t.app, { email: 'lan.lt@sonla.gov.vn', password: PASSWORD });
  const wrong = await as(mine).form('/account/password', { current: 'không phải mật khẩu', password: 'mật khẩu mới dài hơn', confirm: 'mật khẩu mới dài hơn' });
  expect(wrong.status).toBe(422);
  expect(wrong.text).toMatch(/id="current-error">Mật khẩu hiện tại không đúng\./);
  const changed = await as(mine).form('/account/password', { current: PASSWORD, password: 'mật khẩu mới dài hơn', confirm: 'mật khẩu mới dài hơn' });
  expect([changed.status, changed.headers.location]).toEqual([303, '/account?changed=1']);
  expect((await as(mine).get('/account')).status).toBe(200);
  expect((await as(other).get('/account')).status).toBe(302);
  expect((await login(t.app, { email: 'lan.lt@sonla.gov.vn', password: PASSWORD })).status).toBe(401);
  expect((await login(t.app, { email: 'lan.lt@sonla.gov.vn', password: 'mật khẩu mới dài hơn' })).status).toBe(303);
  // A key's session has no password to change.
  const keySession = await signIn(createApp(t.ctx, { keyWebSignIn: 'on' }), t.keys.supervisor);
  expect((await as(keySession).get('/account')).status).toBe(403);
});

test('after 3 wrong passwords in a row (the limit set here) the account is locked, even for the right one; a reset link unlocks it', async () => {
  const app = createApp(t.ctx, { lockout: { attempts: 3, minutes: 15 }, loginAttempts: 100 });
  const created = await admin.post('/api/v1/users', { name: 'Quàng Văn Tú', email: 'tu.qv@sonla.gov.vn', roles: ['counter'], agencyCodes: ['SLA.TPSL.CLE'] });
  expect((await setPassword(tokenOf(created.body.passwordLink), PASSWORD)).status).toBe(303);
  const attempt = (password: string) => login(app, { email: 'tu.qv@sonla.gov.vn', password });
  expect((await attempt('sai lần thứ nhất')).text).toContain('mật khẩu không đúng');
  expect((await attempt('sai lần thứ hai')).text).toContain('mật khẩu không đúng');
  expect((await attempt('sai lần thứ ba')).text).toContain('Tài khoản tạm khóa vì nhập sai mật khẩu 3 lần liên tiếp: thử lại sau 15 phút');
  const right = await attempt(PASSWORD);
  expect(right.status).toBe(401);
  expect(right.text).toContain('Tài khoản tạm khóa');
  // The admin sends a new link (a reset): setting the password lifts the lock.
  const reset = await admin.post(`/api/v1/users/${created.body.id}/password-link`);
  expect(reset.status).toBe(201);
  // The first link was used; the new one replaces any other still unused.
  expect((await setPassword(tokenOf(reset.body.passwordLink), 'mật khẩu sau khi đặt lại')).status).toBe(303);
  expect((await attempt('mật khẩu sau khi đặt lại')).status).toBe(303);
});

test('a deactivated person: every session ends at once, sign-in and links are refused; the record stays', async () => {
  const session = await signIn(t.app, { email: 'lan.lt@sonla.gov.vn', password: 'mật khẩu mới dài hơn' });
  const pending = await admin.post(`/api/v1/users/${lan.id}/password-link`);
  expect((await as(session).get('/dashboard')).status).toBe(200);
  const res = await admin.post(`/api/v1/users/${lan.id}/deactivate`);
  expect(res.body).toEqual({ id: lan.id, deactivated: true });
  const after = await as(session).get('/dashboard');
  expect([after.status, after.headers.location]).toEqual([302, '/login?next=%2Fdashboard']);
  expect((await as(session).api('/api/v1/events', ev.of('result_ready', 'PPL-1', '2025-03-19T09:00:00+07:00'))).status).toBe(401);
  expect((await login(t.app, { email: 'lan.lt@sonla.gov.vn', password: 'mật khẩu mới dài hơn' })).status).toBe(401);
  expect((await setPassword(tokenOf(pending.body.passwordLink), 'mật khẩu sau khi nghỉ')).status).toBe(410);
  expect((await admin.post(`/api/v1/users/${lan.id}/deactivate`)).status).toBe(422);
  expect((await admin.patch(`/api/v1/users/${lan.id}`, { roles: ['admin'] })).status).toBe(422);
  // Never deleted: the events still name her.
  const [row] = await q('SELECT p.name, p.deactivated_at IS NOT NULL AS off FROM people p WHERE p.id = $1', [lan.id]);
  expect(row).toEqual({ name: 'Lò Thị Lan', off: true });
});

test('an admin of one ward manages the people of that ward only; an admin never deactivates itself', async () => {
  const ward = (await createApiKey(t.ctx.db.pool, { role: 'admin', agencyCodes: ['SLA.TPSL.CLE'], label: 'ward admin' })).key;
  const post = (path: string, body: object = {}) => request(t.app).post(path).set('Authorization', `Bearer ${ward}`).send(body);
  const outside = await post('/api/v1/users', { name: 'B', email: 'b@sonla.gov.vn', roles: ['counter'], agencyCodes: ['SLA.TPSL.THI'] });
  expect([outside.status, outside.body.errors]).toEqual([403, [{ path: 'agencyCodes[0]', message: 'outside your agencies' }]]);
  const district = (await admin.post('/api/v1/users', { name: 'Cầm Văn Đức', email: 'duc@sonla.gov.vn', roles: ['supervisor'], agencyCodes: ['SLA.TPSL'] }))
    .body;
  // A person of the district is not the ward's: unknown to it.
  const [theirs, missing] = [
    await post(`/api/v1/users/${district.id}/deactivate`),
    await post('/api/v1/users/00000000-0000-4000-8000-000000000000/deactivate'),
  ];
  expect([theirs.status, missing.status]).toEqual([404, 404]);
  const listed = await request(t.app).get('/api/v1/users').set('Authorization', `Bearer ${ward}`);
  expect(listed.body.items.map((p: { email: string }) => p.email)).toEqual(['tu.qv@sonla.gov.vn']);
  const widen = await request(t.app)
    .patch(`/api/v1/users/${listed.body.items[0].id}`)
    .set('Authorization', `Bearer ${ward}`)
    .send({ agencyCodes: ['SLA'] });
  expect(widen.status).toBe(403);

  const boss = (await admin.post('/api/v1/users', { name: 'Hà Thị Mai', email: 'mai@sonla.gov.vn', roles: ['admin'], agencyCodes: ['SLA'] })).body;
  expect((await setPassword(tokenOf(boss.passwordLink), PASSWORD)).status).toBe(303);
  const session = await signIn(t.app, { email: 'mai@sonla.gov.vn', password: PASSWORD });
  const self = await as(session).api(`/api/v1/users/${boss.id}/deactivate`, {});
  expect([self.status, self.body.errors]).toEqual([422, [{ path: 'id', message: 'your own account' }]]);
});

test('the admin page: create a person (the link shown once), errors next to their fields with what was typed kept, deactivate', async () => {
  const boss = await signIn(t.app, { email: 'mai@sonla.gov.vn', password: PASSWORD });
  const page = await as(boss).get('/admin/users');
  expect(page.status).toBe(200);
  expect(page.text).toContain('Cầm Văn Đức');

  const bad = await as(boss).form('/admin/users', { name: 'Điêu Chính Tươi', email: 'tuoi@', roles: 'counter' });
  expect(bad.status).toBe(422);
  expect(bad.text).toMatch(/id="email-error">Nhập một địa chỉ thư điện tử hợp lệ\./);
  expect(bad.text).toMatch(/id="agencies-error">Chọn ít nhất một đơn vị\./);
  expect(bad.text).toContain('value="Điêu Chính Tươi"');
  expect(bad.text).toMatch(/value="counter" checked/);

  const made = await as(boss).form('/admin/users', {
    name: 'Điêu Chính Tươi',
    email: 'tuoi@sonla.gov.vn',
    roles: ['counter', 'auditor'],
    agencyCodes: 'SLA.TPSL.CLE',
  });
  expect(made.status).toBe(201);
  const link = /id="password-link">([^<]+)</.exec(made.text)![1]!.replace(/&#x3D;/g, '=');
  expect((await request(t.app).get(new URL(link).pathname + new URL(link).search)).status).toBe(200);
  const [tuoi] = await q("SELECT id, roles, agency_codes FROM people WHERE email = 'tuoi@sonla.gov.vn'");
  expect(tuoi).toMatchObject({ roles: ['counter', 'auditor'], agency_codes: ['SLA.TPSL.CLE'] });

  const off = await as(boss).form(`/admin/users/${tuoi.id}/deactivate`, {});
  expect(off.status).toBe(200);
  expect(off.text).toContain('Đã ngừng hoạt động tài khoản Điêu Chính Tươi');
  expect((await request(t.app).post(`/admin/users/${tuoi.id}/deactivate`).set('Cookie', `dunghan_session=${boss}`).type('form').send({})).status).toBe(403);
});

test('the CLI creates, lists and deactivates people and prints a new password link; bad arguments exit 2', async () => {
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, ['bin/dunghan.js', ...args], {
      env: { ...process.env, DATABASE_URL: t.url, PUBLIC_URL: 'https://dunghan.sonla.gov.vn' },
    });
  const { stdout } = await cli(['users', 'create', '--name', 'Lường Văn Nam', '--email', 'nam@sonla.gov.vn', '--role', 'counter', '--agency', 'SLA.MCH']);
  const [id, link] = stdout.trim().split('\n');
  expect(link).toMatch(/^https:\/\/dunghan\.sonla\.gov\.vn\/password\/set\?token=[A-Za-z0-9_-]{43}$/);
  const listed = JSON.parse((await cli(['users', 'list', '--json'])).stdout);
  expect(listed.find((p: { id: string }) => p.id === id)).toMatchObject({
    name: 'Lường Văn Nam',
    roles: ['counter'],
    agencyCodes: ['SLA.MCH'],
    hasPassword: false,
  });
  const fresh = (await cli(['users', 'password-link', id!])).stdout.trim();
  expect(fresh).not.toBe(link);
  expect((await setPassword(tokenOf(link!), PASSWORD)).status).toBe(410); // replaced by the new one
  expect((await cli(['users', 'deactivate', id!])).stdout).toContain(`deactivated ${id}`);
  for (const args of [
    ['users', 'create', '--name', 'X', '--email', 'x@sonla.gov.vn', '--role', 'clerk', '--agency', 'SLA'],
    ['users', 'create', '--name', 'X', '--email', 'nam@sonla.gov.vn', '--role', 'counter', '--agency', 'SLA'],
  ]) {
    await expect(cli(args)).rejects.toMatchObject({ code: 2 });
  }
});
