/**
 * The fold: a dossier's events, in order of occurrence (then arrival), become
 * its current state: status, deadline, pauses, steps, outcome and compliance
 * flags. Pure and deterministic, so replaying the log rebuilds the table.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { VietnamCalendar } from '../calendar/vietnam-calendar.js';
import type { WorkingTimeIndex } from '../calendar/working-time.js';
import { localDayOf } from '../calendar/local-time.js';
import type { Applicant, Channel, DossierEvent, LoggedEvent } from './events.js';
import { clockStart, dueInstant, isProvisional, type Duration } from './deadline.js';
import { classifyFinished, type Outcome } from './outcome.js';
import type { Policies } from './policies.js';

export type DossierStatus =
  | 'received'
  | 'processing'
  | 'supplement_requested'
  | 'processed'
  | 'returned'
  | 'refused'
  | 'withdrawn';

export const FINISHED_STATUSES: DossierStatus[] = ['processed', 'returned', 'refused', 'withdrawn'];

export type ComplianceFlag =
  | 'late_without_apology'
  | 'apology_too_late'
  | 'declared_due_mismatch'
  | 'repeated_supplement';

export interface StepState {
  agencyCode: string;
  step: string;
  startedAt: number;
  dueAt: number | null;
  endedAt: number | null;
  outcome: Outcome | null;
}

export interface DossierState {
  code: string;
  status: DossierStatus;
  procedureCode: string;
  receivingAgencyCode: string;
  currentAgencyCode: string;
  /** Every agency on the receiving and assigned agencies' paths: who may see the dossier. */
  agencyCodes: string[];
  channel: Channel;
  applicant: Applicant;
  feeRequired: boolean;
  digitized: boolean;
  paidOnline: boolean;
  paidViaNationalPortal: boolean;
  amountPaid: number;
  receivedAt: number;
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
  supplementCount: number;
  apology: { issuedAt: number; reason: string; newDueAt: number; previousDueAt: number } | null;
  steps: StepState[];
  resultReadyAt: number | null;
  returnedAt: number | null;
  finishedAt: number | null;
  outcome: Outcome | null;
  flags: ComplianceFlag[];
  eventCount: number;
  lastEventSeq: number;
  /** The latest occurredAt folded: later events can be applied to this state without a replay. */
  lastOccurredAt: number;
}

export class TransitionError extends Error {
  constructor(
    message: string,
    readonly eventId: string,
  ) {
    super(message);
  }
}

export interface FoldContext {
  catalog: Catalog;
  calendar: VietnamCalendar;
}

/** Sorts by occurrence, then arrival: the order the fold reads. */
export function orderEvents(events: LoggedEvent[]): LoggedEvent[] {
  return [...events].sort((a, b) => {
    const d = Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt);
    return d !== 0 ? d : a.seq - b.seq;
  });
}

/** Folds a dossier's whole log (any order). Throws TransitionError on an impossible sequence. */
export function foldDossier(events: LoggedEvent[], ctx: FoldContext): DossierState {
  let state: DossierState | undefined;
  for (const logged of orderEvents(events)) state = applyEvent(state, logged, ctx);
  if (!state) throw new Error('no events');
  return state;
}

const OPEN: DossierStatus[] = ['received', 'processing', 'supplement_requested'];

export function applyEvent(prev: DossierState | undefined, logged: LoggedEvent, ctx: FoldContext): DossierState {
  try {
    return apply(prev, logged, ctx);
  } catch (err) {
    // A deadline past the calendar's last year cannot be computed: the event cannot apply (422), it is no crash.
    if (err instanceof RangeError) throw new TransitionError(`the deadline falls outside the working-time calendar (2000–2199): ${err.message}`, logged.event.eventId);
    throw err;
  }
}

function apply(prev: DossierState | undefined, logged: LoggedEvent, ctx: FoldContext): DossierState {
  const e = logged.event;
  const at = Date.parse(e.occurredAt);
  const fail = (msg: string): never => {
    throw new TransitionError(msg, e.eventId);
  };

  if (e.type === 'received') {
    if (prev) fail(`dossier ${e.dossierCode} was already received`);
    return received(e, logged.seq, ctx);
  }
  if (!prev) return fail(`the first event of dossier ${e.dossierCode} must be "received", not "${e.type}"`);

  const s: DossierState = { ...prev, steps: prev.steps.map((x) => ({ ...x })), flags: [...prev.flags], eventCount: prev.eventCount + 1, lastEventSeq: Math.max(prev.lastEventSeq, logged.seq), lastOccurredAt: Math.max(prev.lastOccurredAt, at) };
  const { index, policies } = clockOf(s, ctx);
  const requireStatus = (allowed: DossierStatus[]) => {
    if (!allowed.includes(s.status)) fail(`"${e.type}" is not possible when the dossier is "${s.status}"`);
  };

  switch (e.type) {
    case 'assigned': {
      requireStatus(['received', 'processing']);
      const agency = ctx.catalog.agency(e.agencyCode);
      if (!agency) fail(`unknown agency ${e.agencyCode}`);
      if (!ctx.catalog.isValidAt(e.agencyCode, at)) fail(`agency ${e.agencyCode} did not exist at ${e.occurredAt}`);
      closeOpenStep(s, at);
      const procedure = ctx.catalog.procedure(s.procedureCode)!;
      const budget: Duration | undefined = e.budget ?? procedure.steps.find((x) => x.step === e.step)?.budget;
      const stepIndex = ctx.calendar.workingTime(ctx.catalog.policiesOf(e.agencyCode).officeHours);
      const stepPolicies = ctx.catalog.policiesOf(e.agencyCode);
      s.steps.push({
        agencyCode: e.agencyCode,
        step: e.step,
        startedAt: at,
        dueAt: budget ? dueInstant(stepIndex, stepIndex.nextOpening(at), budget, stepPolicies.deadlineConvention) : null,
        endedAt: null,
        outcome: null,
      });
      s.currentAgencyCode = e.agencyCode;
      s.agencyCodes = union(s.agencyCodes, ctx.catalog.pathOf(e.agencyCode));
      s.status = 'processing';
      break;
    }
    case 'supplement_requested':
      requireStatus(['received', 'processing']);
      s.status = 'supplement_requested';
      s.pausedSince = at;
      s.supplementCount += 1;
      break;
    case 'supplement_received': {
      requireStatus(['supplement_requested']);
      const pausedSince = s.pausedSince!;
      s.pausedSince = null;
      s.status = s.steps.length > 0 ? 'processing' : 'received';
      if (policies.supplementPolicy === 'restart') {
        // The clock starts again in full from the completed supplement.
        s.clockStartsAt = clockStart(index, at, policies.receiptCutoff);
        s.pausedMs = 0;
        s.pausedDays = 0;
        s.originalDueAt = dueInstant(index, s.clockStartsAt, durationOf(s, ctx), policies.deadlineConvention);
        if (!s.apology) s.dueAt = s.originalDueAt;
      } else {
        // Only the working time inside the pause counts; a pause before the clock started stops nothing.
        const from = Math.max(pausedSince, s.clockStartsAt);
        const paused = Math.max(0, index.between(from, at));
        s.pausedMs += paused;
        // Calendar-day and month durations are extended by whole calendar days of pause.
        s.pausedDays += Math.max(0, localDayOf(at) - localDayOf(from));
        s.originalDueAt = dueInstant(index, s.clockStartsAt, durationOf(s, ctx), policies.deadlineConvention, {
          workingMs: s.pausedMs,
          calendarDays: s.pausedDays,
        });
        s.dueAt = s.apology ? index.add(s.dueAt, paused) : s.originalDueAt;
      }
      break;
    }
    case 'apology_issued': {
      requireStatus(OPEN);
      if (s.apology) fail('the return date may be rescheduled only once: an apology was already issued');
      const newDueAt = Date.parse(e.newDueAt);
      if (newDueAt <= s.dueAt) fail(`the new appointment ${e.newDueAt} must be later than the current due instant`);
      s.apology = { issuedAt: at, reason: e.reason, newDueAt, previousDueAt: s.dueAt };
      s.dueAt = newDueAt;
      break;
    }
    case 'payment_recorded':
      s.amountPaid += e.amount;
      if (e.method === 'online') s.paidOnline = true;
      if (e.viaNationalPortal) s.paidViaNationalPortal = true;
      break;
    case 'result_ready':
      requireStatus(['received', 'processing']);
      s.status = 'processed';
      s.resultReadyAt = at;
      finish(s, at);
      break;
    case 'returned':
      requireStatus(['processed']);
      s.status = 'returned';
      s.returnedAt = at;
      break;
    case 'refused':
      requireStatus(OPEN);
      s.status = 'refused';
      finish(s, at);
      break;
    case 'withdrawn':
      requireStatus(OPEN);
      s.status = 'withdrawn';
      finish(s, at);
      break;
  }

  s.dueSoonAt = index.subtract(s.dueAt, policies.apologyLeadWorkingDays * index.dayMs);
  s.provisional = isProvisional(index, s.clockStartsAt, s.dueAt);
  s.outcome = s.finishedAt === null ? null : judge(s, policies);
  s.flags = complianceFlags(s, index, policies);
  return s;
}

function received(e: Extract<DossierEvent, { type: 'received' }>, seq: number, ctx: FoldContext): DossierState {
  const at = Date.parse(e.occurredAt);
  const fail = (msg: string): never => {
    throw new TransitionError(msg, e.eventId);
  };
  const procedure = ctx.catalog.procedure(e.procedureCode);
  if (!procedure) fail(`unknown procedure ${e.procedureCode}`);
  if (!ctx.catalog.agency(e.receivingAgencyCode)) fail(`unknown agency ${e.receivingAgencyCode}`);
  if (!ctx.catalog.isValidAt(e.receivingAgencyCode, at)) fail(`agency ${e.receivingAgencyCode} did not exist at ${e.occurredAt}`);
  const policies = ctx.catalog.policiesOf(e.receivingAgencyCode);
  const index = ctx.calendar.workingTime(policies.officeHours);
  const start = clockStart(index, at, procedure!.receiptCutoff ?? policies.receiptCutoff);
  const due = dueInstant(index, start, procedure!.duration, policies.deadlineConvention);
  const s: DossierState = {
    code: e.dossierCode,
    status: 'received',
    procedureCode: e.procedureCode,
    receivingAgencyCode: e.receivingAgencyCode,
    currentAgencyCode: e.receivingAgencyCode,
    agencyCodes: ctx.catalog.pathOf(e.receivingAgencyCode),
    channel: e.channel,
    applicant: e.applicant,
    feeRequired: e.feeRequired,
    digitized: e.digitized,
    paidOnline: false,
    paidViaNationalPortal: false,
    amountPaid: 0,
    receivedAt: at,
    clockStartsAt: start,
    dueAt: due,
    originalDueAt: due,
    initialDueAt: due,
    dueSoonAt: index.subtract(due, policies.apologyLeadWorkingDays * index.dayMs),
    declaredDueAt: e.declaredDueAt ? Date.parse(e.declaredDueAt) : null,
    provisional: isProvisional(index, start, due),
    calendarVersion: ctx.calendar.version,
    pausedMs: 0,
    pausedDays: 0,
    pausedSince: null,
    supplementCount: 0,
    apology: null,
    steps: [],
    resultReadyAt: null,
    returnedAt: null,
    finishedAt: null,
    outcome: null,
    flags: [],
    eventCount: 1,
    lastEventSeq: seq,
    lastOccurredAt: at,
  };
  s.flags = complianceFlags(s, index, policies);
  return s;
}

/** The receiving agency's clock: its office hours and policies govern the dossier's deadline. */
function clockOf(s: DossierState, ctx: FoldContext): { index: WorkingTimeIndex; policies: Policies } {
  const policies = ctx.catalog.policiesOf(s.receivingAgencyCode);
  return { index: ctx.calendar.workingTime(policies.officeHours), policies };
}

function durationOf(s: DossierState, ctx: FoldContext): Duration {
  return ctx.catalog.procedure(s.procedureCode)!.duration;
}


function finish(s: DossierState, at: number): void {
  if (s.finishedAt === null) s.finishedAt = at;
  closeOpenStep(s, at);
}

function closeOpenStep(s: DossierState, at: number): void {
  const open = s.steps.find((x) => x.endedAt === null);
  if (!open) return;
  open.endedAt = at;
  open.outcome = open.dueAt === null ? null : classifyFinished(at, open.dueAt);
}

function judge(s: DossierState, policies: Policies): Outcome {
  if (policies.repeatedSupplementIsLate && s.supplementCount > 1) return 'late';
  return classifyFinished(s.finishedAt!, s.dueAt);
}

function complianceFlags(s: DossierState, index: WorkingTimeIndex, policies: Policies): ComplianceFlag[] {
  const flags: ComplianceFlag[] = [];
  const finishedLate = s.finishedAt !== null && s.finishedAt > s.originalDueAt;
  if (finishedLate && !s.apology) flags.push('late_without_apology');
  if (s.apology && index.between(s.apology.issuedAt, s.apology.previousDueAt) < policies.apologyLeadWorkingDays * index.dayMs) {
    flags.push('apology_too_late');
  }
  // Receipts print hour and minute: compare at that precision.
  if (s.declaredDueAt !== null && Math.floor(s.declaredDueAt / 60_000) !== Math.floor(s.initialDueAt / 60_000)) {
    flags.push('declared_due_mismatch');
  }
  if (s.supplementCount > 1) flags.push('repeated_supplement');
  return flags;
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}
