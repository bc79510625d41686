/**
 * A late dossier's explanation (giải trình, issue 25 item 5), pure: the handling unit says why a dossier finished
 * late or is overdue (a reason from a short fixed list, free text, the agency and optionally the step responsible),
 * and a supervisor other than its author acknowledges it or returns it to be written again. Both are events of the
 * dossier's log (`late_explained`, `explanation_acknowledged`, `explanation_returned`), folded here into the state's
 * `explanation`; the checks below are the fold's, and the API and the page ask them first to answer in their own
 * field names.
 */
import { lateOrOverdueAt } from './progress.js';
import type { DossierState } from './state.js';

/**
 * The reasons, codes in English and labels in Vietnamese. Not a legal list: provinces' systems offer a few such
 * reasons and free text; `other` requires the text.
 */
export const EXPLANATION_REASONS = {
  complex_verification: 'Hồ sơ phức tạp, cần xác minh',
  awaiting_coordination: 'Chờ ý kiến cơ quan phối hợp',
  overload: 'Quá tải',
  system_error: 'Lỗi hệ thống',
  other: 'Khác',
} as const;
export type ExplanationReason = keyof typeof EXPLANATION_REASONS;

export const EXPLANATION_REASON_CODES = Object.keys(EXPLANATION_REASONS) as ExplanationReason[];

export function isExplanationReason(code: string): code is ExplanationReason {
  return Object.hasOwn(EXPLANATION_REASONS, code);
}

/** A reason's Vietnamese label (an unknown code, never stored, as itself). */
export function reasonText(code: string): string {
  return isExplanationReason(code) ? EXPLANATION_REASONS[code] : code;
}

/** submitted: waiting for a supervisor; acknowledged: accepted (final); returned: to be explained again. */
export type ExplanationStatus = 'submitted' | 'acknowledged' | 'returned';

/** Where an explanation stands, in Vietnamese (the report, the dossier page). */
export const EXPLANATION_STATUS_TEXT: Record<ExplanationStatus | 'none', string> = {
  none: 'Chưa giải trình',
  submitted: 'Chờ xác nhận',
  acknowledged: 'Đã xác nhận',
  returned: 'Bị trả lại, cần giải trình lại',
};

export interface Explanation {
  reason: ExplanationReason;
  note: string | null;
  responsibleAgencyCode: string;
  responsibleStep: string | null;
  /** The actor (key or person id) who wrote it, and when. */
  by: string;
  at: number;
  status: ExplanationStatus;
  /** The supervisor who acknowledged or returned it, when, and what they said. */
  reviewedBy: string | null;
  reviewedAt: number | null;
  comment: string | null;
}

/** A refusal, naming the event's (and the request's) field at fault. */
export interface ExplanationProblem {
  field: string;
  message: string;
}

/** What an explanation says, as the event carries it. */
export interface ExplanationInput {
  reason: string;
  note?: string;
  responsibleAgencyCode: string;
  responsibleStep?: string;
}

/** The agencies that took part in the dossier: the receiving one, the competent one, every step's, the current one. */
export function dossierAgencies(s: DossierState): string[] {
  const all = [s.receivingAgencyCode, s.competentAgencyCode ?? null, ...s.steps.map((x) => x.agencyCode), s.currentAgencyCode];
  return [...new Set(all.filter((a): a is string => !!a))];
}

/** Why `input` cannot explain the dossier at `at` (null: it can): what the API and the page ask before recording. */
export function explainProblem(s: DossierState, at: number, input: ExplanationInput): ExplanationProblem | null {
  return lateProblem(s, at) ?? contentProblem(s, input);
}

/**
 * Not late nor overdue at `at`. Asked when the event is recorded (authorization.ts, against the dossier as it stood
 * just before it), not by the fold: a calendar import or a rebuild that re-times the dossier later replays a fact that
 * was true when it was recorded, and must not fail on it.
 */
export function lateProblem(s: DossierState, at: number): ExplanationProblem | null {
  return lateOrOverdueAt(s, at)
    ? null
    : { field: 'dossierCode', message: `dossier ${s.code} is neither finished late nor overdue: there is nothing to explain` };
}

/** What the explanation says, against what the dossier is: the fold's checks, which no re-timing changes. */
export function contentProblem(s: DossierState, input: ExplanationInput): ExplanationProblem | null {
  if (s.explanation?.status === 'acknowledged')
    return { field: 'dossierCode', message: `the explanation of dossier ${s.code} was already acknowledged: it can no longer be changed` };
  if (!isExplanationReason(input.reason))
    return { field: 'reason', message: `unknown reason "${input.reason}": one of ${EXPLANATION_REASON_CODES.join(', ')}` };
  if (input.reason === 'other' && !input.note?.trim()) return { field: 'note', message: 'the reason "other" needs a note saying what it was' };
  if (!dossierAgencies(s).includes(input.responsibleAgencyCode))
    return {
      field: 'responsibleAgencyCode',
      message: `agency ${input.responsibleAgencyCode} did not take part in dossier ${s.code} (${dossierAgencies(s).join(', ')})`,
    };
  if (input.responsibleStep !== undefined && !s.steps.some((x) => x.step === input.responsibleStep && x.agencyCode === input.responsibleAgencyCode))
    return { field: 'responsibleStep', message: `dossier ${s.code} has no step "${input.responsibleStep}" at agency ${input.responsibleAgencyCode}` };
  return null;
}

/** Why `by` cannot acknowledge (or return) the dossier's explanation (null: they can). */
export function reviewProblem(s: DossierState, by: string): ExplanationProblem | null {
  if (!s.explanation || s.explanation.status !== 'submitted')
    return {
      field: 'explanation',
      message:
        s.explanation?.status === 'acknowledged'
          ? `the explanation of dossier ${s.code} was already acknowledged`
          : `dossier ${s.code} has no explanation waiting to be acknowledged`,
    };
  if (s.explanation.by === by) return { field: 'by', message: 'an explanation is acknowledged by someone other than its author' };
  return null;
}

export function explained(input: ExplanationInput & { by: string }, at: number): Explanation {
  return {
    reason: input.reason as ExplanationReason,
    note: input.note?.trim() || null,
    responsibleAgencyCode: input.responsibleAgencyCode,
    responsibleStep: input.responsibleStep ?? null,
    by: input.by,
    at,
    status: 'submitted',
    reviewedBy: null,
    reviewedAt: null,
    comment: null,
  };
}

export function reviewed(e: Explanation, decision: 'acknowledged' | 'returned', by: string, at: number, comment: string | undefined): Explanation {
  return { ...e, status: decision, reviewedBy: by, reviewedAt: at, comment: comment?.trim() || null };
}
