/**
 * A deadline with its reasons: the clock start, the due instant, and the rest
 * days it stepped over. Shared by the CLI, the public API and the page.
 */
import { z } from 'zod';
import type { Catalog } from '../catalog/catalog.js';
import type { VietnamCalendar } from '../calendar/vietnam-calendar.js';
import { formatLocalInstant } from '../calendar/local-time.js';
import { instantSchema } from '../calendar/instant.js';
import { clockStart, countedEndDay, dueInstant, isProvisional, provisionalEntries, skippedDays } from './deadline.js';
import { deadlineConventionSchema, durationSchema, durationUnitSchema } from '../rules/durations.js';
import { DEFAULT_POLICIES } from '../rules/policies.js';

export const deadlineQuerySchema = z
  .strictObject({
    received: instantSchema,
    duration: z.coerce.number().positive().max(10_000),
    unit: durationUnitSchema,
    agency: z.string().max(64).optional(),
    convention: deadlineConventionSchema.optional(),
  })
  .superRefine((q, ctx) => {
    const d = durationSchema.safeParse({ value: q.duration, unit: q.unit });
    if (!d.success) ctx.addIssue({ code: 'custom', path: ['duration'], message: d.error.issues[0]!.message });
    if (q.convention === 'end-of-day' && q.unit === 'working-days' && !Number.isInteger(q.duration)) {
      ctx.addIssue({ code: 'custom', path: ['duration'], message: 'the end-of-day convention counts whole working days' });
    }
  });
export type DeadlineQuery = z.infer<typeof deadlineQuerySchema>;

export class UnknownAgencyError extends Error {}

export function explainDeadline(calendar: VietnamCalendar, catalog: Catalog | null, q: DeadlineQuery) {
  let policies = DEFAULT_POLICIES;
  if (q.agency) {
    if (!catalog?.agency(q.agency)) throw new UnknownAgencyError(`unknown agency ${q.agency}`);
    policies = catalog.policiesOf(q.agency);
  }
  const convention = q.convention ?? policies.deadlineConvention;
  const index = calendar.workingTime(policies.officeHours);
  const received = Date.parse(q.received);
  const start = clockStart(index, received, policies.receiptCutoff);
  const duration = { value: q.duration, unit: q.unit };
  const due = dueInstant(index, start, duration, convention);
  const window = { from: received, clockStartsAt: start, dueAt: due, countedTo: countedEndDay(start, duration) };
  return {
    receivedAt: formatLocalInstant(received),
    clockStartsAt: formatLocalInstant(start),
    dueAt: formatLocalInstant(due),
    provisional: isProvisional(index, window),
    /** The unconfirmed calendar entries among the days that decided it: why it is provisional. */
    provisionalEntries: provisionalEntries(index, window),
    /** The rest days that decided it: before the clock started, and those it stepped over (a calendar count only those at its end). */
    skipped: skippedDays(index, window),
    duration: q.duration,
    unit: q.unit,
    convention,
    officeHours: policies.officeHours,
    calendarVersion: calendar.version,
  };
}
