/**
 * Which local days are worked by civil servants: weekends, statutory holidays,
 * the official yearly schedules and their make-up Saturdays, as one array of
 * flags with the reason for each rest day. Built once, then read by the
 * working-time index.
 */
import { OFFICIAL_SCHEDULES } from './official-schedules.js';
import { officialScheduleSchema, type OfficialSchedule } from './schedule-schema.js';
import { statutoryHolidays, hungKingsDay, tetDay } from './statutory-holidays.js';
import { dayFromIsoDate, dayFromParts, isoDateOf, isWeekend, weekdayOf } from './local-time.js';
import { WorkingTimeIndex } from './working-time.js';
import { DEFAULT_OFFICE_HOURS, type OfficeHours } from './office-hours.js';

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2199;
/** Bumped whenever OFFICIAL_SCHEDULES changes, so a deadline can say which data it used. */
export const BUILTIN_SCHEDULES_VERSION = '2026.1';

export interface DayReason {
  name: string;
  source: string;
}

export interface CalendarYear {
  year: number;
  provisional: boolean;
  lunarNewYear: string;
  hungKings: string;
  daysOff: Array<{ date: string; name: string; source: string }>;
  workingWeekendDays: Array<{ date: string; name: string; source: string }>;
}

export class VietnamCalendar {
  readonly firstDay = dayFromParts(FIRST_YEAR, 1, 1);
  readonly lastDay = dayFromParts(LAST_YEAR, 12, 31);
  /** 1 where the day is worked, indexed from firstDay. */
  readonly working: Uint8Array;
  private readonly reasons = new Map<number, DayReason>();
  private readonly schedules = new Map<number, OfficialSchedule>();
  private readonly indexes = new Map<string, WorkingTimeIndex>();

  /**
   * @param overrides schedules loaded by administrators; they replace the built-in year.
   * @param revision how many administrator edits the overrides hold, for the version label.
   */
  constructor(overrides: OfficialSchedule[] = [], readonly revision = 0) {
    for (const s of OFFICIAL_SCHEDULES) {
      const parsed = officialScheduleSchema.parse(s);
      this.schedules.set(parsed.year, parsed);
    }
    for (const s of overrides) this.schedules.set(s.year, s);

    const n = this.lastDay - this.firstDay + 1;
    this.working = new Uint8Array(n);
    for (let d = this.firstDay; d <= this.lastDay; d++) this.working[d - this.firstDay] = isWeekend(d) ? 0 : 1;
    for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
      const schedule = this.schedules.get(year);
      if (schedule) this.applySchedule(schedule);
      else for (const h of statutoryHolidays(year)) this.setRest(h.day, h);
    }
  }

  get version(): string {
    return `builtin-${BUILTIN_SCHEDULES_VERSION}+r${this.revision}`;
  }

  private applySchedule(s: OfficialSchedule): void {
    for (const e of s.daysOff) {
      const from = dayFromIsoDate(e.from);
      const to = e.to ? dayFromIsoDate(e.to) : from;
      for (let d = from; d <= to; d++) this.setRest(d, e);
    }
    for (const e of s.workingWeekendDays) {
      const d = dayFromIsoDate(e.date);
      if (!this.inRange(d)) continue;
      this.working[d - this.firstDay] = 1;
      this.reasons.set(d, { name: e.name, source: e.source });
    }
  }

  private setRest(day: number, reason: DayReason): void {
    if (!this.inRange(day)) return;
    this.working[day - this.firstDay] = 0;
    // Keep the holiday's own name when a range also covers a weekend.
    this.reasons.set(day, { name: reason.name, source: reason.source });
  }

  inRange(day: number): boolean {
    return day >= this.firstDay && day <= this.lastDay;
  }

  isWorkingDay(day: number): boolean {
    if (!this.inRange(day)) throw new RangeError(`day ${isoDateOf(day)} is outside the calendar (${FIRST_YEAR}–${LAST_YEAR})`);
    return this.working[day - this.firstDay] === 1;
  }

  /** Why a day is not worked (or, for a make-up Saturday, why it is). */
  reasonFor(day: number): DayReason | undefined {
    const r = this.reasons.get(day);
    if (r) return r;
    if (isWeekend(day)) return { name: weekdayOf(day) === 6 ? 'Thứ Bảy' : 'Chủ nhật', source: 'Quyết định 188/1999/QĐ-TTg (tuần làm việc 40 giờ)' };
    return undefined;
  }

  /** True when the year has no confirmed official schedule: its deadlines are provisional. */
  isProvisional(year: number): boolean {
    const s = this.schedules.get(year);
    return !s || !s.confirmed;
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
    if (year < FIRST_YEAR || year > LAST_YEAR) throw new RangeError(`year must be between ${FIRST_YEAR} and ${LAST_YEAR}`);
    const daysOff: CalendarYear['daysOff'] = [];
    const workingWeekendDays: CalendarYear['workingWeekendDays'] = [];
    for (let d = dayFromParts(year, 1, 1); d <= dayFromParts(year, 12, 31); d++) {
      const worked = this.isWorkingDay(d);
      if (!worked && !isWeekend(d)) daysOff.push({ date: isoDateOf(d), ...this.reasonFor(d)! });
      if (worked && isWeekend(d)) workingWeekendDays.push({ date: isoDateOf(d), ...this.reasonFor(d)! });
    }
    return {
      year,
      provisional: this.isProvisional(year),
      lunarNewYear: isoDateOf(tetDay(year)),
      hungKings: isoDateOf(hungKingsDay(year)),
      daysOff,
      workingWeekendDays,
    };
  }
}
