/**
 * What an alert says: the dossier, its procedure and agency, the masked
 * applicant, the due instant and the working time left or overdue by,
 * rendered in Vietnamese as HTML and plain text.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { VietnamCalendar } from '../calendar/vietnam-calendar.js';
import { vietnameseInstant } from '../calendar/vietnamese-format.js';
import type { DossierState } from '../dossiers/state.js';
import { renderTemplate } from '../views/render.js';
import { workingDurationText } from './format.js';
import { initialsAndLengths } from '../dossiers/masking.js';
import { lateWithoutApologyAt } from '../dossiers/progress.js';

export interface AlertEnv {
  catalog: Catalog;
  calendar: VietnamCalendar;
  publicUrl: string;
  now: number;
}

/** The facts about one dossier that alerts and digests show. */
export function dossierFacts(s: DossierState, env: AlertEnv) {
  const policies = s.rules.policies;
  const index = env.calendar.workingTime(policies.officeHours);
  const dayMinutes = index.dayMs / 60_000;
  const leftMinutes = index.between(env.now, s.dueAt) / 60_000;
  return {
    code: s.code,
    procedureCode: s.procedureCode,
    procedureName: env.catalog.procedure(s.procedureCode)?.name ?? s.procedureCode,
    agencyName: env.catalog.nameOf(s.receivingAgencyCode),
    applicantMasked: initialsAndLengths(s.applicant.name),
    dueText: vietnameseInstant(s.dueAt),
    overdue: env.now > s.dueAt,
    /** Overdue and no apology yet: the violation the supervisor can still mend today (progress.ts). */
    withoutApology: lateWithoutApologyAt(s, env.now),
    timeLeft: workingDurationText(Math.max(0, leftMinutes), dayMinutes),
    overdueBy: workingDurationText(Math.max(0, -leftMinutes), dayMinutes),
    link: `${env.publicUrl}/dossiers/${encodeURIComponent(s.code)}`,
  };
}

export function renderDossierAlert(s: DossierState, env: AlertEnv, recipientName: string) {
  const facts = dossierFacts(s, env);
  const subject = facts.overdue ? `[Đúng hạn] Hồ sơ ${s.code} đã quá hạn ${facts.overdueBy}` : `[Đúng hạn] Hồ sơ ${s.code} sắp đến hạn (còn ${facts.timeLeft})`;
  const data = { ...facts, subject, recipientName };
  return { subject, html: renderTemplate('emails/alert.html', data), text: renderTemplate('emails/alert.text', data) };
}

export function renderDigest(agencyCode: string, dossiers: DossierState[], env: AlertEnv, recipientName: string) {
  const facts = dossiers.map((d) => dossierFacts(d, env));
  const overdue = facts.filter((f) => f.overdue);
  const dueSoon = facts.filter((f) => !f.overdue);
  const agencyName = env.catalog.nameOf(agencyCode);
  const withoutApology = overdue.filter((f) => f.withoutApology).length;
  const subject = `[Đúng hạn] ${agencyName}: ${overdue.length} hồ sơ quá hạn, ${dueSoon.length} hồ sơ sắp đến hạn`;
  const intro =
    `Tình hình hồ sơ của ${agencyName} lúc ${vietnameseInstant(env.now)}: ${overdue.length} hồ sơ quá hạn` +
    (withoutApology ? ` (${withoutApology} hồ sơ chưa có văn bản xin lỗi)` : '') +
    `, ${dueSoon.length} hồ sơ sắp đến hạn.`;
  return renderList({ subject, recipientName, intro, footer: 'Thư tổng hợp hằng ngày của hệ thống Đúng hạn.', overdue, dueSoon });
}

/**
 * The alerts one scan found for one recipient, in one message: the dossiers
 * most urgent first (the caller's order). A single dossier keeps its own message.
 */
export function renderAlertList(kind: 'due_soon' | 'overdue', dossiers: DossierState[], env: AlertEnv, recipientName: string) {
  if (dossiers.length === 1) return renderDossierAlert(dossiers[0]!, env, recipientName);
  const facts = dossiers.map((d) => dossierFacts(d, env));
  const what = kind === 'overdue' ? 'đã quá hạn' : 'sắp đến hạn';
  const subject = `[Đúng hạn] ${dossiers.length} hồ sơ ${what}`;
  const intro = `Lúc ${vietnameseInstant(env.now)}, ${dossiers.length} hồ sơ ${what} (khẩn nhất trước):`;
  return renderList({
    subject,
    recipientName,
    intro,
    footer: 'Thư cảnh báo của hệ thống Đúng hạn: mỗi hồ sơ được báo một lần cho mỗi hạn.',
    overdue: facts.filter((f) => f.overdue),
    dueSoon: facts.filter((f) => !f.overdue),
  });
}

type Facts = ReturnType<typeof dossierFacts>;

function renderList(data: { subject: string; recipientName: string; intro: string; footer: string; overdue: Facts[]; dueSoon: Facts[] }) {
  return { subject: data.subject, html: renderTemplate('emails/digest.html', data), text: renderTemplate('emails/digest.text', data) };
}
