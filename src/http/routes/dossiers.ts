/**
 * Reading dossiers: one with its history, or a filtered list with cursor
 * pagination, always within the caller's agencies.
 */
import { Router } from 'express';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { formatLocalInstant } from '../../calendar/local-time.js';
import { instantSchema } from '../../calendar/instant.js';
import type { DossierState } from '../../dossiers/fold.js';
import { dossierView } from '../../dossiers/view.js';
import { lateWithoutApologyNowSql, legalOpenSql, rateOverdueAtSql } from '../../dossiers/progress-sql.js';
import { scopeOf } from '../auth.js';
import { HttpError } from '../errors.js';
import { loadScopedDossier } from './letters.js';
import { recordPersonalDataRead } from '../../store/audit-reads.js';
import { noQuery } from '../query.js';

const dateOrInstant = z.union([z.iso.date().refine((d) => d >= '2000-01-01' && d <= '2199-12-31', 'must be between 2000 and 2199'), instantSchema]);

export const listQuerySchema = z.strictObject({
  agency: z.string().optional(),
  status: z.enum(['received', 'processing', 'supplement_requested', 'processed', 'returned', 'refused', 'withdrawn']).optional(),
  outcome: z.enum(['early', 'on_time', 'late', 'on_track', 'due_soon', 'overdue', 'waiting_for_citizen']).optional(),
  flag: z.enum(['late_without_apology', 'apology_too_late', 'declared_due_mismatch', 'repeated_supplement']).optional(),
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
    await recordPersonalDataRead(ctx.db.pool, scope.key, state.code, 'api:dossier');
    const events = await ctx.db.kysely
      .selectFrom('dossier_events')
      .select(['seq', 'event_id', 'type', 'occurred_at', 'recorded_at', 'body'])
      .where('dossier_code', '=', req.params.code)
      .orderBy('occurred_at')
      .orderBy('seq')
      .execute();
    res.json({
      ...dossierView(state, ctx.foldContext(), ctx.now()),
      events: events.map((e) => ({
        seq: e.seq,
        eventId: e.event_id,
        type: e.type,
        occurredAt: formatLocalInstant(new Date(e.occurred_at).getTime()),
        recordedAt: formatLocalInstant(new Date(e.recorded_at).getTime()),
        body: e.body,
      })),
    });
  });

  router.get('/dossiers', async (req, res) => {
    const scope = scopeOf(res);
    const q = listQuerySchema.parse(req.query);
    const now = new Date(ctx.now());
    let query = ctx.db.kysely.selectFrom('dossiers').select(['code', 'received_at', 'state']);
    if (!scope.all) query = query.where(sql<boolean>`agency_codes && ${sql.val(scope.key.agencyCodes)}::text[]`);
    if (q.agency) {
      if (!ctx.catalog.agency(q.agency)) throw new HttpError(400, `Unknown agency ${q.agency}.`, [{ path: 'agency', message: 'unknown agency' }]);
      if (!scope.coversPath(ctx.catalog.pathOf(q.agency))) throw new HttpError(403, `Agency ${q.agency} is outside this key's agencies.`);
      query = query.where(sql<boolean>`agency_codes @> ARRAY[${q.agency}]::text[]`);
    }
    if (q.status) query = query.where('status', '=', q.status);
    if (q.procedure) query = query.where('procedure_code', '=', q.procedure);
    if (q.flag === 'late_without_apology') {
      // Finished late without one, or legally overdue now with none issued (progress.ts lateWithoutApologyAt).
      query = query.where(sql<boolean>`${sql.raw(lateWithoutApologyNowSql(`'${now.toISOString()}'::timestamptz`))}`);
    } else if (q.flag) query = query.where(sql<boolean>`flags @> ARRAY[${q.flag}]::text[]`);
    if (q.receivedFrom) query = query.where('received_at', '>=', startOf(q.receivedFrom));
    if (q.receivedTo) query = query.where('received_at', q.receivedTo.length > 10 ? '<=' : '<', startOf(q.receivedTo, true));
    switch (q.outcome) {
      case 'early':
      case 'on_time':
      case 'late':
        query = query.where('outcome', '=', q.outcome);
        break;
      case 'overdue':
      case 'due_soon':
      case 'waiting_for_citizen':
        // The legal judgment now, as the dossier's own page shows it (progress-sql.ts).
        // `now` is our own Date: its ISO form is a safe literal.
        query = query.where(sql<boolean>`${sql.raw(legalOpenSql[q.outcome](`'${now.toISOString()}'::timestamptz`))}`);
        break;
      case 'on_track': {
        // Within time: running and not yet due soon, or waiting for the citizen with the request made in time
        // (the 766 judgment the reports count as on track).
        const t = `'${now.toISOString()}'::timestamptz`;
        query = query.where(sql<boolean>`${sql.raw(`(${legalOpenSql.on_track(t)} OR (${legalOpenSql.waiting_for_citizen(t)} AND NOT ${rateOverdueAtSql(t)}))`)}`);
        break;
      }
    }
    if (q.cursor) {
      const [at, code] = decodeCursor(q.cursor);
      query = query.where(sql<boolean>`(received_at, code) > (${at}::timestamptz, ${code})`);
    }
    const rows = await query.orderBy('received_at').orderBy('code').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    res.json({
      items: page.map((r) => dossierView(r.state as DossierState, ctx.foldContext(), ctx.now())),
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
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string' && v[1].length <= 64 && instantSchema.safeParse(v[0]).success) return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new HttpError(400, 'Invalid cursor.', [{ path: 'cursor', message: 'not a cursor this API returned' }]);
}
