/**
 * What a citizen sees when looking up their own dossier (tra cứu hồ sơ,
 * DOMAIN §6): status, appointment, an apology with its new date and reason,
 * in Vietnamese, and nothing personal beyond what they already hold (the
 * code, a masked name). Pure: the lookup's checks (the phone's last four
 * digits) and its answer.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.js';
import { vietnameseInstant } from '../calendar/vietnamese-format.js';
import { OUTCOME_TEXT, STATUS_TEXT } from './wording.js';
import type { DossierState } from './state.js';
import { initialsOnly } from './masking.js';
import { progressAt } from './progress.js';

/** The last four digits of the phone on the dossier, compared in constant time; no phone, no match. */
export function phoneMatches(s: DossierState, last4: string): boolean {
  const digits = (s.applicant.phone ?? '').replace(/\D/g, '');
  if (digits.length < 4 || !/^\d{4}$/.test(last4)) return false;
  return timingSafeEqual(Buffer.from(digits.slice(-4)), Buffer.from(last4));
}

/**
 * What the citizen sees at `nowMs`. An open dossier past its legal appointment says so (issue 27: it showed only
 * "Đã tiếp nhận" and an appointment in the past): the one definition of overdue (progress.ts), not waiting for the
 * citizen. After a late apology the citizen was promised its new date: past that one too, it is overdue against it.
 */
export function publicProgress(s: DossierState, catalog: Catalog, nowMs: number) {
  const waiting = s.pausedSince !== null;
  const appointment = s.apology && !s.apology.reschedules ? s.apology.newDueAt : s.dueAt;
  const judged = progressAt(s, Math.max(nowMs, s.receivedAt));
  const overdue = s.finishedAt === null && !waiting && judged?.legal === 'overdue' && nowMs > appointment;
  return {
    code: s.code,
    applicant: initialsOnly(s.applicant.name),
    procedure: catalog.procedure(s.procedureCode)?.name ?? s.procedureCode,
    agency: catalog.nameOf(s.receivingAgencyCode),
    status: s.status,
    statusText: STATUS_TEXT[s.status],
    receivedAt: new Date(s.receivedAt).toISOString(),
    receivedText: vietnameseInstant(s.receivedAt),
    /** The appointment in force: after an apology, its new date (one sent too late still promised the citizen that date,
     * though the dossier is judged by the original one). */
    appointmentAt: new Date(appointment).toISOString(),
    appointmentText: vietnameseInstant(appointment),
    waitingForSupplement: waiting,
    overdue,
    overdueText: overdue
      ? `Hồ sơ đã quá ngày hẹn trả kết quả (${vietnameseInstant(appointment)}) mà chưa có kết quả.${s.apology ? '' : ' Cơ quan giải quyết chưa gửi văn bản xin lỗi và hẹn lại ngày trả kết quả.'} Ông/bà có thể liên hệ nơi tiếp nhận hồ sơ hoặc gửi phản ánh, kiến nghị.`
      : null,
    waitingText: waiting ? `Hồ sơ đang chờ bổ sung từ ${vietnameseInstant(s.pausedSince!)}; thời hạn giải quyết tính lại khi nhận đủ hồ sơ bổ sung.` : null,
    apology: s.apology && {
      issuedAt: new Date(s.apology.issuedAt).toISOString(),
      issuedText: vietnameseInstant(s.apology.issuedAt),
      newAppointmentAt: new Date(s.apology.newDueAt).toISOString(),
      newAppointmentText: vietnameseInstant(s.apology.newDueAt),
      reason: s.apology.reason,
    },
    resultReadyText: s.resultReadyAt === null ? null : vietnameseInstant(s.resultReadyAt),
    returnedText: s.returnedAt === null ? null : vietnameseInstant(s.returnedAt),
    outcome: s.outcome,
    outcomeText: s.outcome ? OUTCOME_TEXT[s.outcome] : null,
  };
}

export type PublicProgress = ReturnType<typeof publicProgress>;
