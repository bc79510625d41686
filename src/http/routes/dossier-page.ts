/**
 * The dossier page (the link in alert e-mails): where the dossier stands, its
 * events on the working-time axis, and its letters.
 */
import express, { Router, type Request, type Response } from 'express';
import { ZodError } from 'zod';
import type { AppContext } from '../../app-context.js';
import { vietnameseShortInstant, vietnameseShortIsoDate } from '../../calendar/vietnamese-format.js';
import { skippedDays } from '../../dossiers/deadline.js';
import { deadlineWindowOf } from '../../dossiers/fold.js';
import { regimeById } from '../../dossiers/regimes.js';
import { durationText } from '../../letters/letter-data.js';
import { formSetAt } from '../../letters/forms.js';
import { CHANNEL_TEXT, FLAG_TEXT, OUTCOME_TEXT, PROGRESS_TEXT } from '../../dossiers/wording.js';
import { workingDurationText } from '../../alerts/format.js';
import { dossierEventSchema, isCorrection, type DossierEvent } from '../../dossiers/events.js';
import { resolveLog } from '../../dossiers/corrections.js';
import { randomUUID } from 'node:crypto';
import { instantFromLocalInput, instantSchema } from '../../calendar/instant.js';
import { IngestConflict } from '../../store/event-store.js';
import { ingestAs } from '../ingest-as.js';
import { dossierView } from '../../dossiers/view.js';
import { renderPage } from '../../views/render.js';
import { scopeOf, type Scope } from '../auth.js';
import { loadScopedDossier } from '../scoped-dossier.js';
import { pageAuth, viewerOf } from '../page-auth.js';
import { recordPersonalDataRead } from '../../store/audit-reads.js';
import { loadLog } from '../../store/dossier-reads.js';
import { HttpError } from '../errors.js';
import { draftLetter, issueLetter, moveLetter, returnLetterSchema, signLetter } from '../letter-workflow.js';
import { LETTER_PAGE_STEPS, STEP_ROLES, letterErrorText, letterPanels, stepBodyOf, type LetterPageStep } from '../letter-workflow-page.js';
import { letterKindSchema } from '../../dossiers/events.js';
import type { LetterKind } from '../../dossiers/letter-workflow.js';
import { lawfulApology } from '../../dossiers/apology.js';
import type { DossierState } from '../../dossiers/state.js';
import { formatLocalInstant, isoDateOf, localDayOf, yearInVietnam } from '../../calendar/local-time.js';
import { consentView } from '../../dossiers/consent.js';
import { dossierMessages } from '../../store/outbox-store.js';
import { dossierAgencies, EXPLANATION_REASON_CODES, EXPLANATION_REASONS, EXPLANATION_STATUS_TEXT, reasonText } from '../../dossiers/explanation.js';
import { lateOrOverdueAt } from '../../dossiers/progress.js';
import { explainLate, explanationRequestSchema, reviewExplanation, reviewRequestSchema } from '../explain-late.js';
import { DomainError } from '../../domain-error.js';
import { actorNames } from '../../store/people.js';
import { LETTER_NAME } from '../letter-workflow.js';

export const CITIZEN_CHANNEL_TEXT = { email: 'thư điện tử', sms: 'tin nhắn SMS', zalo: 'Zalo' } as const;
const MESSAGE_KIND_TEXT: Record<string, string> = {
  receipt: 'Tiếp nhận hồ sơ',
  supplement_request: 'Yêu cầu bổ sung',
  apology: 'Xin lỗi, hẹn lại',
  result_ready: 'Có kết quả',
  refusal: 'Từ chối',
};
const CONSENT_VIA_TEXT = {
  counter: 'tại quầy',
  online: 'trực tuyến',
  phone: 'qua điện thoại',
  letter: 'bằng văn bản',
  link: 'qua đường dẫn trong thông báo',
  keyword: 'nhắn từ khóa',
} as const;

function eventLabel(e: DossierEvent, agencyName: (code: string) => string, actorName: (id: string) => string): string {
  switch (e.type) {
    case 'received':
      return 'Tiếp nhận hồ sơ';
    case 'assigned':
      return `Chuyển xử lý: ${e.step} (${agencyName(e.agencyCode)}${e.holder ? `, người xử lý: ${e.holder.name}` : ''})`;
    case 'supplement_requested':
      return `Yêu cầu bổ sung hồ sơ: ${e.reason}`;
    case 'supplement_received':
      return 'Nhận hồ sơ bổ sung';
    case 'apology_issued':
      return `Xin lỗi và hẹn lại ngày trả kết quả: ${vietnameseShortInstant(Date.parse(e.newDueAt))}`;
    case 'payment_recorded':
      return `Thanh toán ${e.amount.toLocaleString('vi-VN')} đ (${e.method === 'online' ? 'trực tuyến' : 'trực tiếp'})`;
    case 'result_ready':
      return e.electronicResult ? 'Có kết quả giải quyết (bản điện tử)' : 'Có kết quả giải quyết';
    case 'returned':
      return 'Trả kết quả';
    case 'refused':
      return `Từ chối giải quyết: ${e.reason}`;
    case 'withdrawn':
      return 'Rút hồ sơ';
    case 'closed':
      return 'Đóng hồ sơ do không bổ sung, hoàn thiện';
    case 'rated':
      return e.rating === 'liked' ? 'Người dân đánh giá: hài lòng' : 'Người dân đánh giá: không hài lòng';
    case 'complaint_received':
      return e.summary ? `Phản ánh, kiến nghị: ${e.summary}` : 'Phản ánh, kiến nghị';
    case 'consent_given':
      return `Người nộp đồng ý nhận thông báo qua ${e.consent.map((c) => CITIZEN_CHANNEL_TEXT[c.channel]).join(', ')} (${CONSENT_VIA_TEXT[e.via]})`;
    case 'consent_withdrawn':
      return `Người nộp ngừng nhận thông báo${e.channels ? ` qua ${e.channels.map((c) => CITIZEN_CHANNEL_TEXT[c]).join(', ')}` : ''} (${CONSENT_VIA_TEXT[e.via]})`;
    case 'late_explained':
      return `Giải trình trễ hạn: ${reasonText(e.reason)}${e.note ? ` — ${e.note}` : ''} (trách nhiệm: ${agencyName(e.responsibleAgencyCode)}${e.responsibleStep ? `, bước ${e.responsibleStep}` : ''})`;
    case 'explanation_acknowledged':
      return `Giải trình được xác nhận${e.comment ? `: ${e.comment}` : ''}`;
    case 'explanation_returned':
      return `Giải trình bị trả lại: ${e.comment}`;
    case 'letter_drafted':
      return `Dự thảo ${LETTER_NAME[e.form]} (${actorName(e.by)})${e.newDueAt ? `, hẹn lại ${vietnameseShortInstant(Date.parse(e.newDueAt))}` : ''}: ${e.reason}`;
    case 'letter_submitted':
      return `Trình duyệt ${LETTER_NAME[e.form]} (${actorName(e.by)})`;
    case 'letter_approved':
      return `Duyệt ${LETTER_NAME[e.form]} (${actorName(e.by)})`;
    case 'letter_returned':
      return `Trả lại ${LETTER_NAME[e.form]} (${actorName(e.by)}): ${e.comment}`;
    case 'letter_signed':
      return `Ký số ${LETTER_NAME[e.form]} (${actorName(e.by)}; chứng thư: ${e.certificate})`;
    case 'apology_delivered':
      return `Văn bản xin lỗi đã đến người nộp (${APOLOGY_VIA_TEXT[e.via]})`;
    case 'voided':
      return `Hủy một sự kiện ghi nhầm. Lý do: ${e.reason}`;
    case 'corrected':
      return `Sửa sự kiện thành: ${eventLabel({ ...e.replacement, eventId: e.eventId, dossierCode: e.dossierCode } as DossierEvent, agencyName, actorName)}, lúc ${vietnameseShortInstant(Date.parse(e.replacement.occurredAt))}. Lý do: ${e.reason}`;
  }
}

/** A void or correction the page could not record: which event, which form, what was typed and what is wrong. */
export interface CorrectionForm {
  eventId: string;
  action: 'void' | 'correct';
  values: { reason: string; occurredAt?: string };
  errors: { reason?: string; occurredAt?: string };
}

/** Which logged events were voided or corrected, and what each corrected one now reads as (corrections.ts). */
function correctionMarks(rows: Array<{ seq: number; body: DossierEvent }>) {
  const resolved = resolveLog(rows.map((r) => ({ seq: r.seq, event: r.body })));
  const voided = new Set(resolved.applied.filter((a) => a.type === 'voided').map((a) => a.targetEventId));
  const corrected = new Set(resolved.applied.filter((a) => a.type === 'corrected').map((a) => a.targetEventId));
  const current = new Map(resolved.events.filter((l) => l.replaces).map((l) => [l.replaces!, l.event]));
  return { voided, corrected, current };
}

/** The apology's hand-over the page could not record: what was typed and what is wrong. */
export interface DeliveryForm {
  values: { via: string; occurredAt: string };
  errors: { via?: string; occurredAt?: string };
}

/** A `datetime-local` value read in Vietnam's time, within the range the API accepts; null otherwise. */
function localInputInstant(value: string): string | null {
  const iso = instantFromLocalInput(value);
  return iso && instantSchema.safeParse(iso).success ? iso : null;
}

/** Why the log refused a void or correction, for the person at the page (the API's words are English). */
function correctionProblemText(message: string): string {
  if (/in the future/.test(message)) return 'Thời điểm này ở tương lai: việc chưa xảy ra thì chưa ghi nhận.';
  if (/already voided/.test(message)) return 'Sự kiện này đã bị hủy.';
  if (/receipt cannot be voided/.test(message)) return 'Không hủy sự kiện tiếp nhận: hãy sửa thời điểm tiếp nhận.';
  if (/earlier than the receipt/.test(message)) return 'Thời điểm này trước khi hồ sơ được tiếp nhận.';
  if (/another legal regime/.test(message)) return 'Thời điểm tiếp nhận mới thuộc giai đoạn áp dụng quy định khác: không sửa được tại đây.';
  if (/only a supervisor/.test(message)) return 'Chỉ cán bộ giám sát hoặc quản trị được hủy, sửa sự kiện.';
  return 'Sau thay đổi này, diễn biến của hồ sơ không còn hợp lệ (một sự kiện không thể xảy ra ở trạng thái đó).';
}

export const APOLOGY_VIA_TEXT = { email: 'thư điện tử', sms: 'tin nhắn SMS', zalo: 'Zalo', counter: 'trao tại quầy', post: 'gửi qua bưu chính' } as const;

/**
 * What an apology issued at `now` does (Decree 118/2025 Art. 19(6): no later than 1 day before the due date; the
 * fold's lawfulApology): in time, its new date becomes the appointment; later, it is sent but the dossier stays overdue.
 */
function apologyEffectText(s: DossierState, now: number): { lawful: boolean; text: string } {
  const rule = regimeById(s.rules.regime).rules.apologyDaysBeforeDueDate;
  const lastDay = vietnameseShortIsoDate(isoDateOf(localDayOf(s.dueAt) - rule.value));
  if (lawfulApology(now, s.dueAt, rule.value)) {
    return {
      lawful: true,
      text: `Gửi trong thời hạn (chậm nhất ngày ${lastDay}): ngày hẹn mới trở thành hạn trả kết quả; hồ sơ trả kết quả trước ngày hẹn mới được tính đúng hạn, và vẫn được thống kê là hồ sơ hẹn lại. Chỉ được hẹn lại một lần.`,
    };
  }
  const rate =
    s.rules.policies.lateApology766 === 'new-appointment'
      ? ' Theo cấu hình của đơn vị, chỉ số QĐ 766 vẫn tính theo ngày hẹn mới.'
      : ' Chỉ số QĐ 766 cũng không thay đổi.';
  return {
    lawful: false,
    text: `Đã quá thời hạn gửi văn bản xin lỗi (chậm nhất ngày ${lastDay}, ${rule.source}). Văn bản vẫn được lập và gửi cho người nộp hồ sơ với ngày hẹn mới, nhưng không thay đổi hạn giải quyết: hồ sơ vẫn quá hạn và sẽ được tính là trễ hạn; việc xin lỗi muộn được ghi nhận là vi phạm.${rate}`,
  };
}

function consentPanel(s: DossierState, unmasked: boolean) {
  const v = consentView(s.consent, vietnameseShortInstant, unmasked);
  return {
    channels: v.channels.map((c) => ({ ...c, channelText: CITIZEN_CHANNEL_TEXT[c.channel] })),
    history: (s.consent?.history ?? []).map((h) => ({
      when: vietnameseShortInstant(h.at),
      text: `${h.action === 'given' ? 'Đồng ý nhận' : 'Ngừng nhận'} thông báo qua ${h.channels.map((c) => CITIZEN_CHANNEL_TEXT[c]).join(', ')} (${CONSENT_VIA_TEXT[h.via]})`,
    })),
  };
}

export function dossierPageRouter(ctx: AppContext): Router {
  const router = Router();
  // A letter's step from the dossier page (letter-workflow.ts, as the API): a refusal is shown next to its form, in
  // Vietnamese, on the page answered with 422 (400 for a missing field); nothing is recorded.
  router.post(
    '/dossiers/:code/letters/:form/:step',
    ...pageAuth(ctx),
    express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 }),
    async (req, res) => {
      const scope = scopeOf(res);
      const form = letterKindSchema.safeParse(req.params.form);
      const step = String(req.params.step) as LetterPageStep;
      if (!form.success || !LETTER_PAGE_STEPS.includes(step)) throw new HttpError(404, 'Không có bước này.');
      if (!scope.has(...STEP_ROLES[step])) throw new HttpError(403, 'Vai trò của bạn không thực hiện được bước này.');
      const s = await loadScopedDossier(ctx, String(req.params.code), scope);
      const body = stepBodyOf(form.data, step, req.body as Record<string, unknown>);
      try {
        if (step === 'draft') await draftLetter(ctx, s, scope, form.data, body);
        else if (step === 'sign') await signLetter(ctx, s, scope, form.data);
        else if (step === 'issue') await issueLetter(ctx, s, scope, form.data);
        else if (step === 'return') await moveLetter(ctx, s, scope, form.data, { type: 'letter_returned', ...returnLetterSchema.parse(body) });
        else await moveLetter(ctx, s, scope, form.data, { type: step === 'submit' ? 'letter_submitted' : 'letter_approved' });
      } catch (err) {
        const text = letterErrorText(err);
        if (text === null) throw err;
        res.status(err instanceof ZodError ? 400 : 422);
        await sendDossierPage(req, res, s, { letterError: { form: form.data, text } });
        return;
      }
      res.redirect(303, `/dossiers/${encodeURIComponent(s.code)}#letter-${form.data}`);
    },
  );

  // "Giải trình trễ hạn" and its review: the forms on the dossier page, checked like the API (explain-late.ts); a
  // refusal shows the page again with the message next to the field (422) and the typed values kept.
  const formBody = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });
  router.post('/dossiers/:code/explanation', ...pageAuth(ctx, 'counter', 'supervisor', 'admin'), formBody, async (req, res) => {
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, String(req.params.code), scope);
    const typed = {
      reason: String(req.body?.reason ?? ''),
      note: String(req.body?.note ?? ''),
      responsibleAgencyCode: String(req.body?.responsibleAgencyCode ?? ''),
      responsibleStep: String(req.body?.responsibleStep ?? ''),
    };
    const refused = await refusedFields(() => explainLate(ctx, s, scope, explanationRequestSchema.parse(typed)));
    if (refused) return sendDossierPage(req, res.status(422), s, { explainErrors: refused, typed });
    res.redirect(303, `/dossiers/${encodeURIComponent(s.code)}#explanation`);
  });
  router.post('/dossiers/:code/explanation/review', ...pageAuth(ctx, 'supervisor', 'admin'), formBody, async (req, res) => {
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, String(req.params.code), scope);
    const typed = { decision: String(req.body?.decision ?? ''), comment: String(req.body?.comment ?? '') };
    const refused = await refusedFields(() => reviewExplanation(ctx, s, scope, reviewRequestSchema.parse(typed)));
    if (refused) return sendDossierPage(req, res.status(422), s, { reviewErrors: refused, typed });
    res.redirect(303, `/dossiers/${encodeURIComponent(s.code)}#explanation`);
  });

  // "Hủy" / "Sửa" beside each event (issue 28 item 6): a supervisor or admin voids an event, or corrects its time,
  // with a reason; the same events as the API's, through the same path. A refusal reopens the form with the problem
  // next to its field, in Vietnamese, and what was typed.
  router.post(
    '/dossiers/:code/events/:eventId/:action',
    ...pageAuth(ctx, 'supervisor', 'admin'),
    express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 5 }),
    async (req, res) => {
      const action = String(req.params.action);
      if (action !== 'void' && action !== 'correct') throw new HttpError(404, 'Không tìm thấy.');
      const scope = scopeOf(res);
      const s = await loadScopedDossier(ctx, String(req.params.code), scope);
      const eventId = String(req.params.eventId).toLowerCase();
      const values = {
        reason: String(req.body?.reason ?? '').trim(),
        occurredAt: action === 'correct' ? String(req.body?.occurredAt ?? '').trim() : undefined,
      };
      const refuse = async (errors: CorrectionForm['errors']) => {
        res.status(422);
        await sendDossierPage(req, res, s, { correction: { eventId, action, values, errors } });
      };
      const rows = await loadLog(ctx.db.pool, s.code);
      const target = rows.find((r) => r.eventId === eventId && !isCorrection(r.body));
      if (!target) throw new HttpError(404, 'Không tìm thấy sự kiện này trong hồ sơ.');
      const errors: CorrectionForm['errors'] = {};
      if (!values.reason || values.reason.length > 2000) errors.reason = 'Nhập lý do (tối đa 2.000 ký tự).';
      const occurredAt = values.occurredAt === undefined ? undefined : localInputInstant(values.occurredAt);
      if (values.occurredAt !== undefined && !occurredAt) errors.occurredAt = 'Nhập thời điểm đúng: ngày, tháng, năm, giờ và phút.';
      if (errors.reason || errors.occurredAt) return refuse(errors);
      const current = correctionMarks(rows).current.get(eventId) ?? target.body;
      const { eventId: _id, dossierCode: _code, ...body } = current as Exclude<DossierEvent, { type: 'voided' | 'corrected' }>;
      const event = dossierEventSchema.parse({
        eventId: randomUUID(),
        dossierCode: s.code,
        occurredAt: formatLocalInstant(ctx.now()),
        targetEventId: eventId,
        reason: values.reason,
        ...(action === 'void' ? { type: 'voided' } : { type: 'corrected', replacement: { ...body, occurredAt } }),
      });
      try {
        await ingestAs(ctx, scope, [event]);
      } catch (err) {
        if (!(err instanceof IngestConflict) || err.status === 409) throw err;
        const problem = err.problems[0]!;
        const text = correctionProblemText(problem.message);
        return refuse(problem.field?.endsWith('occurredAt') ? { occurredAt: text } : { reason: text });
      }
      res.redirect(303, `/dossiers/${encodeURIComponent(s.code)}#events`);
    },
  );

  // "Đã trao văn bản xin lỗi": the apology handed over at the counter or posted (issue 27 item 4), an event like the
  // API's; the apology is then judged at that instant.
  router.post(
    '/dossiers/:code/apology/delivered',
    ...pageAuth(ctx, 'counter', 'supervisor', 'admin'),
    express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5 }),
    async (req, res) => {
      const scope = scopeOf(res);
      const s = await loadScopedDossier(ctx, String(req.params.code), scope);
      const values = { via: String(req.body?.via ?? ''), occurredAt: String(req.body?.occurredAt ?? '').trim() };
      const refuse = async (errors: DeliveryForm['errors']) => {
        res.status(422);
        await sendDossierPage(req, res, s, { delivery: { values, errors } });
      };
      const occurredAt = localInputInstant(values.occurredAt);
      if (values.via !== 'counter' && values.via !== 'post') return refuse({ via: 'Chọn cách trao: tại quầy hoặc qua bưu chính.' });
      if (!occurredAt) return refuse({ occurredAt: 'Nhập thời điểm trao: ngày, tháng, năm, giờ và phút.' });
      const event = dossierEventSchema.parse({ eventId: randomUUID(), type: 'apology_delivered', dossierCode: s.code, occurredAt, via: values.via });
      try {
        await ingestAs(ctx, scope, [event]);
      } catch (err) {
        if (!(err instanceof IngestConflict) || err.status === 409) throw err;
        const message = err.problems[0]!.message;
        return refuse({
          occurredAt: /in the future/.test(message)
            ? 'Thời điểm này ở tương lai: việc chưa xảy ra thì chưa ghi nhận.'
            : /no apology was issued/.test(message)
              ? 'Thời điểm này trước khi lập văn bản xin lỗi.'
              : 'Không ghi nhận được thời điểm trao này.',
        });
      }
      res.redirect(303, `/dossiers/${encodeURIComponent(s.code)}#apology-delivery`);
    },
  );

  router.get('/dossiers/:code', ...pageAuth(ctx), async (req, res) => {
    const s = await loadScopedDossier(ctx, String(req.params.code), scopeOf(res));
    await sendDossierPage(req, res, s);
  });

  /**
   * The dossier page, its read recorded; `pageState`: a refused letter step (its form and message), or a refused
   * explanation or review (its messages by field and what was typed), shown next to the form concerned.
   */
  async function sendDossierPage(
    req: Request,
    res: Response,
    s: DossierState,
    pageState: { letterError?: { form: LetterKind; text: string }; correction?: CorrectionForm; delivery?: DeliveryForm } & ExplanationForm = {},
  ): Promise<void> {
    const scope = scopeOf(res);
    await recordPersonalDataRead(ctx.db.pool, scope.principal, s.code, 'page:dossier', req.ip);
    const fold = ctx.foldContext();
    const d = dossierView(s, fold, ctx.now());
    const rows = await loadLog(ctx.db.pool, s.code);
    const index = ctx.calendar.workingTime(s.rules.policies.officeHours);
    const dayMinutes = index.dayMs / 60_000;
    const agencyName = (code: string) => ctx.catalog.nameOf(code);
    // From the first start: a clock restarted by a supplement still shows the working time spent before it.
    const worked = (t: number) => Math.max(0, index.between(s.firstClockStartsAt, t));
    const span = Math.max(worked(s.dueAt), ...rows.map((r) => worked(Date.parse(r.body.occurredAt))), 1);
    // Who took each letter step, by name (a person's, or a key's label).
    const names = await actorNames(ctx.db.pool, [...new Set(rows.flatMap(({ body }) => ('by' in body ? [body.by] : [])))]);
    const actorName = (id: string) => names.get(id) ?? id;
    const marks = correctionMarks(rows);
    const canCorrect = scope.has('supervisor', 'admin');
    const timeline = rows.map(({ body, eventId }) => {
      const t = Date.parse(body.occurredAt);
      const mark = marks.voided.has(eventId) ? 'voided' : marks.corrected.has(eventId) ? 'corrected' : '';
      // A supervisor may void or correct what says what happened and still stands (a receipt is corrected, never voided).
      const correctable = canCorrect && !isCorrection(body) && mark !== 'voided';
      const current = marks.current.get(eventId) ?? body;
      const form = pageState.correction?.eventId === eventId ? pageState.correction : undefined;
      return {
        eventId,
        when: vietnameseShortInstant(t),
        label: eventLabel(body, agencyName, actorName),
        markText: mark === 'voided' ? 'đã hủy' : mark === 'corrected' ? 'đã sửa' : '',
        workingText: workingDurationText(worked(t) / 60_000, dayMinutes),
        position: ((worked(t) / span) * 100).toFixed(2),
        correctable,
        voidable: correctable && body.type !== 'received',
        // The form opens again on a refused try, with what was typed and the problem next to its field.
        open: Boolean(form),
        occurredAtValue: form?.values.occurredAt ?? formatLocalInstant(Date.parse(current.occurredAt)).slice(0, 16),
        reasonValue: form?.values.reason ?? '',
        action: form?.action,
        errors: form?.errors ?? {},
      };
    });
    const person = (h: { name: string; email?: string } | null) => (h ? `${h.name}${h.email ? ` <${h.email}>` : ''}` : '');
    const who = (agencyCode: string, h: { name: string; email?: string } | null) => (h ? `${person(h)}, ${agencyName(agencyCode)}` : agencyName(agencyCode));
    // The steps with their due instants, in their own agency's working time, and by how much each ran over.
    const stepRows = d.steps.map((x, i) => {
      const held = d.holders[i]!;
      const over = x.overrunWorkingMinutes ? workingDurationText(x.overrunWorkingMinutes, dayMinutes) : '';
      return {
        step: x.step,
        who: who(x.agencyCode, x.holder),
        startedText: vietnameseShortInstant(Date.parse(x.startedAt!)),
        budgetText: x.budget ? durationText(x.budget) : 'Không quy định',
        dueText: x.dueAt ? vietnameseShortInstant(Date.parse(x.dueAt)) : '',
        endedText: x.endedAt ? vietnameseShortInstant(Date.parse(x.endedAt)) : x.waitingForCitizen ? 'Đang chờ công dân bổ sung' : 'Đang xử lý',
        heldText: workingDurationText(held.heldWorkingMinutes!, dayMinutes),
        overrun: x.overrun,
        // Ended: its outcome, and by how much it ran over; open and past its due instant: overdue by how much so far.
        resultText: x.outcome ? `${OUTCOME_TEXT[x.outcome]}${over ? ` (quá ${over})` : ''}` : over ? `Quá hạn ${over}` : '',
      };
    });
    const holderText = d.holder
      ? `${who(d.holder.agencyCode, d.holder.person)}${d.holder.step ? ` (bước ${d.holder.step})` : ''}, từ ${vietnameseShortInstant(Date.parse(d.holder.since!))}`
      : '';
    const lateBecause = d.lateBecause.map((x) => ({
      text: `bước ${x.step} (${agencyName(x.agencyCode)}) quá hạn ${workingDurationText(x.overrunWorkingMinutes, dayMinutes)}${x.open ? ', đang xử lý' : ''}`,
    }));
    res.type('html').send(
      renderPage('dossier', {
        stepRows,
        holderText,
        lateBecause,
        viewer: viewerOf(res),
        title: `Hồ sơ ${s.code}`,
        currentYear: yearInVietnam(ctx.now()),
        d,
        agencyName: agencyName(s.receivingAgencyCode),
        channelText: CHANNEL_TEXT[s.channel],
        receivedText: vietnameseShortInstant(s.receivedAt),
        clockText: vietnameseShortInstant(s.clockStartsAt),
        // Restarted in full by a completed supplement (the regime's rule), not extended by the wait.
        restarted: s.clockStartsAt !== s.firstClockStartsAt,
        // Received for another, competent agency that has not taken it over: the clock will start when it does.
        awaiting: s.awaitingCompetentAgency && {
          agencyName: agencyName(s.awaitingCompetentAgency),
          source: regimeById(s.rules.regime).rules.clockStartsAt.source,
        },
        firstClockText: vietnameseShortInstant(s.firstClockStartsAt),
        provisionalDays: d.provisionalEntries.map((e) => ({ ...e, dateText: vietnameseShortIsoDate(e.date) })),
        dueText: vietnameseShortInstant(s.dueAt),
        originalDueText: vietnameseShortInstant(s.originalDueAt),
        leftText:
          d.workingMinutesLeft === null
            ? ''
            : d.workingMinutesLeft >= 0
              ? workingDurationText(d.workingMinutesLeft, dayMinutes)
              : `quá hạn ${workingDurationText(-d.workingMinutesLeft, dayMinutes)}`,
        pausedText: workingDurationText(d.pausedWorkingMinutes, dayMinutes),
        finishedText: s.finishedAt ? vietnameseShortInstant(s.finishedAt) : '',
        outcomeText: s.outcome ? OUTCOME_TEXT[s.outcome] : '',
        progressText: d.progress ? PROGRESS_TEXT[d.progress] : s.outcome ? OUTCOME_TEXT[s.outcome] : '',
        progressClass: d.progress ?? (s.outcome === 'late' ? 'late' : ''),
        // The 766 judgment the reports count, where it differs from the legal one (DOMAIN §3).
        rateText: d.rate.outcome ? OUTCOME_TEXT[d.rate.outcome] : d.rate.progress ? PROGRESS_TEXT[d.rate.progress] : '',
        rateDueText: vietnameseShortInstant(s.rate.dueAt),
        flags: d.flags.map((f) => FLAG_TEXT[f]),
        timeline,
        duePosition: ((worked(s.dueAt) / span) * 100).toFixed(2),
        // The legal deadline explained: the rest days that decided it (an apology's date is an appointment, not a count).
        skipped: skippedDays(index, deadlineWindowOf(s, index, s.originalDueAt)).map((d) => ({ ...d, dateText: vietnameseShortIsoDate(d.date) })),
        legalTime: durationText(s.rules.duration),
        canCorrect,
        // A hand-over at the counter or a letter posted: staff record it (the outbox records e-mail, SMS and Zalo).
        delivery:
          s.apology && s.apology.deliveredAt == null && scope.has('counter', 'supervisor', 'admin')
            ? {
                via: pageState.delivery?.values.via ?? 'counter',
                occurredAt: pageState.delivery?.values.occurredAt ?? formatLocalInstant(ctx.now()).slice(0, 16),
                errors: pageState.delivery?.errors ?? {},
              }
            : null,
        // Whether the apology reached the applicant: it is judged at that instant when it did (issue 27 item 4).
        apologyDeliveryText: s.apology
          ? s.apology.deliveredAt != null
            ? `Văn bản xin lỗi đã đến người nộp lúc ${vietnameseShortInstant(s.apology.deliveredAt)} (${APOLOGY_VIA_TEXT[s.apology.deliveredVia ?? 'counter']}).`
            : 'Chưa ghi nhận văn bản xin lỗi đã đến người nộp: việc xin lỗi đúng hạn hay muộn đang được xét theo thời điểm lập văn bản.'
          : '',
        // The counter's page for this dossier's next events (routes/counter.ts), for those who record them.
        canRecord: scope.has('counter', 'supervisor', 'admin'),
        // The letters under approval, and the draft forms (the apology's proposes one working day after the later of
        // now and the due instant).
        letterPanels: await letterPanels(ctx, s, scope, pageState.letterError),
        // Said before it is sent: what an apology issued now would change and what it would not (issue 23 item 7).
        apologyEffect: s.finishedAt === null && !s.apology ? apologyEffectText(s, ctx.now()) : null,
        lateApologyText:
          s.apology && !s.apology.reschedules ? `xin lỗi muộn, hẹn lại ${vietnameseShortInstant(s.apology.newDueAt)} nhưng không thay đổi hạn` : '',
        refused: s.status === 'refused',
        // Closed (not completed after the notice) or withdrawn: the stop notice (letter-data.ts stopNoticeData).
        stopped: s.status === 'closed' || s.status === 'withdrawn',
        // The applicant's channels: in full for the staff who handle the dossier (the read is recorded above), masked
        // for an auditor; and how and when consent was given and withdrawn.
        consent: consentPanel(s, scope.has('counter', 'supervisor', 'admin')),
        // What was written to the applicant, and whether it reached them (the outbox's rows for this dossier).
        messages: (await dossierMessages(ctx.db.pool, s.code)).map((m) => ({
          kindText: MESSAGE_KIND_TEXT[m.kind] ?? m.kind,
          round: m.kind === 'supplement_request' ? ` (lần ${m.round})` : '',
          channelText: CITIZEN_CHANNEL_TEXT[m.channel],
          status: m.status,
          statusText:
            m.status === 'sent'
              ? `đã gửi ${vietnameseShortInstant(m.sent_at!.getTime())}`
              : m.status === 'failed'
                ? `gửi lỗi sau ${m.attempts} lần`
                : `chờ gửi (${m.attempts} lần thử)`,
          late:
            m.deliver_by !== null && m.status !== 'sent' && m.deliver_by.getTime() < ctx.now()
              ? `chưa đến người nộp trước ${vietnameseShortInstant(m.deliver_by.getTime())}`
              : '',
        })),
        // The titles of the form set the dossier was received under.
        letterTitles: Object.fromEntries(
          Object.entries(formSetAt(s.receivedAt).forms).map(([k, f]) => [k, f.title.charAt(0) + f.title.slice(1).toLocaleLowerCase('vi')]),
        ),
        explanation: explanationPanel(s, scope, ctx.now(), agencyName, pageState),
      }),
    );
  }
  return router;
}

/** A refused explanation or review: its messages by field, in Vietnamese, and what was typed. */
interface ExplanationForm {
  explainErrors?: Record<string, string>;
  reviewErrors?: Record<string, string>;
  typed?: Record<string, string>;
}

/** The Vietnamese message for each field the API would name (dossiers/explanation.ts, explain-late.ts). */
const EXPLANATION_FIELD_TEXT: Record<string, string> = {
  dossierCode: 'Hồ sơ không trễ hạn, không quá hạn, hoặc giải trình đã được xác nhận.',
  reason: 'Chọn một lý do trong danh sách.',
  note: 'Ghi rõ nội dung giải trình (bắt buộc khi chọn lý do "Khác").',
  responsibleAgencyCode: 'Chọn một cơ quan đã tham gia giải quyết hồ sơ.',
  responsibleStep: 'Bước này không thuộc cơ quan đã chọn.',
  explanation: 'Không có giải trình nào đang chờ xác nhận.',
  by: 'Người lập giải trình không tự xác nhận giải trình của mình.',
  decision: 'Chọn xác nhận hoặc trả lại.',
  comment: 'Ghi lý do trả lại giải trình.',
};

/** Runs `act`; a refusal (the API's 400 or 422) becomes its fields' Vietnamese messages, anything else is thrown on. */
async function refusedFields(act: () => Promise<unknown>): Promise<Record<string, string> | null> {
  try {
    await act();
    return null;
  } catch (err) {
    const issues =
      err instanceof ZodError
        ? err.issues.map((i) => String(i.path[0] ?? ''))
        : err instanceof DomainError && err.kind === 'invalid_explanation'
          ? (err.details ?? []).map((d) => d.path)
          : null;
    if (!issues) throw err;
    return Object.fromEntries(issues.map((f) => [f, EXPLANATION_FIELD_TEXT[f] ?? 'Không hợp lệ.']));
  }
}

/**
 * The page's "Giải trình trễ hạn" panel: the explanation as it stands, the form to write one while the dossier is late
 * or overdue and its explanation not acknowledged, and the review form for a supervisor who did not write it.
 */
function explanationPanel(s: DossierState, scope: Scope, now: number, agencyName: (code: string) => string, form: ExplanationForm) {
  const e = s.explanation ?? null;
  const late = lateOrOverdueAt(s, now);
  if (!late && !e) return null;
  const typed = form.typed ?? {};
  const canExplain = late && e?.status !== 'acknowledged' && scope.has('counter', 'supervisor', 'admin');
  const chosenAgency = typed.responsibleAgencyCode ?? e?.responsibleAgencyCode ?? s.currentAgencyCode;
  return {
    current: e && {
      reasonText: reasonText(e.reason),
      note: e.note,
      responsibleText: `${agencyName(e.responsibleAgencyCode)}${e.responsibleStep ? `, bước ${e.responsibleStep}` : ''}`,
      when: vietnameseShortInstant(e.at),
      statusText: EXPLANATION_STATUS_TEXT[e.status],
      status: e.status,
      reviewText: e.reviewedAt === null ? '' : `${vietnameseShortInstant(e.reviewedAt)}${e.comment ? `: ${e.comment}` : ''}`,
    },
    canExplain,
    canReview: e?.status === 'submitted' && e.by !== scope.actor.id && scope.has('supervisor', 'admin'),
    ownWaiting: e?.status === 'submitted' && e.by === scope.actor.id,
    reasons: EXPLANATION_REASON_CODES.map((code) => ({ code, text: EXPLANATION_REASONS[code], selected: code === (typed.reason ?? e?.reason) })),
    agencies: dossierAgencies(s).map((code) => ({ code, name: agencyName(code), selected: code === chosenAgency })),
    steps: [...new Set(s.steps.map((x) => x.step))].map((step) => ({ step, selected: step === (typed.responsibleStep ?? e?.responsibleStep) })),
    note: typed.note ?? e?.note ?? '',
    comment: typed.comment ?? '',
    explainErrors: form.explainErrors ?? {},
    reviewErrors: form.reviewErrors ?? {},
  };
}
