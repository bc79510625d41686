/**
 * The letters' approval on the dossier page (routes/dossier-page.ts): what each panel shows (status, who took each
 * step, the time left before the legal moment, the buttons the viewer's roles allow), the form fields as the steps
 * take them, and the refusals in Vietnamese, shown next to the form that caused them.
 */
import { ZodError } from 'zod';
import { instantFromLocalInput } from '../calendar/instant.js';
import type { AppContext } from '../app-context.js';
import { formatLocalInstant } from '../calendar/local-time.js';
import { vietnameseShortInstant } from '../calendar/vietnamese-format.js';
import { workingDurationText } from '../alerts/format.js';
import { LETTER_STATUS_TEXT, type LetterKind } from '../dossiers/letter-workflow.js';
import type { DossierState } from '../dossiers/state.js';
import { DomainError } from '../domain-error.js';
import { IngestConflict } from '../store/event-store.js';
import { actorNames } from '../store/people.js';
import type { Scope } from './auth.js';
import { HttpError } from './errors.js';
import { LETTER_NAME, legalMomentOf } from './letter-workflow.js';

export const LETTER_PAGE_STEPS = ['draft', 'submit', 'approve', 'return', 'sign', 'issue'] as const;
export type LetterPageStep = (typeof LETTER_PAGE_STEPS)[number];

/** Who takes which step: the handling officer drafts, submits and issues; the leader approves, returns and signs. */
export const STEP_ROLES = {
  draft: ['counter', 'supervisor', 'admin'],
  submit: ['counter', 'supervisor', 'admin'],
  issue: ['counter', 'supervisor', 'admin'],
  approve: ['supervisor', 'admin'],
  return: ['supervisor', 'admin'],
  sign: ['supervisor', 'admin'],
} as const;

const TITLE: Record<LetterKind, string> = { apology: 'Văn bản xin lỗi và hẹn lại ngày trả kết quả', refusal: 'Văn bản từ chối giải quyết hồ sơ' };

/**
 * The page's form as the step's request body. An apology's draft takes the new appointment as a local date and time
 * (the datetime-local field, in Vietnam's time) or, when given, a number of extra working days.
 */
export function stepBodyOf(form: LetterKind, step: LetterPageStep, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const text = (k: string) => (typeof fields[k] === 'string' ? (fields[k] as string) : '');
  if (step === 'return') return { comment: text('comment') };
  if (step !== 'draft') return {};
  if (form === 'refusal') return { reason: text('reason') };
  const days = text('extraWorkingDays').trim();
  const newDueAt = instantFromLocalInput(text('newDueAt').trim());
  return {
    reason: text('reason'),
    ...(days ? { extraWorkingDays: Number(days) } : newDueAt ? { newDueAt } : {}),
  };
}

/** A refusal of a step in the words of the page, or null when the error is not one the page explains (it is rethrown). */
export function letterErrorText(err: unknown): string | null {
  if (err instanceof ZodError) {
    const path = String(err.issues[0]?.path[0] ?? '');
    if (path === 'reason') return 'Nhập lý do (tối đa 2000 ký tự).';
    if (path === 'comment') return 'Nhập ý kiến khi trả lại văn bản (tối đa 2000 ký tự).';
    return 'Nhập ngày hẹn mới (ngày và giờ) hoặc số ngày làm việc gia hạn (từ 1 đến 365).';
  }
  if (err instanceof DomainError && err.kind === 'invalid_appointment') {
    const m = err.details?.[0]?.message ?? '';
    if (m.includes('future')) return 'Ngày hẹn mới phải sau thời điểm hiện tại; nếu văn bản đã ký mà ngày hẹn đã qua, cần lập lại dự thảo.';
    if (m.includes('original due')) return 'Ngày hẹn mới phải sau hạn trả kết quả ban đầu.';
    if (m.includes('working day')) return 'Ngày hẹn mới phải là ngày làm việc.';
    if (m.includes('office hours')) return 'Ngày hẹn mới phải trong giờ làm việc.';
    return 'Ngày hẹn mới không hợp lệ.';
  }
  if (err instanceof DomainError && err.kind === 'invalid_transition') {
    const status = err.details?.[0]?.message;
    return status ? `Không thực hiện được bước này ở trạng thái hiện tại (${status}).` : 'Hồ sơ đã kết thúc: không lập văn bản được nữa.';
  }
  if (err instanceof IngestConflict) {
    const m = err.message;
    if (m.includes("approving one's own draft")) return 'Đơn vị không cho phép người lập dự thảo tự duyệt văn bản của mình: cần người khác duyệt.';
    if (m.includes('rescheduled only once')) return 'Chỉ được hẹn lại một lần: hồ sơ đã có văn bản xin lỗi.';
    if (m.includes('must be later')) return 'Ngày hẹn mới phải sau hạn trả kết quả hiện tại.';
    if (m.includes('is not possible when the dossier')) return 'Hồ sơ đã kết thúc: không thực hiện được bước này.';
    return 'Không thực hiện được bước này ở trạng thái hiện tại của văn bản.';
  }
  if (err instanceof HttpError && err.status === 503) return 'Chưa cấu hình chứng thư số của đơn vị để ký (SIGNING_P12_PATH).';
  if (err instanceof HttpError && err.status === 422) {
    const problem = err.details?.[0]?.message;
    if (problem === 'expired') return 'Chứng thư số của đơn vị đã hết hạn: không ký được.';
    if (problem === 'not_yet_valid') return 'Chứng thư số của đơn vị chưa có hiệu lực: không ký được.';
    if (problem === 'no_digital_signature_usage') return 'Chứng thư số của đơn vị không được phép dùng để ký số (thiếu mục đích sử dụng ký số).';
    if (problem === 'unreadable') return 'Không đọc được chứng thư số của đơn vị (tệp hoặc mật khẩu).';
  }
  return null;
}

/** The panels of the dossier page: each letter under way, and a draft form where one may be started. */
export async function letterPanels(ctx: AppContext, s: DossierState, scope: Scope, error?: { form: LetterKind; text: string }) {
  const now = ctx.now();
  const open = s.finishedAt === null;
  const may = (step: LetterPageStep) => scope.has(...STEP_ROLES[step]);
  const letters = s.letters ?? {};
  const ids = Object.values(letters).flatMap((l) => [l.draftedBy, l.approvedBy, l.returnedBy, l.signedBy].filter((x): x is string => x !== null));
  const names = await actorNames(ctx.db.pool, [...new Set(ids)]);
  const name = (id: string | null) => (id ? (names.get(id) ?? id) : '');
  const index = ctx.calendar.workingTime(s.rules.policies.officeHours);
  const dayMinutes = index.dayMs / 60_000;
  const kinds: LetterKind[] = ['apology', 'refusal'];
  return kinds.flatMap((form) => {
    const l = letters[form];
    const underWay = l !== undefined && l.status !== 'issued';
    // A new draft: the dossier is open, no letter of the kind is under way, and an apology only before one was issued.
    const canStart = open && !underWay && may('draft') && (form === 'refusal' || !s.apology);
    if (!underWay && !canStart) return [];
    const moment = legalMomentOf(s, form);
    const left = index.between(now, moment) / 60_000;
    const status = l?.status;
    const history = l
      ? [
          `Dự thảo: ${name(l.draftedBy)}, ${vietnameseShortInstant(l.draftedAt)}`,
          ...(l.submittedAt !== null ? [`Trình duyệt: ${vietnameseShortInstant(l.submittedAt)}`] : []),
          ...(l.returnedBy ? [`Trả lại: ${name(l.returnedBy)} — “${l.returnComment}”`] : []),
          ...(l.approvedBy ? [`Duyệt: ${name(l.approvedBy)}, ${vietnameseShortInstant(l.approvedAt!)}`] : []),
          ...(l.signedBy ? [`Ký số: ${name(l.signedBy)}, ${vietnameseShortInstant(l.signedAt!)}`] : []),
        ]
      : [];
    return [
      {
        form,
        title: TITLE[form],
        name: LETTER_NAME[form],
        underWay,
        statusText: underWay ? LETTER_STATUS_TEXT[status!] : '',
        reason: underWay ? l.reason : '',
        newDueText: underWay && l.newDueAt !== null ? vietnameseShortInstant(l.newDueAt) : '',
        history: underWay ? history : [],
        momentText: `${left >= 0 ? `còn ${workingDurationText(left, dayMinutes)}` : `đã quá ${workingDurationText(-left, dayMinutes)}`} đến thời hạn phát hành (${vietnameseShortInstant(moment)})`,
        // The draft form: to start, or to revise a returned letter (prefilled with it).
        draftForm: (canStart || (underWay && status !== 'submitted')) && may('draft'),
        isApology: form === 'apology',
        draftReason: underWay ? l.reason : '',
        draftNewDue: formatLocalInstant(underWay && l.newDueAt !== null ? l.newDueAt : index.add(Math.max(now, s.dueAt), index.dayMs)).slice(0, 16),
        canSubmit: (status === 'draft' || status === 'returned') && may('submit'),
        canApprove: status === 'submitted' && may('approve'),
        canSign: status === 'approved' && may('sign'),
        canIssue: status === 'signed' && may('issue'),
        signedPdf: status === 'signed' ? `/letters/${encodeURIComponent(s.code)}/${form}.pdf` : '',
        draftPdf: underWay && status !== 'signed' ? `/letters/${encodeURIComponent(s.code)}/${form}/draft.pdf` : '',
        error: error?.form === form ? error.text : '',
      },
    ];
  });
}
