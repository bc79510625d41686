/**
 * Single sign-on with the province's OpenID Connect provider: the authorization code flow with PKCE (S256), state
 * and nonce. `/sso/login` sends the browser to the provider with a binding cookie of its own (SameSite=Lax: the
 * provider's redirect back is a cross-site navigation); `/sso/callback` takes the attempt once, lets openid-client
 * check state, issuer, the code (exchanged with the client secret and the PKCE verifier), the ID token's signature,
 * audience, expiry and nonce, then finds the person by the configured claim. A person the province has not granted
 * access (no account and no roles in the claims, or a deactivated account) gets a Vietnamese page saying so (403);
 * anything forged, replayed or expired a 400 page; neither opens a session.
 */
import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import * as oidc from 'openid-client';
import type { AppContext } from '../../app-context.js';
import { readClaims } from '../../accounts/sso-claims.js';
import { createPerson, findPersonByEmail, updatePerson, type Person } from '../../store/people.js';
import { startSsoLogin, takeSsoLogin } from '../../store/sso-logins.js';
import { openSession, SESSION_HOURS } from '../../store/web-sessions.js';
import { renderPage } from '../../views/render.js';
import { cookie, SESSION_COOKIE } from '../auth.js';
import type { OidcClient } from '../oidc-client.js';
import { PERSON_HOME } from '../page-auth.js';
import { safeNext } from '../safe-next.js';

const BINDING_COOKIE = 'dunghan_sso';

export function ssoRouter(ctx: AppContext, client: OidcClient, options: { logger?: { warn: (o: object, m: string) => void } } = {}): Router {
  const router = Router();
  const secure = ctx.publicUrl.startsWith('https:');
  const redirectUri = `${ctx.publicUrl.replace(/\/+$/, '')}/sso/callback`;
  const year = () => new Date(ctx.now()).getUTCFullYear();

  const refuse = (res: Response, status: number, heading: string, detail: string) =>
    res
      .status(status)
      .type('html')
      .send(renderPage('sso-refused', { title: heading, heading, detail, status, currentYear: year() }));

  router.get('/sso/login', async (req, res) => {
    let config: oidc.Configuration;
    try {
      config = await client.configuration();
    } catch (err) {
      options.logger?.warn({ err: String(err) }, 'the identity provider cannot be reached');
      return void refuse(
        res,
        503,
        'Chưa kết nối được hệ thống đăng nhập một lần',
        'Hệ thống đăng nhập dùng chung của tỉnh đang không trả lời. Thử lại sau ít phút, hoặc đăng nhập bằng mật khẩu nếu anh/chị có.',
      );
    }
    const binding = randomBytes(32).toString('base64url');
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    await startSsoLogin(ctx.db.pool, binding, {
      state,
      nonce,
      codeVerifier,
      next: safeNext(req.query.next === '/' ? undefined : req.query.next, PERSON_HOME),
    });
    res.cookie(BINDING_COOKIE, binding, { httpOnly: true, sameSite: 'lax', secure, path: '/sso', maxAge: 10 * 60_000 });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: client.settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    res.redirect(303, url.href);
  });

  router.get('/sso/callback', async (req: Request, res) => {
    const binding = cookie(req, BINDING_COOKIE);
    res.clearCookie(BINDING_COOKIE, { path: '/sso', httpOnly: true, sameSite: 'lax', secure });
    const attempt = binding ? await takeSsoLogin(ctx.db.pool, binding) : null;
    const failed = 'Phiên đăng nhập một lần không hợp lệ hoặc đã hết hạn. Hãy bắt đầu đăng nhập lại từ trang Đăng nhập.';
    if (!attempt) return void refuse(res, 400, 'Đăng nhập không thành công', failed);
    let claims: Record<string, unknown>;
    let idToken: string | undefined;
    try {
      const config = await client.configuration();
      const url = new URL(req.originalUrl, redirectUri);
      const tokens = await oidc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: attempt.codeVerifier,
        expectedState: attempt.state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
      claims = (tokens.claims() ?? {}) as Record<string, unknown>;
      idToken = tokens.id_token;
      // Providers that keep the ID token lean give the other claims at the userinfo endpoint.
      if (claims[client.settings.matchClaim] === undefined && typeof claims.sub === 'string') {
        claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
      }
    } catch (err) {
      // What failed (state, issuer, signature, an expired code…) goes to the log, never a token or a code.
      options.logger?.warn({ reason: refusalReason(err) }, 'a single sign-on callback was refused');
      return void refuse(res, 400, 'Đăng nhập không thành công', failed);
    }
    const person = await personFor(claims);
    if (!person) {
      return void refuse(
        res,
        403,
        'Chưa được cấp quyền sử dụng',
        'Tài khoản dùng chung của anh/chị đã được xác thực, nhưng chưa được cấp quyền sử dụng hệ thống Đúng hạn (hoặc quyền đã bị thu hồi). Đề nghị quản trị hệ thống của đơn vị thêm anh/chị vào danh sách người dùng, với vai trò và đơn vị công tác.',
      );
    }
    const session = await openSession(ctx.db.pool, { personId: person.id, method: 'oidc', idToken });
    res.cookie(SESSION_COOKIE, session, { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: SESSION_HOURS * 3_600_000 });
    // A page of our own, not a redirect: the browser arrived from the provider (a cross-site navigation), and a
    // SameSite=Strict cookie is not sent on the rest of that navigation; a navigation this page starts is ours.
    res.type('html').send(renderPage('sso-continue', { title: 'Đang chuyển trang', next: attempt.next, currentYear: year() }));
  });

  /** The account the claims name: found by the match claim; created or updated from role and agency claims when the provider carries them. */
  async function personFor(claims: Record<string, unknown>): Promise<Person | null> {
    const claimed = readClaims(claims, client.settings, (c) => ctx.catalog.agency(c) !== undefined);
    if (!claimed.match) return null;
    const existing = await findPersonByEmail(ctx.db.pool, claimed.match);
    // A deactivated account stays so: the admin's decision stands over the provider's.
    if (existing?.deactivatedAt) return null;
    const granted = claimed.roles?.length && claimed.agencyCodes?.length ? { roles: claimed.roles, agencyCodes: claimed.agencyCodes } : null;
    if (existing) return granted ? ((await updatePerson(ctx.db.pool, existing.id, granted)) ?? null) : existing;
    // Only the claims can grant access to someone without an account, and only with a role and an agency.
    if (!granted || !claimed.match.includes('@')) return null;
    return createPerson(ctx.db.pool, { name: claimed.name ?? claimed.match, email: claimed.match, ...granted }, null);
  }

  return router;
}

/** Why openid-client refused a callback, for the log: its code, its cause's message, the provider's OAuth error. */
function refusalReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { code?: string; error?: string; cause?: unknown };
  const cause = e.cause instanceof Error ? e.cause.message : '';
  return [e.code ?? e.name, e.error, cause || e.message].filter(Boolean).join(': ');
}

/** For the sign-in page and logout: where the provider's sign-out is. */
export function providerLogout(ctx: AppContext, client: OidcClient): (idToken: string) => string | undefined {
  return (idToken) => client.endSessionUrl(idToken, `${ctx.publicUrl.replace(/\/+$/, '')}/login`);
}
