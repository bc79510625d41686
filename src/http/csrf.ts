/**
 * Cross-site request forgery: every page form that changes something carries a token, checked on post before the
 * route runs (issue 28: SameSite alone is not enough for a government site; an old browser, a sibling subdomain or a
 * proxy that strips the attribute leaves it open).
 *
 * - Signed in: a synchronizer token derived from the session id (HMAC keyed with it). Nothing more is stored; it
 *   cannot be computed without the session cookie, which is httpOnly, and it changes with every session.
 * - Not signed in (sign-in, a first password): double submit. A random cookie (`__Host-` prefixed over HTTPS, so a
 *   sibling subdomain cannot plant one) is echoed in the form.
 *
 * The API is exempt when called with a bearer key (no ambient credential to forge); called with the session cookie,
 * a change needs the token in the `X-CSRF-Token` header (auth.ts).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { cookie, SESSION_COOKIE } from './auth.js';
import { HttpError } from './errors.js';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const cookieName = (secure: boolean) => (secure ? '__Host-dunghan_csrf' : 'dunghan_csrf');

/** The token bound to a session id. */
export function sessionCsrfToken(sessionId: string): string {
  return createHmac('sha256', sessionId).update('dunghan csrf v1').digest('base64url');
}

/** The token a form on this response carries; sets the double-submit cookie when needed. */
export function csrfToken(req: Request, res: Response, secure: boolean): string {
  // A session opened during this request (sign-in) is the one the next post will carry.
  const session = (res.locals.newSession as string | undefined) ?? cookie(req, SESSION_COOKIE);
  if (session) return sessionCsrfToken(session);
  const name = cookieName(secure);
  let value = (res.locals.csrfCookie as string | undefined) ?? cookie(req, name);
  if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
    value = randomBytes(32).toString('base64url');
    res.cookie(name, value, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
    res.locals.csrfCookie = value;
  }
  return value;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether `token` is the request's: bound to its session, or equal to its double-submit cookie. */
export function validCsrf(req: Request, token: unknown, secure: boolean): boolean {
  if (typeof token !== 'string' || !token) return false;
  const session = cookie(req, SESSION_COOKIE);
  if (session && same(token, sessionCsrfToken(session))) return true;
  // Either name: whether this request came over TLS (through a proxy, under TRUST_PROXY) may differ from `secure`.
  const planted = cookie(req, cookieName(secure)) ?? cookie(req, cookieName(!secure));
  return planted !== undefined && same(token, planted);
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * For the pages (not /api): reads a form body (url-encoded, 64 kB and 100 fields at most, else 413; a route's own
 * stricter parser then has nothing left to do) and refuses an unsafe request whose token is missing or wrong, with a
 * 403 page. `exempt`: paths whose form changes nothing (the citizen's lookup: a read kept out of the URL).
 */
export function csrfProtection(secure: boolean, exempt: string[] = []): RequestHandler {
  const parse = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 });
  return (req, res, next) => {
    if (!UNSAFE.has(req.method) || req.path.startsWith('/api/') || exempt.includes(req.path)) return next();
    // A bearer key and no session cookie (software, e.g. asking for a signed letter): no ambient credential to forge.
    if (/^Bearer\s/i.test(req.headers.authorization ?? '') && !cookie(req, SESSION_COOKIE)) return next();
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!validCsrf(req, req.body?.[CSRF_FIELD] ?? req.headers[CSRF_HEADER], secure)) {
        return next(new HttpError(403, 'Biểu mẫu đã hết hạn hoặc không được gửi từ trang của hệ thống: tải lại trang rồi thử lại.'));
      }
      next();
    });
  };
}

/**
 * For the API: a change made with the session cookie (a page's script) needs the token in `X-CSRF-Token`; one made
 * with a bearer key needs nothing more (no credential the browser adds by itself).
 */
export function apiCsrfCheck(secure: boolean): RequestHandler {
  return (req, _res, next) => {
    if (!UNSAFE.has(req.method) || req.headers.authorization) return next();
    if (!validCsrf(req, req.headers[CSRF_HEADER], secure))
      return next(new HttpError(403, 'A change made with the session cookie needs the X-CSRF-Token header of the page.'));
    next();
  };
}
