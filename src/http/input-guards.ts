/**
 * Input that no handler should ever see: malformed %-encoding, NUL
 * characters and lone UTF-16 surrogates (PostgreSQL refuses NUL in text and
 * the surrogates are not Unicode), bodies of a type or encoding the API does
 * not read. Each is a 4xx naming where it was found, before anything runs.
 */
import type { Request, RequestHandler } from 'express';
import { BAD_TEXT_MESSAGE, hasBadText } from '../clean-text.js';
import { HttpError, type FieldIssue } from './errors.js';

export { hasBadText };

/** The URL: path and query must decode, and decode to clean text. */
export const urlGuard: RequestHandler = (req, _res, next) => {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    throw new HttpError(400, 'Malformed %-encoding in the URL path.');
  }
  if (hasBadText(path)) throw new HttpError(400, `The URL path ${BAD_TEXT_MESSAGE}.`);
  const issues: FieldIssue[] = [];
  walk(req.query, [], issues);
  if (issues.length) throw new HttpError(400, `A query parameter ${BAD_TEXT_MESSAGE}.`, issues);
  next();
};

/** A JSON body after parsing: every string (and key) clean. */
export const bodyTextGuard: RequestHandler = (req, _res, next) => {
  const issues: FieldIssue[] = [];
  walk(req.body, [], issues);
  if (issues.length) throw new HttpError(400, `A field ${BAD_TEXT_MESSAGE}; nothing was applied.`, issues);
  next();
};

/** A request with a body must say it is JSON (415 otherwise), so that a form or text is never read as "no body". */
export const jsonOnly: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !req.is('application/json') && !req.is('application/*+json')) {
    throw new HttpError(415, 'Send the body as application/json (UTF-8).');
  }
  next();
};

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * Every string and key of a parsed JSON value. The path of each value is kept as a stack of segments and spelled
 * out only for a problem: a batch of 1,000 events has some 20,000 values, nearly always clean.
 */
function walk(value: unknown, at: Array<string | number>, issues: FieldIssue[], depth = 0): void {
  if (issues.length >= 20 || depth > 64) return;
  if (typeof value === 'string') {
    if (hasBadText(value)) issues.push({ path: pathOf(at) || '(body)', message: BAD_TEXT_MESSAGE });
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      at.push(i);
      walk(value[i], at, issues, depth + 1);
      at.pop();
    }
  } else if (value && typeof value === 'object') {
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      at.push(k);
      if (hasBadText(k)) issues.push({ path: pathOf(at), message: `the field name ${BAD_TEXT_MESSAGE}` });
      walk((value as Record<string, unknown>)[k], at, issues, depth + 1);
      at.pop();
    }
  }
}

/** `[1].applicant.name` from [1, 'applicant', 'name']. */
function pathOf(at: Array<string | number>): string {
  let path = '';
  for (const s of at) path = typeof s === 'number' ? `${path}[${s}]` : path ? `${path}.${s}` : s;
  return path;
}
