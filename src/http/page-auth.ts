/**
 * The pages' side of authentication: a page for signed-in users sends anyone without a session to the sign-in form
 * (routes/session.ts) and back, and the page header shows who is signed in.
 */
import type { RequestHandler, Response } from 'express';
import type { AppContext } from '../app-context.js';
import type { Role } from '../store/api-keys.js';
import { authenticate, scopeOf, type Scope } from './auth.js';
import { HttpError } from './errors.js';

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

const ROLE_TEXT: Record<Role, string> = { counter: 'cán bộ một cửa', supervisor: 'lãnh đạo', auditor: 'kiểm tra', admin: 'quản trị' };

/** Who is signed in, for the page header ("signed in as" and the logout button). */
export function viewerOf(res: Response): { label: string; roleText: string } | undefined {
  const scope = res.locals.scope as Scope | undefined;
  return scope && { label: scope.key.label, roleText: ROLE_TEXT[scope.key.role] };
}
