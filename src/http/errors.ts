/**
 * Error mapping: every failure leaves as one shape, RFC 9457 problem details
 * (`application/problem+json`: type, title, status, detail, instance, and
 * `errors`, each naming a field path, with the batch index and eventId where
 * one applies). Nothing personal is logged; a 5xx says only that it happened.
 */
import type { ErrorRequestHandler, Response } from 'express';
import { ZodError, type ZodIssue } from 'zod';
import { IngestConflict } from '../store/event-store.js';
import { DOMAIN_ERROR_KINDS, DomainError } from '../domain-error.js';
import { renderPage } from '../views/render.js';
import { yearInVietnam } from '../calendar/local-time.js';
import type { Logger } from '../observability/logger.js';
import { pageWording } from './page-wording.js';
import { viewerOf } from './viewer.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: FieldIssue[],
  ) {
    super(message);
  }
}

export interface FieldIssue {
  path: string;
  message: string;
  index?: number;
  eventId?: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: FieldIssue[];
}

/** `applicant.email`, `[3].occurredAt`: the paths a client can find in its own payload. */
export function fieldIssues(error: ZodError | ZodIssue[], prefix = ''): FieldIssue[] {
  const issues = error instanceof ZodError ? error.issues : error;
  return issues.flatMap((i) => {
    const path = pathText(i.path, prefix);
    // An unknown key is reported once per key, at the key's own path.
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: pathText([...i.path, k], prefix), message: 'unknown field' }));
    return [{ path, message: i.message }];
  });
}

function pathText(path: PropertyKey[], prefix: string): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : `${out}${out ? '.' : ''}${String(p)}`), prefix);
}

/** Per status: the problem type's slug, its title (RFC 9110 wording) and the heading a person reads on a page. */
const STATUSES: Record<number, [string, string, string]> = {
  400: ['invalid-request', 'Bad Request', 'Yêu cầu không hợp lệ'],
  401: ['unauthorized', 'Unauthorized', 'Cần đăng nhập'],
  403: ['forbidden', 'Forbidden', 'Không có quyền truy cập'],
  404: ['not-found', 'Not Found', 'Không tìm thấy'],
  405: ['method-not-allowed', 'Method Not Allowed', 'Không hỗ trợ thao tác này'],
  409: ['conflict', 'Conflict', 'Xung đột dữ liệu'],
  413: ['too-large', 'Content Too Large', 'Dữ liệu gửi lên quá lớn'],
  415: ['unsupported-media-type', 'Unsupported Media Type', 'Định dạng dữ liệu không được hỗ trợ'],
  422: ['unprocessable', 'Unprocessable Content', 'Không thể thực hiện'],
  429: ['too-many-requests', 'Too Many Requests', 'Quá nhiều lần thử'],
  500: ['internal', 'Internal Server Error', 'Lỗi hệ thống'],
  503: ['unavailable', 'Service Unavailable', 'Dịch vụ tạm thời không sẵn sàng'],
};

export function problem(status: number, detail: string, errors?: FieldIssue[], slug?: string): Problem {
  const [defaultSlug, title] = STATUSES[status] ?? ['error', 'Error'];
  return { type: `urn:dunghan:problem:${slug ?? defaultSlug}`, title, status, detail, ...(errors?.length ? { errors } : {}) };
}

/** `err`: what was thrown, for the page's wording in Vietnamese (page-wording.ts). */
export function sendProblem(res: Response, p: Problem, err?: unknown): void {
  const requestId = res.locals.requestId as string | undefined;
  // People on the pages get a page in Vietnamese, under the header they were signed in with; programs (the API, or
  // asking for JSON) the problem document.
  const req = res.req;
  if (!req.originalUrl.startsWith('/api/') && req.accepts(['json', 'html']) === 'html') {
    const heading = STATUSES[p.status]?.[2] ?? 'Lỗi';
    const { detail, fields } = pageWording(err ?? new Error(p.detail), p.status);
    res
      .status(p.status)
      .type('html')
      .send(
        renderPage('error', {
          title: heading,
          status: p.status,
          heading,
          detail,
          fields,
          requestId,
          viewer: viewerOf(res),
          currentYear: yearInVietnam(Date.now()),
        }),
      );
    return;
  }
  res
    .status(p.status)
    .type('application/problem+json')
    .json({ ...p, instance: res.req.originalUrl.split('?')[0], ...(requestId ? { requestId } : {}) });
}

/** What body-parser and the router report, by their `type`, as a status a client can act on. */
const PARSER_ERRORS: Record<string, [number, string]> = {
  'entity.parse.failed': [400, 'The body is not valid JSON.'],
  'entity.too.large': [413, 'The body is too large.'],
  'parameters.too.many': [413, 'The form has too many fields.'],
  'charset.unsupported': [415, 'Unsupported charset: send UTF-8.'],
  'encoding.unsupported': [415, 'Unsupported Content-Encoding: send identity, gzip, deflate or br.'],
  'request.aborted': [400, 'The request was aborted.'],
  'request.size.invalid': [400, 'The body is shorter or longer than Content-Length says.'],
};

export function toProblem(err: unknown): Problem | null {
  if (err instanceof ZodError) return problem(400, 'The request has invalid fields.', fieldIssues(err));
  if (err instanceof IngestConflict) {
    const slug = { 403: 'forbidden', 409: 'event-id-conflict', 422: 'unprocessable-event' }[err.status];
    return problem(
      err.status,
      err.message,
      err.problems.map((p) => ({ path: p.field ? `[${p.index}].${p.field}` : `[${p.index}]`, message: p.message, index: p.index, eventId: p.eventId })),
      slug,
    );
  }
  // Each kind its status and its own problem type: "unknown agency" and "bad period" are told apart by `type`.
  if (err instanceof DomainError) return problem(DOMAIN_ERROR_KINDS[err.kind], err.message, err.details, err.kind.replaceAll('_', '-'));
  if (err instanceof HttpError) return problem(err.status, err.message, err.details);
  const e = err as { type?: string; status?: number; statusCode?: number; expose?: boolean } | null;
  if (e?.type && PARSER_ERRORS[e.type]) {
    const [status, detail] = PARSER_ERRORS[e.type]!;
    // The limit is named, so that a client knows what to split (issue 29).
    const limit = (err as { limit?: unknown }).limit;
    if (e.type === 'entity.too.large' && typeof limit === 'number')
      return problem(status, `The body is larger than the limit of ${limit} bytes.`, [{ path: '(body)', message: `limit: ${limit} bytes` }]);
    return problem(status, detail);
  }
  if (err instanceof URIError) return problem(400, 'Malformed %-encoding in the URL.');
  const status = e?.status ?? e?.statusCode;
  // Other client errors raised by Express's own parts (a broken gzip body, a bad path parameter).
  if (typeof status === 'number' && status >= 400 && status < 500)
    return problem(status, err instanceof Error && e?.expose ? err.message : 'The request cannot be read.');
  return null;
}

/** Answers every error as a problem; an unexpected one is logged (with the request id) and answered 500. */
export const errorHandler =
  (log: Logger): ErrorRequestHandler =>
  (err, _req, res, _next) => {
    const p = toProblem(err);
    if (p) {
      sendProblem(res, p, err);
      return;
    }
    // The stack says where; the request body (personal data) is never logged.
    // The level is "silent" in tests that do not pass a logger: the console then keeps the trace.
    if (log.isLevelEnabled('error'))
      log.error({ reqId: res.locals.requestId, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, 'unexpected error');
    else console.error('unexpected error:', err instanceof Error ? err.stack : String(err));
    if (res.headersSent) return;
    sendProblem(res, problem(500, 'Internal error.'));
  };
