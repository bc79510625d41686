/**
 * What operators see of each request: a request id (the caller's
 * X-Request-Id when it is a plain token, else a new one), echoed in the
 * response and in error bodies; an access log line (method, path without its
 * query, status, time, key id — never a body or a secret); the latency metric.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestObservability(logger: Logger, metrics: Metrics): RequestHandler[] {
  const http = pinoHttp({
    logger,
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    customProps: (_req, res) => {
      const scope = (res as unknown as { locals?: { scope?: { key: { id: string; role: string } } } }).locals?.scope;
      return scope ? { keyId: scope.key.id, role: scope.key.role } : {};
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  });
  return [
    (req, res, next) => {
      http(req, res);
      res.locals.requestId = req.id;
      res.locals.log = req.log;
      const end = metrics.httpDuration.startTimer();
      res.on('finish', () => {
        const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
        end({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    },
  ];
}
