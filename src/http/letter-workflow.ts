/**
 * The steps of a letter's approval (dossiers/letter-workflow.ts), shared by the API (routes/letter-workflow.ts) and the
 * dossier page's forms (routes/letter-workflow-page.ts): draft, submit, approve, return with a comment, sign, issue.
 * Each is one event through the context's ingestion, recorded with its actor and judged by authorization (the actor
 * is the caller; one's own draft is approved only where the agency allows it) and by the fold (the order of steps).
 *
 * What needs a check before the event can even be made is checked here first, each refusal a 422 that changes
 * nothing: a sign request for a letter that is not approved (before a PDF is made and kept), a certificate that cannot
 * sign, an issue request for a letter that is not signed, an appointment that has passed since the draft.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { formatLocalInstant } from '../calendar/local-time.js';
import { proposeNewDue, lawfulApology } from '../dossiers/apology.js';
import type { DossierEvent } from '../dossiers/events.js';
import { LETTER_STATUS_TEXT, letterDeadline, type LetterKind, type LetterProgress } from '../dossiers/letter-workflow.js';
import { regimeById } from '../dossiers/regimes.js';
import type { DossierState } from '../dossiers/state.js';
import { DomainError } from '../domain-error.js';
import { apologyLetterData, refusalLetterData } from '../letters/letter-data.js';
import { LETTER_FORM_KEY, renderLetterPdf, type LetterPdf } from '../letters/letter-pdf.js';
import { checkCertificate, signPdf, SigningCertificateError } from '../pdf/sign.js';
import { dropSignedLetter, saveSignedLetter } from '../store/signed-letters.js';
import type { Scope } from './auth.js';
import { ingestAs } from './ingest-as.js';
import { HttpError } from './errors.js';
import { apologyRequestSchema } from './issue-apology.js';

/** A refusal's draft: its reason (the apology's is issue-apology.ts's request: reason and the new appointment). */
export const refusalDraftSchema = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export const returnLetterSchema = z.object({ comment: z.string().trim().min(1, 'say why the letter is returned').max(2000) });

export const LETTER_NAME: Record<LetterKind, string> = { apology: 'văn bản xin lỗi', refusal: 'văn bản từ chối' };

const base = (ctx: AppContext, s: DossierState) => ({ eventId: randomUUID(), dossierCode: s.code, occurredAt: formatLocalInstant(ctx.now()) });

function letterIn(s: DossierState, form: LetterKind, wanted: LetterProgress['status'], step: string): LetterProgress {
  const letter = s.letters?.[form];
  if (!letter || letter.status !== wanted) {
    const now = letter ? `the ${form} letter is "${letter.status}"` : `there is no ${form} letter in progress`;
    throw new DomainError('invalid_transition', `Only a letter that is "${wanted}" can be ${step}: ${now}.`, [
      { path: 'status', message: `${LETTER_NAME[form]}: ${letter ? LETTER_STATUS_TEXT[letter.status] : 'chưa có dự thảo'}` },
    ]);
  }
  return letter;
}

/** Drafts (or, once returned, revises) the letter: an apology with its new appointment, checked like a direct one. */
export async function draftLetter(ctx: AppContext, s: DossierState, scope: Scope, form: LetterKind, body: unknown): Promise<{ eventId: string }> {
  if (s.finishedAt !== null) throw new DomainError('invalid_transition', `Dossier ${s.code} is finished: no letter can be drafted for it.`);
  let content: { reason: string; newDueAt?: string };
  if (form === 'apology') {
    const req = apologyRequestSchema.parse(body);
    const index = ctx.calendar.workingTime(s.rules.policies.officeHours);
    const proposal = proposeNewDue(s, index, ctx.now(), {
      extraWorkingDays: req.extraWorkingDays,
      newDueAt: req.newDueAt ? Date.parse(req.newDueAt) : undefined,
    });
    if (!proposal.ok)
      throw new DomainError('invalid_appointment', `The new appointment is not valid: ${proposal.message}.`, [
        { path: proposal.path, message: proposal.message },
      ]);
    content = { reason: req.reason, newDueAt: formatLocalInstant(proposal.newDueAt) };
  } else {
    content = refusalDraftSchema.parse(body);
  }
  const event = { ...base(ctx, s), type: 'letter_drafted', form, by: scope.actor.id, ...content } satisfies DossierEvent;
  await ingestAs(ctx, scope, [event]);
  return { eventId: event.eventId };
}

/** Submit, approve, or return with a comment: the fold says whether the letter is where the step can be taken. */
export async function moveLetter(
  ctx: AppContext,
  s: DossierState,
  scope: Scope,
  form: LetterKind,
  step: { type: 'letter_submitted' | 'letter_approved' } | { type: 'letter_returned'; comment: string },
): Promise<{ eventId: string }> {
  const event = { ...base(ctx, s), form, by: scope.actor.id, ...step } satisfies DossierEvent;
  await ingestAs(ctx, scope, [event]);
  return { eventId: event.eventId };
}

/** The letter as it will be signed: its content from the workflow, dated the signing, the appointment of the moment. */
export function workflowLetter(s: DossierState, ctx: AppContext, form: LetterKind, letter: LetterProgress, atMs: number): LetterPdf {
  return form === 'apology'
    ? { form, data: apologyLetterData(s, ctx.catalog, { dateAt: atMs, reason: letter.reason, previousDueAt: s.dueAt, newDueAt: letter.newDueAt! }) }
    : { form, data: refusalLetterData(s, ctx.catalog, { dateAt: atMs, reason: letter.reason }) };
}

/**
 * Signs the approved letter with the organisation's certificate (pdf/sign.ts), keeps the signed bytes, and records
 * `letter_signed` with their SHA-256. Refused with 422, nothing kept: a letter not approved, a certificate that is
 * unreadable, not yet or no longer valid, or not allowed to sign.
 */
export async function signLetter(ctx: AppContext, s: DossierState, scope: Scope, form: LetterKind): Promise<{ eventId: string; sha256: string }> {
  const letter = letterIn(s, form, 'approved', 'signed');
  if (!ctx.signing) throw new HttpError(503, 'No signing certificate is configured (SIGNING_P12_PATH).');
  const now = ctx.now();
  const doc = workflowLetter(s, ctx, form, letter, now);
  let signed: Buffer;
  let subject: string;
  try {
    subject = checkCertificate(ctx.signing, now).subject;
    signed = await signPdf(await renderLetterPdf(doc), ctx.signing, {
      reason: `${doc.data.formSet.forms[LETTER_FORM_KEY[form]].title} — ${s.code}`,
      name: doc.data.agencyName,
      location: doc.data.dateLine.split(',')[0] ?? '',
      signingTime: new Date(now),
    });
  } catch (e) {
    if (e instanceof SigningCertificateError) throw new HttpError(422, e.message, [{ path: 'certificate', message: e.problem }]);
    throw e;
  }
  const sha256 = createHash('sha256').update(signed).digest('hex');
  const event = { ...base(ctx, s), type: 'letter_signed', form, by: scope.actor.id, sha256, certificate: subject } satisfies DossierEvent;
  await saveSignedLetter(ctx.db.pool, { sha256, dossierCode: s.code, form, eventId: event.eventId, signedAt: now, pdf: signed });
  try {
    await ingestAs(ctx, scope, [event]);
  } catch (e) {
    await dropSignedLetter(ctx.db.pool, event.eventId);
    throw e;
  }
  return { eventId: event.eventId, sha256 };
}

/**
 * Issues the signed letter: records the fact the law and the reports read (`apology_issued` with the signed content,
 * or `refused`), from which the citizen's message follows. An apology whose new appointment has passed since it was
 * drafted is refused (422): it is drafted again.
 */
export async function issueLetter(ctx: AppContext, s: DossierState, scope: Scope, form: LetterKind): Promise<{ eventId: string; reschedules?: boolean }> {
  const letter = letterIn(s, form, 'signed', 'issued');
  const now = ctx.now();
  let event: DossierEvent;
  if (form === 'apology') {
    const index = ctx.calendar.workingTime(s.rules.policies.officeHours);
    const proposal = proposeNewDue(s, index, now, { newDueAt: letter.newDueAt! });
    if (!proposal.ok)
      throw new DomainError('invalid_appointment', `The signed letter's new appointment is no longer valid: ${proposal.message}; draft the letter again.`, [
        { path: 'newDueAt', message: proposal.message },
      ]);
    event = { ...base(ctx, s), type: 'apology_issued', reason: letter.reason, newDueAt: formatLocalInstant(letter.newDueAt!) };
  } else {
    event = { ...base(ctx, s), type: 'refused', reason: letter.reason };
  }
  await ingestAs(ctx, scope, [event]);
  if (form === 'refusal') return { eventId: event.eventId };
  return { eventId: event.eventId, reschedules: lawfulApology(now, s.dueAt, regimeById(s.rules.regime).rules.apologyDaysBeforeDueDate.value) };
}

/** The moment the law wants the letter issued by (letter-workflow.ts letterDeadline), for the queues and pages. */
export function legalMomentOf(s: DossierState, form: LetterKind): number {
  return letterDeadline(form, s.dueAt, regimeById(s.rules.regime).rules.apologyDaysBeforeDueDate.value);
}
