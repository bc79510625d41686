/**
 * The new appointment an apology proposes (Decree 61/2018 Art. 19(9); DOMAIN
 * §4): a real appointment, in the future, after the original due instant, on a
 * working day within office hours. Given as a number of whole working days,
 * it is counted from the later of now and the current due instant, so that an
 * apology written after the due instant never promises a time already past.
 */
import { localDayOf } from '../calendar/local-time.js';
import type { WorkingTimeIndex } from '../calendar/working-time.js';
import type { DossierState } from './state.js';

/**
 * Whether an apology issued at `issuedAt` is in time for the appointment `dueAt`: no later than `daysBefore` days
 * before the due date, judged by date (Decree 118/2025 Art. 19(6); Decree 61/2018 Art. 19(9): chậm nhất 01 ngày
 * trước ngày hết hạn). One issued later is a violation (apology_too_late) and, being no lawful rescheduling, leaves
 * the appointment as it was: the dossier stays overdue, then late.
 */
export function lawfulApology(issuedAt: number, dueAt: number, daysBefore: number): boolean {
  return localDayOf(issuedAt) <= localDayOf(dueAt) - daysBefore;
}

/**
 * The instant an apology is judged at: when it reached the applicant (its first `apology_delivered`: the gateway
 * accepted the e-mail, SMS or Zalo message, or the counter handed it over), else when it was issued. Art. 19(6) has
 * the agency *send* the applicant the apology by the limit (DOMAIN §4), so delivery is what the law times. Without a
 * delivery recorded the issuing instant stands, as before deliveries were recorded, and the dossier page says "not
 * delivered": reading an undelivered apology as timely when issued in time is an **Inference**, kept so that
 * agencies that hand apologies over without recording it are not all flagged at once.
 */
export function apologyJudgedAt(apology: { issuedAt: number; deliveredAt?: number | null }): number {
  return apology.deliveredAt ?? apology.issuedAt;
}

export type Proposal = { ok: true; newDueAt: number } | { ok: false; path: 'newDueAt' | 'extraWorkingDays'; message: string };

/** Open at that instant, or exactly at a closing time (an appointment at 17:00 is kept). */
export function withinOfficeHours(index: WorkingTimeIndex, t: number): boolean {
  if (!index.calendar.isWorkingDay(localDayOf(t))) return false;
  return index.nextOpening(t) === t || index.instantAtElapsed(index.elapsedAt(t)) === t;
}

export function proposeNewDue(s: DossierState, index: WorkingTimeIndex, nowMs: number, request: { extraWorkingDays?: number; newDueAt?: number }): Proposal {
  if (request.extraWorkingDays !== undefined) {
    return { ok: true, newDueAt: index.add(Math.max(nowMs, s.dueAt), request.extraWorkingDays * index.dayMs) };
  }
  const t = request.newDueAt!;
  if (t <= nowMs) return { ok: false, path: 'newDueAt', message: 'the new appointment must be in the future' };
  if (t <= s.originalDueAt) return { ok: false, path: 'newDueAt', message: 'the new appointment must be after the original due instant' };
  if (!index.calendar.isWorkingDay(localDayOf(t))) return { ok: false, path: 'newDueAt', message: 'the new appointment must fall on a working day' };
  if (!withinOfficeHours(index, t))
    return { ok: false, path: 'newDueAt', message: `the new appointment must be within office hours (${index.officeHours.join(', ')})` };
  return { ok: true, newDueAt: t };
}
