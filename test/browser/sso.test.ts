/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider) started here on loopback, in Chromium
 * (issue 28 item 2): a person with an account signs in at the provider, lands on their own page, signs out of both;
 * a person the province has not granted access gets a clear Vietnamese page (403, not a 500); one whose roles and
 * agency the provider's claims carry gets an account. Forged state, nonce or issuer, a replayed callback, an expired
 * code and an ID token signed by another key: a 4xx page and no session.
 */
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApp } from '../../src/http/app.js';
import { createPerson } from '../../src/store/people.js';
import { launchChromium } from '../support/browser.js';
import { freePort } from '../support/free-port.js';
import { startProvider, type TestProvider } from '../support/oidc-provider.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const SECRET = 'the client secret the province issued to dunghan';
const ACCOUNTS = {
  lan: { email: 'lan.lt@sonla.gov.vn', name: 'Lò Thị Lan' },
  stranger: { email: 'khach@example.vn', name: 'Người ngoài' },
  // The province's directory grants this one a role and an agency in the claims; no account here yet.
  tuan: { email: 'tuan.hv@sonla.gov.vn', name: 'Hà Văn Tuấn', dunghan_roles: ['counter', 'not-a-role'], dunghan_agencies: ['SLA.TPSL.CLE', 'NOWHERE'] },
};

let t: TestApp;
let base: string;
let server: Server;
let providerPort: number;
let provider: TestProvider;
let browser: Browser;
/** What the service logged (refused callbacks say why; never a token or a code). */
const warnings: string[] = [];

beforeAll(async () => {
  const appPort = await freePort();
  providerPort = await freePort();
  base = `http://127.0.0.1:${appPort}`;
  t = await createTestApp({ publicUrl: base });
  await createPerson(t.ctx.db.pool, { name: 'Lò Thị Lan', email: 'LAN.LT@sonla.gov.vn', roles: ['supervisor'], agencyCodes: ['SLA.TPSL'] }, null);
  provider = await startProvider({ port: providerPort, appBase: base, clientSecret: SECRET, accounts: ACCOUNTS });
  const app = createApp(t.ctx, {
    logger: pino({ level: 'warn' }, new Writable({ write: (chunk, _enc, cb) => (warnings.push(String(chunk)), cb()) })),
    oidc: {
      issuer: provider.issuer,
      clientId: 'dunghan',
      clientSecret: SECRET,
      matchClaim: 'email',
      rolesClaim: 'dunghan_roles',
      agenciesClaim: 'dunghan_agencies',
      scopes: 'openid email profile dunghan',
      label: 'Đăng nhập bằng tài khoản dùng chung của tỉnh',
    },
  });
  server = await new Promise((resolve) => {
    const s = app.listen(appPort, '127.0.0.1', () => resolve(s));
  });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await provider?.close();
  await new Promise((r) => server?.close(r));
  await t?.close();
});

const sessionsOf = async (email: string) =>
  (
    await t.ctx.db.pool.query(
      "SELECT count(*)::int AS n FROM web_sessions s JOIN people p ON p.id = s.person_id WHERE lower(p.email) = lower($1) AND s.method = 'oidc'",
      [email],
    )
  ).rows[0].n;

/** From our sign-in page through the provider's form (any password) and consent, up to the callback. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.click('#sso-login');
  await page.waitForURL(new RegExp(`^http://127\\.0\\.0\\.1:${providerPort}/interaction/`));
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'mật khẩu ở nhà cung cấp');
  await page.click('button[type=submit]');
  // The consent screen, the first time an account meets this client; or straight back to the service.
  const next = await Promise.race([
    page.waitForSelector('input[name=prompt][value=consent]', { state: 'attached' }).then(() => 'consent'),
    page.waitForURL((u) => u.href.startsWith(base)).then(() => 'back'),
  ]);
  if (next === 'consent') await page.click('button[type=submit]');
}

/**
 * Runs `change` on the callback's URL before the browser reaches the service: what an attacker could send. The
 * provider's redirects are taken here one by one (a browser follows a redirect without letting a route see the next
 * hop) and each is answered as a page that moves on by itself, so the hop to the callback can be rewritten.
 */
async function tamperCallback(context: BrowserContext, change: (url: URL) => void | Promise<void>): Promise<void> {
  await context.route(`http://127.0.0.1:${providerPort}/**`, async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    const location = response.headers().location;
    if (response.status() < 300 || response.status() >= 400 || !location) return route.fulfill({ response });
    const target = new URL(location, route.request().url());
    if (target.href.startsWith(`${base}/sso/callback`)) await change(target);
    const { location: _moved, 'content-length': _length, ...headers } = response.headers();
    await route.fulfill({
      status: 200,
      headers: { ...headers, 'content-type': 'text/html' },
      body: `<meta http-equiv="refresh" content="0;url=${target.href.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`,
    });
  });
}

test("sign in at the province's provider, land on one's own page, sign out of both", async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signInAtProvider(page, 'lan');
  await page.waitForURL(`${base}/my-work`);
  // Matched by the e-mail claim, whatever its case; the account's roles are the admin's (no role claim for her).
  expect(await page.textContent('#signed-in')).toContain('Lò Thị Lan (lãnh đạo)');
  expect(await sessionsOf('lan.lt@sonla.gov.vn')).toBe(1);
  const cookie = (await context.cookies()).find((c) => c.name === 'dunghan_session')!;
  expect([cookie.httpOnly, cookie.sameSite]).toEqual([true, 'Strict']);

  // Sign-out ends our session and goes on to the provider's, which asks to confirm and returns to our sign-in page.
  await page.click('#logout');
  await page.waitForURL(new RegExp(`^http://127\\.0\\.0\\.1:${providerPort}/session/end`));
  await page.click('button[autofocus], button[name=logout], form button');
  await page.waitForURL(`${base}/login`);
  expect((await t.ctx.db.pool.query("SELECT count(*)::int AS n FROM web_sessions WHERE method = 'oidc' AND revoked_at IS NULL")).rows[0].n).toBe(0);
  // The provider's session ended too: the next sign-in asks for the login again.
  await page.click('#sso-login');
  await page.waitForURL(new RegExp(`^http://127\\.0\\.0\\.1:${providerPort}/interaction/`));
  expect(await page.locator('input[name=login]').count()).toBe(1);
  await context.close();
});

test('a person the province has not granted access lands on a clear Vietnamese page, not a 500, with no session', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const answers: number[] = [];
  page.on('response', (r) => r.url().startsWith(`${base}/sso/callback`) && answers.push(r.status()));
  await signInAtProvider(page, 'stranger');
  await page.waitForSelector('#sso-heading');
  expect(answers).toEqual([403]);
  expect(await page.textContent('#sso-heading')).toBe('Chưa được cấp quyền sử dụng');
  expect(await page.textContent('#sso-detail')).toContain('chưa được cấp quyền sử dụng hệ thống Đúng hạn');
  expect((await context.cookies()).some((c) => c.name === 'dunghan_session')).toBe(false);
  expect((await t.ctx.db.pool.query("SELECT count(*)::int AS n FROM people WHERE email = 'khach@example.vn'")).rows[0].n).toBe(0);
  await context.close();
});

test('roles and an agency carried by the claims give an account; values that are not ours are dropped', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAtProvider(page, 'tuan');
  await page.waitForURL(`${base}/my-work`);
  expect(await page.textContent('#signed-in')).toContain('Hà Văn Tuấn (cán bộ một cửa)');
  const { rows } = await t.ctx.db.pool.query("SELECT roles, agency_codes FROM people WHERE email = 'tuan.hv@sonla.gov.vn'");
  expect(rows).toEqual([{ roles: ['counter'], agency_codes: ['SLA.TPSL.CLE'] }]);
  await context.close();
});

describe('forged, replayed or expired callbacks: a 4xx page and no session', () => {
  /** Signs in as Lan with `tamper` applied to the callback; answers the callback's status and whether a session opened. */
  async function attempt(
    tamper: (url: URL) => void | Promise<void>,
    before?: () => void | Promise<void>,
  ): Promise<{ status: number; heading: string; session: boolean; sessions: number; reason: string }> {
    const context = await browser.newContext();
    const logged = warnings.length;
    const page = await context.newPage();
    const opened = await sessionsOf('lan.lt@sonla.gov.vn');
    await tamperCallback(context, async (url) => {
      await before?.();
      await tamper(url);
    });
    const statuses: number[] = [];
    page.on('response', (r) => r.url().startsWith(`${base}/sso/callback`) && statuses.push(r.status()));
    await signInAtProvider(page, 'lan');
    await page.waitForSelector('#sso-heading', { timeout: 15_000 });
    const result = {
      status: statuses[0]!,
      heading: (await page.textContent('#sso-heading'))!,
      session: (await context.cookies()).some((c) => c.name === 'dunghan_session'),
      sessions: (await sessionsOf('lan.lt@sonla.gov.vn')) - opened,
      // Why the service refused, as it logged it (what openid-client found wrong).
      reason: warnings
        .slice(logged)
        .map((w) => JSON.parse(w).reason)
        .filter(Boolean)
        .join(' | '),
    };
    await context.close();
    return result;
  }
  const refused = (reason: string) => ({ status: 400, heading: 'Đăng nhập không thành công', session: false, sessions: 0, reason });

  test('a state other than the one this browser was sent with', async () => {
    expect(await attempt((url) => void url.searchParams.set('state', 'forged-state'))).toEqual(
      refused('OAUTH_INVALID_RESPONSE: unexpected "state" response parameter value'),
    );
  });

  test("an issuer other than the province's in the response (RFC 9207 iss)", async () => {
    expect(await attempt((url) => void url.searchParams.set('iss', 'http://127.0.0.1:1/other-provider'))).toEqual(
      refused('OAUTH_INVALID_RESPONSE: unexpected "iss" (issuer) response parameter value'),
    );
  });

  test('an ID token whose nonce is not the one this sign-in sent', async () => {
    // The provider signs the nonce it was given; the service expects another (as when a token of another sign-in is
    // injected): the expected value is changed where the service keeps it.
    expect(
      await attempt(
        () => undefined,
        async () => void (await t.ctx.db.pool.query("UPDATE sso_logins SET nonce = 'another-nonce' WHERE used_at IS NULL")),
      ),
    ).toEqual(refused('OAUTH_JWT_CLAIM_COMPARISON_FAILED: unexpected ID Token "nonce" claim value'));
  });

  test('an expired authorization code', async () => {
    // The provider refuses the code at its token endpoint (invalid_grant).
    expect(
      await attempt(
        () => undefined,
        () => provider.expireAuthorizationCodes(),
      ),
    ).toEqual(refused('OAUTH_RESPONSE_BODY_ERROR: invalid_grant: server responded with an error in the response body'));
  });

  test('a callback replayed: used once, then refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let callback = '';
    page.on('request', (r) => r.url().startsWith(`${base}/sso/callback`) && (callback = r.url()));
    await signInAtProvider(page, 'lan');
    await page.waitForURL(`${base}/my-work`);
    const fresh = await browser.newContext();
    const replay = await fresh.newPage();
    const res = await replay.goto(callback);
    expect(res!.status()).toBe(400);
    expect((await fresh.cookies()).some((c) => c.name === 'dunghan_session')).toBe(false);
    await Promise.all([fresh.close(), context.close()]);
  });

  test("an ID token signed by another key under the provider's key id", async () => {
    // The service has the province's keys from the sign-ins above. Another provider takes the same address and
    // issuer and signs with a key of its own under the same key id: its token's signature does not verify.
    await provider.close();
    provider = await startProvider({ port: providerPort, appBase: base, clientSecret: SECRET, accounts: ACCOUNTS });
    expect(await attempt(() => undefined)).toEqual(refused('OAUTH_INVALID_RESPONSE: JWT signature verification failed'));
  });
});
