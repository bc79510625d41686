/**
 * POST /api/v1/dossiers/:code/apology: draft the apology from the API. The
 * new appointment is given, or computed by the calendar from a number of
 * extra working days after the current due instant; the apology_issued
 * event is recorded like any other (a second one is refused with 422).
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { formatLocalInstant } from '../../calendar/local-time.js';
import type { DossierEvent } from '../../dossiers/events.js';
import { ingestEvents } from '../../store/event-store.js';
import { requireRole, scopeOf } from '../auth.js';
import { loadScopedDossier } from './letters.js';

export const apologyRequestSchema = z
  .object({
    reason: z.string().trim().min(1).max(2000),
    extraWorkingDays: z.number().positive().max(365).optional(),
    newDueAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((b) => (b.extraWorkingDays === undefined) !== (b.newDueAt === undefined), {
    message: 'give exactly one of extraWorkingDays or newDueAt',
    path: ['extraWorkingDays'],
  });

export function apologyRouter(ctx: AppContext): Router {
  const router = Router();
  router.post('/dossiers/:code/apology', requireRole('counter', 'supervisor', 'admin'), async (req, res) => {
    const body = apologyRequestSchema.parse(req.body);
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, String(req.params.code), scope);
    const index = ctx.calendar.workingTime(s.rules.policies.officeHours);
    const newDueAt = body.newDueAt ? Date.parse(body.newDueAt) : index.add(s.dueAt, body.extraWorkingDays! * index.dayMs);
    const event = {
      eventId: randomUUID(),
      type: 'apology_issued',
      dossierCode: s.code,
      occurredAt: formatLocalInstant(ctx.now()),
      reason: body.reason,
      newDueAt: formatLocalInstant(newDueAt),
    } satisfies DossierEvent;
    await ingestEvents(ctx.db.pool, ctx.foldContext(), [event], { actor: { id: scope.key.id, role: scope.key.role } });
    res.status(201).json({
      eventId: event.eventId,
      newDueAt: event.newDueAt,
      letterUrl: `${ctx.publicUrl}/letters/${encodeURIComponent(s.code)}/apology`,
    });
  });
  return router;
}
