/**
 * The fold: a dossier's events, in order of occurrence (then arrival), become
 * its current state: status, deadline, pauses, steps, outcome and compliance
 * flags. Pure and deterministic, so replaying the log rebuilds the table.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { VietnamCalendar } from '../calendar/vietnam-calendar.js';
import type { WorkingTimeIndex } from '../calendar/working-time.js';
import { localDayOf, localDayStart } from '../calendar/local-time.js';
import type { DossierEvent, LoggedEvent } from './events.js';
import { clockStart, countedEndDay, dueInstant, isProvisional, type DeadlineWindow } from './deadline.js';
import type { Duration } from '../rules/durations.js';
import { classifyFinished, judgedDueAt } from './outcome.js';
import { regimeAt, regimeById } from './regimes.js';
import { apologyJudgedAt, lawfulApology } from './apology.js';
import { applyLetterStep, issueProblem, type LetterKind } from './letter-workflow.js';
import { rateOverdueAfter, withSegment } from './progress.js';
import { pauseOpenStep, resumeOpenStep, stepIndexOf } from './steps.js';
import { giveConsent, withdrawConsent } from './consent.js';
import { contentProblem, explained, reviewed, reviewProblem } from './explanation.js';
import { resolveLog } from './corrections.js';
import { STATE_VERSION, type ComplianceFlag, type DossierState, type DossierStatus, type PinnedRules } from './state.js';

export class TransitionError extends Error {
  constructor(
    message: string,
    readonly eventId: string,
    /** The event's field at fault, when one is (the problem's path names it). */
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface FoldContext {
  catalog: Catalog;
  calendar: VietnamCalendar;
  /** Rules recorded when the dossier was first received: a replay judges by them, not by today's catalogue. */
  pinnedRules?: (dossierCode: string) => PinnedRules | undefined;
}

/** Sorts by occurrence, then arrival: the order the fold reads. */
export function orderEvents(events: LoggedEvent[]): LoggedEvent[] {
  return [...events].sort((a, b) => {
    const d = Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt);
    return d !== 0 ? d : a.seq - b.seq;
  });
}

/**
 * Folds a dossier's whole log (any order), voided events left out and corrected ones read as their replacements
 * (corrections.ts). Throws TransitionError on an impossible sequence.
 */
export function foldDossier(events: LoggedEvent[], ctx: FoldContext): DossierState {
  const ordered = orderEvents(resolveLog(events).events);
  let state: DossierState | undefined;
  for (const logged of ordered) {
    if (!state) throwIfBeforeReceipt(ordered, logged);
    state = applyEvent(state, logged, ctx);
  }
  if (!state) throw new Error('no events');
  return state;
}

/**
 * A dossier's log ordered by occurrence must begin with its receipt. When it does not but a receipt is there, the
 * event in front was dated before it (a backdated event, a wrong clock): that is what the caller needs to hear.
 */
export function throwIfBeforeReceipt(ordered: LoggedEvent[], first: LoggedEvent): void {
  if (first.event.type === 'received') return;
  const receipt = ordered.find((l) => l.event.type === 'received');
  if (receipt) {
    throw new TransitionError(
      `"${first.event.type}" at ${first.event.occurredAt} is earlier than the receipt of dossier ${first.event.dossierCode} at ${receipt.event.occurredAt}`,
      first.event.eventId,
    );
  }
}

const OPEN: DossierStatus[] = ['received', 'processing', 'supplement_requested'];

export function applyEvent(prev: DossierState | undefined, logged: LoggedEvent, ctx: FoldContext): DossierState {
  try {
    return apply(prev, logged, ctx);
  } catch (err) {
    // A deadline past the calendar's last year cannot be computed: the event cannot apply (422), it is no crash.
    if (err instanceof RangeError)
      throw new TransitionError(`the deadline falls outside the working-time calendar (2000–2199): ${err.message}`, logged.event.eventId);
    throw err;
  }
}

function apply(prev: DossierState | undefined, logged: LoggedEvent, ctx: FoldContext): DossierState {
  const e = logged.event;
  const at = Date.parse(e.occurredAt);
  const fail = (msg: string): never => {
    throw new TransitionError(msg, e.eventId);
  };

  // Voids and corrections are resolved before the fold reads a log (corrections.ts): one here was not.
  if (e.type === 'voided' || e.type === 'corrected') return fail(`a "${e.type}" event is resolved before folding`);
  if (e.type === 'received') {
    if (prev) fail(`dossier ${e.dossierCode} was already received`);
    return received(e, logged, ctx);
  }
  if (!prev) return fail(`the first event of dossier ${e.dossierCode} must be "received", not "${e.type}"`);

  const s: DossierState = {
    ...prev,
    rate: { ...prev.rate },
    steps: prev.steps.map((x) => ({ ...x, budgetDueAt: x.budgetDueAt ?? x.dueAt, pauses: (x.pauses ?? []).map((p) => ({ ...p })) })),
    flags: [...prev.flags],
    eventCount: prev.eventCount + 1,
    lastEventSeq: Math.max(prev.lastEventSeq, logged.seq),
    lastOccurredAt: Math.max(prev.lastOccurredAt, at),
  };
  const policies = s.rules.policies;
  const rules = regimeById(s.rules.regime).rules;
  const index = ctx.calendar.workingTime(policies.officeHours);
  const legalDue = (start: number, extra?: { workingMs?: number; calendarDays?: number }) =>
    dueInstant(index, start, s.rules.duration, policies.deadlineConvention, extra);
  const requireStatus = (allowed: DossierStatus[]) => {
    if (!allowed.includes(s.status)) fail(`"${e.type}" is not possible when the dossier is "${s.status}"`);
  };

  switch (e.type) {
    case 'assigned': {
      requireStatus(['received', 'processing']);
      const agency = ctx.catalog.agency(e.agencyCode);
      if (!agency) fail(`unknown agency ${e.agencyCode}`);
      if (!ctx.catalog.isValidAt(e.agencyCode, at)) fail(`agency ${e.agencyCode} did not exist at ${e.occurredAt}`);
      closeOpenStep(s, at, ctx);
      // The event's budget, else the procedure's for the step as pinned at receipt (a catalogue edit moves neither).
      const budget: Duration | null = e.budget ?? s.rules.steps.find((x) => x.step === e.step)?.budget ?? null;
      const stepPolicies = ctx.catalog.policiesOf(e.agencyCode);
      const stepIndex = ctx.calendar.workingTime(stepPolicies.officeHours);
      const budgetDueAt = budget ? dueInstant(stepIndex, stepIndex.nextOpening(at), budget, stepPolicies.deadlineConvention) : null;
      s.steps.push({
        agencyCode: e.agencyCode,
        step: e.step,
        holder: e.holder ?? null,
        budget,
        officeHours: stepPolicies.officeHours,
        startedAt: at,
        budgetDueAt,
        dueAt: budgetDueAt,
        pauses: [],
        endedAt: null,
        outcome: null,
        overrunMs: null,
      });
      s.currentAgencyCode = e.agencyCode;
      s.agencyCodes = union(s.agencyCodes, ctx.catalog.pathOf(e.agencyCode));
      s.status = 'processing';
      if (s.competentAgencyCode === e.agencyCode && s.competentAgencyReceivedAt == null) s.competentAgencyReceivedAt = at;
      if (s.awaitingCompetentAgency === e.agencyCode) {
        // Decree 309/2026 Art. 8: the time limit counts from the competent agency's receipt; a paper dossier
        // received after the cut-off reaches it no earlier than the next working day's opening (Art. 9).
        s.awaitingCompetentAgency = null;
        let start = clockStart(index, at);
        const cutoff = rules.paperHandOverCutoff.value;
        if (cutoff && s.channel !== 'online') start = Math.max(start, clockStart(index, s.receivedAt, cutoff));
        s.firstClockStartsAt = s.clockStartsAt = start;
        s.originalDueAt = s.initialDueAt = legalDue(start);
        if (!s.apology?.reschedules) s.dueAt = s.originalDueAt;
        if (!s.apology?.reschedulesRate) s.rate.dueAt = s.originalDueAt;
      }
      break;
    }
    case 'supplement_requested':
      requireStatus(['received', 'processing']);
      s.status = 'supplement_requested';
      s.pausedSince = at;
      // Art. 19(5): not completed within the days after the notice (counted from its day), the unit closes it.
      s.closureDueAt = rules.supplementClosureDays.value === null ? null : localDayStart(localDayOf(at) + rules.supplementClosureDays.value);
      s.supplementCount += 1;
      pauseOpenStep(s.steps, at);
      if (s.supplementCount === 2) s.secondSupplementAt = at;
      // Art. 19(4): the request is due within 3 working days of receipt.
      if (index.between(s.firstClockStartsAt, at) > rules.supplementRequestWithinWorkingDays.value * index.dayMs && !s.lateSupplementRequest) {
        s.lateSupplementRequest = true;
        s.lateSupplementRequestAt = at;
      }
      break;
    case 'supplement_received': {
      requireStatus(['supplement_requested']);
      s.status = s.steps.length > 0 ? 'processing' : 'received';
      s.closureDueAt = null;
      resumeOpenStep(s.steps, at, ctx.calendar);
      const paused = closePause(s, at, index, legalDue);
      const restart = policies.supplementPolicy ? policies.supplementPolicy === 'restart' : rules.supplementRestarts.value;
      if (restart) {
        // The legal time limit starts again in full from the completed dossier.
        s.clockStartsAt = clockStart(index, at, s.rules.receiptCutoff);
        s.originalDueAt = legalDue(s.clockStartsAt);
        if (!s.apology?.reschedules) s.dueAt = s.originalDueAt;
      } else {
        s.originalDueAt = legalDue(s.firstClockStartsAt, { workingMs: s.pausedMs, calendarDays: s.pausedDays });
        s.dueAt = s.apology?.reschedules ? index.add(s.dueAt, paused) : s.originalDueAt;
      }
      break;
    }
    case 'apology_issued': {
      requireStatus(OPEN);
      if (s.apology && rules.rescheduleOnce.value) fail('the return date may be rescheduled only once: an apology was already issued');
      const newDueAt = Date.parse(e.newDueAt);
      // The workflow's last step is this fact: a letter under way is issued only signed, as it was signed.
      issueLetter(s, 'apology', { reason: e.reason, newDueAt }, at, fail);
      if (newDueAt <= s.dueAt) fail(`the new appointment ${e.newDueAt} must be later than the current due instant`);
      // Only an apology by the law's limit moves the appointment: one issued later does not make an overdue
      // dossier "within time" (Art. 19(6): chậm nhất 01 ngày trước ngày hết hạn; DOMAIN §4, an Inference).
      const reschedules = lawfulApology(at, s.dueAt, rules.apologyDaysBeforeDueDate.value);
      // 766: the desk records the new date as the appointment (DOMAIN §5), a late one only where the policy says so.
      const reschedulesRate = reschedules || policies.lateApology766 === 'new-appointment';
      s.apology = { issuedAt: at, reason: e.reason, newDueAt, previousDueAt: s.dueAt, reschedules, reschedulesRate, deliveredAt: null, deliveredVia: null };
      if (reschedules) s.dueAt = newDueAt;
      if (reschedulesRate) s.rate.dueAt = newDueAt;
      break;
    }
    case 'apology_delivered': {
      if (!s.apology) return fail(`no apology was issued for dossier ${e.dossierCode} by ${e.occurredAt}: there is nothing to deliver`);
      // The first delivery is when the applicant had it; later ones (another channel, a paper copy) change nothing.
      if (s.apology.deliveredAt != null) break;
      // Art. 19(6) asks that the applicant be sent the apology by the limit: judged by when it reached them
      // (apology.ts apologyJudgedAt). Delivered after it, the new date is no lawful appointment after all.
      const lawful = lawfulApology(at, s.apology.previousDueAt, rules.apologyDaysBeforeDueDate.value);
      s.apology = { ...s.apology, deliveredAt: at, deliveredVia: e.via };
      if (s.apology.reschedules && !lawful) {
        s.apology.reschedules = false;
        s.dueAt = s.originalDueAt;
        if (policies.lateApology766 !== 'new-appointment') {
          s.apology.reschedulesRate = false;
          s.rate.dueAt = legalDue(s.firstClockStartsAt, { workingMs: s.pausedMs, calendarDays: s.pausedDays });
        }
      }
      break;
    }
    case 'payment_recorded':
      s.amountPaid += e.amount;
      if (e.method === 'online' && !s.paidOnline) {
        s.paidOnline = true;
        s.paidOnlineAt = at;
      }
      if (e.viaNationalPortal) s.paidViaNationalPortal = true;
      break;
    case 'result_ready':
      requireStatus(['received', 'processing']);
      s.status = 'processed';
      s.resultReadyAt = at;
      s.electronicResult = e.electronicResult ?? false;
      finish(s, at, index, legalDue, ctx);
      break;
    case 'returned':
      requireStatus(['processed']);
      s.status = 'returned';
      s.returnedAt = at;
      break;
    case 'refused':
      requireStatus(OPEN);
      issueLetter(s, 'refusal', { reason: e.reason, newDueAt: null }, at, fail);
      finish(s, at, index, legalDue, ctx);
      s.status = 'refused';
      break;
    case 'withdrawn':
      requireStatus(OPEN);
      finish(s, at, index, legalDue, ctx);
      s.status = 'withdrawn';
      break;
    case 'closed':
      // Only a dossier waiting for its supplement is closed for want of one; judged like a stop, the wait subtracted.
      requireStatus(['supplement_requested']);
      finish(s, at, index, legalDue, ctx);
      s.status = 'closed';
      s.closureDueAt = null;
      break;
    case 'rated':
      s.rating = e.rating;
      if (e.rating === 'disliked' && s.dissatisfiedAt === null) s.dissatisfiedAt = at;
      break;
    case 'complaint_received':
      s.complaints += 1;
      if (s.dissatisfiedAt === null) s.dissatisfiedAt = at;
      break;
    case 'consent_given':
      s.consent = giveConsent(s.consent, e.consent, at, e.via);
      break;
    case 'consent_withdrawn':
      s.consent = withdrawConsent(s.consent, e.channels, at, e.via);
      break;
    case 'late_explained': {
      // Whether it was late when explained is judged when the event is recorded (authorization.ts): a replay after a
      // re-timing keeps the fact. What it says is judged here (the page and the API ask the same first).
      const problem = contentProblem(s, e);
      if (problem) throw new TransitionError(problem.message, e.eventId, problem.field);
      s.explanation = explained(e, at);
      break;
    }
    case 'explanation_acknowledged':
    case 'explanation_returned': {
      const problem = reviewProblem(s, e.by);
      if (problem) throw new TransitionError(problem.message, e.eventId, problem.field);
      s.explanation = reviewed(s.explanation!, e.type === 'explanation_acknowledged' ? 'acknowledged' : 'returned', e.by, at, e.comment);
      break;
    }
    case 'letter_drafted':
    case 'letter_submitted':
    case 'letter_approved':
    case 'letter_returned':
    case 'letter_signed': {
      // A letter goes its way while the dossier is open; an apology only while the appointment may still be moved.
      requireStatus(OPEN);
      if (e.type === 'letter_drafted' && e.form === 'apology') {
        if (s.apology && rules.rescheduleOnce.value) fail('the return date may be rescheduled only once: an apology was already issued');
        if (e.newDueAt !== undefined && Date.parse(e.newDueAt) <= s.dueAt) fail(`the new appointment ${e.newDueAt} must be later than the current due instant`);
      }
      const step = applyLetterStep(s.letters?.[e.form], e, at);
      if (!step.ok) return fail(step.message);
      s.letters = { ...s.letters, [e.form]: step.letter };
      break;
    }
  }
  return settle(s, index, at);
}

/** The issued fact closes the workflow letter under way, if any (letter-workflow.ts issueProblem). */
function issueLetter(s: DossierState, form: LetterKind, content: { reason: string; newDueAt: number | null }, at: number, fail: (msg: string) => never): void {
  const current = s.letters?.[form];
  const problem = issueProblem(current, form, content);
  if (problem) fail(problem);
  if (current && current.status === 'signed') s.letters = { ...s.letters, [form]: { ...current, status: 'issued', issuedAt: at } };
}

/** What follows from the facts after every event: the due-soon instant, provisional, outcomes, flags. */
function settle(s: DossierState, index: WorkingTimeIndex, at: number): DossierState {
  const policies = s.rules.policies;
  s.dueSoonAt = index.subtract(s.dueAt, policies.apologyLeadWorkingDays * index.dayMs);
  s.provisional = isProvisional(index, deadlineWindowOf(s, index));
  s.outcome = s.finishedAt === null ? null : classifyFinished(s.finishedAt, s.dueAt);
  // 766: a finished dossier is judged with its supplementation time subtracted, however many requests it took.
  const reading = policies.latenessReading ?? 'instant';
  s.rate.outcome = s.finishedAt === null ? null : classifyFinished(s.finishedAt, s.rate.dueAt, reading);
  s.flags = complianceFlags(s, index);
  if (s.finishedAt === null || s.finishedAt >= at) {
    const waitingSince = s.pausedSince;
    s.judgments = withSegment(s.judgments, {
      from: at,
      dueAt: s.dueAt,
      dueSoonAt: s.dueSoonAt,
      waitingSince,
      rateDueAt: s.rate.dueAt,
      // Read by date, "overdue" begins after the due day (policies.latenessReading), for the 766 judgment only.
      rateOverdueAfter: rateOverdueAfter({
        from: at,
        rateDueAt: judgedDueAt(s.rate.dueAt, reading),
        waitingSince,
        supplementCount: s.supplementCount,
        repeatedSupplementIsLate: policies.repeatedSupplementIsLate,
      }),
    });
  }
  return s;
}

/**
 * What a dossier's due instant (or `dueAt`, its legal one) was computed from, for telling which calendar days
 * decided it. An apology's new
 * date is an appointment, not a count: only its own day could move it (announced as a day off after all). A clock
 * restarted by a completed supplement is looked at from its restart. A calendar count's end day is the one that
 * reproduces the due instant, from the restart or from the first start with the days paused; failing both (a
 * pause after an apology moved its date on), the whole span from the start.
 */
export function deadlineWindowOf(s: DossierState, index: WorkingTimeIndex, dueAt = s.dueAt): DeadlineWindow {
  if (s.apology?.reschedules && dueAt === s.apology.newDueAt) return { from: dueAt, clockStartsAt: dueAt, dueAt };
  const from = s.clockStartsAt === s.firstClockStartsAt ? s.receivedAt : s.clockStartsAt;
  const counts: Array<[number, number]> = [
    [s.clockStartsAt, 0],
    [s.firstClockStartsAt, s.pausedDays],
  ];
  const countedTo = counts
    .map(([start, extra]) => countedEndDay(start, s.rules.duration, extra))
    .find((day) => day !== null && index.closingOnOrAfter(day) === dueAt);
  return { from, clockStartsAt: s.clockStartsAt, dueAt, countedTo: countedTo ?? null };
}

/** The appointment the receipt (form 01) printed: the first clock start and the due instant computed then. */
export function receiptWindowOf(s: DossierState): DeadlineWindow {
  return { from: s.receivedAt, clockStartsAt: s.firstClockStartsAt, dueAt: s.initialDueAt, countedTo: countedEndDay(s.firstClockStartsAt, s.rules.duration) };
}

type LegalDue = (start: number, extra?: { workingMs?: number; calendarDays?: number }) => number;

/**
 * Ends a wait for the citizen at `at`: the 766 appointment moves by the time
 * waited (a pause before the clock started stops nothing). Returns the
 * working time waited.
 */
function closePause(s: DossierState, at: number, index: WorkingTimeIndex, legalDue: LegalDue): number {
  const from = Math.max(s.pausedSince!, s.firstClockStartsAt);
  s.pausedSince = null;
  const paused = Math.max(0, index.between(from, at));
  s.pausedMs += paused;
  // Calendar-day and month durations are extended by whole calendar days of pause.
  s.pausedDays += Math.max(0, localDayOf(at) - localDayOf(from));
  s.rate.dueAt = s.apology?.reschedulesRate
    ? index.add(s.rate.dueAt, paused)
    : legalDue(s.firstClockStartsAt, { workingMs: s.pausedMs, calendarDays: s.pausedDays });
  return paused;
}

/** The rules in force for a dossier received now: the regime of the day, the catalogue's time, the agency's policies. */
export function rulesAtReceipt(procedureCode: string, agencyCode: string, atMs: number, ctx: FoldContext): PinnedRules | null {
  const procedure = ctx.catalog.procedureAt(procedureCode, atMs);
  if (!procedure || !ctx.catalog.agency(agencyCode)) return null;
  return {
    regime: regimeAt(atMs).id,
    duration: procedure.duration,
    receiptCutoff: procedure.receiptCutoff,
    receiptCutoffSource: procedure.receiptCutoffSource,
    steps: procedure.steps,
    policies: ctx.catalog.policiesOf(agencyCode),
    calendarVersion: ctx.calendar.version,
    paperResult: procedure.paperResult,
    feeProcedure: procedure.feeRequired,
  };
}

function received(e: Extract<DossierEvent, { type: 'received' }>, logged: LoggedEvent, ctx: FoldContext): DossierState {
  const seq = logged.seq;
  const at = Date.parse(e.occurredAt);
  const fail = (msg: string, field?: string): never => {
    throw new TransitionError(msg, e.eventId, field);
  };
  // A corrected receipt keeps the rules pinned at the first one: a new instant under another regime would need others.
  const pinnedAtFirst = ctx.pinnedRules?.(e.dossierCode);
  if (logged.replaces && pinnedAtFirst && regimeAt(at).id !== pinnedAtFirst.regime)
    fail(`a receipt at ${e.occurredAt} falls under another legal regime than the one the dossier was received under (${pinnedAtFirst.regime})`, 'occurredAt');
  if (!ctx.pinnedRules?.(e.dossierCode)) {
    if (!ctx.catalog.procedure(e.procedureCode)) fail(`unknown procedure ${e.procedureCode}`);
    if (!ctx.catalog.procedureAt(e.procedureCode, at))
      fail(`procedure ${e.procedureCode} was not in force on the day of ${e.occurredAt} (see its validFrom and validTo in the catalogue)`);
  }
  if (!ctx.catalog.agency(e.receivingAgencyCode)) fail(`unknown agency ${e.receivingAgencyCode}`);
  if (!ctx.catalog.isValidAt(e.receivingAgencyCode, at)) fail(`agency ${e.receivingAgencyCode} did not exist at ${e.occurredAt}`);
  if (e.competentAgencyCode && !ctx.catalog.agency(e.competentAgencyCode)) fail(`unknown agency ${e.competentAgencyCode}`);
  const pinned = ctx.pinnedRules?.(e.dossierCode);
  const procedure = ctx.catalog.procedureAt(e.procedureCode, at) ?? ctx.catalog.procedure(e.procedureCode);
  // Rules recorded before paperResult and feeProcedure existed take them from today's catalogue.
  const rules: PinnedRules = pinned
    ? {
        ...pinned,
        paperResult: pinned.paperResult ?? procedure?.paperResult ?? true,
        feeProcedure: pinned.feeProcedure ?? procedure?.feeRequired ?? e.feeRequired,
      }
    : rulesAtReceipt(e.procedureCode, e.receivingAgencyCode, at, ctx)!;
  // A fee-free procedure cannot charge one (indicator 3.6 counts fees from the catalogue); a replay keeps what was accepted.
  if (!pinned && e.feeRequired && rules.feeProcedure === false)
    fail(`procedure ${e.procedureCode} has no fee or charge in the catalogue: feeRequired must be false`);
  const policies = rules.policies;
  const index = ctx.calendar.workingTime(policies.officeHours);
  const submittedAt = e.submittedAt === undefined ? null : Date.parse(e.submittedAt);
  if (submittedAt !== null && e.channel !== 'online') fail('submittedAt is the online submission: the channel must be "online"', 'submittedAt');
  if (submittedAt !== null && submittedAt > at) fail(`the acceptance at ${e.occurredAt} is earlier than the submission at ${e.submittedAt}`, 'submittedAt');
  const start = clockStart(index, at, rules.receiptCutoff ?? policies.receiptCutoff);
  const due = dueInstant(index, start, rules.duration, policies.deadlineConvention);
  const awaiting =
    e.competentAgencyCode &&
    e.competentAgencyCode !== e.receivingAgencyCode &&
    regimeById(rules.regime).rules.clockStartsAt.value === 'competent-agency-receipt'
      ? e.competentAgencyCode
      : null;
  const s: DossierState = {
    stateVersion: STATE_VERSION,
    code: e.dossierCode,
    status: 'received',
    procedureCode: e.procedureCode,
    receivingAgencyCode: e.receivingAgencyCode,
    currentAgencyCode: e.receivingAgencyCode,
    agencyCodes: ctx.catalog.pathOf(e.receivingAgencyCode),
    channel: e.channel,
    awaitingCompetentAgency: awaiting,
    competentAgencyCode: e.competentAgencyCode && e.competentAgencyCode !== e.receivingAgencyCode ? e.competentAgencyCode : null,
    competentAgencyReceivedAt: null,
    rules,
    applicant: e.applicant,
    feeRequired: e.feeRequired,
    digitized: e.digitized,
    reusedDigitizedData: e.reusedDigitizedData ?? false,
    electronicResult: false,
    paidOnline: false,
    paidOnlineAt: null,
    paidViaNationalPortal: false,
    amountPaid: 0,
    receivedAt: at,
    submittedAt,
    firstClockStartsAt: start,
    clockStartsAt: start,
    dueAt: due,
    originalDueAt: due,
    initialDueAt: due,
    dueSoonAt: due,
    declaredDueAt: e.declaredDueAt ? Date.parse(e.declaredDueAt) : null,
    provisional: false,
    calendarVersion: ctx.calendar.version,
    pausedMs: 0,
    pausedDays: 0,
    pausedSince: null,
    closureDueAt: null,
    supplementCount: 0,
    secondSupplementAt: null,
    lateSupplementRequest: false,
    lateSupplementRequestAt: null,
    rating: null,
    complaints: 0,
    dissatisfiedAt: null,
    processingTime: null,
    judgments: [],
    apology: null,
    steps: [],
    resultReadyAt: null,
    returnedAt: null,
    finishedAt: null,
    outcome: null,
    rate: { dueAt: due, outcome: null },
    flags: [],
    eventCount: 1,
    lastEventSeq: seq,
    lastOccurredAt: at,
    consent: giveConsent(undefined, e.consent ?? [], at, e.channel === 'online' ? 'online' : 'counter'),
  };
  return settle(s, index, at);
}

/**
 * The first finish counts (DOMAIN §5). One while the citizen is supplementing
 * (a refusal or withdrawal then) is judged with the wait subtracted, as the
 * 766 formula subtracts supplementation time; the legal clock was stopped too.
 */
function finish(s: DossierState, at: number, index: WorkingTimeIndex, legalDue: LegalDue, ctx: FoldContext): void {
  if (s.finishedAt !== null) return;
  if (s.pausedSince !== null) {
    resumeOpenStep(s.steps, at, ctx.calendar);
    const paused = closePause(s, at, index, legalDue);
    s.dueAt = index.add(s.dueAt, paused);
    s.originalDueAt = index.add(s.originalDueAt, paused);
  }
  s.finishedAt = at;
  s.processingTime = processingTime(s, at, index);
  closeOpenStep(s, at, ctx);
}

const DAY_MS = 86_400_000;

/** Indicator 2.2: clock start to finish, waits for the citizen subtracted, in the procedure's unit (2 decimals). */
function processingTime(s: DossierState, at: number, index: WorkingTimeIndex): number {
  const start = s.firstClockStartsAt;
  const unit = s.rules.duration.unit;
  let value: number;
  if (unit === 'working-days') value = (Math.max(0, index.between(start, at)) - s.pausedMs) / index.dayMs;
  else if (unit === 'working-hours') value = (Math.max(0, index.between(start, at)) - s.pausedMs) / 3_600_000;
  else {
    const days = Math.max(0, (at - start) / DAY_MS - s.pausedDays);
    value = unit === 'calendar-days' ? days : days / (365.2425 / 12);
  }
  return Math.round(Math.max(0, value) * 100) / 100;
}

/** The hand-over (or the finish) ends the open step: judged against its due instant, and by how much it ran over. */
function closeOpenStep(s: DossierState, at: number, ctx: FoldContext): void {
  const open = s.steps.find((x) => x.endedAt === null);
  if (!open) return;
  open.endedAt = at;
  open.outcome = open.dueAt === null ? null : classifyFinished(at, open.dueAt);
  open.overrunMs = open.dueAt === null ? null : Math.max(0, stepIndexOf(ctx.calendar, open).between(open.dueAt, at));
}

function complianceFlags(s: DossierState, index: WorkingTimeIndex): ComplianceFlag[] {
  const rules = regimeById(s.rules.regime).rules;
  const flags: ComplianceFlag[] = [];
  const finishedLate = s.finishedAt !== null && s.finishedAt > s.originalDueAt;
  if (finishedLate && !s.apology) flags.push('late_without_apology');
  // Art. 19(9): no later than 1 day before the due date, judged by date.
  if (s.apology && !lawfulApology(apologyJudgedAt(s.apology), s.apology.previousDueAt, rules.apologyDaysBeforeDueDate.value)) flags.push('apology_too_late');
  // Receipts print hour and minute: compare at that precision.
  if (s.declaredDueAt !== null && Math.floor(s.declaredDueAt / 60_000) !== Math.floor(s.initialDueAt / 60_000)) {
    flags.push('declared_due_mismatch');
  }
  if (s.supplementCount > 1) flags.push('repeated_supplement');
  if (s.lateSupplementRequest) flags.push('late_supplement_request');
  if (lateOnlineAcceptance(s, index)) flags.push('late_online_acceptance');
  if (lateHandOver(s, index)) flags.push('late_hand_over');
  return flags;
}

/** Art. 17(2): an online submission is accepted (or a supplement requested) within the regime's working hours. */
function lateOnlineAcceptance(s: DossierState, index: WorkingTimeIndex): boolean {
  const hours = regimeById(s.rules.regime).rules.onlineResponseWorkingHours.value;
  if (hours === null || s.submittedAt === null) return false;
  return index.between(s.submittedAt, s.receivedAt) > hours * 3_600_000;
}

/** Art. 20(1)(a): a paper dossier received for another competent agency reaches it within the regime's working days. */
function lateHandOver(s: DossierState, index: WorkingTimeIndex): boolean {
  const days = regimeById(s.rules.regime).rules.boundaryFreeHandOverWorkingDays.value;
  if (days === null || !s.competentAgencyCode || s.channel === 'online' || s.competentAgencyReceivedAt == null) return false;
  return index.between(s.receivedAt, s.competentAgencyReceivedAt) > days * index.dayMs;
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}
