/**
 * Server-rendered pages. The calendar page is public: the year month by month
 * with days off and make-up days, and a form that explains a deadline.
 */
import { Router } from 'express';
import { instantFromLocalInput } from '../../calendar/instant.js';
import type { AppContext } from '../../app-context.js';
import { dayFromParts, isWeekend, weekdayOf, isoDateOf } from '../../calendar/local-time.js';
import { FIRST_YEAR, LAST_YEAR } from '../../calendar/vietnam-calendar.js';
import { vietnameseShortIsoDate, vietnameseShortInstant } from '../../calendar/vietnamese-format.js';
import { deadlineQuerySchema, explainDeadline, UnknownAgencyError } from '../../dossiers/explain-deadline.js';
import { renderPage } from '../../views/render.js';
import { HttpError } from '../errors.js';
import { runningCalendarRefolds } from '../../store/calendar-refolds.js';

const MONTHS = ['Tháng 1', 'Tháng 2', 'Tháng 3', 'Tháng 4', 'Tháng 5', 'Tháng 6', 'Tháng 7', 'Tháng 8', 'Tháng 9', 'Tháng 10', 'Tháng 11', 'Tháng 12'];

export function pagesRouter(ctx: AppContext): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    res.redirect('/dashboard');
  });

  router.get('/calendar/:year', async (req, res) => {
    const year = Number(req.params.year);
    if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) throw new HttpError(404, `No calendar for ${req.params.year}.`);
    const described = ctx.calendar.describeYear(year);
    // A day still statutory-only (no notice yet) is told apart from an announced one: deadlines across it are provisional.
    const tentative = (d: { confirmed: boolean }) => (d.confirmed ? '' : ' tentative');
    const marks = new Map<string, { cls: string; title: string }>();
    for (const d of described.daysOff) marks.set(d.date, { cls: `off${tentative(d)}`, title: d.confirmed ? d.name : `${d.name} (tạm tính)` });
    for (const d of described.workingWeekendDays) marks.set(d.date, { cls: `work${tentative(d)}`, title: d.confirmed ? d.name : `${d.name} (tạm tính)` });
    // Weekend days inside a holiday range are marked too, with the holiday's name.
    for (let day = dayFromParts(year, 1, 1); day <= dayFromParts(year, 12, 31); day++) {
      const reason = ctx.calendar.reasonFor(day);
      if (isWeekend(day) && !ctx.calendar.isWorkingDay(day) && reason && !/^(Thứ Bảy|Chủ nhật)$/.test(reason.name)) {
        marks.set(isoDateOf(day), { cls: 'off', title: reason.name });
      }
    }

    const months = MONTHS.map((name, m) => {
      const first = dayFromParts(year, m + 1, 1);
      const last = dayFromParts(m === 11 ? year + 1 : year, m === 11 ? 1 : m + 2, 1) - 1;
      const cells: Array<Record<string, unknown>> = Array.from({ length: (weekdayOf(first) + 6) % 7 }, () => ({}));
      for (let d = first; d <= last; d++) {
        const date = isoDateOf(d);
        const mark = marks.get(date);
        cells.push({ day: d - first + 1, date, cls: mark?.cls ?? (isWeekend(d) ? 'weekend' : ''), title: mark?.title ?? '' });
      }
      const weeks = [];
      for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
      return { name, weeks };
    });

    const days = [
      ...described.daysOff.map((d) => ({ ...d, kind: d.confirmed ? 'Nghỉ' : 'Nghỉ (tạm tính)', cls: `off${tentative(d)}` })),
      ...described.workingWeekendDays.map((d) => ({ ...d, kind: d.confirmed ? 'Làm bù' : 'Làm bù (tạm tính)', cls: `work${tentative(d)}` })),
    ]
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((d) => ({ ...d, dateText: vietnameseShortIsoDate(d.date) }));

    const form = {
      received: String(req.query.received ?? ''),
      duration: String(req.query.duration ?? ''),
      unit: String(req.query.unit ?? 'working-days'),
      agency: String(req.query.agency ?? ''),
    };
    let deadline: Record<string, unknown> | undefined;
    let error: string | undefined;
    if (form.received) {
      // The form's datetime-local has no zone: it is Vietnam's local time.
      const received = instantFromLocalInput(form.received) ?? form.received;
      const parsed = deadlineQuerySchema.safeParse({ ...form, received, agency: form.agency || undefined });
      if (!parsed.success) error = 'Thông tin chưa hợp lệ: ' + parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      else {
        try {
          const r = explainDeadline(ctx.calendar, ctx.catalog, parsed.data);
          deadline = {
            ...r,
            clockStartsText: vietnameseShortInstant(Date.parse(r.clockStartsAt)),
            dueText: vietnameseShortInstant(Date.parse(r.dueAt)),
            skipped: r.skipped.map((s) => ({ ...s, dateText: vietnameseShortIsoDate(s.date) })),
            provisionalEntries: r.provisionalEntries.map((e) => ({ ...e, dateText: vietnameseShortIsoDate(e.date) })),
          };
        } catch (err) {
          if (err instanceof UnknownAgencyError) error = `Không có cơ quan mã "${form.agency}".`;
          else if (err instanceof RangeError) error = 'Ngày nằm ngoài phạm vi lịch.';
          else throw err;
        }
      }
    }

    res.type('html').send(
      renderPage('calendar', {
        title: `Lịch làm việc ${year}`,
        currentYear: year,
        year: {
          ...described,
          partlyAnnounced: described.origin === 'official',
          lunarNewYearText: vietnameseShortIsoDate(described.lunarNewYear),
          hungKingsText: vietnameseShortIsoDate(described.hungKings),
        },
        calendarVersion: ctx.calendar.version,
        // An import's re-fold still running (or interrupted and being resumed): deadlines shown may still move.
        refolds: (await runningCalendarRefolds(ctx.db.pool)).map((r) => ({ ...r, startedText: vietnameseShortInstant(r.startedAt.getTime()) })),
        prevYear: Math.max(FIRST_YEAR, year - 1),
        nextYear: Math.min(LAST_YEAR, year + 1),
        months,
        days,
        form,
        deadline,
        error,
      }),
    );
  });

  return router;
}
