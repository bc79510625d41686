/**
 * Reporting periods (src/reports/periods.ts) against DOMAIN §5: calendar
 * months, quarters, 6, 9 and 12 months from 1 January (the portal's own
 * periods); and the reporting-regime convention from Decree 09/2019 (Source):
 * month 15th of the previous month – 14th; quarter 15th of the month before
 * it – 14th of its last month; 6 months 15 Dec–14 Jun; 9 months 15 Dec–14 Sep;
 * year 15 Dec–14 Dec. Every range is half-open [from, to) at local midnights
 * in Vietnam (UTC+7).
 */
import fc from 'fast-check';
import { formatLocalInstant } from '../../src/calendar/local-time.js';
import { dateRange, monthsIn, periodLabelOf, periodRange, periodSchema, type Convention } from '../../src/reports/periods.js';

/** A period as its local first day and the local midnight that ends it. */
const shown = (p: { label: string; from: number; to: number }) =>
  `${p.label} ${formatLocalInstant(p.from).slice(0, 10)}..${formatLocalInstant(p.to).slice(0, 10)}`;

describe('calendar periods (the portal’s month, quarter and year)', () => {
  test.each([
    ['2025-03', '2025-03-01..2025-04-01'],
    ['2025-12', '2025-12-01..2026-01-01'],
    ['2025-Q1', '2025-01-01..2025-04-01'],
    ['2025-Q3', '2025-07-01..2025-10-01'],
    ['2025-H1', '2025-01-01..2025-07-01'],
    ['2025-H2', '2025-07-01..2026-01-01'],
    ['2025-9M', '2025-01-01..2025-10-01'],
    ['2025', '2025-01-01..2026-01-01'],
  ])('%s is %s (end exclusive)', (label, range) => {
    expect(shown(periodRange(label, 'calendar'))).toBe(`${label} ${range}`);
  });

  test('the bounds are local midnights: 1 Mar 2025 00:00 in Vietnam is 28 Feb 17:00 UTC', () => {
    expect(periodRange('2025-03', 'calendar').from).toBe(Date.parse('2025-02-28T17:00:00Z'));
  });
});

describe('the reporting convention (15th to 14th)', () => {
  // The `to` shown is the 15th: the period's last day is the 14th.
  test.each([
    ['2025-03', '2025-02-15..2025-03-15'],
    ['2025-01', '2024-12-15..2025-01-15'],
    ['2025-Q1', '2024-12-15..2025-03-15'],
    ['2025-Q3', '2025-06-15..2025-09-15'],
    ['2025-H1', '2024-12-15..2025-06-15'],
    ['2025-H2', '2025-06-15..2025-12-15'],
    ['2025-9M', '2024-12-15..2025-09-15'],
    ['2025', '2024-12-15..2025-12-15'],
  ])('%s is %s', (label, range) => {
    expect(shown(periodRange(label, 'report'))).toBe(`${label} ${range}`);
  });

  test('14 Mar 23:59 is in March’s report month; 15 Mar 00:00 is in April’s', () => {
    const march = periodRange('2025-03', 'report');
    const april = periodRange('2025-04', 'report');
    const last = Date.parse('2025-03-14T23:59:59+07:00');
    const next = Date.parse('2025-03-15T00:00:00+07:00');
    expect(last >= march.from && last < march.to).toBe(true);
    expect(next >= march.to && next >= april.from && next < april.to).toBe(true);
  });
});

describe('labels', () => {
  test('YYYY, YYYY-H1/H2, YYYY-9M, YYYY-Q1…Q4 and YYYY-MM from 2000 to 2199; nothing else', () => {
    for (const ok of ['2000', '2199', '2025-H1', '2025-H2', '2025-9M', '2025-Q4', '2025-01', '2025-12'])
      expect([ok, periodSchema.safeParse(ok).success]).toEqual([ok, true]);
    for (const bad of ['1999', '2200', '2025-H3', '2025-Q5', '2025-Q0', '2025-13', '2025-00', '2025-3', '2025-6M', '25-03', ''])
      expect([bad, periodSchema.safeParse(bad).success]).toEqual([bad, false]);
  });
});

describe('periods written the Vietnamese way (issue 28 item 7)', () => {
  test('as a one-stop office writes them, each read as its label', () => {
    const cases: [string, string][] = [
      ['Quý 3/2025', '2025-Q3'],
      ['quý III/2025', '2025-Q3'],
      ['Quý IV năm 2025', '2025-Q4'],
      ['Q1/2026', '2026-Q1'],
      ['quy 2 - 2025', '2025-Q2'],
      ['Tháng 3/2025', '2025-03'],
      ['tháng 12 năm 2025', '2025-12'],
      ['03/2025', '2025-03'],
      ['6 tháng đầu năm 2025', '2025-H1'],
      ['6 tháng cuối năm 2025', '2025-H2'],
      ['9 tháng 2025', '2025-9M'],
      ['9 tháng đầu năm 2025', '2025-9M'],
      ['Năm 2025', '2025'],
      ['2025-q3', '2025-Q3'],
      ['  2025  ', '2025'],
    ];
    for (const [typed, label] of cases) expect([typed, periodLabelOf(typed)]).toEqual([typed, label]);
    for (const [typed, label] of cases) expect([typed, periodSchema.parse(typed)]).toEqual([typed, label]);
  });
  test('what cannot be read is refused, not guessed', () => {
    for (const bad of ['Quý 5/2025', 'Tháng 13/2025', 'quý 3', '3/25', 'tuần 12/2025', 'Quý 3/1999'])
      expect([bad, periodSchema.safeParse(bad).success]).toEqual([bad, false]);
  });
});

describe('date ranges and their months', () => {
  test('inclusive dates: 10 Mar – 20 May is [10 Mar, 21 May)', () => {
    expect(shown(dateRange('2025-03-10', '2025-05-20'))).toBe('2025-03-10..2025-05-20 2025-03-10..2025-05-21');
  });

  test('calendar months of a range, the first and last cut to it', () => {
    expect(monthsIn(dateRange('2025-03-10', '2025-05-20'), 'calendar').map(shown)).toEqual([
      '2025-03 2025-03-10..2025-04-01',
      '2025-04 2025-04-01..2025-05-01',
      '2025-05 2025-05-01..2025-05-21',
    ]);
  });

  test('report months: a range starting on or after the 15th starts in the next report month', () => {
    // 20 Mar is in April's report month (15 Mar – 14 Apr); 20 May in June's (15 May – 14 Jun).
    expect(monthsIn(dateRange('2025-03-20', '2025-05-20'), 'report').map(shown)).toEqual([
      '2025-04 2025-03-20..2025-04-15',
      '2025-05 2025-04-15..2025-05-15',
      '2025-06 2025-05-15..2025-05-21',
    ]);
    // 14 Mar is the last day of March's report month.
    expect(monthsIn(dateRange('2025-03-14', '2025-03-15'), 'report').map(shown)).toEqual(['2025-03 2025-03-14..2025-03-15', '2025-04 2025-03-15..2025-03-16']);
    // From 20 Dec the next report month is January of the next year.
    expect(monthsIn(dateRange('2025-12-20', '2026-01-10'), 'report').map(shown)).toEqual(['2026-01 2025-12-20..2026-01-11']);
  });

  test('a report quarter is its three report months', () => {
    expect(monthsIn(periodRange('2025-Q3', 'report'), 'report').map(shown)).toEqual([
      '2025-07 2025-06-15..2025-07-15',
      '2025-08 2025-07-15..2025-08-15',
      '2025-09 2025-08-15..2025-09-15',
    ]);
  });
});

describe('properties', () => {
  const conventions: Convention[] = ['calendar', 'report'];
  const year = fc.integer({ min: 2001, max: 2198 });

  test('the months of a year tile it: each starts where the one before ends', () => {
    fc.assert(
      fc.property(year, fc.constantFrom(...conventions), (y, c) => {
        const months = monthsIn(periodRange(String(y), c), c);
        expect(months.map((m) => m.label)).toEqual(Array.from({ length: 12 }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`));
        expect(months[0]!.from).toBe(periodRange(String(y), c).from);
        expect(months[11]!.to).toBe(periodRange(String(y), c).to);
        for (let i = 1; i < 12; i++) expect(months[i]!.from).toBe(months[i - 1]!.to);
      }),
    );
  });

  test('every instant of a year falls in exactly one of its months, and in exactly one quarter, half or its 9 months as the labels say', () => {
    fc.assert(
      fc.property(year, fc.constantFrom(...conventions), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (y, c, share) => {
        const whole = periodRange(String(y), c);
        const t = whole.from + Math.floor(share * (whole.to - whole.from));
        const inside = (label: string) => {
          const p = periodRange(label, c);
          return t >= p.from && t < p.to;
        };
        const months = Array.from({ length: 12 }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`).filter(inside);
        expect(months).toHaveLength(1);
        const month = Number(months[0]!.slice(5));
        expect(['Q1', 'Q2', 'Q3', 'Q4'].filter((q) => inside(`${y}-${q}`))).toEqual([`Q${Math.ceil(month / 3)}`]);
        expect(['H1', 'H2'].filter((h) => inside(`${y}-${h}`))).toEqual([month <= 6 ? 'H1' : 'H2']);
        expect(inside(`${y}-9M`)).toBe(month <= 9);
      }),
    );
  });
});
