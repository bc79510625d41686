/**
 * POST /api/v1/events: one event or a batch of up to 1,000. All or nothing:
 * any invalid event rejects the batch with every bad index named. Valid ones
 * go through the context's ingestion (src/ingestion.ts), as every writer's do.
 */
import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { dossierEventSchema, MAX_BATCH, type DossierEvent } from '../../dossiers/events.js';
import { noQuery } from '../query.js';
import { ingestAs } from '../ingest-as.js';
import { requireRole, scopeOf } from '../auth.js';
import { fieldIssues, HttpError, type FieldIssue } from '../errors.js';
import { endedMonthsFrom } from '../../reports/periods.js';

const eventIdOf = (item: unknown): string | undefined => {
  const id = (item as { eventId?: unknown } | null)?.eventId;
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
};

export function eventsRouter(ctx: AppContext): Router {
  const router = Router();

  router.post('/events', requireRole('counter', 'supervisor', 'admin'), async (req, res) => {
    noQuery(req);
    const single = !Array.isArray(req.body);
    const raw: unknown[] = single ? [req.body] : req.body;
    if (raw.length === 0) throw new HttpError(400, 'The batch is empty.');
    if (raw.length > MAX_BATCH) throw new HttpError(400, `A batch holds at most ${MAX_BATCH} events; this one has ${raw.length}.`);

    const events: DossierEvent[] = [];
    const invalid: Array<{ index: number; issues: FieldIssue[] }> = [];
    raw.forEach((item, index) => {
      const parsed = dossierEventSchema.safeParse(item);
      if (parsed.success) events.push(parsed.data);
      else invalid.push({ index, issues: fieldIssues(parsed.error, single ? '' : `[${index}]`) });
    });
    if (invalid.length) {
      const errors = invalid.flatMap((i) =>
        i.issues.map((issue) => ({ ...issue, index: i.index, ...(eventIdOf(raw[i.index]) ? { eventId: eventIdOf(raw[i.index]) } : {}) })),
      );
      throw new HttpError(400, `${invalid.length} of ${raw.length} events are invalid; nothing was applied.`, errors);
    }

    // Acknowledged only once committed, alone or with the requests that arrived within the same few milliseconds.
    const result = await ingestAs(ctx, scopeOf(res), events);
    const accepted = result.results.filter((r) => r.status === 'accepted').length;
    // A void or correction says which ended months' figures it moved (DOMAIN §5, judged by what happened: the
    // report of such a month says it was revised): the month of the earliest instant it changed, and every ended one since.
    const results = result.results.map(({ correction, ...r }) =>
      correction ? { ...r, targetEventId: correction.targetEventId, affectsEndedPeriods: endedMonthsFrom(correction.affectedFrom, ctx.now()) } : r,
    );
    res.status(accepted > 0 ? 201 : 200).json({ accepted, duplicates: result.results.length - accepted, results });
  });

  return router;
}
