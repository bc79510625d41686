/**
 * Whether next year's official Tết schedule is loaded. From 1 October (the
 * announcements usually come in October–December) a missing one is a risk:
 * deadlines already reaching into January and February are computed from the
 * statutory prediction. Pure: the reminder job and the dashboard banner ask it.
 */
import { dayFromParts, localDayOf, partsOf } from './local-time.js';
import type { VietnamCalendar } from './vietnam-calendar.js';

export const REMINDER_FROM = { month: 10, day: 1 };

/** The year whose Tết schedule is still missing, or null (before 1 October, or already loaded and confirmed). */
export function missingTetSchedule(calendar: VietnamCalendar, nowMs: number): number | null {
  const today = partsOf(localDayOf(nowMs));
  if (localDayOf(nowMs) < dayFromParts(today.year, REMINDER_FROM.month, REMINDER_FROM.day)) return null;
  const next = today.year + 1;
  const file = calendar.officialYear(next);
  const tetConfirmed = file?.days.some((d) => d.confirmed && /Tết Nguyên đán/.test(d.name)) ?? false;
  return tetConfirmed ? null : next;
}

/** The first instant of a year in Vietnam, for "deadlines that reach into it". */
export function yearStart(year: number): number {
  return dayFromParts(year, 1, 1) * 86_400_000 - 7 * 3_600_000;
}
