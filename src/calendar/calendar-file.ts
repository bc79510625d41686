/**
 * A year of the civil-servant calendar as data (`fixtures/calendar/VN-YYYY.json`,
 * or a file an administrator imports): every day that differs from the
 * Monday–Friday week, each with its kind, name, the act it comes from and
 * whether that act was read (`confirmed`). A year with no file falls back to
 * the statutory rules (statutory-holidays.ts), every entry unconfirmed.
 */
import { z } from 'zod';
import { dayFromIsoDate, isWeekend } from './local-time.js';

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'not a calendar date');

/**
 * `holiday`: a public holiday itself (Labour Code Art. 112, Resolution 28/2026);
 * `compensatory`: nghỉ bù for a holiday on a weekly rest day (Art. 111(3));
 * `swap`: a working day given off in exchange for a Saturday (hoán đổi);
 * `makeup`: that Saturday, worked (làm bù).
 */
export const calendarDayKindSchema = z.enum(['holiday', 'compensatory', 'swap', 'makeup']);
export type CalendarDayKind = z.infer<typeof calendarDayKindSchema>;

export const calendarDaySchema = z.strictObject({
  date: isoDateSchema,
  kind: calendarDayKindSchema,
  name: z.string().trim().min(1).max(300),
  source: z.string().trim().min(1, 'every entry needs its legal source').max(500),
  /** False while the day follows only the statutory rule, not an announcement that was read. */
  confirmed: z.boolean(),
});
export type CalendarDay = z.infer<typeof calendarDaySchema>;

export const calendarYearFileSchema = z
  .strictObject({
    year: z.number().int().min(2000).max(2199),
    /** Where the file's dates come from, in a sentence. */
    note: z.string().max(2000).optional(),
    days: z.array(calendarDaySchema).max(366),
  })
  // Runs even when single days failed, so that one answer names every problem of the file.
  .superRefine(
    (file, ctx) => {
      if (!Array.isArray(file?.days)) return;
      const seen = new Map<string, number>();
      file.days.forEach((d, i) => {
        if (!d || typeof d.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(d.date)) return;
        if (typeof file.year === 'number' && !d.date.startsWith(`${file.year}-`))
          ctx.addIssue({ code: 'custom', message: `${d.date} is outside ${file.year}`, path: ['days', i, 'date'] });
        const first = seen.get(d.date);
        if (first !== undefined) ctx.addIssue({ code: 'custom', message: `${d.date} is listed twice (first at days[${first}])`, path: ['days', i, 'date'] });
        else seen.set(d.date, i);
        const weekend = isWeekend(dayFromIsoDate(d.date));
        if (d.kind === 'makeup' && !weekend)
          ctx.addIssue({ code: 'custom', message: 'a make-up working day (làm bù) must be a Saturday or Sunday', path: ['days', i, 'kind'] });
        if ((d.kind === 'compensatory' || d.kind === 'swap') && weekend)
          ctx.addIssue({ code: 'custom', message: `a ${d.kind} day off must be a weekday`, path: ['days', i, 'kind'] });
      });
    },
    { when: () => true },
  );
export type CalendarYearFile = z.infer<typeof calendarYearFileSchema>;

/**
 * The range format of the first API version (PUT /calendar/:year with
 * `daysOff` ranges and `workingWeekendDays`), still accepted and stored in
 * older databases: each weekday of a range becomes a day.
 */
export const legacyScheduleSchema = z.object({
  year: z.number().int().min(2000).max(2199),
  confirmed: z.boolean().default(true),
  // Bounded as the year file is (a year has at most 366 days, a name 300 characters, a source 500).
  daysOff: z
    .array(
      z
        .object({
          from: isoDateSchema,
          to: isoDateSchema.optional(),
          name: z.string().min(1).max(300),
          source: z.string().min(1, 'every entry needs its legal source').max(500),
        })
        .refine((e) => !e.to || e.to >= e.from, { message: '"to" must not be before "from"', path: ['to'] }),
    )
    .max(366),
  workingWeekendDays: z
    .array(
      z
        .object({ date: isoDateSchema, name: z.string().min(1).max(300), source: z.string().min(1, 'every entry needs its legal source').max(500) })
        .refine((e) => isWeekend(dayFromIsoDate(e.date)), { message: 'a make-up working day (làm bù) must be a Saturday or Sunday', path: ['date'] }),
    )
    .max(366)
    .default([]),
  note: z.string().max(2000).optional(),
});
export type LegacySchedule = z.infer<typeof legacyScheduleSchema>;

export function fromLegacySchedule(s: LegacySchedule): unknown {
  const days: Array<Record<string, unknown>> = [];
  // Only the days of the year are walked: a range from 0000-01-01 to 9999-12-31 walked 3.6 million days before
  // looking at the year, 3 s of a blocked loop per range (issue 29).
  const firstOfYear = dayFromIsoDate(`${s.year}-01-01`);
  const lastOfYear = dayFromIsoDate(`${s.year}-12-31`);
  for (const e of s.daysOff) {
    const from = dayFromIsoDate(e.from);
    const to = e.to ? dayFromIsoDate(e.to) : from;
    for (let d = Math.max(from, firstOfYear); d <= Math.min(to, lastOfYear); d++) {
      const date = new Date(d * 86_400_000).toISOString().slice(0, 10);
      const kind = /bù/i.test(e.name) && d !== from && !isWeekend(d) ? 'compensatory' : 'holiday';
      days.push({ date, kind, name: e.name, source: e.source, confirmed: s.confirmed });
    }
  }
  for (const e of s.workingWeekendDays) days.push({ date: e.date, kind: 'makeup', name: e.name, source: e.source, confirmed: s.confirmed });
  return { year: s.year, ...(s.note ? { note: s.note } : {}), days };
}

/** A year file in either format; the legacy one is converted, then checked as a year file. */
export function parseCalendarYear(input: unknown): z.ZodSafeParseResult<CalendarYearFile> {
  if (input && typeof input === 'object' && 'daysOff' in input) {
    const legacy = legacyScheduleSchema.safeParse(input);
    if (!legacy.success) return legacy as unknown as z.ZodSafeParseResult<CalendarYearFile>;
    return calendarYearFileSchema.safeParse(fromLegacySchedule(legacy.data));
  }
  return calendarYearFileSchema.safeParse(input);
}
