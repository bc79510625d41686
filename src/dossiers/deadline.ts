/**
 * Legal deadline rules (shared/DOMAIN.md §3): when the clock starts, how a
 * processing time in its own unit becomes a due instant, and how long the
 * apology lead time is. Pure: the working-time index is passed in.
 */
import { z } from 'zod';
import { addMonths } from 'date-fns';
import type { WorkingTimeIndex } from '../calendar/working-time.js';
import { localDayOf, localDayStart, isoDateOf, MINUTE_MS, parseClock, dayFromParts, partsOf } from '../calendar/local-time.js';

/** The national formula's DonViTinh: Giờ, Ngày, Ngày làm việc, tháng. Never coerced into each other. */
export const durationUnitSchema = z.enum(['working-days', 'working-hours', 'calendar-days', 'months']);
export type DurationUnit = z.infer<typeof durationUnitSchema>;

/**
 * How a working-day duration ends. `working-time` (Thanh Hóa, OpenCPS): one
 * working day is one day's office time and the due instant keeps the time of
 * day of the clock start. `end-of-day` (Alaveteli, Civil Code style): the
 * closing time of the n-th working day after the day the clock starts.
 */
export const deadlineConventionSchema = z.enum(['working-time', 'end-of-day']);
export type DeadlineConvention = z.infer<typeof deadlineConventionSchema>;

export const receiptCutoffSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM')
  .nullable();

/**
 * A processing time in its own unit. Calendar days and months count whole
 * days; working days may be halves (a half day is real in some catalogues);
 * working hours whole minutes. Anything finer has no meaning in law and
 * would only carry floating-point noise into instants.
 */
export const durationSchema = z
  .object({ value: z.number().positive().max(10_000), unit: durationUnitSchema })
  .superRefine((d, ctx) => {
    const ok = d.unit === 'working-days' ? Number.isInteger(d.value * 2) : d.unit === 'working-hours' ? Number.isInteger(Math.round(d.value * 60 * 1e6) / 1e6) : Number.isInteger(d.value);
    if (!ok) ctx.addIssue({ code: 'custom', path: ['value'], message: { 'working-days': 'working days in halves (0.5, 1, 1.5 …)', 'working-hours': 'working hours in whole minutes', 'calendar-days': 'a whole number of days', months: 'a whole number of months' }[d.unit] });
  });
export type Duration = z.infer<typeof durationSchema>;

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
  const extraDays = extra?.calendarDays ?? 0;
  switch (duration.unit) {
    case 'working-hours':
      return index.add(clockStartMs, duration.value * 3_600_000 + extraWorking);
    case 'working-days':
      if (convention === 'end-of-day') return index.closingOfNthWorkingDayAfter(localDayOf(clockStartMs), duration.value, extraWorking);
      return index.add(clockStartMs, duration.value * index.dayMs + extraWorking);
    case 'calendar-days':
      return index.closingOnOrAfter(localDayOf(clockStartMs) + duration.value + extraDays);
    case 'months': {
      const p = partsOf(localDayOf(clockStartMs));
      const end = addMonths(new Date(Date.UTC(p.year, p.month - 1, p.day)), duration.value);
      const endDay = dayFromParts(end.getUTCFullYear(), end.getUTCMonth() + 1, end.getUTCDate());
      return index.closingOnOrAfter(endDay + extraDays);
    }
  }
}

/** True if a day from the clock start to the due instant follows a calendar entry not yet confirmed. */
export function isProvisional(index: WorkingTimeIndex, fromMs: number, toMs: number): boolean {
  return index.calendar.provisionalBetween(localDayOf(fromMs), localDayOf(toMs));
}

/** Those entries, for the explanation. */
export function provisionalEntries(index: WorkingTimeIndex, fromMs: number, toMs: number) {
  return index.calendar.provisionalEntries(localDayOf(fromMs), localDayOf(toMs)).map((e) => ({ date: e.date, kind: e.kind, name: e.name, source: e.source }));
}

/** The rest days a deadline stepped over, with their reasons, for the explanation. */
export function skippedDays(index: WorkingTimeIndex, fromMs: number, toMs: number): Array<{ date: string; reason: string }> {
  const out: Array<{ date: string; reason: string }> = [];
  for (let d = localDayOf(fromMs); d <= localDayOf(toMs); d++) {
    if (!index.calendar.isWorkingDay(d)) out.push({ date: isoDateOf(d), reason: index.calendar.reasonFor(d)?.name ?? 'ngày nghỉ' });
  }
  return out;
}

