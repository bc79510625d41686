/**
 * Recording a late dossier's explanation (giải trình) and its review, shared by the API and the dossier page's forms.
 * The request is checked against the dossier now with the fold's own rules (dossiers/explanation.ts), so a refusal
 * is a 422 naming the request's field and nothing is written; the event then goes through the context's ingestion
 * like any other, with the caller as its author (`by`) and actor, and the fold checks it again under the lock.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { formatLocalInstant } from '../calendar/local-time.js';
import type { DossierEvent } from '../dossiers/events.js';
import type { DossierState } from '../dossiers/state.js';
import { explainProblem, reviewProblem, type ExplanationProblem } from '../dossiers/explanation.js';
import { DomainError } from '../domain-error.js';
import type { Scope } from './auth.js';
import { ingestAs } from './ingest-as.js';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined);

export const explanationRequestSchema = z.strictObject({
  /** One of dossiers/explanation.ts EXPLANATION_REASONS (another: 422 naming `reason`). */
  reason: z.string().trim().min(1).max(64),
  note: optionalText(2000),
  /** An agency that took part in the dossier. */
  responsibleAgencyCode: z.string().trim().min(1).max(64),
  /** One of that agency's steps in the dossier. */
  responsibleStep: optionalText(200),
});
export type ExplanationRequest = z.infer<typeof explanationRequestSchema>;

export const reviewRequestSchema = z
  .strictObject({
    decision: z.enum(['acknowledge', 'return']),
    comment: optionalText(2000),
  })
  .refine((b) => b.decision === 'acknowledge' || !!b.comment, { message: 'say why the explanation is returned', path: ['comment'] });
export type ReviewRequest = z.infer<typeof reviewRequestSchema>;

function refuse(problem: ExplanationProblem): never {
  throw new DomainError('invalid_explanation', problem.message, [{ path: problem.field, message: problem.message }]);
}

/** Records the caller's explanation of dossier `s` (late or overdue now); 422 naming the field otherwise. */
export async function explainLate(ctx: AppContext, s: DossierState, scope: Scope, body: ExplanationRequest): Promise<{ eventId: string }> {
  const now = ctx.now();
  const problem = explainProblem(s, now, body);
  if (problem) refuse(problem);
  const event = {
    eventId: randomUUID(),
    type: 'late_explained',
    dossierCode: s.code,
    occurredAt: formatLocalInstant(now),
    reason: body.reason,
    ...(body.note ? { note: body.note } : {}),
    responsibleAgencyCode: body.responsibleAgencyCode,
    ...(body.responsibleStep ? { responsibleStep: body.responsibleStep } : {}),
    by: scope.actor.id,
  } satisfies DossierEvent;
  await ingestAs(ctx, scope, [event]);
  return { eventId: event.eventId };
}

/** A supervisor's acknowledgement (or return) of someone else's explanation; 422 naming the field otherwise. */
export async function reviewExplanation(ctx: AppContext, s: DossierState, scope: Scope, body: ReviewRequest): Promise<{ eventId: string }> {
  const problem = reviewProblem(s, scope.actor.id);
  if (problem) refuse(problem);
  const base = { eventId: randomUUID(), dossierCode: s.code, occurredAt: formatLocalInstant(ctx.now()), by: scope.actor.id };
  const event: DossierEvent =
    body.decision === 'acknowledge'
      ? { ...base, type: 'explanation_acknowledged', ...(body.comment ? { comment: body.comment } : {}) }
      : { ...base, type: 'explanation_returned', comment: body.comment! };
  await ingestAs(ctx, scope, [event]);
  return { eventId: event.eventId };
}
