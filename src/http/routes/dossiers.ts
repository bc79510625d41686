/**
 * Reading dossiers: one with its history, or a filtered list with cursor
 * pagination, always within the caller's agencies.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { formatLocalInstant } from '../../calendar/local-time.js';
import { instantSchema } from '../../calendar/instant.js';
import { dossierView } from '../../dossiers/view.js';
import { maskEventContacts } from '../../dossiers/consent.js';
import { complianceFlagSchema, dossierStatusSchema } from '../../dossiers/state.js';
import { scopeOf } from '../auth.js';
import { HttpError } from '../errors.js';
import { loadScopedDossier } from '../scoped-dossier.js';
import { recordPersonalDataRead } from '../../store/audit-reads.js';
import { loadLog } from '../../store/dossier-reads.js';
import { listDossiers } from '../../store/dossier-list.js';
import { noQuery } from '../query.js';

const dateOrInstant = z.union([z.iso.date().refine((d) => d >= '2000-01-01' && d <= '2199-12-31', 'must be between 2000 and 2199'), instantSchema]);

export const listQuerySchema = z.strictObject({
  agency: z.string().optional(),
  status: dossierStatusSchema.optional(),
  outcome: z.enum(['early', 'on_time', 'late', 'on_track', 'due_soon', 'overdue', 'waiting_for_citizen']).optional(),
  flag: complianceFlagSchema.optional(),
  procedure: z.string().optional(),
  receivedFrom: dateOrInstant.optional(),
  /** A date means the whole day (inclusive). */
  receivedTo: dateOrInstant.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});

/** A local date `YYYY-MM-DD` as the instant its day starts in Vietnam. */
function startOf(value: string, endOfDay = false): Date {
  if (value.length > 10) return new Date(value);
  const d = new Date(`${value}T00:00:00+07:00`);
  return endOfDay ? new Date(d.getTime() + 86_400_000) : d;
}

export function dossiersRouter(ctx: AppContext): Router {
  const router = Router();

  router.get('/dossiers/:code', async (req, res) => {
    noQuery(req);
    const scope = scopeOf(res);
    const state = await loadScopedDossier(ctx, req.params.code, scope);
    // The history carries the applicant's name, ID number and phone: the read is recorded first.
    await recordPersonalDataRead(ctx.db.pool, scope.principal, state.code, 'api:dossier', req.ip);
    const events = await loadLog(ctx.db.pool, state.code);
    res.json({
      ...dossierView(state, ctx.foldContext(), ctx.now()),
      events: events.map((e) => ({
        seq: e.seq,
        eventId: e.eventId,
        type: e.type,
        occurredAt: formatLocalInstant(e.occurredAt.getTime()),
        recordedAt: formatLocalInstant(e.recordedAt.getTime()),
        body: maskEventContacts(e.body),
      })),
    });
  });

  router.get('/dossiers', async (req, res) => {
    const scope = scopeOf(res);
    const q = listQuerySchema.parse(req.query);
    const now = new Date(ctx.now());
    if (q.agency) {
      if (!ctx.catalog.agency(q.agency)) throw new HttpError(400, `Unknown agency ${q.agency}.`, [{ path: 'agency', message: 'unknown agency' }]);
      if (!scope.coversPath(ctx.catalog.pathOf(q.agency))) throw new HttpError(403, `Agency ${q.agency} is outside this key's agencies.`);
    }
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    // One more than the page: whether there is a next one.
    const rows = await listDossiers(ctx.db.pool, {
      scope: scope.all ? null : scope.principal.agencyCodes,
      agency: q.agency,
      status: q.status,
      procedure: q.procedure,
      flag: q.flag,
      outcome: q.outcome,
      receivedFrom: q.receivedFrom ? startOf(q.receivedFrom) : undefined,
      receivedTo: q.receivedTo ? { at: startOf(q.receivedTo, true), inclusive: q.receivedTo.length > 10 } : undefined,
      after: after && { receivedAt: after[0], code: after[1] },
      now,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    res.json({
      items: page.map((r) => dossierView(r.state, ctx.foldContext(), ctx.now())),
      nextCursor: rows.length > q.limit && last ? encodeCursor(new Date(last.received_at).toISOString(), last.code) : null,
    });
  });

  return router;
}

function encodeCursor(at: string, code: string): string {
  return Buffer.from(JSON.stringify([at, code])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string' && v[1].length <= 64 && instantSchema.safeParse(v[0]).success)
      return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new HttpError(400, 'Invalid cursor.', [{ path: 'cursor', message: 'not a cursor this API returned' }]);
}
