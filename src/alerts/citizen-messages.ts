/**
 * The messages a change of a dossier causes, rendered from the templates (message-templates.ts) into outbox rows:
 * one per (dossier, kind, channel, round), written by ingestion in the transaction of the event that causes it
 * (store/event-store.ts). Pure given its environment: the same change renders the same rows (links included).
 */
import type { Catalog } from '../catalog/catalog.js';
import { exportInstant, vietnameseInstant } from '../calendar/vietnamese-format.js';
import { noticesCaused, type Notice } from '../dossiers/citizen-notices.js';
import type { DossierEvent } from '../dossiers/events.js';
import type { DossierState } from '../dossiers/state.js';
import type { OutboxRow } from '../store/outbox-store.js';
import { LINK_TTL_MS, linkUrl, signLink, type LinkPurpose } from './citizen-links.js';
import { fill, type MessageTemplates } from './message-templates.js';
import { fitSms, gsmLength, segmentCapacity, withoutDiacritics } from './sms-text.js';

export interface CitizenEnv {
  catalog: Catalog;
  publicUrl: string;
  linkSecret: string;
  templates: MessageTemplates;
  sms: {
    /** The gateway takes Unicode text (diacritics kept, 70 characters a segment); most brandname gateways do not. */
    unicode: boolean;
    /** The longest message, in segments (SMS_MAX_SEGMENTS). */
    maxSegments: number;
  };
}

/** Which of a kind's fields may be cut to fit an SMS, first cut first: free text, never a code, date or link. */
const SHRINKABLE = ['reason', 'resultHowShort', 'procedure', 'agency'];

const LETTER_LINK: Partial<Record<Notice['kind'], LinkPurpose>> = { apology: 'apology', supplement_request: 'supplement-request', refusal: 'refusal' };

/** The rows a change of one dossier causes; `events`: the events of the batch for this dossier (reasons live there). */
export function citizenMessages(before: DossierState | undefined, after: DossierState, events: DossierEvent[], env: CitizenEnv): OutboxRow[] {
  const notices = noticesCaused(before, after);
  if (notices.length === 0) return [];
  return notices.map((n) => renderNotice(n, after, events, env));
}

function valuesFor(n: Notice, s: DossierState, events: DossierEvent[], env: CitizenEnv, causedAt: number): Record<string, string> {
  const link = (purpose: LinkPurpose) => linkUrl(env.publicUrl, signLink(env.linkSecret, purpose, s.code, causedAt + LINK_TTL_MS));
  const agency = env.catalog.nameOf(s.receivingAgencyCode);
  const appointment = s.apology ? s.apology.newDueAt : s.dueAt;
  const v: Record<string, string> = {
    code: s.code,
    applicant: s.applicant.name,
    procedure: env.catalog.procedure(s.procedureCode)?.name ?? s.procedureCode,
    agency,
    receivedAt: vietnameseInstant(s.receivedAt),
    appointment: vietnameseInstant(appointment),
    appointmentShort: exportInstant(appointment),
    lookupUrl: link('lookup'),
    lookupPage: `${env.publicUrl.replace(/\/$/, '')}/tra-cuu`,
  };
  const letter = LETTER_LINK[n.kind];
  if (letter) v.letterUrl = link(letter);
  if (n.kind === 'supplement_request') {
    const requests = events.filter((e): e is Extract<DossierEvent, { type: 'supplement_requested' }> => e.type === 'supplement_requested');
    // The n-th request of the dossier is the last of this batch's requests counted back from the current count.
    const request = requests[requests.length - 1 - (s.supplementCount - n.round)] ?? requests.at(-1);
    v.reason = request?.reason ?? '';
    // Art. 19(5): the unit closes the dossier from the 15th day after the notice; the last day to supplement is the day before.
    v.supplementBy = s.closureDueAt !== null ? `hết ngày ${exportInstant(s.closureDueAt - 1).slice(0, 10)}` : 'thời hạn ghi trên phiếu yêu cầu bổ sung';
  }
  if (n.kind === 'apology' && s.apology) {
    v.reason = s.apology.reason;
    v.previousAppointment = vietnameseInstant(s.apology.previousDueAt);
    v.newAppointment = vietnameseInstant(s.apology.newDueAt);
    v.newAppointmentShort = exportInstant(s.apology.newDueAt);
  }
  if (n.kind === 'result_ready') {
    v.resultHow = s.electronicResult
      ? `Kết quả điện tử đã được gửi vào tài khoản của ông/bà trên Cổng Dịch vụ công.${s.rules.paperResult === false ? '' : ` Bản giấy (nếu có) nhận tại ${agency}, mang theo Giấy tiếp nhận hồ sơ.`}`
      : `Xin mang Giấy tiếp nhận hồ sơ và giấy tờ tùy thân đến nhận kết quả tại ${agency} trong giờ hành chính.`;
    v.resultHowShort = s.electronicResult ? 'Kết quả điện tử đã gửi trên Cổng DVC.' : `Nhận tại ${agency}.`;
  }
  if (n.kind === 'refusal') {
    const refusal = events.find((e): e is Extract<DossierEvent, { type: 'refused' }> => e.type === 'refused');
    v.reason = refusal?.reason ?? '';
  }
  return v;
}

/** The instant the message is about: the causing fact's, so that its links expire the same whoever renders it. */
function causedAtOf(n: Notice, s: DossierState, events: DossierEvent[]): number {
  switch (n.kind) {
    case 'receipt':
      return s.receivedAt;
    case 'apology':
      return s.apology!.issuedAt;
    case 'result_ready':
      return s.resultReadyAt!;
    default: {
      const e = events.find((x) => x.type === (n.kind === 'refusal' ? 'refused' : 'supplement_requested'));
      return e ? Date.parse(e.occurredAt) : s.lastOccurredAt;
    }
  }
}

function renderNotice(n: Notice, s: DossierState, events: DossierEvent[], env: CitizenEnv): OutboxRow {
  const causedAt = causedAtOf(n, s, events);
  const values = valuesFor(n, s, events, env, causedAt);
  const t = env.templates[n.kind];
  const base = {
    dedupeKey: `citizen:${s.code}:${n.kind}:${n.channel}:${n.round}`,
    kind: n.kind,
    dossierCode: s.code,
    agencyCode: s.receivingAgencyCode,
    dueAt: s.dueAt,
    recipient: n.contact,
    channel: n.channel,
    round: n.round,
    deliverBy: n.deliverBy,
  };
  if (n.channel === 'email') {
    const stopUrl = linkUrl(env.publicUrl, signLink(env.linkSecret, 'stop', s.code, causedAt + LINK_TTL_MS));
    const text = `${fill(t.email.text, values)}\n\n--\nThư tự động của hệ thống theo dõi hồ sơ; xin không trả lời thư này.\nNgừng nhận thông báo về hồ sơ này: ${stopUrl}\n`;
    return { ...base, subject: fill(t.email.subject, values), text, html: textToHtml(text), payload: n.kind === 'apology' ? { attach: 'apology' } : null };
  }
  if (n.channel === 'sms') {
    const unicode = env.sms.unicode;
    const prepared = unicode ? values : Object.fromEntries(Object.entries(values).map(([k, x]) => [k, withoutDiacritics(x)]));
    const template = unicode ? t.sms : withoutDiacritics(t.sms);
    const text = fitSms(
      (v) => fill(template, v),
      prepared,
      SHRINKABLE,
      segmentCapacity(env.sms.maxSegments, unicode),
      unicode ? (x) => [...x].length : gsmLength,
    );
    return { ...base, subject: '', html: '', text, payload: null };
  }
  // Zalo ZNS: the province's registered template, filled parameter by parameter (Zalo limits each to a few dozen characters).
  const params = Object.fromEntries(Object.entries(t.zalo).map(([param, field]) => [param, values[field] ?? '']));
  return {
    ...base,
    subject: '',
    html: '',
    text: Object.entries(params)
      .map(([k, x]) => `${k}: ${x}`)
      .join('\n'),
    payload: { params },
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The e-mail's HTML part: the text, escaped, its links clickable, its blank lines paragraphs. */
export function textToHtml(text: string): string {
  const paragraphs = text
    .trim()
    .split(/\n{2,}/)
    .map((p) =>
      escapeHtml(p)
        .replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`)
        .replace(/\n/g, '<br>\n'),
    );
  return `<!doctype html><html lang="vi"><meta charset="utf-8"><body style="font-family: sans-serif">${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</body></html>`;
}
