/**
 * Vietnamese lunisolar calendar (âm lịch), computed astronomically for the
 * meridian of UTC+7.
 *
 * Why not a Chinese-calendar library: the Vietnamese calendar places new moons
 * and solar terms at UTC+7, the Chinese one at UTC+8, so the two disagree in
 * some years (Tết 1985, 2007, 2030, 2053). This follows Hồ Ngọc Đức's published
 * method (new moon after Meeus' approximation, sun longitude for the solar
 * terms, month 11 holds the winter solstice, the leap month is the first month
 * without a major solar term). Accurate for 1900–2199, which the tests check
 * against published Vietnamese dates.
 */

/** A date in the lunar calendar. `leap` marks the intercalary month (tháng nhuận). */
export interface LunarDate {
  day: number;
  month: number;
  year: number;
  leap: boolean;
}

/** A proleptic Gregorian calendar date (no time, no zone). */
export interface SolarDate {
  day: number;
  month: number;
  year: number;
}

const VIETNAM_UTC_OFFSET_HOURS = 7;
const SYNODIC_MONTH = 29.530588853;
/** Julian day of the new moon of 1900-01-01, the origin of the lunation count k. */
const K_ORIGIN = 2415021.076998695;

const int = Math.floor;

/** Julian day number of a Gregorian (or, before 15 Oct 1582, Julian) date. */
export function julianDayFromDate(day: number, month: number, year: number): number {
  const a = int((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  let jd = day + int((153 * m + 2) / 5) + 365 * y + int(y / 4) - int(y / 100) + int(y / 400) - 32045;
  if (jd < 2299161) jd = day + int((153 * m + 2) / 5) + 365 * y + int(y / 4) - 32083;
  return jd;
}

/** Inverse of {@link julianDayFromDate}. */
export function dateFromJulianDay(jd: number): SolarDate {
  let b: number;
  let c: number;
  if (jd > 2299160) {
    const a = jd + 32044;
    b = int((4 * a + 3) / 146097);
    c = a - int((b * 146097) / 4);
  } else {
    b = 0;
    c = jd + 32082;
  }
  const d = int((4 * c + 3) / 1461);
  const e = c - int((1461 * d) / 4);
  const m = int((5 * e + 2) / 153);
  return {
    day: e - int((153 * m + 2) / 5) + 1,
    month: m + 3 - 12 * int(m / 10),
    year: b * 100 + d - 4800 + int(m / 10),
  };
}

/** Julian date (fractional, UT) of the k-th new moon after 1900-01-01. */
function newMoon(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const dr = Math.PI / 180;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 += 0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * dr);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3;
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3;
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3;
  let c1 = (0.1734 - 0.000393 * T) * Math.sin(M * dr) + 0.0021 * Math.sin(2 * dr * M);
  c1 = c1 - 0.4068 * Math.sin(Mpr * dr) + 0.0161 * Math.sin(dr * 2 * Mpr);
  c1 = c1 - 0.0004 * Math.sin(dr * 3 * Mpr);
  c1 = c1 + 0.0104 * Math.sin(dr * 2 * F) - 0.0051 * Math.sin(dr * (M + Mpr));
  c1 = c1 - 0.0074 * Math.sin(dr * (M - Mpr)) + 0.0004 * Math.sin(dr * (2 * F + M));
  c1 = c1 - 0.0004 * Math.sin(dr * (2 * F - M)) - 0.0006 * Math.sin(dr * (2 * F + Mpr));
  c1 = c1 + 0.001 * Math.sin(dr * (2 * F - Mpr)) + 0.0005 * Math.sin(dr * (2 * Mpr + M));
  const deltaT = T < -11 ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3 : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return jd1 + c1 - deltaT;
}

/** Julian day number (local to UTC+7) on which the k-th new moon falls. */
function newMoonDay(k: number): number {
  return int(newMoon(k) + 0.5 + VIETNAM_UTC_OFFSET_HOURS / 24);
}

/** Sun's apparent longitude in radians at a fractional Julian date. */
function sunLongitude(jdn: number): number {
  const T = (jdn - 2451545.0) / 36525;
  const T2 = T * T;
  const dr = Math.PI / 180;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  let DL = (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(dr * M);
  DL = DL + (0.019993 - 0.000101 * T) * Math.sin(dr * 2 * M) + 0.00029 * Math.sin(dr * 3 * M);
  let L = (L0 + DL) * dr;
  L = L - Math.PI * 2 * int(L / (Math.PI * 2));
  return L;
}

/** Index (0–11) of the 30° sector the sun is in at the start of a local day. */
function sunSector(dayNumber: number): number {
  return int((sunLongitude(dayNumber - 0.5 - VIETNAM_UTC_OFFSET_HOURS / 24) / Math.PI) * 6);
}

/** Julian day of the start of lunar month 11 (the month holding the winter solstice) of a solar year. */
function lunarMonth11(year: number): number {
  const off = julianDayFromDate(31, 12, year) - 2415021;
  const k = int(off / SYNODIC_MONTH);
  const nm = newMoonDay(k);
  return sunSector(nm) >= 9 ? newMoonDay(k - 1) : nm;
}

/** Offset (in months after month 11) of the leap month in a 13-month lunar year starting at a11. */
function leapMonthOffset(a11: number): number {
  const k = int((a11 - K_ORIGIN) / SYNODIC_MONTH + 0.5);
  let i = 1;
  let arc = sunSector(newMoonDay(k + i));
  let last: number;
  do {
    last = arc;
    i++;
    arc = sunSector(newMoonDay(k + i));
  } while (arc !== last && i < 14);
  return i - 1;
}

/** Converts a solar date to its Vietnamese lunar date. */
export function solarToLunar(date: SolarDate): LunarDate {
  const dayNumber = julianDayFromDate(date.day, date.month, date.year);
  const k = int((dayNumber - K_ORIGIN) / SYNODIC_MONTH);
  let monthStart = newMoonDay(k + 1);
  if (monthStart > dayNumber) monthStart = newMoonDay(k);
  let a11 = lunarMonth11(date.year);
  let b11 = a11;
  let lunarYear: number;
  if (a11 >= monthStart) {
    lunarYear = date.year;
    a11 = lunarMonth11(date.year - 1);
  } else {
    lunarYear = date.year + 1;
    b11 = lunarMonth11(date.year + 1);
  }
  const day = dayNumber - monthStart + 1;
  const diff = int((monthStart - a11) / 29);
  let leap = false;
  let month = diff + 11;
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11);
    if (diff >= leapDiff) {
      month = diff + 10;
      if (diff === leapDiff) leap = true;
    }
  }
  if (month > 12) month -= 12;
  if (month >= 11 && diff < 4) lunarYear -= 1;
  return { day, month, year: lunarYear, leap };
}

/**
 * Converts a Vietnamese lunar date to the solar date. Returns null when the
 * date does not exist (a leap month that year does not have).
 */
export function lunarToSolar(lunar: LunarDate): SolarDate | null {
  const { day, month, year, leap } = lunar;
  let a11: number;
  let b11: number;
  if (month < 11) {
    a11 = lunarMonth11(year - 1);
    b11 = lunarMonth11(year);
  } else {
    a11 = lunarMonth11(year);
    b11 = lunarMonth11(year + 1);
  }
  const k = int(0.5 + (a11 - K_ORIGIN) / SYNODIC_MONTH);
  let off = month - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11);
    let leapMonth = leapOff - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (leap && month !== leapMonth) return null;
    if (leap || off >= leapOff) off += 1;
  } else if (leap) {
    return null;
  }
  const monthStart = newMoonDay(k + off);
  return dateFromJulianDay(monthStart + day - 1);
}

/** First day of the lunar year (mùng 1 Tết) that begins in the given solar year. */
export function lunarNewYear(solarYear: number): SolarDate {
  const d = lunarToSolar({ day: 1, month: 1, year: solarYear, leap: false });
  if (!d) throw new Error(`no lunar new year in ${solarYear}`);
  return d;
}
