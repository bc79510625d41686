/**
 * Issuing the apology (*Phiếu xin lỗi và hẹn lại ngày trả kết quả*), shared by the API and the dossier page's form.
 * The new appointment is given (checked: future, after the original due instant, within office hours), or computed
 * from whole extra working days; the apology_issued event is recorded through the context's ingestion like any
 * other event (a second one is refused with 422).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { formatLocalInstant } from '../calendar/local-time.js';
import { instantSchema } from '../calendar/instant.js';
import { lawfulApology, proposeNewDue } from '../dossiers/apology.js';
import type { DossierEvent } from '../dossiers/events.js';
import type { DossierState } from '../dossiers/state.js';
import { regimeById } from '../dossiers/regimes.js';
import { DomainError } from '../domain-error.js';

export const apologyRequestSchema = z
  .object({
    reason: z.string().trim().min(1).max(2000),
    /** Whole working days, counted from the later of now and the current due instant. */
    extraWorkingDays: z.number().int('a whole number of working days').min(1).max(365).optional(),
    newDueAt: instantSchema.optional(),
  })
  .refine((b) => (b.extraWorkingDays === undefined) !== (b.newDueAt === undefined), {
    message: 'give exactly one of extraWorkingDays or newDueAt',
    path: ['extraWorkingDays'],
  });

/** Checks the new appointment and records the apology_issued event; the API and the dossier page's form share it. */
export async function issueApology(
  ctx: AppContext,
  s: DossierState,
  actor: { id: string; role: string },
  body: z.infer<typeof apologyRequestSchema>,
): Promise<{ eventId: string; newDueAt: string; reschedules: boolean }> {
  const index = ctx.calendar.workingTime(s.rules.policies.officeHours);
  if (s.finishedAt !== null) throw new DomainError('invalid_transition', `Dossier ${s.code} is finished: there is no appointment to move.`);
  const proposal = proposeNewDue(s, index, ctx.now(), {
    extraWorkingDays: body.extraWorkingDays,
    newDueAt: body.newDueAt ? Date.parse(body.newDueAt) : undefined,
  });
  if (!proposal.ok)
    throw new DomainError('invalid_appointment', `The new appointment is not valid: ${proposal.message}.`, [
      { path: proposal.path, message: proposal.message },
    ]);
  const event = {
    eventId: randomUUID(),
    type: 'apology_issued',
    dossierCode: s.code,
    occurredAt: formatLocalInstant(ctx.now()),
    reason: body.reason,
    newDueAt: formatLocalInstant(proposal.newDueAt),
  } satisfies DossierEvent;
  await ctx.ingest([event], { actor });
  // Issued after the law's limit it is recorded and sent, but the appointment stays (fold.ts, apology_issued).
  const reschedules = lawfulApology(ctx.now(), s.dueAt, regimeById(s.rules.regime).rules.apologyDaysBeforeDueDate.value);
  return { eventId: event.eventId, newDueAt: event.newDueAt, reschedules };
}
