import { lunarNewYear, lunarToSolar, solarToLunar } from '../../src/calendar/lunar.js';

/**
 * Expected dates are published Vietnamese calendar dates, not outputs of this
 * code: Tết (mùng 1 tháng Giêng) and Giỗ Tổ Hùng Vương (10/3 âm lịch) as
 * printed in the official holiday announcements and Vietnamese almanacs.
 */
describe('Vietnamese lunar calendar (UTC+7)', () => {
  test.each([
    // Years where the Vietnamese and Chinese calendars differ (DOMAIN.md §2).
    [1985, '1985-01-21'], // China: 20 Feb 1985
    [2007, '2007-02-17'], // China: 18 Feb 2007
    [2030, '2030-02-02'], // China: 3 Feb 2030
    // Tết dates of the official schedules (DOMAIN.md §2 table).
    [2020, '2020-01-25'],
    [2021, '2021-02-12'],
    [2022, '2022-02-01'],
    [2023, '2023-01-22'],
    [2024, '2024-02-10'],
    [2025, '2025-01-29'],
    [2026, '2026-02-17'],
  ])('Tết %i is %s', (year, expected) => {
    const d = lunarNewYear(year);
    expect(iso(d)).toBe(expected);
  });

  test.each([
    [2020, '2020-04-02'],
    [2021, '2021-04-21'],
    [2022, '2022-04-10'],
    [2023, '2023-04-29'],
    [2024, '2024-04-18'],
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
  ])('Hùng Kings %i is %s', (year, expected) => {
    expect(iso(lunarToSolar({ day: 10, month: 3, year, leap: false })!)).toBe(expected);
  });

  test('2023 has a leap second month (tháng 2 nhuận) starting 22 Mar 2023', () => {
    expect(solarToLunar({ year: 2023, month: 3, day: 22 })).toEqual({ day: 1, month: 2, year: 2023, leap: true });
    expect(iso(lunarToSolar({ day: 1, month: 2, year: 2023, leap: true })!)).toBe('2023-03-22');
    // A leap month that does not exist that year is refused.
    expect(lunarToSolar({ day: 1, month: 5, year: 2024, leap: true })).toBeNull();
  });

  test('the eve of Tết 2026 is 29 tháng Chạp (month 12 of 2025 has 29 days)', () => {
    expect(solarToLunar({ year: 2026, month: 2, day: 16 })).toEqual({ day: 29, month: 12, year: 2025, leap: false });
  });

  test('solar → lunar → solar round-trips every day 1900–2199 (sampled every 7 days)', () => {
    const mismatches: string[] = [];
    for (let t = Date.UTC(1900, 1, 1); t < Date.UTC(2199, 11, 1); t += 7 * 86_400_000) {
      const d = new Date(t);
      const solar = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
      const back = lunarToSolar(solarToLunar(solar));
      if (!back || iso(back) !== iso(solar)) mismatches.push(iso(solar));
    }
    expect(mismatches).toEqual([]);
  });
});

function iso(d: { year: number; month: number; day: number }): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}
