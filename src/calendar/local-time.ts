/**
 * Local days and instants in Vietnam's zone.
 *
 * Asia/Ho_Chi_Minh has been UTC+7 without daylight saving since 13 June 1975
 * (tzdb), and the working-time index starts in 2000, so a local day is plain
 * arithmetic on the UTC instant: this keeps the hot path free of zone lookups.
 * A test checks the arithmetic against @date-fns/tz over the whole range.
 * Display goes through @date-fns/tz so that any future zone change is picked up there.
 */
import { TZDate } from '@date-fns/tz';
import { formatISO } from 'date-fns';

export const ZONE = 'Asia/Ho_Chi_Minh';
export const ZONE_OFFSET_MS = 7 * 3_600_000;
export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/** Days since 1970-01-01 of the local (UTC+7) calendar day holding the instant. */
export function localDayOf(instantMs: number): number {
  return Math.floor((instantMs + ZONE_OFFSET_MS) / DAY_MS);
}

/** The instant of local midnight starting a local day. */
export function localDayStart(day: number): number {
  return day * DAY_MS - ZONE_OFFSET_MS;
}

/** Day number of an ISO calendar date `YYYY-MM-DD`. */
export function dayFromIsoDate(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!) / DAY_MS;
}

export function dayFromParts(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** `YYYY-MM-DD` of a day number. */
export function isoDateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Parts of a day number. */
export function partsOf(day: number): { year: number; month: number; day: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
}

/** ISO 8601 with the +07:00 offset, e.g. `2025-01-24T10:00:00+07:00`. */
export function formatLocalInstant(instantMs: number): string {
  return formatISO(new TZDate(instantMs, ZONE));
}

/** Minutes since local midnight, e.g. "13:30" → 810. */
export function parseClock(hhmm: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!match) throw new Error(`invalid time of day "${hhmm}", expected HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export const VIETNAMESE_WEEKDAYS = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'] as const;

/** The year in Việt Nam at an instant (the page footer's calendar link: 31 Dec 2026 18:00 UTC is already 2027 there). */
export function yearInVietnam(ms: number): number {
  return partsOf(localDayOf(ms)).year;
}
