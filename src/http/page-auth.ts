/**
 * The pages' side of authentication: a page for signed-in users sends anyone without a session to the sign-in form
 * (routes/session.ts) and back, and the page header shows who is signed in, with the token its forms carry
 * (csrf.ts).
 */
import type { RequestHandler } from 'express';
import type { AppContext } from '../app-context.js';
import type { Role } from '../store/api-keys.js';
import { ROLE_TEXT } from './viewer.js';
import { authenticate, scopeOf } from './auth.js';
import { csrfToken } from './csrf.js';
import { HttpError } from './errors.js';

/** A page for signed-in users: without a session, go to the login form and come back. */
export function pageAuth(ctx: AppContext, ...roles: Role[]): RequestHandler[] {
  const auth = authenticate(ctx);
  const secure = ctx.publicUrl.startsWith('https:');
  return [
    async (req, res, next) => {
      try {
        await auth(req, res, next);
      } catch (err) {
        if (err instanceof HttpError && err.status === 401) res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
        else throw err;
      }
    },
    (req, res, next) => {
      // The token first: a refused page still shows the signed-in header, with a logout that works.
      res.locals.csrf = csrfToken(req, res, secure);
      if (roles.length && !scopeOf(res).has(...roles)) throw new HttpError(403, `Trang này dành cho: ${roles.map((r) => ROLE_TEXT[r]).join(', ')}.`);
      next();
    },
  ];
}

/** Where a person lands after signing in (password or single sign-on): what is theirs to do (routes/my-work.ts). */
export const PERSON_HOME = '/my-work';

// Who is signed in, for the page header: its own module, so that the error page (errors.ts) shows it too.
export { ROLE_TEXT, viewerOf } from './viewer.js';
