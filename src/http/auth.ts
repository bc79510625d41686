/**
 * Bearer-key authentication and agency scope. A key covers its agencies and
 * everything below them; admin keys cover the whole province.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../app-context.js';
import { findApiKey, type ApiKey, type Role } from '../store/api-keys.js';
import { HttpError } from './errors.js';

export class Scope {
  constructor(readonly key: ApiKey) {}

  get all(): boolean {
    return this.key.role === 'admin';
  }

  /** A dossier (or agency) is covered when one of the key's agencies is on its path. */
  coversPath(path: string[]): boolean {
    return this.all || this.key.agencyCodes.some((k) => path.includes(k));
  }
}

export function scopeOf(res: Response): Scope {
  const scope = res.locals.scope as Scope | undefined;
  if (!scope) throw new HttpError(401, 'Authentication required.');
  return scope;
}

/** Reads the key from `Authorization: Bearer …` (or, for the web pages, the session cookie). */
export function authenticate(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    const key = bearer(req) ?? cookieKey(req);
    if (!key) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="dunghan"');
      throw new HttpError(401, 'Missing API key: send Authorization: Bearer <key>.');
    }
    const found = await findApiKey(ctx.db.pool, key);
    if (!found) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="dunghan", error="invalid_token"');
      throw new HttpError(401, 'Invalid or revoked API key.');
    }
    res.locals.scope = new Scope(found);
    next();
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const scope = scopeOf(res);
    if (!roles.includes(scope.key.role)) {
      throw new HttpError(403, `This needs one of the roles ${roles.join(', ')}; the key is "${scope.key.role}".`);
    }
    next();
  };
}

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  const m = h && /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : undefined;
}

export const SESSION_COOKIE = 'dunghan_key';

function cookieKey(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}
