/**
 * Issue 27: Zalo's OA access token lasts about 25 hours; its refresh token is single use. The token is refreshed
 * through Zalo's OAuth v4 endpoint (played by the loopback gateway, which records every request) before it expires and
 * when Zalo refuses it, the rotated pair kept in the database so that another process, or a restart, sends with it.
 */
import { createZaloZns } from '../../src/alerts/zalo-zns.js';
import { sendersFrom } from '../../src/cli/serve.js';
import { loadConfig } from '../../src/config.js';
import { refreshingAccessToken, type ZaloOAuthConfig } from '../../src/alerts/zalo-token.js';
import type { DueMessage } from '../../src/store/outbox-store.js';
import { TestSmsGateway } from '../support/sms-gateway.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let gw: TestSmsGateway;
const ENV = { accessToken: 'oa-env-access', refreshToken: 'oa-env-refresh' };
let oauth: ZaloOAuthConfig;
beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2026-12-01T08:00:00+07:00') });
  gw = await TestSmsGateway.start();
  gw.zalo = true;
  gw.zaloValidToken = ENV.accessToken;
  // Zalo's lifetime: 90,000 s = 25 h.
  gw.zaloOAuth = { appId: '4321', secretKey: 'app-secret', refreshToken: ENV.refreshToken, expiresIn: 90_000 };
  oauth = { url: gw.oauthUrl, appId: '4321', secretKey: 'app-secret', timeoutMs: 2000, refreshBeforeMs: 3_600_000 };
});
afterAll(async () => {
  await gw.close();
  await t.close();
});

/** A process's Zalo sender: its own memory, the database shared. */
const process_ = (env = ENV, config = oauth) =>
  createZaloZns({
    url: gw.url,
    tokens: refreshingAccessToken(t.ctx.db.pool, env, config, () => t.clock.now),
    templateIds: { receipt: '301001' },
    timeoutMs: 2000,
  });
let n = 0;
const message = (): DueMessage => ({
  id: ++n,
  dedupeKey: `ZT-${n}/receipt/zalo/1`,
  kind: 'receipt',
  channel: 'zalo',
  dossierCode: `ZT-${n}`,
  recipient: '0987654321',
  subject: '',
  html: '',
  text: '',
  payload: { params: { ma_ho_so: `ZT-${n}` } },
  attempts: 0,
});
const stored = async () => (await t.ctx.db.pool.query('SELECT access_token, refresh_token, expires_at FROM zalo_tokens')).rows[0];

test('the environment’s token is used until Zalo refuses it; then refreshed once, kept, and the message sent once', async () => {
  const a = process_();
  await a.send(message());
  // Seeded from the environment, expiry unknown: no refresh yet.
  expect(gw.oauthRequests).toHaveLength(0);
  expect(await stored()).toEqual({ access_token: 'oa-env-access', refresh_token: 'oa-env-refresh', expires_at: null });

  // Zalo no longer takes it (expired): the send is refused (-124, nothing delivered), the pair refreshed, the same
  // message sent again with the new token.
  gw.zaloValidToken = 'expired-meanwhile';
  gw.zaloOAuth!.refreshToken = 'oa-env-refresh';
  const delivered = gw.delivered.length;
  const m = message();
  await a.send(m);
  expect(gw.oauthRequests.map((r) => ({ secret: r.headers.secret_key, form: r.form, answered: r.answered }))).toEqual([
    { secret: 'app-secret', form: { app_id: '4321', grant_type: 'refresh_token', refresh_token: 'oa-env-refresh' }, answered: 'rotated' },
  ]);
  expect(gw.requests.slice(-2).map((r) => [r.headers.access_token, r.answered])).toEqual([
    ['oa-env-access', 'token_refused'],
    ['oa-access-1', 'ok'],
  ]);
  expect(gw.delivered.length - delivered).toBe(1);
  // Stored: the rotated pair, expiring 25 h after now (Tue 1 Dec 2026 08:00 +07:00 → Wed 2 Dec 09:00 +07:00).
  expect(await stored()).toEqual({ access_token: 'oa-access-1', refresh_token: 'oa-refresh-1', expires_at: new Date('2026-12-02T09:00:00+07:00') });
});

test('refreshed before it expires: at 24 h (one hour before), without a refused send', async () => {
  const a = process_();
  t.clock.now = Date.parse('2026-12-02T07:59:59+07:00');
  await a.send(message());
  expect(gw.oauthRequests).toHaveLength(1); // 1 s before the margin: not yet
  t.clock.now = Date.parse('2026-12-02T08:00:00+07:00');
  await a.send(message());
  expect(gw.oauthRequests.at(-1)!.form.refresh_token).toBe('oa-refresh-1');
  expect(gw.requests.at(-1)!.headers.access_token).toBe('oa-access-2');
  expect(gw.requests.filter((r) => r.answered === 'token_refused')).toHaveLength(1); // still only the first test's
  expect(await stored()).toMatchObject({ access_token: 'oa-access-2', refresh_token: 'oa-refresh-2' });
});

test('a restart sends with the stored pair, not the spent one in the environment; two processes refresh once', async () => {
  const [b, c] = [process_(), process_()];
  await b.send(message());
  expect(gw.requests.at(-1)!.headers.access_token).toBe('oa-access-2');
  await c.send(message());
  const before = gw.oauthRequests.length;
  // Revoked under both: each is refused, each asks for a new token; the row's lock lets one refresh, the other reads it.
  gw.zaloValidToken = 'revoked';
  await Promise.all([b.send(message()), c.send(message())]);
  expect(gw.oauthRequests.length - before).toBe(1);
  expect(gw.requests.slice(-2).map((r) => [r.headers.access_token, r.answered])).toEqual([
    ['oa-access-3', 'ok'],
    ['oa-access-3', 'ok'],
  ]);
});

test('a refused refresh fails the send with a message naming no token, and changes nothing stored', async () => {
  const d = process_(ENV, { ...oauth, secretKey: 'wrong-secret' });
  gw.zaloValidToken = 'revoked-again';
  const row = await stored();
  const failure = await d.send(message()).then(
    () => null,
    (err: Error) => err.message,
  );
  expect(failure).toBe('Zalo OAuth refused the refresh: 200 error -14014 Invalid refresh token');
  expect(failure).not.toMatch(/oa-(access|refresh)/);
  expect(await stored()).toEqual(row);
});

test('a province that authorizes again and sets a new pair in the environment replaces the stored one', async () => {
  gw.zaloValidToken = 'oa-new-access';
  await process_({ accessToken: 'oa-new-access', refreshToken: 'oa-new-refresh' }).send(message());
  expect(gw.requests.at(-1)).toMatchObject({ answered: 'ok', headers: expect.objectContaining({ access_token: 'oa-new-access' }) });
  expect(await stored()).toEqual({ access_token: 'oa-new-access', refresh_token: 'oa-new-refresh', expires_at: null });
});

test('the environment: the three refresh variables together or none (a ConfigError at start), and the sender refreshes with them', async () => {
  const env = { DATA_DIR: '/tmp/dunghan-zalo-test', ZALO_ACCESS_TOKEN: 'oa-new-access', ZALO_ZNS_URL: gw.url, ZALO_TEMPLATE_IDS: '{"receipt":"301001"}' };
  expect(() => sendersFrom(loadConfig({ ...env, ZALO_APP_ID: '4321' }), t.ctx)).toThrow(/ZALO_REFRESH_TOKEN, ZALO_APP_ID and ZALO_SECRET_KEY are set together/);
  const senders = sendersFrom(
    loadConfig({ ...env, ZALO_REFRESH_TOKEN: 'oa-new-refresh', ZALO_APP_ID: '4321', ZALO_SECRET_KEY: 'app-secret', ZALO_OAUTH_URL: gw.oauthUrl }),
    t.ctx,
  );
  // The stored pair is the environment's (the previous test): revoked, the sender refreshes it through ZALO_OAUTH_URL.
  gw.zaloValidToken = 'revoked-once-more';
  gw.zaloOAuth!.refreshToken = 'oa-new-refresh';
  const before = gw.oauthRequests.length;
  await senders.zalo!.send(message());
  expect(gw.oauthRequests.length - before).toBe(1);
  expect(gw.requests.at(-1)).toMatchObject({ answered: 'ok' });
});
