/**
 * Web sign-in for the pages: the key typed into a form is checked and kept in
 * an http-only cookie; pages then read it like a bearer key.
 */
import express, { Router, type RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { findApiKey, type Role } from '../../store/api-keys.js';
import { renderPage } from '../../views/render.js';
import { authenticate, SESSION_COOKIE, scopeOf } from '../auth.js';
import { HttpError } from '../errors.js';

/** A page for signed-in users: without a session, go to the login form and come back. */
export function pageAuth(ctx: AppContext, ...roles: Role[]): RequestHandler[] {
  const auth = authenticate(ctx);
  return [
    async (req, res, next) => {
      try {
        await auth(req, res, next);
      } catch (err) {
        if (err instanceof HttpError && err.status === 401) res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
        else throw err;
      }
    },
    (_req, res, next) => {
      if (roles.length && !roles.includes(scopeOf(res).key.role)) throw new HttpError(403, `This page needs one of the roles ${roles.join(', ')}.`);
      next();
    },
  ];
}

function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function sessionRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/login', (req, res) => {
    res.type('html').send(renderPage('login', { title: 'Đăng nhập', next: safeNext(req.query.next), currentYear: new Date(ctx.now()).getUTCFullYear() }));
  });
  router.post('/login', express.urlencoded({ extended: false }), async (req, res) => {
    const key = String(req.body?.key ?? '').trim();
    const next = safeNext(req.body?.next);
    const found = key ? await findApiKey(ctx.db.pool, key) : null;
    if (!found) {
      res.status(401).type('html').send(renderPage('login', { title: 'Đăng nhập', next, error: 'Khóa truy cập không đúng hoặc đã bị thu hồi.', currentYear: new Date(ctx.now()).getUTCFullYear() }));
      return;
    }
    res.cookie(SESSION_COOKIE, key, { httpOnly: true, sameSite: 'strict', secure: ctx.publicUrl.startsWith('https:'), path: '/', maxAge: 12 * 3_600_000 });
    res.redirect(303, next);
  });
  router.post('/logout', (_req, res) => {
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  });
  return router;
}
