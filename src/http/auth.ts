/**
 * Authentication and agency scope. A request carries a bearer key, or (for
 * the pages) a session cookie opened by signing in with a key. A key of any
 * role covers its agencies and everything below them; the province's admin is
 * a key for the province's root agency.
 */
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { AppContext } from '../app-context.js';
import { findApiKey, hashKey, type ApiKey, type Role } from '../store/api-keys.js';
import { findSession } from '../store/web-sessions.js';
import { HttpError, problem, sendProblem } from './errors.js';

export class Scope {
  /**
   * The key covers the whole province: its agencies include every root of the agency tree. The role has no part
   * in it (issue 28: an admin key made for one ward acted province-wide; an admin's agencies bound it like
   * anyone's). The sample admin and the one `dunghan init` prints are keys for the root.
   */
  readonly all: boolean;

  constructor(
    readonly key: ApiKey,
    roots: string[],
  ) {
    this.all = roots.length > 0 && roots.every((r) => key.agencyCodes.includes(r));
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

export const SESSION_COOKIE = 'dunghan_session';

/** Reads the key from `Authorization: Bearer …` or the session cookie; 401 otherwise. */
export function authenticate(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    const bearerKey = bearer(req);
    const session = bearerKey ? undefined : cookie(req, SESSION_COOKIE);
    if (!bearerKey && !session) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="dunghan"');
      throw new HttpError(401, 'Missing API key: send Authorization: Bearer <key>.');
    }
    const found = bearerKey ? await findApiKey(ctx.db.pool, bearerKey, ctx.keyCache) : await findSession(ctx.db.pool, session!);
    if (!found) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="dunghan", error="invalid_token"');
      throw new HttpError(401, bearerKey ? 'Invalid, expired or revoked API key.' : 'The session has ended: sign in again.');
    }
    res.locals.scope = new Scope(found, ctx.catalog.roots());
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

/**
 * Slows down key guessing: a client (by address) gets `limit` failed
 * authentications per window, then 429 until the window passes. A key this
 * process found live in the last few seconds (the key cache) is not a guess:
 * it is neither counted nor held back, and its request skips the limiter's
 * bookkeeping (~90 µs of a request here, for counter software posting one
 * event a request).
 */
export function badKeyLimiter(limit: number, options: { windowMs?: number; knownLive?: (req: Request) => boolean } = {}): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs ?? 15 * 60_000,
    limit,
    skip: options.knownLive,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    skipSuccessfulRequests: true,
    handler: (_req, res) => sendProblem(res, problem(429, 'Too many failed sign-ins or bad keys from this address; try again later.')),
  });
}

/** Whether the request's bearer key is one this process found live moments ago (only a process that follows revocations remembers keys). */
export function carriesKnownLiveKey(ctx: AppContext, req: Request): boolean {
  const key = ctx.keyCache && bearer(req);
  return key ? ctx.keyCache!.get(hashKey(key)) !== undefined : false;
}

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  const m = h && /^Bearer\s+(\S{1,200})$/i.exec(h);
  return m ? m[1] : undefined;
}

/** A cookie's value; a malformed %-encoding counts as no cookie. */
export function cookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim()) || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
