/**
 * Office hours (giờ hành chính) of an agency: the intervals of a working day
 * during which the deadline clock runs. Set locally; inherited down the agency
 * tree (see agencies), default 08:00–12:00 and 13:00–17:00.
 */
import { z } from 'zod';
import { MINUTE_MS, parseClock } from './local-time.js';

const PATTERN = /^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

export const DEFAULT_OFFICE_HOURS = ['08:00-12:00', '13:00-17:00'];

export const officeHoursSchema = z
  .array(z.string().regex(PATTERN, 'expected "HH:MM-HH:MM" (00:00–24:00)'))
  .min(1)
  .max(6)
  .superRefine((intervals, ctx) => {
    let previousEnd = -1;
    intervals.forEach((s, i) => {
      // Entries that failed the pattern already have their message.
      if (!PATTERN.test(s)) return;
      const [start, end] = s.split('-').map(toMinutes) as [number, number];
      if (end <= start) ctx.addIssue({ code: 'custom', message: 'interval ends before it starts', path: [i] });
      if (start < previousEnd) ctx.addIssue({ code: 'custom', message: 'intervals must be in order and not overlap', path: [i] });
      previousEnd = end;
    });
  });

export type OfficeHours = z.infer<typeof officeHoursSchema>;

function toMinutes(hhmm: string): number {
  return hhmm === '24:00' ? 1440 : parseClock(hhmm);
}

/** Intervals as [startMs, endMs) offsets from local midnight. */
export function officeIntervalsMs(hours: OfficeHours): Array<[number, number]> {
  return hours.map((s) => {
    const [a, b] = s.split('-') as [string, string];
    return [toMinutes(a) * MINUTE_MS, toMinutes(b) * MINUTE_MS];
  });
}
