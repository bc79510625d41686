/**
 * The calendar as the law stands in November 2026 (shared/DOMAIN.md §2).
 * Expected dates are copied from DOMAIN's table of announcements, not read
 * from the project's data files, so the files are checked against it too.
 */
import { VietnamCalendar } from '../../src/calendar/vietnam-calendar.js';
import { calendarYearFileSchema, parseCalendarYear } from '../../src/calendar/calendar-file.js';
import { predictedTetDays, secondNationalDay, statutoryYear } from '../../src/calendar/statutory-holidays.js';
import { clockStart, countedEndDay, dueInstant, isProvisional, provisionalEntries, skippedDays } from '../../src/dossiers/deadline.js';
import type { Duration } from '../../src/rules/durations.js';
import { dayFromIsoDate, formatLocalInstant, isoDateOf, isWeekend } from '../../src/calendar/local-time.js';

const calendar = new VietnamCalendar();
const index = calendar.workingTime();
const at = (s: string) => Date.parse(s);

function weekdaysIn(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = dayFromIsoDate(from); d <= dayFromIsoDate(to); d++) if (!isWeekend(d)) out.push(isoDateOf(d));
  return out;
}

function deadline(received: string, days: number) {
  const start = clockStart(index, at(received));
  const due = dueInstant(index, start, { value: days, unit: 'working-days' }, 'working-time');
  const window = { from: at(received), clockStartsAt: start, dueAt: due };
  return { dueAt: formatLocalInstant(due), provisional: isProvisional(index, window), entries: provisionalEntries(index, window) };
}

describe('24 November, Vietnamese Culture Day (Resolution 28/2026/QH16 Art. 2)', () => {
  test('Tuesday 24 Nov 2026 is a day off, confirmed by 10065/VPCP-KGVX', () => {
    const d = dayFromIsoDate('2026-11-24');
    expect(calendar.isWorkingDay(d)).toBe(false);
    expect(calendar.entryFor(d)).toMatchObject({ kind: 'holiday', confirmed: true });
    expect(calendar.entryFor(d)!.source).toMatch(/28\/2026\/QH16/);
    // No swap was adopted: Mon 23 and Sat 28 Nov keep their ordinary status.
    expect(calendar.isWorkingDay(dayFromIsoDate('2026-11-23'))).toBe(true);
    expect(calendar.isWorkingDay(dayFromIsoDate('2026-11-28'))).toBe(false);
  });

  test('received Mon 23 Nov 2026 10:00 with 1 working day: due Wed 25 Nov 10:00, not provisional', () => {
    expect(deadline('2026-11-23T10:00:00+07:00', 1)).toEqual({ dueAt: '2026-11-25T10:00:00+07:00', provisional: false, entries: [] });
  });

  test('from 2026 every year has it; on a weekend it gives no compensatory day by default (Unconfirmed policy)', () => {
    // 24 Nov 2029 is a Saturday.
    expect(statutoryYear(2029).find((d) => d.date === '2029-11-26')).toBeUndefined();
    expect(statutoryYear(2029, { cultureDayCompensation: true }).find((d) => d.date === '2029-11-26')).toMatchObject({ kind: 'compensatory' });
    expect(statutoryYear(2028).find((d) => d.date === '2028-11-24')).toMatchObject({ kind: 'holiday', confirmed: false });
    expect(statutoryYear(2025).find((d) => d.date === '2025-11-24')).toBeUndefined();
  });
});

describe('2027: Tết and National Day announced (10065/VPCP-KGVX), the rest statutory', () => {
  test('Tết Thu 4 – Wed 10 Feb and National Day Thu 2 – Sun 5 Sep are days off, confirmed', () => {
    for (const date of [...weekdaysIn('2027-02-04', '2027-02-10'), ...weekdaysIn('2027-09-02', '2027-09-05')]) {
      expect({ date, working: calendar.isWorkingDay(dayFromIsoDate(date)), confirmed: calendar.entryFor(dayFromIsoDate(date))?.confirmed }).toEqual({
        date,
        working: false,
        confirmed: true,
      });
    }
    expect(calendar.isWorkingDay(dayFromIsoDate('2027-02-11'))).toBe(true);
  });

  test('only the statutory-only entries are unconfirmed: New Year, Hùng Kings, 30 Apr–1 May, 24 Nov', () => {
    expect(calendar.describeYear(2027).unconfirmed).toEqual(['2027-01-01', '2027-04-16', '2027-04-30', '2027-05-03', '2027-11-24']);
  });

  test('a deadline is provisional only when its window crosses an unconfirmed entry, and says which', () => {
    // Across Tết 2027 (announced): Wed 3 Feb 09:00 + 3 working days → 7 h on Wed 3, Thu 11 and Fri 12 → Mon 15 Feb 09:00.
    expect(deadline('2027-02-03T09:00:00+07:00', 3)).toEqual({ dueAt: '2027-02-15T09:00:00+07:00', provisional: false, entries: [] });
    // Across New Year 2027 (statutory only): Thu 31 Dec 2026 10:00 + 1 working day → Mon 4 Jan 10:00.
    const ny = deadline('2026-12-31T10:00:00+07:00', 1);
    expect(ny.dueAt).toBe('2027-01-04T10:00:00+07:00');
    expect(ny.provisional).toBe(true);
    expect(ny.entries).toEqual([expect.objectContaining({ date: '2027-01-01', name: 'Tết Dương lịch' })]);
  });

  test('an unconfirmed day that delays the clock start makes the deadline provisional too', () => {
    // Thu 31 Dec 2026 18:00, after hours: the clock waits over Fri 1 Jan 2027 (statutory only) and the weekend to
    // Mon 4 Jan 08:00; + 1 working day → Mon 4 Jan 17:00. The window from the clock start alone crosses nothing.
    const late = deadline('2026-12-31T18:00:00+07:00', 1);
    expect(late.dueAt).toBe('2027-01-04T17:00:00+07:00');
    expect(late.provisional).toBe(true);
    expect(late.entries).toEqual([expect.objectContaining({ date: '2027-01-01' })]);
  });

  test('a calendar count passes rest days without stopping: only the days it rolls over at its end decide it', () => {
    const count = (received: string, duration: Duration) => {
      const from = at(received);
      const start = clockStart(index, from);
      const due = dueInstant(index, start, duration, 'working-time');
      const window = { from, clockStartsAt: start, dueAt: due, countedTo: countedEndDay(start, duration) };
      return { dueAt: formatLocalInstant(due), provisional: isProvisional(index, window), skipped: skippedDays(index, window).map((d) => d.date) };
    };
    // Mon 12 Apr 2027 + 5 calendar days (the first not counted) ends Sat 17 Apr → Mon 19 Apr at closing. Fri 16 Apr
    // (Hùng Kings, statutory only) is counted like any day: whether it is off changes nothing.
    expect(count('2027-04-12T10:00:00+07:00', { value: 5, unit: 'calendar-days' })).toEqual({
      dueAt: '2027-04-19T17:00:00+07:00',
      provisional: false,
      skipped: ['2027-04-17', '2027-04-18'],
    });
    // Tue 27 Apr 2027 + 3 days ends Fri 30 Apr (statutory only), rolls over 1–3 May (3 May compensates 1 May, statutory
    // only) to Tue 4 May: those days decide it.
    expect(count('2027-04-27T10:00:00+07:00', { value: 3, unit: 'calendar-days' })).toEqual({
      dueAt: '2027-05-04T17:00:00+07:00',
      provisional: true,
      skipped: ['2027-04-30', '2027-05-01', '2027-05-02', '2027-05-03'],
    });
    // Fri 20 Nov 2026 + 10 days ends Mon 30 Nov, a working day: the weekends and 24 Nov in between were counted.
    expect(count('2026-11-20T10:00:00+07:00', { value: 10, unit: 'calendar-days' })).toEqual({
      dueAt: '2026-11-30T17:00:00+07:00',
      provisional: false,
      skipped: [],
    });
    // Received on Saturday 21 Nov 2026: the count starts from Monday's opening; the weekend it waited over is named.
    expect(count('2026-11-21T10:00:00+07:00', { value: 1, unit: 'months' })).toEqual({
      dueAt: '2026-12-23T17:00:00+07:00',
      provisional: false,
      skipped: ['2026-11-21', '2026-11-22'],
    });
  });
});

describe('the statutory fallback predicts where the days are put', () => {
  // DOMAIN §2's table: Tết and National Day days off as announced (inclusive ranges with weekends).
  const announced: Record<number, { tet: [string, string]; nationalDay: string[] }> = {
    2020: { tet: ['2020-01-23', '2020-01-29'], nationalDay: ['2020-09-02'] },
    2021: { tet: ['2021-02-10', '2021-02-16'], nationalDay: weekdaysIn('2021-09-02', '2021-09-03') },
    2022: { tet: ['2022-01-29', '2022-02-06'], nationalDay: weekdaysIn('2022-09-01', '2022-09-02') },
    2023: { tet: ['2023-01-20', '2023-01-26'], nationalDay: weekdaysIn('2023-09-01', '2023-09-04') },
    2024: { tet: ['2024-02-08', '2024-02-14'], nationalDay: weekdaysIn('2024-08-31', '2024-09-03') },
    2025: { tet: ['2025-01-25', '2025-02-02'], nationalDay: weekdaysIn('2025-08-30', '2025-09-02') },
    // 2026: Mon 31 Aug is off by swap (22 Aug worked), not by the holiday rule: the holidays are 1–2 Sep.
    2026: { tet: ['2026-02-14', '2026-02-22'], nationalDay: weekdaysIn('2026-09-01', '2026-09-02') },
    2027: { tet: ['2027-02-04', '2027-02-10'], nationalDay: weekdaysIn('2027-09-02', '2027-09-05') },
  };

  test.each(Object.keys(announced).map(Number))('%i: the predicted Tết and National Day days off are the announced ones', (year) => {
    const predicted = statutoryYear(year);
    const tet = predicted.filter((d) => d.name === 'Tết Nguyên đán').map((d) => d.date);
    expect(tet).toEqual(weekdaysIn(...announced[year]!.tet));
    expect(predictedTetDays(year).map(isoDateOf)).toEqual(tet);
    const nationalDay = predicted.filter((d) => /Quốc khánh/.test(d.name)).map((d) => d.date);
    expect(nationalDay).toEqual(announced[year]!.nationalDay);
  });

  test('the second National Day day by the weekday of 2 September', () => {
    // 2028: 2 Sep is a Saturday → Fri 1 Sep; 2029: a Sunday → Mon 3 Sep; 2030: a Monday → Tue 3 Sep.
    expect(isoDateOf(secondNationalDay(2028))).toBe('2028-09-01');
    expect(isoDateOf(secondNationalDay(2029))).toBe('2029-09-03');
    expect(isoDateOf(secondNationalDay(2030))).toBe('2030-09-03');
  });

  test('Hùng Kings only from 2007; Tết 4 days before 2013', () => {
    expect(statutoryYear(2006).some((d) => /Hùng/.test(d.name))).toBe(false);
    expect(statutoryYear(2007).some((d) => /Hùng/.test(d.name))).toBe(true);
    // Tết 2012: 23 Jan (Mon). Eve Sun 22 → Tue 26?  The eve is a Sunday: it moves to the next free weekday after
    // lunar 1–3 (Mon 23 – Wed 25), Thu 26 Jan. Four days in all.
    expect(predictedTetDays(2012).map(isoDateOf)).toEqual(['2012-01-23', '2012-01-24', '2012-01-25', '2012-01-26']);
    expect(predictedTetDays(2013)).toHaveLength(5);
  });
});

describe('year files', () => {
  test('every shipped file passes its schema and lists a source for each day', () => {
    for (let y = 2020; y <= 2027; y++) {
      const f = calendar.officialYear(y)!;
      expect(calendarYearFileSchema.safeParse(f).success).toBe(true);
      expect(f.days.every((d) => d.source.length > 0)).toBe(true);
    }
  });

  test('a bad file is refused whole, every problem named', () => {
    const r = parseCalendarYear({
      year: 2028,
      days: [
        { date: '2028-01-03', kind: 'festival', name: 'x', source: 's', confirmed: true },
        { date: '2029-01-01', kind: 'holiday', name: 'x', source: 's', confirmed: true },
        { date: '2028-02-01', kind: 'holiday', name: 'x', source: 's', confirmed: true },
        { date: '2028-02-01', kind: 'holiday', name: 'y', source: 's', confirmed: true },
        { date: '2028-03-01', kind: 'holiday', name: 'x', source: '', confirmed: true },
      ],
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['days.0.kind', 'days.1.date', 'days.3.date', 'days.4.source']));
  });
});
