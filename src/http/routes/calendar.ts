/**
 * The working-time calendar: public reads (a year, a deadline, an iCalendar
 * feed) and the administrator's correction of a year's official schedule.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { yearToIcs } from '../../calendar/ical.js';
import { officialScheduleSchema } from '../../calendar/schedule-schema.js';
import { FIRST_YEAR, LAST_YEAR } from '../../calendar/vietnam-calendar.js';
import { inTransaction } from '../../db/database.js';
import { deadlineQuerySchema, explainDeadline, UnknownAgencyError } from '../../dossiers/explain-deadline.js';
import { saveCalendarYear } from '../../store/calendar-store.js';
import { refold } from '../../store/dossier-projection.js';
import { loadCalendar } from '../../store/calendar-store.js';
import { requireRole, scopeOf } from '../auth.js';
import { HttpError } from '../errors.js';

const yearSchema = z.coerce.number().int().min(FIRST_YEAR).max(LAST_YEAR);

function parseYear(raw: string): number {
  const parsed = yearSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, `year must be between ${FIRST_YEAR} and ${LAST_YEAR}`, [{ path: 'year', message: parsed.error.issues[0]!.message }]);
  return parsed.data;
}

export function calendarPublicRouter(ctx: AppContext): Router {
  const router = Router();

  router.get('/calendar/deadline', (req, res) => {
    const q = deadlineQuerySchema.parse(req.query);
    try {
      res.json(explainDeadline(ctx.calendar, ctx.catalog, q));
    } catch (err) {
      if (err instanceof UnknownAgencyError) throw new HttpError(400, err.message, [{ path: 'agency', message: 'unknown agency' }]);
      if (err instanceof RangeError) throw new HttpError(400, err.message);
      throw err;
    }
  });

  router.get('/calendar/:year', (req, res) => {
    const param = String(req.params.year);
    const ics = param.endsWith('.ics');
    const year = parseYear(ics ? param.slice(0, -4) : param);
    const described = ctx.calendar.describeYear(year);
    if (ics) {
      res.type('text/calendar; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="lich-lam-viec-${year}.ics"`);
      res.send(yearToIcs(described, new Date(ctx.now())));
    } else {
      res.json({ ...described, calendarVersion: ctx.calendar.version });
    }
  });

  return router;
}

export function calendarAdminRouter(ctx: AppContext): Router {
  const router = Router();

  /** Loads or corrects a year's official schedule; deadlines touching that year are recomputed. */
  router.put('/calendar/:year', requireRole('admin'), async (req, res) => {
    const year = parseYear(String(req.params.year));
    const schedule = officialScheduleSchema.parse({ ...req.body, year });
    if (req.body?.year !== undefined && req.body.year !== year) {
      throw new HttpError(400, 'The body is for another year than the URL.', [{ path: 'year', message: `expected ${year}` }]);
    }
    const { calendar, refolded } = await inTransaction(ctx.db.pool, async (client) => {
      await saveCalendarYear(client, schedule, scopeOf(res).key.label);
      const calendar = await loadCalendar(client);
      // A week either side: announcements spill into the neighbouring year.
      const { rows } = await client.query<{ code: string }>(
        `SELECT code FROM dossiers
         WHERE clock_starts_at < make_date($1::int + 1, 1, 8)::timestamptz
           AND due_at >= make_date($1::int, 1, 1)::timestamptz - interval '7 days'`,
        [year],
      );
      const refolded = await refold(client, rows.map((r) => r.code), { catalog: ctx.catalog, calendar });
      return { calendar, refolded };
    });
    ctx.calendar = calendar;
    res.json({ ...ctx.calendar.describeYear(year), calendarVersion: ctx.calendar.version, dossiersRecomputed: refolded });
  });

  return router;
}
