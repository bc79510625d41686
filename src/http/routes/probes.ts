/**
 * For orchestrators and Prometheus: /livez (the process answers), /readyz
 * (the database answers within a second: send traffic), /health (the same as
 * readyz, kept for existing checks) and /metrics.
 */
import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { ping } from '../../db/database.js';
import type { Metrics } from '../../observability/metrics.js';
import { HttpError } from '../errors.js';

async function databaseAnswers(ctx: AppContext): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref());
  return Promise.race([ping(ctx.db.pool), timeout]);
}

export function probesRouter(ctx: AppContext, metrics: Metrics, token?: string): Router {
  const router = Router();
  router.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get(['/readyz', '/health'], async (_req, res) => {
    const ok = await databaseAnswers(ctx);
    // The read replica never makes the service unready: reports fall back to the primary. Said for the operator.
    const replica = ctx.replica?.current();
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'unavailable',
      database: ok ? 'ok' : 'not answering',
      calendarVersion: ctx.calendar.version,
      ...(replica ? { replica: { condition: replica.condition, lagMs: replica.lagMs, behindBytes: replica.behindBytes, maxLagMs: replica.maxLagMs } } : {}),
    });
  });
  router.get('/metrics', async (req, res) => {
    if (token) {
      const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
      const wanted = Buffer.from(token);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw new HttpError(401, 'The metrics need the METRICS_TOKEN bearer token.');
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
