/**
 * Web sign-in for the pages: the key typed into the form opens a server-side
 * session; the cookie carries only the session's random id. Logout revokes it.
 */
import express, { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { yearInVietnam } from '../../calendar/local-time.js';
import { findApiKey, type ApiKey } from '../../store/api-keys.js';
import { closeSession, openSession, SESSION_HOURS } from '../../store/web-sessions.js';
import { renderPage } from '../../views/render.js';
import { badKeyLimiter, cookie, SESSION_COOKIE } from '../auth.js';

function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export function sessionRouter(ctx: AppContext, options: { loginAttempts?: number } = {}): Router {
  const router = Router();
  // Secure when the service is published over https, or when this request came over TLS: directly, or through a
  // TLS-terminating proxy that says so (X-Forwarded-Proto, believed only under TRUST_PROXY).
  const secureFor = (req: express.Request) => ctx.publicUrl.startsWith('https:') || req.secure;
  router.get('/login', (req, res) => {
    res.type('html').send(renderPage('login', { title: 'Đăng nhập', next: safeNext(req.query.next), currentYear: yearInVietnam(ctx.now()) }));
  });
  router.post(
    '/login',
    // A sign-in form has two fields: anything far beyond is refused (413) before it is parsed further.
    express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 }),
    // The key is judged before the failures are counted: a valid one signs in whatever else came from the address.
    async (req, res, next) => {
      const key = typeof req.body?.key === 'string' ? req.body.key.trim() : '';
      res.locals.signingIn = key && key.length <= 200 ? await findApiKey(ctx.db.pool, key) : null;
      next();
    },
    badKeyLimiter(options.loginAttempts ?? 10, { valid: (_req, res) => res.locals.signingIn !== null }),
    async (req, res) => {
      const next = safeNext(req.body?.next);
      const found = res.locals.signingIn as ApiKey | null;
      if (!found) {
        res.status(401).type('html').send(renderPage('login', { title: 'Đăng nhập', next, error: 'Khóa truy cập không đúng, đã hết hạn hoặc đã bị thu hồi.', currentYear: yearInVietnam(ctx.now()) }));
        return;
      }
      const session = await openSession(ctx.db.pool, found.id);
      res.cookie(SESSION_COOKIE, session, { httpOnly: true, sameSite: 'strict', secure: secureFor(req), path: '/', maxAge: SESSION_HOURS * 3_600_000 });
      res.redirect(303, next);
    },
  );
  router.post('/logout', async (req, res) => {
    const session = cookie(req, SESSION_COOKIE);
    if (session) await closeSession(ctx.db.pool, session);
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: secureFor(req) });
    res.redirect(303, '/login');
  });
  return router;
}
