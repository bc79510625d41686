/**
 * The official yearly day-off schedule for civil servants, as an
 * administrator loads it (PUT /api/v1/calendar/:year) or as shipped in
 * `official-schedules.ts`. Every entry carries the act it comes from.
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

export const dayOffEntrySchema = z
  .object({
    from: isoDateSchema,
    /** Inclusive; omitted for a single day. Ranges may include weekends, as announcements write them. */
    to: isoDateSchema.optional(),
    name: z.string().min(1),
    source: z.string().min(1, 'every entry needs its legal source'),
  })
  .refine((e) => !e.to || e.to >= e.from, { message: '"to" must not be before "from"', path: ['to'] });

export const workingWeekendEntrySchema = z
  .object({
    date: isoDateSchema,
    name: z.string().min(1),
    source: z.string().min(1, 'every entry needs its legal source'),
  })
  .refine((e) => isWeekend(dayFromIsoDate(e.date)), {
    message: 'a make-up working day (làm bù) must be a Saturday or Sunday',
    path: ['date'],
  });

export const officialScheduleSchema = z
  .object({
    year: z.number().int().min(2000).max(2199),
    /**
     * False when the entries could not be checked against the announcement
     * itself: deadlines in that year stay provisional.
     */
    confirmed: z.boolean().default(true),
    daysOff: z.array(dayOffEntrySchema),
    workingWeekendDays: z.array(workingWeekendEntrySchema).default([]),
    note: z.string().optional(),
  })
  .superRefine((s, ctx) => {
    // Announcements may spill one day into the neighbouring year (New Year 2023 began on 31 Dec 2022).
    const inWindow = (d: string) => Math.abs(Number(d.slice(0, 4)) - s.year) <= 1;
    s.daysOff.forEach((e, i) => {
      if (!inWindow(e.from) || (e.to && !inWindow(e.to)))
        ctx.addIssue({ code: 'custom', message: `outside ${s.year}`, path: ['daysOff', i] });
    });
    s.workingWeekendDays.forEach((e, i) => {
      if (!e.date.startsWith(String(s.year)))
        ctx.addIssue({ code: 'custom', message: `outside ${s.year}`, path: ['workingWeekendDays', i, 'date'] });
    });
  });

export type OfficialSchedule = z.infer<typeof officialScheduleSchema>;
export type OfficialScheduleInput = z.input<typeof officialScheduleSchema>;
