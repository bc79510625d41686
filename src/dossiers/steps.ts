/**
 * A dossier's steps (the hand-overs of an interconnected procedure, DOMAIN §3 "liên thông") through time: each
 * step's due instant and overrun at any instant t, who held the dossier and for how long, and which steps made a
 * late dossier late. Pure: the fold records the facts (start, budget, pauses, end), these read them.
 *
 * A step's time is counted in its own agency's working time (the office hours it had when the step started) from
 * the next opening after the hand-over. While the dossier waits for the citizen's supplement the step's clock stands
 * still, and its due instant moves on by the working time waited (an Inference: the citizen's time is no agency's
 * overrun, as the 766 formula subtracts it from the dossier's).
 */
import type { VietnamCalendar } from '../calendar/vietnam-calendar.js';
import type { OfficeHours } from '../calendar/office-hours.js';
import type { WorkingTimeIndex } from '../calendar/working-time.js';
import type { Duration } from '../rules/durations.js';
import type { Holder } from './holder.js';
import type { Outcome } from './outcome.js';

/** A wait for the citizen during a step: [from, to), `ms` the step agency's working time in it once it ended. */
export interface StepPause {
  from: number;
  to: number | null;
  ms: number;
}

export interface StepState {
  agencyCode: string;
  step: string;
  /** The person holding the dossier during the step; null when the event named only the agency. */
  holder: Holder | null;
  /** The time allotted: the event's, else the procedure's pinned at receipt; null when neither gives one. */
  budget: Duration | null;
  /** The step agency's office hours when the step started: its time is counted in them. */
  officeHours: OfficeHours;
  startedAt: number;
  /** The due instant before any wait for the citizen. */
  budgetDueAt: number | null;
  /** The due instant now in force: budgetDueAt moved on by the waits that ended. */
  dueAt: number | null;
  pauses: StepPause[];
  endedAt: number | null;
  outcome: Outcome | null;
  /** Once ended: working time beyond its due instant (0 when in time); null without a budget or while open. */
  overrunMs: number | null;
}

/** A step's timing at t: its due instant then and the working time it had run over by then. */
export interface StepTiming {
  dueAt: number | null;
  /** Working time past the due instant at t (0 when within time); null without a budget. */
  overrunMs: number | null;
  open: boolean;
  /** Waiting for the citizen at t: the step's clock stands still. */
  paused: boolean;
}

// A step stored without its office hours (see settled) is counted in the default ones.
export const stepIndexOf = (calendar: VietnamCalendar, step: Pick<StepState, 'officeHours'>): WorkingTimeIndex =>
  calendar.workingTime(step.officeHours ?? undefined);

/**
 * States folded before steps had waits and budgets recorded (the state version was not bumped: they are replayed
 * anyway before release) read as a step that never waited, due when it said.
 */
function settled(step: StepState): StepState {
  if (step.pauses && step.budgetDueAt !== undefined) return step;
  return { ...step, pauses: step.pauses ?? [], budgetDueAt: step.budgetDueAt ?? step.dueAt, holder: step.holder ?? null, budget: step.budget ?? null };
}

/** The step as it stood at t (only the waits that had ended by t moved its due instant); null before it started. */
export function stepTimingAt(stored: StepState, t: number, index: WorkingTimeIndex): StepTiming | null {
  const step = settled(stored);
  if (t < step.startedAt) return null;
  const ended = step.endedAt !== null && step.endedAt <= t;
  const end = ended ? step.endedAt! : t;
  const waited = step.pauses.filter((p) => p.to !== null && p.to <= end).reduce((sum, p) => sum + p.ms, 0);
  const waiting = step.pauses.find((p) => p.from <= end && (p.to === null || p.to > end));
  const dueAt = step.budgetDueAt === null ? null : waited === 0 ? step.budgetDueAt : index.add(step.budgetDueAt, waited);
  const clockAt = waiting ? waiting.from : end;
  return { dueAt, overrunMs: dueAt === null ? null : Math.max(0, index.between(dueAt, clockAt)), open: !ended, paused: !!waiting };
}

/** Starts a wait for the citizen in the open step, if any. */
export function pauseOpenStep(steps: StepState[], at: number): void {
  const open = steps.find((x) => x.endedAt === null);
  if (open && !open.pauses.some((p) => p.to === null)) open.pauses.push({ from: at, to: null, ms: 0 });
}

/** Ends the open step's wait at `at`: its due instant moves on by the working time waited. */
export function resumeOpenStep(steps: StepState[], at: number, calendar: VietnamCalendar): void {
  const open = steps.find((x) => x.endedAt === null);
  const pause = open?.pauses.find((p) => p.to === null);
  if (!open || !pause) return;
  const index = stepIndexOf(calendar, open);
  pause.to = at;
  pause.ms = Math.max(0, index.between(Math.max(pause.from, open.startedAt), at));
  const waited = open.pauses.reduce((sum, p) => sum + p.ms, 0);
  open.dueAt = open.budgetDueAt === null ? null : waited === 0 ? open.budgetDueAt : index.add(open.budgetDueAt, waited);
}

/** The period a holder held the dossier: one step, from its hand-over to the next (or now). */
export interface HolderPeriod {
  agencyCode: string;
  step: string;
  holder: Holder | null;
  from: number;
  to: number | null;
  /** Working time held (the step agency's), waits for the citizen included: the time it was in their hands. */
  heldMs: number;
}

/** Who held the dossier, step by step, up to t (a step still open at t is held until t). */
export function holdersAt(steps: StepState[], t: number, calendar: VietnamCalendar): HolderPeriod[] {
  return steps
    .filter((x) => x.startedAt <= t)
    .map((x) => {
      const to = x.endedAt !== null && x.endedAt <= t ? x.endedAt : null;
      return {
        agencyCode: x.agencyCode,
        step: x.step,
        holder: x.holder,
        from: x.startedAt,
        to,
        heldMs: Math.max(0, stepIndexOf(calendar, x).between(x.startedAt, to ?? t)),
      };
    });
}

/** A step that had run over its budget by t: one reason a late dossier is late. */
export interface LatenessSource {
  position: number;
  agencyCode: string;
  step: string;
  overrunMs: number;
  open: boolean;
}

/**
 * Where a dossier's lateness at t comes from: the steps that had run over their budgets by t, the largest overrun
 * first (the ties in order of hand-over). Asked of a dossier that is late (or overdue) at t; empty when no step with
 * a budget ran over (the time went elsewhere: before the first hand-over, or in steps without a budget).
 */
export function latenessSourcesAt(steps: StepState[], t: number, calendar: VietnamCalendar): LatenessSource[] {
  const out: LatenessSource[] = [];
  steps.forEach((x, position) => {
    const timing = stepTimingAt(x, t, stepIndexOf(calendar, x));
    if (timing?.overrunMs) out.push({ position, agencyCode: x.agencyCode, step: x.step, overrunMs: timing.overrunMs, open: timing.open });
  });
  return out.sort((a, b) => b.overrunMs - a.overrunMs || a.position - b.position);
}
