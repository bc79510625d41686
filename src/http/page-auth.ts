/**
 * The pages' side of authentication: a page for signed-in users sends anyone without a session to the sign-in form
 * (routes/session.ts) and back, and the page header shows who is signed in, with the token its forms carry
 * (csrf.ts).
 */
import type { RequestHandler, Response } from 'express';
import type { AppContext } from '../app-context.js';
import type { Role } from '../store/api-keys.js';
import { authenticate, scopeOf, type Scope } from './auth.js';
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
      if (roles.length && !scopeOf(res).has(...roles)) throw new HttpError(403, `Trang này dành cho: ${roles.map((r) => ROLE_TEXT[r]).join(', ')}.`);
      res.locals.csrf = csrfToken(req, res, secure);
      next();
    },
  ];
}

/** Where a person lands after signing in (password or single sign-on): what is theirs to do (routes/my-work.ts). */
export const PERSON_HOME = '/my-work';

export const ROLE_TEXT: Record<Role, string> = { counter: 'cán bộ một cửa', supervisor: 'lãnh đạo', auditor: 'kiểm tra', admin: 'quản trị' };

/** Who is signed in, for the page header ("signed in as", their own pages, the logout button and its token). */
export function viewerOf(res: Response): { label: string; roleText: string; csrf: string; person: boolean; admin: boolean } | undefined {
  const scope = res.locals.scope as Scope | undefined;
  return (
    scope && {
      label: scope.principal.label,
      roleText: scope.principal.roles.map((r) => ROLE_TEXT[r]).join(', '),
      csrf: String(res.locals.csrf ?? ''),
      person: scope.principal.kind === 'person',
      admin: scope.has('admin'),
    }
  );
}
