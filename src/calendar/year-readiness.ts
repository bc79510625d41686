/**
 * Whether next year's official Tết schedule is loaded. From 1 October (the
 * announcements usually come in October–December) a missing one is a risk:
 * deadlines already reaching into January and February are computed from the
 * statutory prediction. Pure: the reminder job and the dashboard banner ask it.
 */
import { dayFromParts, localDayOf, partsOf } from './local-time.js';
import { LAST_YEAR, type CalendarEntry, type VietnamCalendar } from './vietnam-calendar.js';

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

/** Rest days ahead that no official notice confirms yet, and whether next year's Tết schedule is the one missing. */
export interface PendingNotices {
  /** The last year looked at: this year, or from 1 October next year too. */
  year: number;
  tetMissing: boolean;
  /** Statutory-only entries from today to the end of `year` (e.g. 2027's New Year, Hùng Kings, 30 Apr, 3 May, 24 Nov). */
  entries: CalendarEntry[];
}

/**
 * What the weekly reminder is about (issue 23 item 8): a deadline crossing a statutory-only day is provisional until
 * the Prime Minister's notice for it is loaded, so the reminder keeps running while any such day lies ahead: in this
 * year, and from 1 October in the next one too. Null when every rest day ahead is confirmed.
 */
export function pendingNotices(calendar: VietnamCalendar, nowMs: number): PendingNotices | null {
  const today = localDayOf(nowMs);
  const parts = partsOf(today);
  const year = Math.min(LAST_YEAR, today >= dayFromParts(parts.year, REMINDER_FROM.month, REMINDER_FROM.day) ? parts.year + 1 : parts.year);
  const tetMissing = missingTetSchedule(calendar, nowMs) !== null;
  const entries = calendar.provisionalEntries(today, dayFromParts(year, 12, 31));
  return entries.length === 0 && !tetMissing ? null : { year, tetMissing, entries };
}

/** The first instant of a year in Vietnam, for "deadlines that reach into it". */
export function yearStart(year: number): number {
  return dayFromParts(year, 1, 1) * 86_400_000 - 7 * 3_600_000;
}
