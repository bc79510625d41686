/**
 * Web sign-in for the pages. A person signs in with their e-mail and password (or through the province's single
 * sign-on, routes/sso.ts); before any account exists, or while `KEY_WEB_SIGN_IN=on` keeps the earlier behaviour for
 * one release, an API key typed into the form opens a session too. The session is server-side; the cookie carries
 * only its random id. Logout revokes it (and, after single sign-on, goes on to the provider's sign-out).
 *
 * Failures are counted per address (the limiter lets valid credentials through, as for keys) and per account: at
 * `lockout.attempts` consecutive wrong passwords the account is locked for `lockout.minutes`. No password, key or
 * e-mail is logged.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { yearInVietnam } from '../../calendar/local-time.js';
import type { Principal } from '../../accounts/principal.js';
import { hashPassword, verifyPassword } from '../../accounts/password-hash.js';
import { findApiKey } from '../../store/api-keys.js';
import { activePeopleExist, findActivePersonByEmail, isLocked, principalOfPerson, recordFailedLogin, recordSuccessfulLogin } from '../../store/people.js';
import { closeSession, openSession, SESSION_HOURS } from '../../store/web-sessions.js';
import { renderPage } from '../../views/render.js';
import { badKeyLimiter, cookie, SESSION_COOKIE } from '../auth.js';
import { csrfToken } from '../csrf.js';
import { PERSON_HOME } from '../page-auth.js';
import { safeNext } from '../safe-next.js';

export interface SignInOptions {
  loginAttempts?: number;
  /** `on`: keys open web sessions even once accounts exist (the earlier behaviour, kept for one release). */
  keyWebSignIn?: 'auto' | 'on';
  /** Consecutive wrong passwords before an account is locked, and for how long. */
  lockout?: { attempts: number; minutes: number };
  /** The single sign-on button's text, when a provider is configured. */
  ssoLabel?: string;
  /** Where to send the browser to end the provider's session too (single sign-on), given the ID token it issued. */
  providerLogoutUrl?: (idToken: string) => string | undefined;
}

/** A hash of a password nobody has, verified when the address is unknown so that the answer takes as long. */
let decoy: Promise<string> | undefined;
function decoyHash(): Promise<string> {
  decoy ??= hashPassword('not a password anyone has');
  return decoy;
}

type Judged = { principal: Principal; method: 'password' | 'key' } | { error: string };

const WRONG_PASSWORD = 'Địa chỉ thư điện tử hoặc mật khẩu không đúng.';

export function sessionRouter(ctx: AppContext, options: SignInOptions = {}): Router {
  const router = Router();
  // Secure when the service is published over https, or when this request came over TLS: directly, or through a
  // TLS-terminating proxy that says so (X-Forwarded-Proto, believed only under TRUST_PROXY).
  const secureFor = (req: Request) => ctx.publicUrl.startsWith('https:') || req.secure;
  const lockout = options.lockout ?? { attempts: 10, minutes: 15 };
  const keysMayOpenSessions = async () => options.keyWebSignIn === 'on' || !(await activePeopleExist(ctx.db.pool));

  const loginPage = async (req: Request, res: Response, extra: { next: string; error?: string; notice?: string; email?: string }) =>
    renderPage('login', {
      title: 'Đăng nhập',
      csrf: csrfToken(req, res, secureFor(req)),
      keyForm: await keysMayOpenSessions(),
      sso: options.ssoLabel,
      currentYear: yearInVietnam(ctx.now()),
      ...extra,
      nextQuery: encodeURIComponent(extra.next),
    });

  router.get('/login', async (req, res) => {
    const notice = req.query.done === 'password' ? 'Đã đặt mật khẩu. Mời đăng nhập.' : undefined;
    res.type('html').send(await loginPage(req, res, { next: safeNext(req.query.next), notice }));
  });

  /** Judges the credentials before the failures are counted: a valid one signs in whatever else came from the address. */
  async function judge(body: Record<string, unknown> | undefined): Promise<Judged> {
    const email = typeof body?.email === 'string' ? body.email.trim() : '';
    const password = typeof body?.password === 'string' ? body.password : '';
    if (email || password) {
      if (!email || !password || email.length > 254 || password.length > 200) return { error: WRONG_PASSWORD };
      const person = await findActivePersonByEmail(ctx.db.pool, email);
      if (!person?.passwordHash) {
        await verifyPassword(password, await decoyHash());
        return { error: WRONG_PASSWORD };
      }
      const locked = `Tài khoản tạm khóa vì nhập sai mật khẩu ${lockout.attempts} lần liên tiếp: thử lại sau ${lockout.minutes} phút, hoặc đề nghị quản trị gửi liên kết đặt lại mật khẩu.`;
      if (await isLocked(ctx.db.pool, person.id)) return { error: locked };
      if (!(await verifyPassword(password, person.passwordHash))) {
        return { error: (await recordFailedLogin(ctx.db.pool, person.id, lockout.attempts, lockout.minutes)) ? locked : WRONG_PASSWORD };
      }
      await recordSuccessfulLogin(ctx.db.pool, person.id);
      return { principal: principalOfPerson(person), method: 'password' };
    }
    const key = typeof body?.key === 'string' ? body.key.trim() : '';
    const found = key && key.length <= 200 ? await findApiKey(ctx.db.pool, key) : null;
    if (!found) return { error: 'Khóa truy cập không đúng, đã hết hạn hoặc đã bị thu hồi.' };
    // Issue 28: keys are for software; once people have accounts, a key no longer opens a web session.
    if (!(await keysMayOpenSessions())) return { error: 'Khóa truy cập chỉ dùng cho phần mềm kết nối: anh/chị đăng nhập bằng tài khoản của mình.' };
    return { principal: found, method: 'key' };
  }

  router.post(
    '/login',
    async (req, res, next) => {
      res.locals.signingIn = await judge(req.body);
      next();
    },
    badKeyLimiter(options.loginAttempts ?? 10, { valid: (_req, res) => 'principal' in res.locals.signingIn }),
    async (req, res) => {
      const next = safeNext(req.body?.next);
      const judged = res.locals.signingIn as Judged;
      if ('error' in judged) {
        const email = typeof req.body?.email === 'string' ? req.body.email.slice(0, 254) : undefined;
        res
          .status(401)
          .type('html')
          .send(await loginPage(req, res, { next, error: judged.error, email }));
        return;
      }
      const session = await openSession(
        ctx.db.pool,
        judged.principal.kind === 'key' ? { keyId: judged.principal.id } : { personId: judged.principal.id, method: 'password' },
      );
      res.cookie(SESSION_COOKIE, session, { httpOnly: true, sameSite: 'strict', secure: secureFor(req), path: '/', maxAge: SESSION_HOURS * 3_600_000 });
      // A person lands on their own page unless they were on their way somewhere.
      res.redirect(303, next === '/' && judged.principal.kind === 'person' ? PERSON_HOME : next);
    },
  );

  router.post('/logout', async (req, res) => {
    const session = cookie(req, SESSION_COOKIE);
    const closed = session ? await closeSession(ctx.db.pool, session) : null;
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: secureFor(req) });
    // After single sign-on, the provider's session ends too where it offers a sign-out (routes/sso.ts).
    const provider = closed?.idToken ? options.providerLogoutUrl?.(closed.idToken) : undefined;
    if (!provider) return void res.redirect(303, '/login');
    // A page that moves on by itself rather than a redirect: the pages' CSP lets forms post only here
    // (form-action 'self'), which also covers where a form's answer redirects to.
    res.type('html').send(
      renderPage('sso-continue', {
        title: 'Đăng xuất',
        next: provider,
        message: 'Đã đăng xuất khỏi Đúng hạn; đang chuyển sang hệ thống đăng nhập dùng chung của tỉnh để đăng xuất ở đó.',
        currentYear: new Date(ctx.now()).getUTCFullYear(),
      }),
    );
  });
  return router;
}
