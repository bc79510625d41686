/**
 * A dossier as the API shows it: instants in ISO 8601 with +07:00, the
 * in-progress judgement at the moment of asking, and the working time left.
 */
import { formatLocalInstant } from '../calendar/local-time.js';
import { deadlineWindowOf, type FoldContext } from './fold.js';
import { type DossierState } from './state.js';
import { lateWithoutApologyAt, progressAt, type OpenProgress } from './progress.js';
import { provisionalEntries } from './deadline.js';
import { holdersAt, latenessSourcesAt, stepIndexOf, stepTimingAt } from './steps.js';

const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 60_000));
import { consentView } from './consent.js';

const iso = (ms: number | null) => (ms === null ? null : formatLocalInstant(ms));

export function dossierView(s: DossierState, ctx: FoldContext, nowMs: number) {
  const policies = s.rules.policies;
  const index = ctx.calendar.workingTime(policies.officeHours);
  const open = s.finishedAt === null;
  const paused = s.pausedSince !== null;
  // While paused the clock is stopped: time left is what remained when it stopped.
  const clockAt = paused ? Math.max(s.pausedSince!, s.clockStartsAt) : nowMs;
  const leftMs = open ? index.between(clockAt, s.dueAt) : null;
  const judgment = progressAt(s, Math.max(nowMs, s.receivedAt))!;
  // Steps are judged now (a finished dossier's steps are all closed): a due instant, and how far it ran over.
  // Not before its last event: a clock behind the events (a sender's skew) still sees every step started.
  const stepsAt = Math.max(nowMs, s.lastOccurredAt);
  const openStep = s.steps.find((x) => x.endedAt === null);
  const late = open ? judgment.legal === 'overdue' : s.outcome === 'late';
  return {
    code: s.code,
    status: s.status,
    procedureCode: s.procedureCode,
    procedureName: ctx.catalog.procedure(s.procedureCode)?.name ?? null,
    receivingAgencyCode: s.receivingAgencyCode,
    currentAgencyCode: s.currentAgencyCode,
    /** A centre received it for this competent agency, which has not taken it over yet: from 5 Aug 2026 the clock
     * starts when it does (Decree 309/2026 Art. 8), so until then clockStartsAt and dueAt are counted from the receipt. */
    awaitingCompetentAgencyCode: s.awaitingCompetentAgency,
    agencyCodes: s.agencyCodes,
    channel: s.channel,
    feeRequired: s.feeRequired,
    paidOnline: s.paidOnline,
    digitized: s.digitized,
    /** An online dossier's submission; `receivedAt` is then its acceptance (Decree 118/2025 Art. 17(3)). */
    submittedAt: iso(s.submittedAt),
    receivedAt: iso(s.receivedAt),
    clockStartsAt: iso(s.clockStartsAt),
    /** The procedure's receipt cut-off and the text that sets it: a receipt after it counts from the next working day. */
    receiptCutoff: s.rules.receiptCutoff ? { time: s.rules.receiptCutoff, source: s.rules.receiptCutoffSource ?? null } : null,
    dueAt: iso(s.dueAt),
    originalDueAt: iso(s.originalDueAt),
    dueSoonAt: iso(s.dueSoonAt),
    declaredDueAt: iso(s.declaredDueAt),
    provisional: s.provisional,
    /** The unconfirmed calendar entries its deadline window crosses: why it is provisional. */
    provisionalEntries: s.provisional ? provisionalEntries(index, deadlineWindowOf(s, index)) : [],
    calendarVersion: s.calendarVersion,
    paused,
    pausedSince: iso(s.pausedSince),
    pausedWorkingMinutes: Math.round(s.pausedMs / 60_000),
    supplementCount: s.supplementCount,
    /** Waiting for a supplement: from this instant the one-stop unit is due to close the dossier (118 Art. 19(5)). */
    closureDueAt: iso(s.closureDueAt),
    reusedDigitizedData: s.reusedDigitizedData,
    electronicResult: s.electronicResult,
    rating: s.rating,
    complaints: s.complaints,
    processingTime: s.processingTime === null ? null : { value: s.processingTime, unit: s.rules.duration.unit },
    /** `reschedules`: delivered (else issued) by the law's limit, so the new date is the appointment; a late one leaves the dossier overdue. */
    apology: s.apology && {
      issuedAt: iso(s.apology.issuedAt),
      reason: s.apology.reason,
      newDueAt: iso(s.apology.newDueAt),
      reschedules: s.apology.reschedules,
      reschedulesRate: s.apology.reschedulesRate,
      /** When it first reached the applicant and how (null: not delivered, judged at its issuing: apology.ts). */
      deliveredAt: iso(s.apology.deliveredAt ?? null),
      deliveredVia: s.apology.deliveredVia ?? null,
    },
    /**
     * Each hand-over: its budget, due instant in its agency's working time (moved on by waits for the citizen),
     * outcome once ended, and `overrunWorkingMinutes` (beyond the due instant, now for an open step; null without a budget).
     */
    steps: s.steps.map((x) => {
      const t = stepTimingAt(x, stepsAt, stepIndexOf(ctx.calendar, x))!;
      return {
        agencyCode: x.agencyCode,
        step: x.step,
        holder: x.holder ?? null,
        // Keys in one order: a budget pinned at receipt comes back from jsonb with its keys sorted (backup, restore).
        budget: x.budget ? { value: x.budget.value, unit: x.budget.unit } : null,
        startedAt: iso(x.startedAt),
        dueAt: iso(t.dueAt),
        endedAt: iso(x.endedAt),
        outcome: x.outcome,
        waitingForCitizen: t.paused,
        overrun: (t.overrunMs ?? 0) > 0,
        overrunWorkingMinutes: minutes(t.overrunMs),
      };
    }),
    /** Who holds it now: the open step's person or agency, the receiving agency before the first hand-over, nobody once finished. */
    holder: !open
      ? null
      : openStep
        ? { agencyCode: openStep.agencyCode, step: openStep.step, person: openStep.holder, since: iso(openStep.startedAt) }
        : { agencyCode: s.receivingAgencyCode, step: null, person: null, since: iso(s.receivedAt) },
    /** Every holder in turn, with the working time each held it (the step agency's office hours). */
    holders: holdersAt(s.steps, stepsAt, ctx.calendar).map((h) => ({
      agencyCode: h.agencyCode,
      step: h.step,
      person: h.holder,
      from: iso(h.from),
      to: iso(h.to),
      heldWorkingMinutes: minutes(h.heldMs),
    })),
    /** Late (or overdue now): the steps whose overrun made it so, the largest first (steps.ts latenessSourcesAt). */
    lateBecause: late
      ? latenessSourcesAt(s.steps, s.finishedAt ?? stepsAt, ctx.calendar).map((x) => ({
          agencyCode: x.agencyCode,
          step: x.step,
          overrunWorkingMinutes: minutes(x.overrunMs)!,
          open: x.open,
        }))
      : [],
    finishedAt: iso(s.finishedAt),
    outcome: s.outcome,
    /** The rules it is judged by, copied at receipt. */
    regime: s.rules.regime,
    // Keys in one order: rules pinned at receipt come from the catalogue ({value, unit}), replayed ones from
    // dossier_rules' jsonb ({unit, value}); a rebuild or a restore must answer the same bytes (issue 29).
    legalTime: { value: s.rules.duration.value, unit: s.rules.duration.unit },
    /** The Decision 766 judgment, where the rates count it (it differs from the legal one after a supplementation). */
    rate: {
      dueAt: iso(s.rate.dueAt),
      outcome: s.rate.outcome,
      progress: open ? (judgment.rate as 'on_track' | 'overdue') : null,
      differsFromLegal: s.rate.dueAt !== s.dueAt || judgment.rate !== judgment.legal,
    },
    /** Open: on_track | due_soon | overdue | waiting_for_citizen (progress.ts, the definition every list and report uses). */
    progress: open ? (judgment.legal as OpenProgress) : null,
    workingMinutesLeft: leftMs === null ? null : Math.round(leftMs / 60_000),
    // An open dossier legally overdue with no apology is already a violation (progress.ts, the one definition).
    /** The applicant's channels of choice, contacts masked (the dossier page shows them to staff who may read them). */
    consent: consentView(s.consent, (ms) => formatLocalInstant(ms)),
    /** Why it is late (giải trình) and whether a supervisor acknowledged it (explanation.ts); null: none recorded. */
    explanation: s.explanation
      ? {
          ...s.explanation,
          at: formatLocalInstant(s.explanation.at),
          reviewedAt: s.explanation.reviewedAt === null ? null : formatLocalInstant(s.explanation.reviewedAt),
        }
      : null,
    flags:
      open && lateWithoutApologyAt(s, Math.max(nowMs, s.receivedAt)) && !s.flags.includes('late_without_apology')
        ? [...s.flags, 'late_without_apology' as const]
        : s.flags,
  };
}

export type DossierView = ReturnType<typeof dossierView>;
