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
  walk(req.query, '', issues);
  if (issues.length) throw new HttpError(400, `A query parameter ${BAD_TEXT_MESSAGE}.`, issues);
  next();
};

/** A JSON body after parsing: every string (and key) clean. */
export const bodyTextGuard: RequestHandler = (req, _res, next) => {
  const issues: FieldIssue[] = [];
  walk(req.body, '', issues);
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

function walk(value: unknown, path: string, issues: FieldIssue[], depth = 0): void {
  if (issues.length >= 20 || depth > 64) return;
  if (typeof value === 'string') {
    if (hasBadText(value)) issues.push({ path: path || '(body)', message: BAD_TEXT_MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${path}[${i}]`, issues, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      if (hasBadText(k)) issues.push({ path: p, message: `the field name ${BAD_TEXT_MESSAGE}` });
      walk(v, p, issues, depth + 1);
    }
  }
}
