/**
 * What a supervisor can still change in a running period: how many of the
 * open dossiers must finish within time (or still be within time at the
 * period's end) for the progress rate (2.1) to reach a target, such as An
 * Giang's 98 %. Dossiers already late or overdue cannot be won back, and the
 * dossiers still to come are not guessed at.
 */
import { toProcess, type Counts } from './rates.js';

export function whatIf(c: Counts, target: number) {
  const n = toProcess(c);
  const withinTime = c.early + c.onTime;
  // target × n may carry floating-point noise (0.98 × 50 = 49.000000000000004).
  const needed = Math.max(0, Math.ceil(target * n - 1e-9) - withinTime);
  return {
    target,
    toProcess: n,
    finishedWithinTime: withinTime,
    alreadyLate: c.late + c.openOverdue,
    openOnTrack: c.openOnTrack,
    /** How many of the open, within-time dossiers must stay so to the end. */
    mustFinishWithinTime: needed,
    reachable: needed <= c.openOnTrack,
    /** The rate if every open dossier within time stays so. */
    bestPossibleRate: n === 0 ? null : (withinTime + c.openOnTrack) / n,
  };
}
