/**
 * Legal deadline rules (shared/DOMAIN.md §3): when the clock starts, how a
 * processing time in its own unit becomes a due instant, and how long the
 * apology lead time is. Pure: the working-time index is passed in.
 */
import { addMonths } from 'date-fns';
import type { DeadlineConvention, Duration } from '../rules/durations.js';
import type { WorkingTimeIndex } from '../calendar/working-time.js';
import { localDayOf, localDayStart, isoDateOf, MINUTE_MS, parseClock, dayFromParts, partsOf } from '../calendar/local-time.js';

/**
 * When the clock starts for a dossier received at `receivedAt`. Outside
 * office hours or on a rest day: the next opening (DOMAIN §3, default,
 * unconfirmed). With a cut-off (e.g. "15:00", set per province or procedure),
 * a receipt at or after it on its day counts from the next working day.
 */
export function clockStart(index: WorkingTimeIndex, receivedAtMs: number, cutoff: string | null = null): number {
  if (cutoff) {
    const day = localDayOf(receivedAtMs);
    const cutoffAt = localDayStart(day) + parseClock(cutoff) * MINUTE_MS;
    if (receivedAtMs >= cutoffAt) return index.nextOpening(localDayStart(day + 1));
  }
  return index.nextOpening(receivedAtMs);
}

/**
 * The due instant of a duration counted from the clock start.
 *
 * `extraWorkingMs` extends working-time units (the time the clock was paused
 * for supplementation); calendar units are extended by `extraCalendarDays`.
 *
 * Calendar days and months (Civil Code 2015 Art. 147–148, wording unconfirmed):
 * the first day is not counted, the period ends at the end of its last day,
 * and a period ending on a rest day ends at the close of the next working day.
 */
export function dueInstant(
  index: WorkingTimeIndex,
  clockStartMs: number,
  duration: Duration,
  convention: DeadlineConvention,
  extra?: { workingMs?: number; calendarDays?: number },
): number {
  const extraWorking = extra?.workingMs ?? 0;
  switch (duration.unit) {
    case 'working-hours':
      return index.add(clockStartMs, duration.value * 3_600_000 + extraWorking);
    case 'working-days':
      if (convention === 'end-of-day') return index.closingOfNthWorkingDayAfter(localDayOf(clockStartMs), duration.value, extraWorking);
      return index.add(clockStartMs, duration.value * index.dayMs + extraWorking);
    case 'calendar-days':
    case 'months':
      return index.closingOnOrAfter(countedEndDay(clockStartMs, duration, extra?.calendarDays)!);
  }
}

/**
 * For a calendar-day or month duration, the day its count ends on, before a
 * rest day rolls it on to the next working day; null for working time, which
 * counts only working days.
 */
export function countedEndDay(clockStartMs: number, duration: Duration, extraCalendarDays = 0): number | null {
  const startDay = localDayOf(clockStartMs);
  if (duration.unit === 'calendar-days') return startDay + duration.value + extraCalendarDays;
  if (duration.unit !== 'months') return null;
  const p = partsOf(startDay);
  const end = addMonths(new Date(Date.UTC(p.year, p.month - 1, p.day)), duration.value);
  return dayFromParts(end.getUTCFullYear(), end.getUTCMonth() + 1, end.getUTCDate()) + extraCalendarDays;
}

/**
 * What a due instant was computed from. `from` is the instant the clock start
 * was derived from (the receipt, or the completed supplement it restarted
 * from); `countedTo` is a calendar count's end day (countedEndDay), absent for
 * working time or when the due instant is an appointment rather than a count.
 */
export interface DeadlineWindow {
  from: number;
  clockStartsAt: number;
  dueAt: number;
  countedTo?: number | null;
}

/**
 * The days whose being worked or not decided the due instant, as inclusive
 * ranges: from the day the clock start was derived from to the day it
 * started (a rest day there delays the start), then the days counted.
 * Working time counts every day to the due day; a calendar count passes
 * rest days without stopping, so only those from its end day to the due day
 * (the roll to a working day) decided anything.
 */
export function decidingDays(w: DeadlineWindow): Array<[number, number]> {
  const from = localDayOf(Math.min(w.from, w.clockStartsAt));
  const start = localDayOf(w.clockStartsAt);
  const due = localDayOf(w.dueAt);
  const countedTo = w.countedTo ?? null;
  if (countedTo === null || countedTo <= start + 1) return [[from, Math.max(start, due)]];
  return [
    [from, start],
    [Math.min(countedTo, due), due],
  ];
}

/** True if a day that decided the due instant follows a calendar entry not yet confirmed. */
export function isProvisional(index: WorkingTimeIndex, w: DeadlineWindow): boolean {
  return decidingDays(w).some(([a, b]) => index.calendar.provisionalBetween(a, b));
}

/** Those entries, for the explanation. */
export function provisionalEntries(index: WorkingTimeIndex, w: DeadlineWindow) {
  return decidingDays(w)
    .flatMap(([a, b]) => index.calendar.provisionalEntries(a, b))
    .map((e) => ({ date: e.date, kind: e.kind, name: e.name, source: e.source }));
}

/** The rest days the deadline stepped over (those that decided it), with their reasons, for the explanation. */
export function skippedDays(index: WorkingTimeIndex, w: DeadlineWindow): Array<{ date: string; reason: string }> {
  const out: Array<{ date: string; reason: string }> = [];
  for (const [a, b] of decidingDays(w)) {
    for (let d = a; d <= b; d++) {
      if (!index.calendar.isWorkingDay(d)) out.push({ date: isoDateOf(d), reason: index.calendar.reasonFor(d)?.name ?? 'ngày nghỉ' });
    }
  }
  return out;
}
