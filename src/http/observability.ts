/**
 * What operators see of each request: a request id (the caller's
 * X-Request-Id when it is a plain token, else a new one), echoed in the
 * response and in error bodies; an access log line (method, path without its
 * query, client address, status, time, key id — never a body or a secret); the latency metric.
 *
 * One line per request from the process's logger, written when the answer is
 * finished. (pino-http made a child logger and its bindings for every request
 * even with the log silenced: ~100 µs of the ~550 µs a request costs the HTTP
 * stack here, for the one line this writes.)
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestObservability(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    res.locals.requestId = id;
    res.once('finish', () => {
      const ms = performance.now() - started;
      metrics.httpDuration.observe({ method: req.method, route: routeOf(req), status: String(res.statusCode) }, ms / 1000);
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      if (logger.isLevelEnabled(level)) logger[level](accessLine(req, res, id, ms), 'request completed');
    });
    next();
  };
}

/** The route's pattern (`/api/v1/dossiers/:code`), never the path with its values. */
function routeOf(req: Request): string {
  return req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
}

function accessLine(req: Request, res: Response, id: string, ms: number) {
  const scope = (res.locals as { scope?: { principal: { id: string; kind: string }; actor: { role: string } } }).scope;
  return {
    // The client's address (under TRUST_PROXY, from X-Forwarded-For past the configured proxies): who to throttle or
    // block; the proxy's own address would be the same for everyone.
    req: { id, method: req.method, path: req.originalUrl.split('?')[0], remoteAddress: req.ip },
    res: { status: res.statusCode },
    responseTime: Math.round(ms),
    ...(scope ? { [scope.principal.kind === 'key' ? 'keyId' : 'personId']: scope.principal.id, role: scope.actor.role } : {}),
  };
}
