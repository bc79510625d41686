/**
 * Which warning thresholds a dossier has crossed at an instant, and when it crosses the next (issue 26 item 3).
 * Pure: the scan (warning-scan.ts) resolves the recipients, records each crossing once in the ledger and sends.
 *
 * Two subjects: the open step (its thresholds from the step agency's settings, counted in the step's working time)
 * and the dossier (from the receiving agency's settings, in the dossier's working time). Thresholds climb: of a
 * subject's thresholds only the highest crossed counts, so a step that is due stops repeating its 75 % warning.
 * A crossing repeats every N working hours while nothing moves; "moves" ends the subject's warnings: the step ends
 * (hand-over or result), the dossier waits for the citizen (its clock stands still), an apology is issued or the
 * dossier finishes. Repeats are counted in working time, so a night or a weekend adds none.
 */
import type { VietnamCalendar } from '../calendar/vietnam-calendar.js';
import type { WorkingTimeIndex } from '../calendar/working-time.js';
import type { DossierState } from '../dossiers/state.js';
import { stepIndexOf, stepTimingAt, type StepState } from '../dossiers/steps.js';
import type { WarningSettings, WarningThreshold } from '../rules/warning-thresholds.js';

const HOUR_MS = 3_600_000;

export interface Crossing {
  /** The step's position in the dossier's steps, or null for the dossier itself. */
  position: number | null;
  step: StepState | null;
  threshold: WarningThreshold;
  /** The agency whose settings gave the threshold: its office hours say when the warning may go out. */
  agencyCode: string;
  /** The unit handling the dossier (the step's agency, else the dossier's current agency): whose supervisors hear. */
  unitCode: string;
  /** When this crossing happened (the threshold instant, or its repeat's). */
  at: number;
  /** 0 for the threshold itself, k for its k-th repeat. */
  repeat: number;
  /** The subject's due instant now in force: a moved due instant is a new crossing. */
  dueAt: number;
  /** Working ms from `at`'s judging instant to the due instant (negative: past it), for the wording. */
  leftMs: number;
  index: WorkingTimeIndex;
}

export interface WarningJudge {
  calendar: VietnamCalendar;
  settingsOf(agencyCode: string): WarningSettings;
}

/** A stable name of a threshold for the ledger's keys: a changed threshold is a new one. */
export function thresholdKey(t: WarningThreshold): string {
  return t.on === 'step' ? `step${t.usedPercent}` : `dossier${t.dueWithinWorkingDays}d`;
}

/** The crossings due at `now` (one per subject: its highest threshold crossed, latest repeat) and the next crossing's instant. */
export function warningsAt(s: DossierState, now: number, judge: WarningJudge): { due: Crossing[]; nextAt: number | null } {
  const due: Crossing[] = [];
  let nextAt: number | null = null;
  const later = (t: number | null) => {
    if (t !== null && (nextAt === null || t < nextAt)) nextAt = t;
  };
  if (s.finishedAt !== null) return { due, nextAt };

  const position = s.steps.findIndex((x) => x.endedAt === null);
  const open = position >= 0 ? s.steps[position]! : null;
  if (open) {
    const index = stepIndexOf(judge.calendar, open);
    const timing = stepTimingAt(open, now, index);
    const budgetDueAt = open.budgetDueAt ?? open.dueAt;
    if (timing && timing.dueAt !== null && budgetDueAt !== null && !timing.paused && s.pausedSince === null) {
      const budgetMs = Math.max(0, index.between(open.startedAt, budgetDueAt));
      const dueAt = timing.dueAt;
      const thresholds = judge.settingsOf(open.agencyCode).thresholds.filter((t) => t.on === 'step');
      const subject = climb(thresholds, now, index, (t) => index.subtract(dueAt, ((100 - (t as { usedPercent: number }).usedPercent) / 100) * budgetMs), later);
      if (subject)
        due.push({ position, step: open, agencyCode: open.agencyCode, unitCode: open.agencyCode, dueAt, leftMs: index.between(now, dueAt), index, ...subject });
    }
  }

  if (s.apology === null && s.pausedSince === null) {
    const index = judge.calendar.workingTime(s.rules.policies.officeHours);
    const thresholds = judge.settingsOf(s.receivingAgencyCode).thresholds.filter((t) => t.on === 'dossier');
    const subject = climb(
      thresholds,
      now,
      index,
      (t) => index.subtract(s.dueAt, (t as { dueWithinWorkingDays: number }).dueWithinWorkingDays * index.dayMs),
      later,
    );
    if (subject)
      due.push({
        position: null,
        step: open,
        agencyCode: s.receivingAgencyCode,
        unitCode: open?.agencyCode ?? s.currentAgencyCode,
        dueAt: s.dueAt,
        leftMs: index.between(now, s.dueAt),
        index,
        ...subject,
      });
  }
  return { due, nextAt };
}

/**
 * Of one subject's thresholds (each crossed at `instantOf`), the highest crossed by `now` and its latest repeat;
 * tells `later` when the next one (a higher threshold, or the next repeat) falls.
 */
function climb(
  thresholds: WarningThreshold[],
  now: number,
  index: WorkingTimeIndex,
  instantOf: (t: WarningThreshold) => number,
  later: (t: number | null) => void,
): { threshold: WarningThreshold; at: number; repeat: number } | null {
  const timed = thresholds.map((t) => ({ t, at: instantOf(t) })).sort((a, b) => a.at - b.at);
  const crossed = timed.filter((x) => x.at <= now);
  const ahead = timed.find((x) => x.at > now);
  later(ahead?.at ?? null);
  const top = crossed.at(-1);
  if (!top) return null;
  const every = top.t.repeatEveryWorkingHours;
  if (!every) return { threshold: top.t, at: top.at, repeat: 0 };
  const start = index.elapsedAt(top.at);
  const k = Math.max(0, Math.floor((index.elapsedAt(now) - start) / (every * HOUR_MS)));
  const nextRepeat = index.instantAtElapsed(start + (k + 1) * every * HOUR_MS);
  // A higher threshold ahead ends the repeats when it comes: the next look is whichever is first.
  later(ahead && ahead.at <= nextRepeat ? ahead.at : nextRepeat);
  return { threshold: top.t, at: k === 0 ? top.at : index.instantAtElapsed(start + k * every * HOUR_MS), repeat: k };
}
