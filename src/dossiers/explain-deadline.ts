/**
 * A deadline with its reasons: the clock start, the due instant, and the rest
 * days it stepped over. Shared by the CLI, the public API and the page.
 */
import { z } from 'zod';
import type { Catalog } from '../catalog/catalog.js';
import type { VietnamCalendar } from '../calendar/vietnam-calendar.js';
import { formatLocalInstant } from '../calendar/local-time.js';
import { clockStart, deadlineConventionSchema, dueInstant, durationUnitSchema, isProvisional, provisionalEntries, skippedDays } from './deadline.js';
import { DEFAULT_POLICIES } from './policies.js';

export const deadlineQuerySchema = z.object({
  received: z.iso.datetime({ offset: true, message: 'expected ISO 8601 with an offset, e.g. 2025-01-24T10:00:00+07:00' }),
  duration: z.coerce.number().positive().max(10_000),
  unit: durationUnitSchema,
  agency: z.string().optional(),
  convention: deadlineConventionSchema.optional(),
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
  const due = dueInstant(index, start, { value: q.duration, unit: q.unit }, convention);
  return {
    receivedAt: formatLocalInstant(received),
    clockStartsAt: formatLocalInstant(start),
    dueAt: formatLocalInstant(due),
    provisional: isProvisional(index, start, due),
    /** The unconfirmed calendar entries the window crosses: why it is provisional. */
    provisionalEntries: provisionalEntries(index, start, due),
    skipped: skippedDays(index, start, due),
    duration: q.duration,
    unit: q.unit,
    convention,
    officeHours: policies.officeHours,
    calendarVersion: calendar.version,
  };
}
