/**
 * Authentication and agency scope. A request carries a bearer key, or (for
 * the pages) a session cookie opened by a person signing in (password or
 * single sign-on) or, before accounts exist, with a key. A key or person of
 * any role covers its agencies and everything below them; the province's
 * admin is one for the province's root agency.
 */
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { AppContext } from '../app-context.js';
import { actorOf, type Principal } from '../accounts/principal.js';
import { findApiKey, type Role } from '../store/api-keys.js';
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
    /** The key or person asking. */
    readonly principal: Principal,
    roots: string[],
  ) {
    this.all = roots.length > 0 && roots.every((r) => principal.agencyCodes.includes(r));
  }

  /** A dossier (or agency) is covered when one of the key's agencies is on its path. */
  coversPath(path: string[]): boolean {
    return this.all || this.principal.agencyCodes.some((k) => path.includes(k));
  }

  /** Whether the key has the role, or the person one of them. */
  has(...roles: Role[]): boolean {
    return this.principal.roles.some((r) => roles.includes(r));
  }

  /** What an event or a read records of who did it. */
  get actor(): { id: string; role: string } {
    return actorOf(this.principal);
  }
}

export function scopeOf(res: Response): Scope {
  const scope = res.locals.scope as Scope | undefined;
  if (!scope) throw new HttpError(401, 'Authentication required.');
  return scope;
}

export const SESSION_COOKIE = 'dunghan_session';

/** Who is asking: the key's scope, or the 401 to answer and its challenge. */
type Identified = { scope: Scope } | { refusal: HttpError; challenge: string };

async function identify(ctx: AppContext, req: Request): Promise<Identified> {
  const bearerKey = bearer(req);
  const session = bearerKey ? undefined : cookie(req, SESSION_COOKIE);
  if (!bearerKey && !session) {
    return { challenge: 'Bearer realm="dunghan"', refusal: new HttpError(401, 'Missing API key: send Authorization: Bearer <key>.') };
  }
  const found = bearerKey ? await findApiKey(ctx.db.pool, bearerKey, ctx.keyCache) : await findSession(ctx.db.pool, session!);
  if (!found) {
    const detail = bearerKey ? 'Invalid, expired or revoked API key.' : 'The session has ended: sign in again.';
    return { challenge: 'Bearer realm="dunghan", error="invalid_token"', refusal: new HttpError(401, detail) };
  }
  return { scope: new Scope(found, ctx.catalog.roots()) };
}

/** Lets the request on as its key, or answers the 401. */
function admit(res: Response, who: Identified): void {
  if ('refusal' in who) {
    res.setHeader('WWW-Authenticate', who.challenge);
    throw who.refusal;
  }
  res.locals.scope = who.scope;
}

/** Reads the key from `Authorization: Bearer …` or the session cookie; 401 otherwise. */
export function authenticate(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    admit(res, await identify(ctx, req));
    next();
  };
}

/**
 * For pages that anyone may reach (an unknown address's 404): a signed-in person is recognised from the session
 * cookie, so the error page keeps their header; nobody is refused here (the page itself needs no sign-in).
 */
export function recogniseSession(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    if (!res.locals.scope && !bearer(req) && cookie(req, SESSION_COOKIE)) {
      const who = await identify(ctx, req);
      if ('scope' in who) res.locals.scope = who.scope;
    }
    next();
  };
}

/**
 * `authenticate`, with the failures from each address counted: after `limit` of them in the window, a missing or
 * wrong key is answered 429. The key is judged first, so a valid one is never held back by other clients' failures
 * from the same address (issue 28: after 60 bad keys, a valid key got 429 for 15 minutes, and behind a proxy every
 * client at once). Keys carry 192 bits of entropy: what the limit slows is noise and load, not a guess that could
 * come right.
 */
export function authenticateCountingFailures(ctx: AppContext, limit: number, options: { windowMs?: number } = {}): RequestHandler[] {
  const REFUSAL = 'authRefusal';
  return [
    async (req, res, next) => {
      const who = await identify(ctx, req);
      if ('scope' in who) res.locals.scope = who.scope;
      else res.locals[REFUSAL] = who;
      next();
    },
    badKeyLimiter(limit, { ...options, valid: (_req, res) => res.locals.scope !== undefined }),
    (_req, res, next) => {
      admit(res, (res.locals[REFUSAL] as Identified | undefined) ?? { scope: scopeOf(res) });
      next();
    },
  ];
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const scope = scopeOf(res);
    if (!scope.has(...roles)) {
      throw new HttpError(403, `This needs one of the roles ${roles.join(', ')}; the ${scope.principal.kind} is "${scope.principal.roles.join(', ')}".`);
    }
    next();
  };
}

/**
 * Counts failed authentications per address: after `limit` in the window, 429 until it passes. `valid` says whether
 * the request's credential was found good, which is judged before: a valid one is neither counted nor held back, so
 * only failures are counted and only failures are refused.
 */
export function badKeyLimiter(limit: number, options: { windowMs?: number; valid: (req: Request, res: Response) => boolean }): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs ?? 15 * 60_000,
    limit,
    skip: options.valid,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => sendProblem(res, problem(429, 'Too many failed sign-ins or bad keys from this address; try again later.')),
  });
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
