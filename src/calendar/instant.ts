/**
 * An instant as the API accepts it: ISO 8601 with an offset, inside the
 * working-time calendar's range (2000–2199). Outside it no deadline can be
 * computed, so such an instant is bad input (400), not a crash.
 */
import { z } from 'zod';
import { FIRST_YEAR, LAST_YEAR } from './vietnam-calendar.js';

export const EARLIEST_MS = Date.parse(`${FIRST_YEAR}-01-01T00:00:00+07:00`);
export const LATEST_MS = Date.parse(`${LAST_YEAR}-12-31T23:59:59+07:00`);

export const instantSchema = z.iso
  .datetime({ offset: true, message: 'expected ISO 8601 date-time with an offset, e.g. 2025-01-24T10:00:00+07:00' })
  .refine((s) => {
    const t = Date.parse(s);
    // An unparseable string already has the format's message.
    return !Number.isFinite(t) || (t >= EARLIEST_MS && t <= LATEST_MS);
  }, `must be between ${FIRST_YEAR} and ${LAST_YEAR}`);

/**
 * What a page's `datetime-local` field holds (2026-03-04T10:00, seconds optional): no zone, so Vietnam's local time,
 * as an instant the API accepts; null when the text is no such value. Range and meaning are the schema's to judge.
 */
export function instantFromLocalInput(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?$/.exec(value);
  if (!m) return null;
  const iso = `${m[1]}${m[2] ?? ':00'}+07:00`;
  return Number.isFinite(Date.parse(iso)) ? iso : null;
}
