/**
 * Working time as a lookup. For one set of office hours the index holds, for
 * every local day, the working milliseconds before it, and for every working
 * day its place in the calendar. Every working day has the same length, so
 * an instant maps to "working time elapsed since the origin" in O(1), and
 * back in O(1) too (which working day = elapsed / day length). Adding a
 * duration or measuring the working time between two instants is then two
 * lookups, not a loop over days.
 */
import type { VietnamCalendar } from './vietnam-calendar.js';
import { localDayOf, localDayStart, isoDateOf } from './local-time.js';
import { officeIntervalsMs, type OfficeHours } from './office-hours.js';

export class WorkingTimeIndex {
  /** cumulative[i] = working ms in the days before calendar.firstDay + i (length days + 1). */
  private readonly cumulative: Float64Array;
  /** workingDays[k] = index (from calendar.firstDay) of the k-th working day. */
  private readonly workingDays: Int32Array;
  /** Office intervals flattened: [start0, end0, start1, end1, …] in ms from local midnight. */
  private readonly bounds: Float64Array;
  private readonly working: Uint8Array;
  private readonly first: number;
  /** Length of one working day of these office hours: "one working day" as a duration. */
  readonly dayMs: number;

  constructor(
    readonly calendar: VietnamCalendar,
    readonly officeHours: OfficeHours,
  ) {
    const intervals = officeIntervalsMs(officeHours);
    this.bounds = Float64Array.from(intervals.flat());
    this.dayMs = intervals.reduce((sum, [s, e]) => sum + e - s, 0);
    this.first = calendar.firstDay;
    const flags = (this.working = calendar.working);
    this.cumulative = new Float64Array(flags.length + 1);
    const workingDays: number[] = [];
    for (let i = 0; i < flags.length; i++) {
      this.cumulative[i + 1] = this.cumulative[i]! + (flags[i] ? this.dayMs : 0);
      if (flags[i]) workingDays.push(i);
    }
    this.workingDays = Int32Array.from(workingDays);
  }

  private dayIndex(instantMs: number): number {
    const i = localDayOf(instantMs) - this.first;
    if (i < 0 || i >= this.cumulative.length - 1) {
      throw new RangeError(`${new Date(instantMs).toISOString()} is outside the working-time calendar`);
    }
    return i;
  }

  /** Working ms elapsed between the index origin and the instant. */
  elapsedAt(instantMs: number): number {
    const i = this.dayIndex(instantMs);
    let w = this.cumulative[i]!;
    if (this.working[i] === 1) {
      const offset = instantMs - localDayStart(this.first + i);
      const b = this.bounds;
      for (let j = 0; j < b.length; j += 2) {
        const s = b[j]!;
        if (offset <= s) break;
        const e = b[j + 1]!;
        w += (offset < e ? offset : e) - s;
      }
    }
    return w;
  }

  /**
   * The day in which `w` working ms have elapsed: the k-th working day. At an
   * exact day boundary, the earlier day (its closing time) unless `opening`
   * asks for the next one (its opening).
   */
  private dayOfElapsed(w: number, opening: boolean): number {
    const k = opening ? Math.floor(w / this.dayMs) : Math.max(0, Math.ceil(w / this.dayMs) - 1);
    if (w < 0 || k >= this.workingDays.length) throw new RangeError('working time outside the calendar');
    return this.workingDays[k]!;
  }

  /**
   * The earliest instant at which `w` working ms have elapsed. A duration
   * that runs out exactly at a closing time ends then (17:00), not at the
   * next opening.
   */
  instantAtElapsed(w: number): number {
    return this.instantInDay(this.dayOfElapsed(w, false), w, false);
  }

  /** The latest instant at which `w` working ms have elapsed: where the clock resumes. */
  private openingAtElapsed(w: number): number {
    return this.instantInDay(this.dayOfElapsed(w, true), w, true);
  }

  /** Where, inside working day i, `w` working ms have elapsed: at an interval's end, or the next interval's start when `opening`. */
  private instantInDay(i: number, w: number, opening: boolean): number {
    let rest = w - this.cumulative[i]!;
    const dayStart = localDayStart(this.first + i);
    const b = this.bounds;
    for (let j = 0; j < b.length; j += 2) {
      const length = b[j + 1]! - b[j]!;
      if (opening ? rest < length : rest <= length) return dayStart + b[j]! + rest;
      rest -= length;
    }
    throw new Error('unreachable: working day shorter than its office hours');
  }

  /** The instant itself if the office is open then, else the next opening. */
  nextOpening(instantMs: number): number {
    return this.openingAtElapsed(this.elapsedAt(instantMs));
  }

  /** The instant `durationMs` of working time after `startMs`. */
  add(startMs: number, durationMs: number): number {
    return this.instantAtElapsed(this.elapsedAt(startMs) + durationMs);
  }

  /** The earliest instant from which only `durationMs` of working time remain until `endMs`. */
  subtract(endMs: number, durationMs: number): number {
    return this.instantAtElapsed(Math.max(0, this.elapsedAt(endMs) - durationMs));
  }

  /** Working ms between two instants (negative if `toMs` is earlier). */
  between(fromMs: number, toMs: number): number {
    return this.elapsedAt(toMs) - this.elapsedAt(fromMs);
  }

  /** Closing time of the given local day if worked, else of the next working day. */
  closingOnOrAfter(day: number): number {
    const i = day - this.first;
    if (i < 0 || i >= this.cumulative.length - 1) throw new RangeError(`${isoDateOf(day)} is outside the calendar`);
    return this.instantAtElapsed(this.cumulative[i]! + this.dayMs);
  }

  /** Closing time of the n-th working day after the given local day (the day itself not counted). */
  closingOfNthWorkingDayAfter(day: number, n: number, extraMs = 0): number {
    const i = day - this.first;
    const due = this.instantAtElapsed(this.cumulative[i + 1]! + n * this.dayMs + extraMs);
    return this.closingOnOrAfter(localDayOf(due));
  }
}
