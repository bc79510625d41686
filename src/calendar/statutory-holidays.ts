/**
 * The statutory calendar of a year no announcement covers yet, placed where
 * the Prime Minister has actually put the days (shared/DOMAIN.md §2): a
 * prediction, so every entry is `confirmed: false` and a deadline crossing
 * one is provisional.
 *
 * The rules, each with its source:
 * - Labour Code 2019 Art. 112(1) (2012 Art. 115 before 2021): New Year, Tết
 *   (5 days; 4 before 2013), Hùng Kings (from 2007), 30 Apr, 1 May, National
 *   Day (2 days from 2021). Art. 112(3): the Prime Minister fixes the Tết days
 *   and the second National Day day; the placement below is python-holidays'
 *   rule, which reproduces every announced year 2020–2027 (a test holds it).
 * - Art. 111(3): a holiday on a weekly rest day gives the next working day off.
 * - National Assembly Resolution 28/2026/QH16 Art. 2: 24 November, Vietnamese
 *   Culture Day, a paid day off from 2026. Whether it is compensated when it
 *   falls on a weekend is unconfirmed: a policy, default no.
 */
import { lunarNewYear, lunarToSolar } from './lunar.js';
import { dayFromParts, isWeekend, isoDateOf, weekdayOf } from './local-time.js';
import type { CalendarDay } from './calendar-file.js';

const LC2019 = 'Bộ luật Lao động 2019, Điều 112 khoản 1';
const LC2012 = 'Bộ luật Lao động 2012, Điều 115';
const COMPENSATION = 'Bộ luật Lao động 2019, Điều 111 khoản 3 (nghỉ bù khi ngày lễ trùng ngày nghỉ hằng tuần)';
const PM_PENDING = 'Điều 112 khoản 3: chờ Thủ tướng quyết định; ngày dự kiến theo quy tắc các năm 2020–2027';
export const CULTURE_DAY_SOURCE = 'Nghị quyết 28/2026/QH16, Điều 2 (Ngày Văn hóa Việt Nam, nghỉ hưởng nguyên lương từ năm 2026)';

/** Rules no text fixes, as data: each with its default and why. */
export interface CalendarPolicies {
  /** A 24 Nov on Saturday or Sunday gives the next working day off. Unconfirmed (DOMAIN §2): default false. */
  cultureDayCompensation: boolean;
}
export const DEFAULT_CALENDAR_POLICIES: CalendarPolicies = { cultureDayCompensation: false };

export function hungKingsDay(year: number): number {
  const d = lunarToSolar({ day: 10, month: 3, year, leap: false });
  if (!d) throw new Error(`no 10/3 lunar in ${year}`);
  return dayFromParts(d.year, d.month, d.day);
}

export function tetDay(year: number): number {
  const d = lunarNewYear(year);
  return dayFromParts(d.year, d.month, d.day);
}

const isWeekday = (d: number) => !isWeekend(d);

/**
 * Tết days off as announced: New Year's Eve and the first lunar days (4 of
 * them since 2013, 3 before); a Saturday among them moves to the previous free
 * weekday, a Sunday to the next one.
 */
export function predictedTetDays(year: number): number[] {
  const tet = tetDay(year);
  const count = year >= 2013 ? 5 : 4;
  const base = Array.from({ length: count }, (_, i) => tet - 1 + i);
  const taken = new Set(base.filter(isWeekday));
  for (const d of base) {
    if (weekdayOf(d) === 6) {
      let p = d - 1;
      while (!isWeekday(p) || taken.has(p)) p--;
      taken.add(p);
    } else if (weekdayOf(d) === 0) {
      let n = d + 1;
      while (!isWeekday(n) || taken.has(n)) n++;
      taken.add(n);
    }
  }
  return [...taken].sort((a, b) => a - b);
}

/** The second National Day day, by the weekday of 2 September (from 2021). */
export function secondNationalDay(year: number): number {
  const sep2 = dayFromParts(year, 9, 2);
  // Mon → 3, Tue → 1, Wed → 1, Thu → 3, Fri → 1, Sat → 1, Sun → 3.
  return [3, 3, 1, 1, 3, 1, 1][weekdayOf(sep2)] === 3 ? sep2 + 1 : sep2 - 1;
}

interface Holiday {
  day: number;
  name: string;
  source: string;
  /** Art. 111(3) applies: on a weekend it gives the next working day off. */
  compensated: boolean;
}

/** The statutory and predicted days off of a year, all unconfirmed. */
export function statutoryYear(year: number, policies: CalendarPolicies = DEFAULT_CALENDAR_POLICIES): CalendarDay[] {
  const law = year >= 2021 ? LC2019 : LC2012;
  const holidays: Holiday[] = [{ day: dayFromParts(year, 1, 1), name: 'Tết Dương lịch', source: law, compensated: true }];
  const tetDays = predictedTetDays(year);
  if (year >= 2007) holidays.push({ day: hungKingsDay(year), name: 'Giỗ Tổ Hùng Vương', source: law, compensated: true });
  holidays.push({ day: dayFromParts(year, 4, 30), name: 'Ngày Chiến thắng', source: law, compensated: true });
  holidays.push({ day: dayFromParts(year, 5, 1), name: 'Ngày Quốc tế Lao động', source: law, compensated: true });
  holidays.push({ day: dayFromParts(year, 9, 2), name: 'Quốc khánh', source: law, compensated: true });
  if (year >= 2021) holidays.push({ day: secondNationalDay(year), name: 'Quốc khánh', source: `${law}; ${PM_PENDING}`, compensated: false });
  if (year >= 2026)
    holidays.push({ day: dayFromParts(year, 11, 24), name: 'Ngày Văn hóa Việt Nam', source: CULTURE_DAY_SOURCE, compensated: policies.cultureDayCompensation });

  const days = new Map<number, CalendarDay>();
  const put = (day: number, kind: CalendarDay['kind'], name: string, source: string) => {
    if (!days.has(day)) days.set(day, { date: isoDateOf(day), kind, name, source, confirmed: false });
  };
  for (const d of tetDays) put(d, 'holiday', 'Tết Nguyên đán', `${law}; ${PM_PENDING}`);
  for (const h of holidays) if (isWeekday(h.day)) put(h.day, 'holiday', h.name, h.source);
  // Compensatory days after the holidays themselves, so one never lands on another holiday.
  for (const h of [...holidays].sort((a, b) => a.day - b.day)) {
    if (!h.compensated || isWeekday(h.day)) continue;
    let d = h.day + 1;
    while (!isWeekday(d) || days.has(d)) d++;
    put(d, 'compensatory', `Nghỉ bù ${h.name}`, COMPENSATION);
  }
  return [...days.values()].filter((d) => d.date.startsWith(`${year}-`)).sort((a, b) => (a.date < b.date ? -1 : 1));
}
