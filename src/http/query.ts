/**
 * Query strings: a parameter the endpoint does not know is a mistake the
 * client should hear about (a typo in a filter would otherwise silently
 * widen the answer).
 */
import type { Request } from 'express';
import { HttpError } from './errors.js';

export function noQuery(req: Request): void {
  const unknown = Object.keys(req.query as object);
  if (unknown.length)
    throw new HttpError(
      400,
      `Unknown query parameter ${unknown.join(', ')}.`,
      unknown.map((k) => ({ path: k, message: 'unknown query parameter' })),
    );
}
