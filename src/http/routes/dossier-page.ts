/**
 * The dossier page (the link in alert e-mails): where the dossier stands, its
 * events on the working-time axis, and its letters.
 */
import express, { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { vietnameseShortInstant, vietnameseShortIsoDate } from '../../calendar/vietnamese-format.js';
import { skippedDays } from '../../dossiers/deadline.js';
import { deadlineWindowOf } from '../../dossiers/fold.js';
import { regimeById } from '../../dossiers/regimes.js';
import { durationText } from '../../letters/letter-data.js';
import { formSetAt } from '../../letters/forms.js';
import { CHANNEL_TEXT, OUTCOME_TEXT } from '../../dossiers/wording.js';
import { workingDurationText } from '../../alerts/format.js';
import type { DossierEvent } from '../../dossiers/events.js';
import { dossierView } from '../../dossiers/view.js';
import { renderPage } from '../../views/render.js';
import { scopeOf } from '../auth.js';
import { loadScopedDossier } from '../scoped-dossier.js';
import { pageAuth, viewerOf } from '../page-auth.js';
import { recordPersonalDataRead } from '../../store/audit-reads.js';
import { loadLog } from '../../store/dossier-reads.js';
import { HttpError } from '../errors.js';
import { apologyRequestSchema, issueApology } from '../issue-apology.js';
import { lawfulApology } from '../../dossiers/apology.js';
import type { DossierState } from '../../dossiers/state.js';
import { isoDateOf, localDayOf, yearInVietnam } from '../../calendar/local-time.js';
import { consentView } from '../../dossiers/consent.js';
import { dossierMessages } from '../../store/outbox-store.js';

const PROGRESS_TEXT = { on_track: 'Trong hạn', due_soon: 'Sắp đến hạn', overdue: 'Quá hạn', waiting_for_citizen: 'Chờ công dân bổ sung hồ sơ' } as const;
const FLAG_TEXT: Record<string, string> = {
  late_without_apology: 'Trễ hạn mà chưa có văn bản xin lỗi',
  apology_too_late: 'Xin lỗi muộn (ít hơn thời gian quy định trước hạn)',
  declared_due_mismatch: 'Ngày hẹn trên phiếu tiếp nhận khác hạn theo quy định',
  repeated_supplement: 'Yêu cầu bổ sung hồ sơ nhiều lần',
  late_supplement_request: 'Yêu cầu bổ sung quá 03 ngày làm việc sau khi tiếp nhận',
  late_online_acceptance: 'Tiếp nhận hồ sơ trực tuyến quá 08 giờ làm việc',
  late_hand_over: 'Chuyển hồ sơ giấy cho cơ quan có thẩm quyền quá 01 ngày làm việc',
};

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

function eventLabel(e: DossierEvent, agencyName: (code: string) => string): string {
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
    case 'apology_delivered':
      return `Văn bản xin lỗi đã đến người nộp (${APOLOGY_VIA_TEXT[e.via]})`;
    case 'voided':
      return `Hủy một sự kiện ghi nhầm. Lý do: ${e.reason}`;
    case 'corrected':
      return `Sửa sự kiện thành: ${eventLabel({ ...e.replacement, eventId: e.eventId, dossierCode: e.dossierCode } as DossierEvent, agencyName)}, lúc ${vietnameseShortInstant(Date.parse(e.replacement.occurredAt))}. Lý do: ${e.reason}`;
  }
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
  // The header's search box: a dossier code leads to its page (404 alike for unknown and out-of-scope codes).
  router.get('/search', ...pageAuth(ctx), (req, res) => {
    const code = typeof req.query.code === 'string' ? req.query.code.trim() : '';
    if (!code || code.length > 64) throw new HttpError(400, 'Nhập mã hồ sơ để tìm.', [{ path: 'code', message: 'a dossier code' }]);
    res.redirect(303, `/dossiers/${encodeURIComponent(code)}`);
  });

  // "Lập văn bản xin lỗi": the form on the dossier page, checked like the API (a valid new appointment, once).
  router.post(
    '/dossiers/:code/apology',
    ...pageAuth(ctx, 'counter', 'supervisor', 'admin'),
    express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 5 }),
    async (req, res) => {
      const scope = scopeOf(res);
      const s = await loadScopedDossier(ctx, String(req.params.code), scope);
      const days = Number(req.body?.extraWorkingDays);
      const body = apologyRequestSchema.parse({ reason: String(req.body?.reason ?? ''), extraWorkingDays: Number.isFinite(days) ? days : undefined });
      await issueApology(ctx, s, scope.actor, body);
      res.redirect(303, `/dossiers/${encodeURIComponent(s.code)}#letters`);
    },
  );

  router.get('/dossiers/:code', ...pageAuth(ctx), async (req, res) => {
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, String(req.params.code), scope);
    await recordPersonalDataRead(ctx.db.pool, scope.principal, s.code, 'page:dossier', req.ip);
    const fold = ctx.foldContext();
    const d = dossierView(s, fold, ctx.now());
    const rows = await loadLog(ctx.db.pool, s.code);
    const index = ctx.calendar.workingTime(s.rules.policies.officeHours);
    const dayMinutes = index.dayMs / 60_000;
    const agencyName = (code: string) => ctx.catalog.agency(code)?.name ?? code;
    // From the first start: a clock restarted by a supplement still shows the working time spent before it.
    const worked = (t: number) => Math.max(0, index.between(s.firstClockStartsAt, t));
    const span = Math.max(worked(s.dueAt), ...rows.map((r) => worked(Date.parse(r.body.occurredAt))), 1);
    const timeline = rows.map(({ body }) => {
      const t = Date.parse(body.occurredAt);
      return {
        when: vietnameseShortInstant(t),
        label: eventLabel(body, agencyName),
        workingText: workingDurationText(worked(t) / 60_000, dayMinutes),
        position: ((worked(t) / span) * 100).toFixed(2),
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
        flags: d.flags.map((f) => FLAG_TEXT[f] ?? f),
        timeline,
        duePosition: ((worked(s.dueAt) / span) * 100).toFixed(2),
        // The legal deadline explained: the rest days that decided it (an apology's date is an appointment, not a count).
        skipped: skippedDays(index, deadlineWindowOf(s, index, s.originalDueAt)).map((d) => ({ ...d, dateText: vietnameseShortIsoDate(d.date) })),
        legalTime: durationText(s.rules.duration),
        // The apology form proposes the earliest valid new appointment: one working day after the later of now and the due instant.
        canApologise: s.finishedAt === null && !s.apology && scope.has('counter', 'supervisor', 'admin'),
        // Said before it is sent: what an apology written now will change and what it will not (issue 23 item 7).
        apologyEffect: s.finishedAt === null && !s.apology ? apologyEffectText(s, ctx.now()) : null,
        lateApologyText:
          s.apology && !s.apology.reschedules ? `xin lỗi muộn, hẹn lại ${vietnameseShortInstant(s.apology.newDueAt)} nhưng không thay đổi hạn` : '',
        proposedText: s.finishedAt === null && !s.apology ? vietnameseShortInstant(index.add(Math.max(ctx.now(), s.dueAt), index.dayMs)) : '',
        refused: s.status === 'refused',
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
      }),
    );
  });
  return router;
}
