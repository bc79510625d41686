/**
 * Which local days are worked by civil servants: weekends, the official
 * yearly schedules (data files, each day with its source and whether it is
 * confirmed) and, for years no file covers, the statutory rules. One array of
 * flags with the entry behind each day, built once, then read by the
 * working-time index.
 *
 * Confirmation is per entry: a deadline is provisional only when its window
 * crosses a day that still follows the statutory rule alone.
 */
import { builtinCalendar } from './builtin-years.js';
import type { CalendarDay, CalendarYearFile } from './calendar-file.js';
import { DEFAULT_CALENDAR_POLICIES, hungKingsDay, statutoryYear, tetDay, type CalendarPolicies } from './statutory-holidays.js';
import { dayFromIsoDate, dayFromParts, isoDateOf, isWeekend, weekdayOf } from './local-time.js';
import { WorkingTimeIndex } from './working-time.js';
import { DEFAULT_OFFICE_HOURS, type OfficeHours } from './office-hours.js';

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2199;

export interface DayReason {
  name: string;
  source: string;
}

export interface CalendarEntry extends CalendarDay {
  /** `official`: from a year file; `statutory`: the fallback rule for a year no file covers. */
  origin: 'official' | 'statutory';
}

export interface CalendarYear {
  year: number;
  /** True while any entry of the year is unconfirmed. */
  provisional: boolean;
  origin: 'official' | 'statutory';
  note: string | null;
  lunarNewYear: string;
  hungKings: string;
  daysOff: CalendarEntry[];
  workingWeekendDays: CalendarEntry[];
  /** The entries still unconfirmed: what makes a deadline crossing them provisional. */
  unconfirmed: string[];
}

export interface CalendarOptions {
  /** Administrator imports applied so far (the version label says how many). */
  revision?: number;
  policies?: CalendarPolicies;
}

export class VietnamCalendar {
  readonly firstDay = dayFromParts(FIRST_YEAR, 1, 1);
  readonly lastDay = dayFromParts(LAST_YEAR, 12, 31);
  /** 1 where the day is worked, indexed from firstDay. */
  readonly working: Uint8Array;
  /** unconfirmedBefore[i]: unconfirmed entries on the days before firstDay + i (length days + 1). */
  private readonly unconfirmedBefore: Int32Array;
  private readonly entries = new Map<number, CalendarEntry>();
  private readonly files = new Map<number, CalendarYearFile>();
  private readonly indexes = new Map<string, WorkingTimeIndex>();
  readonly revision: number;
  readonly policies: CalendarPolicies;

  /**
   * @param overrides year files imported by administrators; each replaces the shipped year.
   */
  constructor(overrides: readonly CalendarYearFile[] = [], options: CalendarOptions = {}) {
    this.revision = options.revision ?? 0;
    this.policies = options.policies ?? DEFAULT_CALENDAR_POLICIES;
    for (const f of [...builtinCalendar().years, ...overrides]) this.files.set(f.year, f);

    const n = this.lastDay - this.firstDay + 1;
    this.working = new Uint8Array(n);
    for (let d = this.firstDay; d <= this.lastDay; d++) this.working[d - this.firstDay] = isWeekend(d) ? 0 : 1;
    for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
      const file = this.files.get(year);
      const origin = file ? 'official' : 'statutory';
      for (const day of file?.days ?? statutoryYear(year, this.policies)) {
        const d = dayFromIsoDate(day.date);
        this.working[d - this.firstDay] = day.kind === 'makeup' ? 1 : 0;
        this.entries.set(d, { ...day, origin });
      }
    }
    this.unconfirmedBefore = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const e = this.entries.get(this.firstDay + i);
      this.unconfirmedBefore[i + 1] = this.unconfirmedBefore[i]! + (e && !e.confirmed ? 1 : 0);
    }
  }

  get version(): string {
    return `builtin-${builtinCalendar().version}+r${this.revision}`;
  }

  inRange(day: number): boolean {
    return day >= this.firstDay && day <= this.lastDay;
  }

  private check(day: number): number {
    if (!this.inRange(day)) throw new RangeError(`day ${isoDateOf(day)} is outside the calendar (${FIRST_YEAR}–${LAST_YEAR})`);
    return day - this.firstDay;
  }

  isWorkingDay(day: number): boolean {
    return this.working[this.check(day)] === 1;
  }

  /** The entry behind a day (holiday, compensatory, swap, make-up Saturday), if any. */
  entryFor(day: number): CalendarEntry | undefined {
    return this.entries.get(day);
  }

  /** Why a day is not worked (or, for a make-up Saturday, why it is). */
  reasonFor(day: number): DayReason | undefined {
    const e = this.entries.get(day);
    if (e) return { name: e.name, source: e.source };
    if (isWeekend(day)) return { name: weekdayOf(day) === 6 ? 'Thứ Bảy' : 'Chủ nhật', source: 'Quyết định 188/1999/QĐ-TTg (tuần làm việc 40 giờ)' };
    return undefined;
  }

  /** True when a day between the two (inclusive) follows an unconfirmed entry. O(1). */
  provisionalBetween(fromDay: number, toDay: number): boolean {
    const a = this.check(Math.min(fromDay, toDay));
    const b = this.check(Math.max(fromDay, toDay));
    return this.unconfirmedBefore[b + 1]! - this.unconfirmedBefore[a]! > 0;
  }

  /** The unconfirmed entries between the two days (inclusive), for the explanation. */
  provisionalEntries(fromDay: number, toDay: number): CalendarEntry[] {
    if (!this.provisionalBetween(fromDay, toDay)) return [];
    const out: CalendarEntry[] = [];
    for (let d = Math.min(fromDay, toDay); d <= Math.max(fromDay, toDay); d++) {
      const e = this.entries.get(d);
      if (e && !e.confirmed) out.push(e);
    }
    return out;
  }

  /** True while any entry of the year is unconfirmed. */
  isProvisional(year: number): boolean {
    return this.provisionalBetween(dayFromParts(year, 1, 1), dayFromParts(year, 12, 31));
  }

  /** Whether an official file covers the year (else the statutory fallback does). */
  hasOfficialYear(year: number): boolean {
    return this.files.has(year);
  }

  /** The official file of a year as loaded (shipped or imported). */
  officialYear(year: number): CalendarYearFile | undefined {
    return this.files.get(year);
  }

  /** The working-time index for an agency's office hours, built once per distinct set of hours. */
  workingTime(hours: OfficeHours = DEFAULT_OFFICE_HOURS): WorkingTimeIndex {
    const key = hours.join(',');
    let index = this.indexes.get(key);
    if (!index) {
      index = new WorkingTimeIndex(this, hours);
      this.indexes.set(key, index);
    }
    return index;
  }

  describeYear(year: number): CalendarYear {
    if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) throw new RangeError(`year must be between ${FIRST_YEAR} and ${LAST_YEAR}`);
    const daysOff: CalendarEntry[] = [];
    const workingWeekendDays: CalendarEntry[] = [];
    for (let d = dayFromParts(year, 1, 1); d <= dayFromParts(year, 12, 31); d++) {
      const e = this.entries.get(d);
      if (!e) continue;
      if (e.kind === 'makeup') workingWeekendDays.push(e);
      else if (!isWeekend(d)) daysOff.push(e);
    }
    const file = this.files.get(year);
    const unconfirmed = [...daysOff, ...workingWeekendDays].filter((e) => !e.confirmed).map((e) => e.date);
    return {
      year,
      provisional: unconfirmed.length > 0,
      origin: file ? 'official' : 'statutory',
      note: file?.note ?? null,
      lunarNewYear: isoDateOf(tetDay(year)),
      hungKings: isoDateOf(hungKingsDay(year)),
      daysOff,
      workingWeekendDays,
      unconfirmed,
    };
  }
}
