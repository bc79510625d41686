/**
 * Who is signed in, as the page header shows them: their name, roles, their own pages and the logout button with
 * the token its form carries. Read from the request's scope, so every page (an error page too) shows the same header.
 */
import type { Response } from 'express';
import type { Role } from '../store/api-keys.js';
import type { Scope } from './auth.js';

export const ROLE_TEXT: Record<Role, string> = { counter: 'cán bộ một cửa', supervisor: 'lãnh đạo', auditor: 'kiểm tra', admin: 'quản trị' };

export interface Viewer {
  label: string;
  roleText: string;
  csrf: string;
  person: boolean;
  admin: boolean;
}

/** Who is signed in, or undefined on a page nobody signed in to. */
export function viewerOf(res: Response): Viewer | undefined {
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
