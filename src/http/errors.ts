/**
 * Error mapping: every failure leaves as JSON with a status a client can act
 * on. Validation failures name each field path; nothing personal is logged.
 */
import type { ErrorRequestHandler } from 'express';
import { ZodError, type ZodIssue } from 'zod';
import { IngestConflict } from '../store/event-store.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** `applicant.email`, `[3].occurredAt`: the paths a client can find in its own payload. */
export function fieldIssues(error: ZodError | ZodIssue[], prefix = ''): FieldIssue[] {
  const issues = error instanceof ZodError ? error.issues : error;
  return issues.map((i) => ({
    path: i.path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : `${out}${out ? '.' : ''}${String(p)}`), prefix),
    message: i.message,
  }));
}

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof ZodError) {
    res.status(400).json({ error: 'invalid_request', message: 'The request has invalid fields.', issues: fieldIssues(err) });
  } else if (err instanceof IngestConflict) {
    const code = { 403: 'forbidden', 409: 'event_id_conflict', 422: 'unprocessable_event' }[err.status];
    res.status(err.status).json({ error: code, message: err.message, problems: err.problems });
  } else if (err instanceof HttpError) {
    res.status(err.status).json({ error: httpErrorCode(err.status), message: err.message, ...(err.details ? { details: err.details } : {}) });
  } else if (err?.type === 'entity.parse.failed') {
    res.status(400).json({ error: 'invalid_json', message: 'The body is not valid JSON.' });
  } else if (err?.type === 'entity.too.large') {
    res.status(413).json({ error: 'too_large', message: 'The body is too large.' });
  } else {
    // The stack says where; the request body (personal data) is never logged.
    console.error('unexpected error:', err instanceof Error ? err.stack : String(err));
    res.status(500).json({ error: 'internal', message: 'Internal error.' });
  }
};

function httpErrorCode(status: number): string {
  return ({ 400: 'invalid_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 422: 'unprocessable' } as Record<number, string>)[status] ?? 'error';
}
