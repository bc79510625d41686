/**
 * A letter's way out of the agency (issue 25 item 2): an apology (form 04) or a refusal (form 03) is drafted by the
 * handling officer, submitted, approved or returned with a comment, signed by the competent leader, then issued. Pure:
 * the fold applies each step (`letter_*` events) and refuses a step out of order; who may take a step beyond that (not
 * approving one's own draft where the agency forbids it) is authorization's, which knows the actor (authorization.ts).
 *
 * The issuing step is the existing fact, not a new one: issuing an apology records `apology_issued`, issuing a refusal
 * `refused`, with the draft's content. So the law's deadlines, the 766 judgment, the flags, the reports and the
 * citizen's messages keep their one definition (they read those facts), and a letter counts from the moment it is
 * issued and never before: a draft, an approval or a signature moves no deadline and sends nothing. An apology or a
 * refusal recorded without a workflow (an agency's own system over the events API, data from before the workflow)
 * stays what it was; one recorded while a workflow letter is under way must be that letter, signed (issueProblem).
 */
import type { z } from 'zod';
import { localDayOf, localDayStart } from '../calendar/local-time.js';
import { LETTER_STEP_TYPES, type DossierEvent, type letterKindSchema } from './events.js';

export type LetterKind = z.infer<typeof letterKindSchema>;

export type LetterStatus = 'draft' | 'submitted' | 'returned' | 'approved' | 'signed' | 'issued';

/** Where a workflow letter stands, with who took each step (actor ids: a person's or a key's). */
export interface LetterProgress {
  status: LetterStatus;
  reason: string;
  /** The apology's proposed appointment; null for a refusal. */
  newDueAt: number | null;
  draftedBy: string;
  draftedAt: number;
  submittedAt: number | null;
  approvedBy: string | null;
  approvedAt: number | null;
  /** The last return's comment, kept until the letter is approved. */
  returnedBy: string | null;
  returnComment: string | null;
  signedBy: string | null;
  signedAt: number | null;
  /** SHA-256 (hex) of the signed PDF: the document issued is exactly these bytes (store/signed-letters.ts). */
  sha256: string | null;
  issuedAt: number | null;
}

/** The dossier's workflow letters (absent in states folded before the workflow, and where none was drafted). */
export type Letters = Partial<Record<LetterKind, LetterProgress>>;

/** A step's event (events.ts has the schemas). */
export type LetterStep = Extract<DossierEvent, { type: (typeof LETTER_STEP_TYPES)[number] }>;

export function isLetterStep(e: DossierEvent): e is LetterStep {
  return (LETTER_STEP_TYPES as readonly string[]).includes(e.type);
}

export const LETTER_STATUS_TEXT: Record<LetterStatus, string> = {
  draft: 'Dự thảo',
  submitted: 'Chờ duyệt',
  returned: 'Bị trả lại',
  approved: 'Đã duyệt, chờ ký',
  signed: 'Đã ký, chờ phát hành',
  issued: 'Đã phát hành',
};

/**
 * Which step may follow which: a returned letter is revised (drafted again) or submitted again as it is. An approved or
 * signed letter not yet issued may be drafted again too (its new appointment passed before it could be issued, say):
 * the revision needs a new approval and a new signature. A submitted one waits for its reviewer's answer.
 */
const FROM: Record<LetterStep['type'], LetterStatus[]> = {
  letter_drafted: ['draft', 'returned', 'approved', 'signed'],
  letter_submitted: ['draft', 'returned'],
  letter_approved: ['submitted'],
  letter_returned: ['submitted'],
  letter_signed: ['approved'],
};

const WHY_NOT: Record<LetterStep['type'], string> = {
  letter_drafted: 'a submitted letter is revised only once it is returned',
  letter_submitted: 'only a draft or a returned letter can be submitted',
  letter_approved: 'only a submitted letter can be approved',
  letter_returned: 'only a submitted letter can be returned',
  letter_signed: 'only an approved letter can be signed',
};

/** The letter after the step, or why the step cannot be taken now. */
export function applyLetterStep(
  current: LetterProgress | undefined,
  e: LetterStep,
  at: number,
): { ok: true; letter: LetterProgress } | { ok: false; message: string } {
  if (!current || current.status === 'issued') {
    if (e.type !== 'letter_drafted') return { ok: false, message: `there is no ${e.form} letter in progress to ${STEP_VERB[e.type]}` };
  } else if (!FROM[e.type].includes(current.status)) {
    return { ok: false, message: `${WHY_NOT[e.type]}: the ${e.form} letter is "${current.status}"` };
  }
  switch (e.type) {
    case 'letter_drafted': {
      if (e.form === 'apology' && e.newDueAt === undefined) return { ok: false, message: 'an apology draft needs its new appointment (newDueAt)' };
      if (e.form === 'refusal' && e.newDueAt !== undefined) return { ok: false, message: 'a refusal has no new appointment' };
      return {
        ok: true,
        letter: {
          status: 'draft',
          reason: e.reason,
          newDueAt: e.newDueAt === undefined ? null : Date.parse(e.newDueAt),
          draftedBy: e.by,
          draftedAt: at,
          submittedAt: null,
          approvedBy: null,
          approvedAt: null,
          // A revision keeps the comment it answers until the letter is approved.
          returnedBy: current?.status === 'returned' ? current.returnedBy : null,
          returnComment: current?.status === 'returned' ? current.returnComment : null,
          signedBy: null,
          signedAt: null,
          sha256: null,
          issuedAt: null,
        },
      };
    }
    case 'letter_submitted':
      return { ok: true, letter: { ...current!, status: 'submitted', submittedAt: at } };
    case 'letter_approved':
      return { ok: true, letter: { ...current!, status: 'approved', approvedBy: e.by, approvedAt: at, returnedBy: null, returnComment: null } };
    case 'letter_returned':
      return { ok: true, letter: { ...current!, status: 'returned', returnedBy: e.by, returnComment: e.comment } };
    case 'letter_signed':
      return { ok: true, letter: { ...current!, status: 'signed', signedBy: e.by, signedAt: at, sha256: e.sha256 } };
  }
}

const STEP_VERB: Record<LetterStep['type'], string> = {
  letter_drafted: 'draft',
  letter_submitted: 'submit',
  letter_approved: 'approve',
  letter_returned: 'return',
  letter_signed: 'sign',
};

/**
 * Whether the issued fact (`apology_issued` or `refused`) may be recorded: with no workflow letter under way, yes (a
 * letter made outside dunghan); with one, only once it is signed, and with the content that was signed.
 */
export function issueProblem(current: LetterProgress | undefined, form: LetterKind, content: { reason: string; newDueAt: number | null }): string | null {
  if (!current || current.status === 'issued') return null;
  if (current.status !== 'signed') return `the ${form} letter in progress is "${current.status}", not signed: only a signed letter is issued`;
  if (current.reason !== content.reason || current.newDueAt !== content.newDueAt)
    return `the issued ${form} differs from the signed letter (reason or new appointment)`;
  return null;
}

/**
 * Approving one's own draft, where the agency's setting (`letterSelfApproval`, default not allowed) forbids it: the
 * four-eyes rule of the provincial systems (an officer drafts, a leader approves). Null when the step is allowed.
 */
export function selfApprovalProblem(current: LetterProgress | undefined, e: LetterStep, actorId: string, allowed: boolean): string | null {
  if (e.type !== 'letter_approved' || allowed || !current || current.draftedBy !== actorId) return null;
  return `approving one's own draft is not allowed at this agency: the ${e.form} letter was drafted by the same person`;
}

/** What a workflow letter waits for: someone to approve it (submitted) or to sign it (approved). */
export type LetterWait = 'approval' | 'signature';

/** The waits of an open dossier's letters (the action queues'; a finished dossier's leftover drafts wait for nothing). */
export function lettersWaiting(letters: Letters | undefined, finished: boolean): LetterWait[] {
  if (finished || !letters) return [];
  const out = new Set<LetterWait>();
  for (const l of Object.values(letters)) {
    if (l?.status === 'submitted') out.add('approval');
    if (l?.status === 'approved') out.add('signature');
  }
  return [...out].sort();
}

/** The letters that wait for the approval or the signature. */
export function lettersWaitingFor(letters: Letters | undefined, wait: LetterWait): LetterKind[] {
  const status: LetterStatus = wait === 'approval' ? 'submitted' : 'approved';
  return (Object.keys(letters ?? {}) as LetterKind[]).filter((k) => letters![k]?.status === status);
}

/**
 * The legal moment a letter must be issued by. An apology: no later than `daysBefore` days before the due date,
 * judged by date (Decree 118/2025 Art. 19(6); apology.ts lawfulApology), so the first instant too late is the start of
 * the local day `daysBefore − 1` days before the due day (the due day's 00:00 when daysBefore is 1). A refusal: within
 * the processing time, so the due instant (an Inference: the decree asks for a written refusal with its reason, and
 * any answer after the due instant is late).
 */
export function letterDeadline(form: LetterKind, dueAt: number, daysBefore: number): number {
  if (form === 'refusal') return dueAt;
  return localDayStart(localDayOf(dueAt) - daysBefore + 1);
}
