/**
 * The working-time calendar: public reads (a year, a deadline, an iCalendar
 * feed) and the administrator's correction of a year's official schedule.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { yearToIcs } from '../../calendar/ical.js';
import { parseCalendarYear, type CalendarYearFile } from '../../calendar/calendar-file.js';
import { FIRST_YEAR, LAST_YEAR } from '../../calendar/vietnam-calendar.js';
import { deadlineQuerySchema, explainDeadline, UnknownAgencyError } from '../../dossiers/explain-deadline.js';
import { applyCalendarImport, previewCalendarImport } from '../../store/calendar-store.js';
import { requireRole, scopeOf, type Scope } from '../auth.js';
import { HttpError } from '../errors.js';

const yearSchema = z.coerce.number().int().min(FIRST_YEAR).max(LAST_YEAR);

function parseYear(raw: string): number {
  const parsed = yearSchema.safeParse(raw);
  if (!parsed.success)
    throw new HttpError(400, `year must be between ${FIRST_YEAR} and ${LAST_YEAR}`, [{ path: 'year', message: parsed.error.issues[0]!.message }]);
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

  const parseFile = (body: unknown) => {
    const parsed = parseCalendarYear(body);
    if (!parsed.success) throw parsed.error;
    return parsed.data;
  };
  /**
   * The year is national and any admin loads it; the dossiers whose due instant moves are listed only where the
   * key reaches (issue 28: an admin's agencies bound it like anyone's), by the agency that received them.
   */
  const visible = <T extends { agencyCode: string }>(scope: Scope, moved: T[]) =>
    scope.all ? moved : moved.filter((m) => scope.coversPath(ctx.catalog.pathOf(m.agencyCode)));
  const apply = async (file: CalendarYearFile, by: string) =>
    applyCalendarImport(
      { pool: ctx.db.pool, calendar: ctx.calendar, catalog: ctx.catalog },
      file,
      by,
      (calendar) => {
        ctx.calendar = calendar;
      },
      // A shutdown stops it after the batch in flight; the next start finishes it (calendar_refolds).
      { stopping: () => ctx.stopping },
    );

  /**
   * Imports a year file: `?dryRun=true` answers the preview (what changes, which
   * open dossiers' due instants move) and writes nothing; otherwise the year is
   * recorded as a new revision and the dossiers it touches are re-folded.
   */
  router.post('/calendar/import', requireRole('admin'), async (req, res) => {
    const { dryRun } = importQuerySchema.parse(req.query);
    const file = parseFile(req.body);
    if (dryRun) {
      const { calendar: _next, codes: _codes, ...preview } = await previewCalendarImport(ctx.db.pool, ctx.calendar, ctx.catalog, file);
      res.json({ dryRun: true, ...preview, moved: visible(scopeOf(res), preview.moved) });
      return;
    }
    const result = await apply(file, scopeOf(res).principal.label);
    res.json({ dryRun: false, ...result, moved: visible(scopeOf(res), result.moved) });
  });

  /** Loads or corrects a year (either file format); the same import, applied at once. */
  router.put('/calendar/:year', requireRole('admin'), async (req, res) => {
    const year = parseYear(String(req.params.year));
    if (req.body?.year !== undefined && req.body.year !== year) {
      throw new HttpError(400, 'The body is for another year than the URL.', [{ path: 'year', message: `expected ${year}` }]);
    }
    const file = parseFile({ ...req.body, year });
    const result = await apply(file, scopeOf(res).principal.label);
    res.json({
      ...ctx.calendar.describeYear(year),
      calendarVersion: result.calendarVersion,
      revision: result.revision,
      changes: result.changes,
      moved: visible(scopeOf(res), result.moved),
      dossiersRecomputed: result.refolded,
    });
  });

  return router;
}

const importQuerySchema = z.strictObject({
  dryRun: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
