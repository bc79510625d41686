/**
 * Statutory public holidays for a year with no official schedule loaded:
 * Labour Code 2019 Art. 112(1) (from 2021), Labour Code 2012 Art. 115 before,
 * and the compensatory-day rule of Art. 111(3).
 *
 * The Prime Minister fixes the exact Tết days and the second National Day
 * day each year (Art. 112(3)); until that is loaded the defaults below are
 * used and every deadline in the year is provisional.
 */
import { lunarNewYear, lunarToSolar } from './lunar.js';
import { dayFromParts, isWeekend, weekdayOf } from './local-time.js';

export interface HolidayDay {
  day: number;
  name: string;
  source: string;
}

const LC2019 = 'Bộ luật Lao động 2019, Điều 112 khoản 1';
const LC2012 = 'Bộ luật Lao động 2012, Điều 115';
const COMPENSATION = 'Bộ luật Lao động 2019, Điều 111 khoản 3';
/** Default policy, not law: which days the Prime Minister picks is unknown until announced. */
const TET_POLICY = 'mặc định: ngày cuối năm âm lịch và 4 ngày đầu năm (Điều 112 khoản 3 — chờ quyết định của Thủ tướng)';
const NATIONAL_DAY_POLICY = 'mặc định: 1/9, hoặc 3/9 khi 1/9 trùng Chủ nhật (Điều 112 khoản 3 — chờ quyết định của Thủ tướng)';

export function hungKingsDay(year: number): number {
  const d = lunarToSolar({ day: 10, month: 3, year, leap: false });
  if (!d) throw new Error(`no 10/3 lunar in ${year}`);
  return dayFromParts(d.year, d.month, d.day);
}

export function tetDay(year: number): number {
  const d = lunarNewYear(year);
  return dayFromParts(d.year, d.month, d.day);
}

/** The statutory holidays of a year, then the compensatory days they give. */
export function statutoryHolidays(year: number): HolidayDay[] {
  const law = year >= 2021 ? LC2019 : LC2012;
  const tet = tetDay(year);
  const holidays: HolidayDay[] = [{ day: dayFromParts(year, 1, 1), name: 'Tết Dương lịch', source: law }];
  // Tết: the last day of the old lunar year and the first four of the new one (5 days since 2013).
  for (let i = -1; i <= 3; i++) holidays.push({ day: tet + i, name: 'Tết Nguyên đán', source: `${law}; ${TET_POLICY}` });
  holidays.push({ day: hungKingsDay(year), name: 'Giỗ Tổ Hùng Vương', source: law });
  holidays.push({ day: dayFromParts(year, 4, 30), name: 'Ngày Chiến thắng', source: law });
  holidays.push({ day: dayFromParts(year, 5, 1), name: 'Ngày Quốc tế lao động', source: law });
  holidays.push({ day: dayFromParts(year, 9, 2), name: 'Quốc khánh', source: law });
  if (year >= 2021) {
    const sep1 = dayFromParts(year, 9, 1);
    const second = weekdayOf(sep1) === 0 ? dayFromParts(year, 9, 3) : sep1;
    holidays.push({ day: second, name: 'Quốc khánh', source: `${law}; ${NATIONAL_DAY_POLICY}` });
  }
  holidays.sort((a, b) => a.day - b.day);

  const taken = new Set(holidays.map((h) => h.day));
  const compensatory: HolidayDay[] = [];
  for (const h of holidays) {
    if (!isWeekend(h.day)) continue;
    let d = h.day + 1;
    while (isWeekend(d) || taken.has(d)) d++;
    taken.add(d);
    compensatory.push({ day: d, name: `Nghỉ bù ${h.name}`, source: COMPENSATION });
  }
  return [...holidays, ...compensatory].sort((a, b) => a.day - b.day);
}
