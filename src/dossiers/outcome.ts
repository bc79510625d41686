/**
 * Outcome of a dossier, judged by instant, never by date alone (DOMAIN §5):
 * a dossier finished hours after the due instant on the due day is late.
 */
import { z } from 'zod';
import { localDayOf, localDayStart } from '../calendar/local-time.js';
import type { LatenessReading } from '../rules/policies.js';

export const outcomeSchema = z.enum(['early', 'on_time', 'late']);
export type Outcome = z.infer<typeof outcomeSchema>;
export const progressSchema = z.enum(['on_track', 'due_soon', 'overdue']);
export type Progress = z.infer<typeof progressSchema>;

/** The last instant that is still "in time" for an appointment under the reading. */
export function judgedDueAt(dueAtMs: number, reading: LatenessReading = 'instant'): number {
  return reading === 'date' ? localDayStart(localDayOf(dueAtMs) + 1) - 1 : dueAtMs;
}

/** late: after the due instant (or, read by date, after the due day); on time: on the due day and not after it; early: an earlier day. */
export function classifyFinished(finishedAtMs: number, dueAtMs: number, reading: LatenessReading = 'instant'): Outcome {
  if (finishedAtMs > judgedDueAt(dueAtMs, reading)) return 'late';
  return localDayOf(finishedAtMs) < localDayOf(dueAtMs) ? 'early' : 'on_time';
}

/**
 * An open dossier at `nowMs`. Due soon from the instant only the apology lead
 * time remains (`dueSoonAt`), so the alert still leaves time for an apology
 * that is not late.
 */
export function classifyOpen(nowMs: number, dueAtMs: number, dueSoonAtMs: number): Progress {
  if (nowMs > dueAtMs) return 'overdue';
  return nowMs >= dueSoonAtMs ? 'due_soon' : 'on_track';
}
