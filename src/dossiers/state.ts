/**
 * What a dossier is at an instant: the folded state's types and the enums the API shows (status, compliance flags),
 * with the version that says what a stored state means. Types only, and the zod enums they come from: the fold
 * (fold.ts) makes such states from events; everything else reads them.
 */
import { z } from 'zod';
import type { Applicant, Channel } from './events.js';
import type { Duration } from '../rules/durations.js';
import type { Outcome } from './outcome.js';
import type { Policies } from '../rules/policies.js';
import type { RegimeId } from './regimes.js';
import type { JudgmentSegment } from './progress.js';
import type { StepState } from './steps.js';
import type { ConsentState } from './consent.js';
import type { Explanation } from './explanation.js';
import type { Letters } from './letter-workflow.js';

/** Where a dossier stands (the API's `status`). */
export const dossierStatusSchema = z.enum([
  'received',
  'processing',
  'supplement_requested',
  'processed',
  'returned',
  'refused',
  'withdrawn',
  /** Closed by the one-stop unit: the applicant did not complete the dossier after a supplementation notice (118 Art. 19(5)). */
  'closed',
]);
export type DossierStatus = z.infer<typeof dossierStatusSchema>;

export const FINISHED_STATUSES: DossierStatus[] = ['processed', 'returned', 'refused', 'withdrawn', 'closed'];

/** The violations a dossier records for the compliance figures (the API's `flags`, the list's `flag=`). */
export const complianceFlagSchema = z.enum([
  'late_without_apology',
  'apology_too_late',
  'declared_due_mismatch',
  'repeated_supplement',
  'late_supplement_request',
  /** An online dossier accepted later than the regime allows after its submission (118 Art. 17(2): 8 working hours). */
  'late_online_acceptance',
  /** A centre passed a paper dossier to the competent agency later than 1 working day after receipt (118 Art. 20(1)(a)). */
  'late_hand_over',
]);
export type ComplianceFlag = z.infer<typeof complianceFlagSchema>;

/**
 * Bumped whenever the state's shape or meaning changes: a stored state of
 * another version is replayed. The migration that comes with a bump empties
 * the daily counters: a stale state's contribution is not subtracted (its
 * meaning changed), the replayed state's is added whole.
 */
export const STATE_VERSION = 6;

/**
 * The rules a dossier is judged by, copied at receipt (shared/DOMAIN.md §1:
 * rules are looked up by the receipt instant). A later catalogue or policy
 * edit does not re-time a dossier already received.
 */
export interface PinnedRules {
  regime: RegimeId;
  duration: Duration;
  receiptCutoff: string | null;
  /** The legal text of the procedure's cut-off (rules pinned before sources were kept: absent). */
  receiptCutoffSource?: string | null;
  steps: Array<{ step: string; budget: Duration }>;
  policies: Policies;
  /** The calendar the deadline was first computed with (imports re-time open dossiers; this says from what). */
  calendarVersion: string;
  /** The procedure returns a paper result; it has a fee or charge in the catalogue (rules recorded before these existed: the catalogue's). */
  paperResult?: boolean;
  feeProcedure?: boolean;
}

export type { StepState } from './steps.js';

export interface DossierState {
  stateVersion: number;
  code: string;
  status: DossierStatus;
  procedureCode: string;
  receivingAgencyCode: string;
  currentAgencyCode: string;
  /** Every agency on the receiving and assigned agencies' paths: who may see the dossier. */
  agencyCodes: string[];
  channel: Channel;
  /** Decree 309/2026 Art. 8: the competent agency a centre received the dossier for, until it takes it over. */
  awaitingCompetentAgency: string | null;
  /** The competent agency a centre received the dossier for (regardless of administrative boundary), if another. */
  competentAgencyCode?: string | null;
  /** When the dossier reached that agency (its first `assigned` to it). */
  competentAgencyReceivedAt?: number | null;
  rules: PinnedRules;
  applicant: Applicant;
  feeRequired: boolean;
  digitized: boolean;
  /** A component reuses digitised data (indicator 4.3). */
  reusedDigitizedData: boolean;
  /** The result was issued as an electronic file (indicators 3.3, 4.1, 4.2). */
  electronicResult: boolean;
  paidOnline: boolean;
  /** The first online payment: a period that ended before it did not have it (DOMAIN §5, judge the past as it was). */
  paidOnlineAt: number | null;
  paidViaNationalPortal: boolean;
  amountPaid: number;
  receivedAt: number;
  /** An online dossier's submission, when it differs from its acceptance (`receivedAt`, which starts the clock). */
  submittedAt: number | null;
  /** Where the legal clock started first (receipt, or the competent agency's receipt). */
  firstClockStartsAt: number;
  /** Where it runs from now: restarted by a completed supplement (Decree 61/2018 Art. 19(4)). */
  clockStartsAt: number;
  /** The due instant in force: the legal one, extended by pauses, or the apology's new date. */
  dueAt: number;
  /** The legal due instant before any apology (extended by pauses). */
  originalDueAt: number;
  /** The legal due instant computed at receipt: what the receipt (form 01) should have printed. */
  initialDueAt: number;
  /** From this instant only the apology lead time remains. */
  dueSoonAt: number;
  declaredDueAt: number | null;
  provisional: boolean;
  calendarVersion: string;
  /** Working time the clock was stopped for supplementation (ms), closed pauses only. */
  pausedMs: number;
  /** Calendar days of those pauses, for calendar-day and month durations. */
  pausedDays: number;
  pausedSince: number | null;
  /** Waiting for a supplement: from this instant the one-stop unit is due to close the dossier (118 Art. 19(5)). */
  closureDueAt: number | null;
  supplementCount: number;
  /** When the second supplementation request was made (a compliance figure, counted on its day). */
  secondSupplementAt: number | null;
  /** A supplementation request came later than the regime allows after receipt. */
  lateSupplementRequest: boolean;
  lateSupplementRequestAt: number | null;
  /** The latest rating (indicator 5.4) and the first instant of a dislike or complaint. */
  rating: 'liked' | 'disliked' | null;
  complaints: number;
  dissatisfiedAt: number | null;
  /** Processing time in the procedure's own unit (indicator 2.2): clock start to finish, supplementation time subtracted. */
  processingTime: number | null;
  /** The judgment inputs through time (progress.ts): what the dossier looked like at any past instant. */
  judgments: JudgmentSegment[];
  apology: Apology | null;
  steps: StepState[];
  resultReadyAt: number | null;
  returnedAt: number | null;
  finishedAt: number | null;
  /** Judged by the legal appointment, by instant. */
  outcome: Outcome | null;
  /**
   * The Decision 766 judgment (the national portal's formula): the clock runs
   * from the first start with supplementation time subtracted, an apology's
   * new date is the appointment, and a dossier asked to supplement twice is
   * late. Shown beside the legal one where they differ; the rates use it.
   */
  rate: { dueAt: number; outcome: Outcome | null };
  flags: ComplianceFlag[];
  eventCount: number;
  lastEventSeq: number;
  /** The latest occurredAt folded: later events can be applied to this state without a replay. */
  lastOccurredAt: number;
  /**
   * The applicant's channels of choice and their record (consent.ts). Absent in states folded before it existed
   * (read as none): STATE_VERSION is unreleased, every stored state is replayed anyway.
   */
  consent?: ConsentState;
  /**
   * Why it is late, and whether a supervisor acknowledged it (explanation.ts). Absent in states folded before it
   * existed and in dossiers never explained: no event made them differ, so no STATE_VERSION bump.
   */
  explanation?: Explanation | null;
  /**
   * The letters going through approval and signature (letter-workflow.ts). Absent until one is drafted: a dossier
   * without workflow events folds to the state it always did (no STATE_VERSION bump for it).
   */
  letters?: Letters;
}

/**
 * An apology with a new appointment (Decree 118/2025 Art. 19(6), 12(5); Decree 61/2018 Art. 19(9)). `reschedules`:
 * it reached the applicant (or, with no delivery recorded, was issued) by the law's limit (no later than 1 day before
 * the due date), so its new date is the appointment.
 * One issued later is recorded, sent and flagged, but does not erase the lateness (apology.ts, lawfulApology).
 */
export interface Apology {
  issuedAt: number;
  reason: string;
  newDueAt: number;
  previousDueAt: number;
  reschedules: boolean;
  /** The 766 judgment takes the new date as the appointment (policies.lateApology766 decides for a late one). */
  reschedulesRate: boolean;
  /**
   * When it first reached the applicant (`apology_delivered`), and how; null: not delivered (yet). Judged at this
   * instant when there is one (apology.ts apologyJudgedAt). Absent in states folded before it existed.
   */
  deliveredAt?: number | null;
  deliveredVia?: 'email' | 'sms' | 'zalo' | 'counter' | 'post' | null;
}
