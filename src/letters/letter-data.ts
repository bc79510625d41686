/**
 * The data each legal form needs, prefilled from the dossier, its agency and
 * the calendar. Letters go to the citizen, so names are not masked here.
 */
import type { Catalog } from '../catalog/catalog.js';
import { vietnameseDate, vietnameseInstant } from '../calendar/vietnamese-format.js';
import type { DossierState } from '../dossiers/state.js';
import type { DossierEvent } from '../dossiers/events.js';
import { OUTCOME_TEXT } from '../dossiers/wording.js';
import type { Duration } from '../rules/durations.js';
import { formSetAt } from './forms.js';

const UNIT_TEXT: Record<Duration['unit'], string> = {
  'working-days': 'ngày làm việc',
  'working-hours': 'giờ làm việc',
  'calendar-days': 'ngày',
  months: 'tháng',
};

export function durationText(d: Duration): string {
  return `${String(d.value).padStart(2, '0')} ${UNIT_TEXT[d.unit]}`;
}

/** "Sơn La" from "Ủy ban nhân dân tỉnh Sơn La". */
function placeName(catalog: Catalog, agencyCode: string): string {
  const root = catalog.agency(catalog.pathOf(agencyCode)[0] ?? agencyCode);
  return (root?.name ?? '').replace(/^Ủy ban nhân dân (tỉnh|thành phố)\s+/i, '');
}

function header(catalog: Catalog, agencyCode: string) {
  const path = catalog.pathOf(agencyCode);
  const parent = path.length > 1 ? catalog.agency(path[path.length - 2]!) : undefined;
  return {
    parentName: parent?.name.replace(/^Ủy ban nhân dân/, 'UBND').toUpperCase() ?? '',
    agencyName: (catalog.agency(agencyCode)?.name ?? agencyCode).toUpperCase(),
  };
}

function common(s: DossierState, catalog: Catalog, letterDateMs: number) {
  const procedure = catalog.procedure(s.procedureCode);
  return {
    formSet: formSetAt(s.receivedAt),
    ...header(catalog, s.receivingAgencyCode),
    dateLine: `${placeName(catalog, s.receivingAgencyCode)}, ${vietnameseDate(letterDateMs)}`,
    code: s.code,
    applicant: s.applicant,
    procedureName: procedure?.name ?? s.procedureCode,
    procedureCode: s.procedureCode,
    // The time the dossier was received under, not today's catalogue.
    legalTime: durationText(s.rules.duration),
    receivingAgency: catalog.agency(s.receivingAgencyCode)?.name ?? s.receivingAgencyCode,
    receivedText: vietnameseInstant(s.receivedAt),
  };
}

/** Form 01: receipt and appointment. `provisional`: whether the appointment it prints depends on an unconfirmed day. */
export function receiptData(s: DossierState, catalog: Catalog, provisional: boolean) {
  return { ...common(s, catalog, s.receivedAt), dueText: vietnameseInstant(s.initialDueAt), provisional };
}

/** Form 04: apology and new appointment; null when no apology was issued. */
export function apologyData(s: DossierState, catalog: Catalog) {
  return s.apology && apologyLetterData(s, catalog, { ...s.apology, dateAt: s.apology.issuedAt });
}

/**
 * Form 04 from its content: the issued apology's, or a workflow letter's when it is signed (dated the signing, moving
 * the appointment the dossier has then).
 */
export function apologyLetterData(s: DossierState, catalog: Catalog, a: { dateAt: number; reason: string; previousDueAt: number; newDueAt: number }) {
  return {
    ...common(s, catalog, a.dateAt),
    receivedDate: vietnameseDate(s.receivedAt),
    previousDueText: vietnameseInstant(a.previousDueAt),
    reason: a.reason,
    newDueText: vietnameseInstant(a.newDueAt),
  };
}

/** Form 05: each hand-over with its time, the step's budget and whether it was on time. */
export function controlSlipData(s: DossierState, catalog: Catalog) {
  const name = (code: string) => catalog.agency(code)?.name ?? code;
  const rows = [
    {
      agency: `${name(s.receivingAgencyCode)} (tiếp nhận)`,
      step: 'Tiếp nhận hồ sơ',
      give: vietnameseInstant(s.receivedAt),
      receive: s.steps[0] ? vietnameseInstant(s.steps[0].startedAt) : '',
      budget: '',
      result: '',
      note: '',
    },
    ...s.steps.map((st) => {
      // The budget the step ran by (the event's own, else the procedure's pinned at receipt).
      const budget = st.budget ?? s.rules.steps.find((p) => p.step === st.step)?.budget;
      return {
        agency: name(st.agencyCode),
        step: st.step,
        give: vietnameseInstant(st.startedAt),
        receive: st.endedAt ? vietnameseInstant(st.endedAt) : 'Đang xử lý',
        budget: budget ? durationText(budget) : '',
        result: st.outcome ? OUTCOME_TEXT[st.outcome] : '',
        note: st.dueAt ? `Hạn bước: ${vietnameseInstant(st.dueAt)}` : '',
      };
    }),
    // The dossier's own result, judged against its appointment: the last line of the slip once it is finished.
    ...(s.finishedAt !== null
      ? [
          {
            agency: `${name(s.receivingAgencyCode)} (trả kết quả)`,
            step: 'Hoàn thành, trả kết quả',
            give: vietnameseInstant(s.finishedAt),
            receive: s.returnedAt ? vietnameseInstant(s.returnedAt) : '',
            budget: durationText(s.rules.duration),
            result: s.outcome ? OUTCOME_TEXT[s.outcome] : '',
            note: `Hẹn trả: ${vietnameseInstant(s.dueAt)}`,
          },
        ]
      : []),
  ];
  return {
    ...common(s, catalog, s.receivedAt),
    dueText: vietnameseInstant(s.dueAt),
    rows,
    outcomeText: s.outcome ? OUTCOME_TEXT[s.outcome] : 'Đang giải quyết',
    finishedText: s.finishedAt ? vietnameseInstant(s.finishedAt) : '',
  };
}

/** Form 02: the latest supplementation request, with its content; null when none was made. */
export function supplementRequestData(s: DossierState, catalog: Catalog, events: DossierEvent[]) {
  const request = events.filter((e) => e.type === 'supplement_requested').at(-1);
  if (!request || request.type !== 'supplement_requested') return null;
  const at = Date.parse(request.occurredAt);
  return { ...common(s, catalog, at), reason: request.reason, requestedText: vietnameseInstant(at) };
}

/** Form 03: the refusal and its reason; null unless the dossier was refused. */
export function refusalData(s: DossierState, catalog: Catalog, events: DossierEvent[]) {
  const refusal = events.find((e) => e.type === 'refused');
  if (!refusal || refusal.type !== 'refused') return null;
  return refusalLetterData(s, catalog, { dateAt: Date.parse(refusal.occurredAt), reason: refusal.reason });
}

/** Form 03 from its content: the refusal recorded, or a workflow letter's when it is signed. */
export function refusalLetterData(s: DossierState, catalog: Catalog, r: { dateAt: number; reason: string }) {
  return { ...common(s, catalog, r.dateAt), reason: r.reason };
}

/** Printed where a form set has no stop-notice form of its own (Circular 01/2018 had none). */
const STOP_NOTICE_TITLE = 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ';

/**
 * The stop notice (*Thông báo dừng giải quyết hồ sơ*, Circular 03/2025 Art. 7: Source; its number 05 Unconfirmed,
 * DOMAIN §4): the dossier was closed because the applicant did not complete it within 15 days of the notice
 * (Decree 118/2025 Art. 19(5)), or withdrawn at the applicant's request. Null for any other dossier. A form set
 * without such a form (Circular 01/2018) prints the title with no form number.
 */
export function stopNoticeData(s: DossierState, catalog: Catalog, events: DossierEvent[]) {
  const stop = events.find((e) => e.type === 'closed' || e.type === 'withdrawn');
  if (!stop || (stop.type !== 'closed' && stop.type !== 'withdrawn')) return null;
  const at = Date.parse(stop.occurredAt);
  const base = common(s, catalog, at);
  const formSet = base.formSet.forms.stopNotice
    ? base.formSet
    : { ...base.formSet, forms: { ...base.formSet.forms, stopNotice: { number: '', title: STOP_NOTICE_TITLE } } };
  const notice = events.filter((e) => e.type === 'supplement_requested' && Date.parse(e.occurredAt) <= at).at(-1);
  const grounds =
    stop.type === 'closed'
      ? `Ngày ${notice ? vietnameseDate(Date.parse(notice.occurredAt)).replace(/^ngày /, '') : '……'}, ${base.receivingAgency} đã thông báo yêu cầu Ông/Bà bổ sung, hoàn thiện hồ sơ. Quá 15 ngày kể từ ngày thông báo, Ông/Bà chưa bổ sung, hoàn thiện hồ sơ theo yêu cầu (khoản 5 Điều 19 Nghị định số 118/2025/NĐ-CP).`
      : 'Ông/Bà đã đề nghị rút hồ sơ.';
  return { ...base, formSet, stoppedText: vietnameseInstant(at), grounds, reason: stop.reason ?? '', kind: stop.type };
}
