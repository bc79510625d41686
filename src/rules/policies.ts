/**
 * Rules that no law text fixes, each a named policy with its default and the
 * source of that default (shared/DOMAIN.md). An agency sets them in its
 * settings; children inherit them from the nearest ancestor that sets them.
 */
import { z } from 'zod';
import { officeHoursSchema, DEFAULT_OFFICE_HOURS } from '../calendar/office-hours.js';
import { deadlineConventionSchema, receiptCutoffSchema } from './durations.js';

/**
 * How lateness is read (DOMAIN §5): `instant` (the default, the national formula's yyyyMMddHHmmss comparison) or
 * `date`, a province's own reading (Thanh Hóa's system): finished on the due day, at any hour, is on time.
 */
export const latenessReadingSchema = z.enum(['instant', 'date']);
export type LatenessReading = z.infer<typeof latenessReadingSchema>;

export const agencySettingsSchema = z
  .object({
    /** Office hours; default 08:00–12:00, 13:00–17:00 (DOMAIN §2, set locally). */
    officeHours: officeHoursSchema,
    /** `working-time` (Thanh Hóa, OpenCPS engines; Source) or `end-of-day` (Alaveteli style). */
    deadlineConvention: deadlineConventionSchema,
    /** Receipt after this time counts from the next working day; default none (Unconfirmed). */
    receiptCutoff: receiptCutoffSchema,
    /**
     * Unset (the default): the regime's rule, the legal time limit restarting from the completed dossier
     * (Decree 61/2018 Art. 19(4), Law). `pause` keeps the legal clock paused instead, as some provinces
     * configure it; the 766 judgment always subtracts the supplementation time (Source).
     */
    supplementPolicy: z.enum(['pause', 'restart']),
    /**
     * When alerts call a dossier "due soon": this many working days before the due instant, so the apology can
     * still go out no later than 1 day before the due date (Decree 61/2018 Art. 19(9); judged by date in the flags).
     */
    apologyLeadWorkingDays: z.number().min(0).max(30),
    /** The 766 formula counts a dossier asked to supplement more than once and still waiting as overdue (Source, DOMAIN §3); once finished it is judged like any other, supplementation time subtracted. */
    repeatedSupplementIsLate: z.boolean(),
    /**
     * What an apology issued after the law's limit (Decree 118/2025 Art. 19(6): no later than 1 day before the due
     * date) does to the 766 appointment. `unchanged` (the default, an Inference): only a lawful rescheduling is the
     * appointment the desk records (DOMAIN §4–5), so a late apology raises no rate. `new-appointment`: the portal
     * reading, the desk's new date counts from the moment it is recorded. The legal judgment never moves for it.
     */
    lateApology766: z.enum(['unchanged', 'new-appointment']),
    /**
     * How the 766 judgment reads lateness: `instant` (the default: the national formula compares instants, an
     * Inference from its yyyyMMddHHmmss fields) or `date` (finished on the due day = on time, overdue only after
     * the due day), to reproduce a province's own monthly reports. The legal judgment (pages, alerts, letters)
     * stays by instant. Every report says which reading its figures took.
     */
    latenessReading: latenessReadingSchema,
    /**
     * Whether the officer who drafted a letter (apology, refusal) may also approve it. Default no: the provincial
     * systems' four eyes, an officer drafts and a leader approves (issue 25; no legal text read on it). Not a rule a
     * dossier is judged by: read from the agency handling the dossier when the approval is made, never pinned.
     */
    letterSelfApproval: z.boolean(),
  })
  .partial();

export type AgencySettings = z.infer<typeof agencySettingsSchema>;
export type Policies = Required<Omit<AgencySettings, 'supplementPolicy' | 'letterSelfApproval'>> & Pick<AgencySettings, 'supplementPolicy'>;

export const DEFAULT_POLICIES: Policies = {
  officeHours: DEFAULT_OFFICE_HOURS,
  deadlineConvention: 'working-time',
  receiptCutoff: null,
  apologyLeadWorkingDays: 1,
  repeatedSupplementIsLate: true,
  lateApology766: 'unchanged',
  latenessReading: 'instant',
};

/** Settings from the root of the tree down to the agency, nearest wins. */
export function resolvePolicies(chainFromRoot: AgencySettings[]): Policies {
  // Settings that are not judging rules stay out of what the fold pins (letterSelfApproval: resolveLetterSelfApproval).
  return Object.assign({}, DEFAULT_POLICIES, ...chainFromRoot.map(({ letterSelfApproval: _, ...rest }) => stripUndefined(rest)));
}

/** Whether an agency lets a drafter approve their own letter: the nearest setting up the tree, default no. */
export function resolveLetterSelfApproval(chainFromRoot: AgencySettings[]): boolean {
  return chainFromRoot.findLast((s) => s.letterSelfApproval !== undefined)?.letterSelfApproval ?? false;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
