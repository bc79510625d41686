import fc from 'fast-check';
import { TZDate } from '@date-fns/tz';
import { VietnamCalendar } from '../../src/calendar/vietnam-calendar.js';
import { clockStart, dueInstant, isProvisional, skippedDays } from '../../src/dossiers/deadline.js';
import { dayFromIsoDate, formatLocalInstant, localDayOf, ZONE } from '../../src/calendar/local-time.js';

const calendar = new VietnamCalendar();
const index = calendar.workingTime();
const at = (s: string) => Date.parse(s);
const fmt = formatLocalInstant;

function due(
  received: string,
  value: number,
  unit: 'working-days' | 'working-hours' | 'calendar-days' | 'months',
  convention: 'working-time' | 'end-of-day' = 'working-time',
) {
  const start = clockStart(index, at(received));
  return { clockStartsAt: fmt(start), dueAt: fmt(dueInstant(index, start, { value, unit }, convention)) };
}

describe('official schedules (DOMAIN.md §2 table)', () => {
  test.each([
    // 2024: 29 Apr off by swap, Saturday 4 May worked (Công văn 2450/VPCP-KGVX).
    ['2024-04-29', false],
    ['2024-05-04', true],
    ['2024-05-02', true],
    // Tết 2025: 25 Jan–2 Feb (Công văn 8726/VPCP-KGVX); 2 May swapped for Saturday 26 April.
    ['2025-01-27', false],
    ['2025-01-31', false],
    ['2025-02-03', true],
    ['2025-04-26', true],
    ['2025-05-02', false],
    // 2026: 2 Jan swapped for Saturday 10 Jan (Công văn 12729/VPCP-KGVX); 27 Apr compensates Hùng Kings on a Sunday.
    ['2026-01-02', false],
    ['2026-01-10', true],
    ['2026-04-27', false],
    ['2026-08-31', false],
    ['2026-08-22', true],
    // An ordinary Saturday and Monday.
    ['2025-03-15', false],
    ['2025-03-17', true],
  ])('%s is a working day: %s', (date, working) => {
    expect(calendar.isWorkingDay(dayFromIsoDate(date))).toBe(working);
  });

  test('2025 as the CLI prints it: weekday days off and worked weekend days, with sources', () => {
    const y = calendar.describeYear(2025);
    expect(y.provisional).toBe(false);
    expect(y.lunarNewYear).toBe('2025-01-29');
    expect(y.hungKings).toBe('2025-04-07');
    // Hand-listed from the table: 1 Jan; 27–31 Jan (Tết, the weekdays of 25 Jan–2 Feb); 7 Apr; 30 Apr, 1–2 May; 1–2 Sep.
    expect(y.daysOff.map((d) => d.date)).toEqual([
      '2025-01-01',
      '2025-01-27',
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-04-07',
      '2025-04-30',
      '2025-05-01',
      '2025-05-02',
      '2025-09-01',
      '2025-09-02',
    ]);
    expect(y.workingWeekendDays.map((d) => d.date)).toEqual(['2025-04-26']);
    expect(y.daysOff.find((d) => d.date === '2025-01-28')!.source).toContain('6150/TB-BLĐTBXH');
  });

  test('a year without an official schedule falls back to the Labour Code and is provisional', () => {
    const y = calendar.describeYear(2028);
    expect(y.provisional).toBe(true);
    // 1 Jan 2028 is a Saturday: compensatory day Monday 3 Jan (Art. 111(3)).
    expect(y.daysOff.find((d) => d.date === '2028-01-03')?.name).toMatch(/Nghỉ bù/);
    // Hùng Kings 2028 = 10/3 lunar = 4 Apr 2028 (Tuesday).
    expect(y.hungKings).toBe('2028-04-04');
    expect(y.daysOff.map((d) => d.date)).toContain('2028-04-04');
  });

  test('years 2020–2022 are confirmed from the press lists (DOMAIN §2); 2027 is only partly announced', () => {
    expect(calendar.describeYear(2021).provisional).toBe(false);
    expect(calendar.describeYear(2023).provisional).toBe(false);
    expect(calendar.describeYear(2027).provisional).toBe(true);
  });

  test('administrator overrides replace the built-in year and change the version', () => {
    const edited = new VietnamCalendar(
      [
        {
          year: 2027,
          days: ['04', '05', '08', '09', '10'].map((d) => ({
            date: `2027-02-${d}`,
            kind: 'holiday' as const,
            name: 'Tết Nguyên đán Đinh Mùi',
            source: 'test',
            confirmed: true,
          })),
        },
      ],
      { revision: 3 },
    );
    expect(edited.version).toMatch(/\+r3$/);
    expect(edited.isProvisional(2027)).toBe(false);
    expect(edited.isWorkingDay(dayFromIsoDate('2027-02-04'))).toBe(false);
    expect(edited.isWorkingDay(dayFromIsoDate('2027-01-01'))).toBe(true); // not listed any more: worked
  });
});

describe('deadlines in working time (hand-worked, office hours 08–12, 13–17)', () => {
  test('received Monday 10:00 with 3 working days is due Thursday 10:00 (DOMAIN §3 example)', () => {
    expect(due('2025-03-17T10:00:00+07:00', 3, 'working-days').dueAt).toBe('2025-03-20T10:00:00+07:00');
  });

  test('received Friday 24 Jan 2025 10:00, 5 working days, across Tết 2025', () => {
    // Fri 24 Jan: 10–12, 13–17 = 6 h. Office closed Sat 25 Jan – Sun 2 Feb (Tết).
    // Mon 3 → 14 h, Tue 4 → 22 h, Wed 5 → 30 h, Thu 6 → 38 h; 2 h more on Fri 7 Feb → 10:00.
    const r = due('2025-01-24T10:00:00+07:00', 5, 'working-days');
    expect(r).toEqual({ clockStartsAt: '2025-01-24T10:00:00+07:00', dueAt: '2025-02-07T10:00:00+07:00' });
    const skipped = skippedDays(index, {
      from: at('2025-01-24T10:00:00+07:00'),
      clockStartsAt: at('2025-01-24T10:00:00+07:00'),
      dueAt: at('2025-02-07T10:00:00+07:00'),
    });
    expect(skipped.map((s) => s.date)).toEqual([
      '2025-01-25',
      '2025-01-26',
      '2025-01-27',
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-02-01',
      '2025-02-02',
    ]);
    expect(skipped[2]!.reason).toMatch(/Tết Nguyên đán/);
  });

  test('2024 swap: received Friday 26 Apr 2024 09:00, 2 working days', () => {
    // Fri 26 Apr: 9–12, 13–17 = 7 h. Sat 27 Apr – Wed 1 May off (29 Apr by swap).
    // Thu 2 May → 15 h; Fri 3 May → 23 h; Sat 4 May is worked (make-up): 16 h needs 1 h more → Fri 3 May? No:
    // 16 h are reached on Thu 2 May at 7 h + 8 h = 15 h, so 1 h into Fri 3 May → 09:00.
    expect(due('2024-04-26T09:00:00+07:00', 2, 'working-days').dueAt).toBe('2024-05-03T09:00:00+07:00');
    // 3 working days: 24 h = 23 h by Fri 3 May close + 1 h on Saturday 4 May (worked) → Sat 09:00.
    expect(due('2024-04-26T09:00:00+07:00', 3, 'working-days').dueAt).toBe('2024-05-04T09:00:00+07:00');
  });

  test('a duration that runs out at closing time is due at 17:00, not at the next opening', () => {
    expect(due('2025-03-17T08:00:00+07:00', 1, 'working-days').dueAt).toBe('2025-03-17T17:00:00+07:00');
    // Friday 08:00 + 1 working day: Friday 17:00, not Monday 08:00.
    expect(due('2025-03-21T08:00:00+07:00', 1, 'working-days').dueAt).toBe('2025-03-21T17:00:00+07:00');
    // 4 working hours from 08:00 end at 12:00, before lunch.
    expect(due('2025-03-17T08:00:00+07:00', 4, 'working-hours').dueAt).toBe('2025-03-17T12:00:00+07:00');
  });

  test('receipt outside office hours starts the clock at the next opening', () => {
    // Saturday → Monday 08:00.
    expect(due('2025-03-15T10:00:00+07:00', 1, 'working-days')).toEqual({
      clockStartsAt: '2025-03-17T08:00:00+07:00',
      dueAt: '2025-03-17T17:00:00+07:00',
    });
    // Lunch break 12:30 → 13:00; 2 working hours → 15:00.
    expect(due('2025-03-17T12:30:00+07:00', 2, 'working-hours')).toEqual({
      clockStartsAt: '2025-03-17T13:00:00+07:00',
      dueAt: '2025-03-17T15:00:00+07:00',
    });
    // Evening → next morning.
    expect(due('2025-03-17T19:45:00+07:00', 1, 'working-hours').clockStartsAt).toBe('2025-03-18T08:00:00+07:00');
  });

  test('receipt cut-off: after 15:00 counts from the next working day', () => {
    const start = clockStart(index, at('2025-03-21T15:30:00+07:00'), '15:00');
    expect(fmt(start)).toBe('2025-03-24T08:00:00+07:00');
    expect(fmt(clockStart(index, at('2025-03-21T14:59:00+07:00'), '15:00'))).toBe('2025-03-21T14:59:00+07:00');
  });

  test('end-of-day convention: closing time of the n-th working day after the receipt day', () => {
    // Received Monday 17 Mar 2025 10:00, 3 working days: Tue, Wed, Thu → Thu 17:00.
    expect(due('2025-03-17T10:00:00+07:00', 3, 'working-days', 'end-of-day').dueAt).toBe('2025-03-20T17:00:00+07:00');
  });

  test('calendar days (Civil Code): first day not counted, a period ending on a rest day ends at the next working day', () => {
    // Received Mon 17 Mar 2025, 5 days: 18–22 Mar, ends Sat 22 → rolls to Mon 24 Mar 17:00.
    expect(due('2025-03-17T10:00:00+07:00', 5, 'calendar-days').dueAt).toBe('2025-03-24T17:00:00+07:00');
    // 3 days: ends Thu 20 Mar 17:00.
    expect(due('2025-03-17T10:00:00+07:00', 3, 'calendar-days').dueAt).toBe('2025-03-20T17:00:00+07:00');
    // 1 month from 17 Mar 2025 → 17 Apr 2025 (Thursday).
    expect(due('2025-03-17T10:00:00+07:00', 1, 'months').dueAt).toBe('2025-04-17T17:00:00+07:00');
    // 1 month from 31 Mar 2025 → 30 Apr (shorter month), a holiday; 1–4 May off too → Mon 5 May 17:00.
    expect(due('2025-03-31T10:00:00+07:00', 1, 'months').dueAt).toBe('2025-05-05T17:00:00+07:00');
    // Received 31 Jan 2025 during Tết: the clock starts Mon 3 Feb, one month → Mon 3 Mar.
    expect(due('2025-01-31T10:00:00+07:00', 1, 'months').dueAt).toBe('2025-03-03T17:00:00+07:00');
  });

  test('a deadline reaching into a year without an official schedule is provisional', () => {
    const start = at('2026-12-24T10:00:00+07:00');
    expect(
      isProvisional(index, { from: start, clockStartsAt: start, dueAt: dueInstant(index, start, { value: 10, unit: 'working-days' }, 'working-time') }),
    ).toBe(true);
    const early = at('2025-03-17T10:00:00+07:00');
    expect(
      isProvisional(index, { from: early, clockStartsAt: early, dueAt: dueInstant(index, early, { value: 10, unit: 'working-days' }, 'working-time') }),
    ).toBe(false);
  });

  test('other office hours (Thanh Hóa: 07:00–11:30, 13:30–17:00) also give an 8 h working day', () => {
    const th = calendar.workingTime(['07:00-11:30', '13:30-17:00']);
    expect(th.dayMs).toBe(4.5 * 3_600_000 + 3.5 * 3_600_000);
    const start = th.nextOpening(at('2025-03-17T11:45:00+07:00'));
    expect(fmt(start)).toBe('2025-03-17T13:30:00+07:00');
    // Mon 13:30–17:00 = 3.5 h, Tue 8 h → 11.5 h; the last 4.5 h fill Wednesday's morning, ending at 11:30
    // (time runs out at a closing time: due then, not at the 13:30 reopening).
    expect(fmt(th.add(start, 2 * th.dayMs))).toBe('2025-03-19T11:30:00+07:00');
  });
});

describe('local time arithmetic', () => {
  test('fixed UTC+7 arithmetic equals @date-fns/tz for Asia/Ho_Chi_Minh from 2000 to 2199', () => {
    const bad: string[] = [];
    for (let t = Date.UTC(2000, 0, 1, 3); t < Date.UTC(2199, 11, 31); t += 37 * 3_600_000 * 24 + 3_600_000 * 5) {
      const z = new TZDate(t, ZONE);
      const expectedDay = Date.UTC(z.getFullYear(), z.getMonth(), z.getDate()) / 86_400_000;
      if (expectedDay !== localDayOf(t)) bad.push(new Date(t).toISOString());
    }
    expect(bad).toEqual([]);
  });
});

describe('properties (fast-check)', () => {
  const instants = fc.integer({ min: Date.UTC(2001, 0, 1), max: Date.UTC(2150, 0, 1) });
  const workingDays = fc.integer({ min: 1, max: 90 });
  const hours = fc.integer({ min: 1, max: 2000 });

  test('adding a duration, then measuring the working time from start to due, gives the duration back', () => {
    fc.assert(
      fc.property(instants, hours, (t, h) => {
        const start = index.nextOpening(t);
        const dueAt = index.add(start, h * 3_600_000);
        return index.between(start, dueAt) === h * 3_600_000;
      }),
    );
  });

  test('due instants are monotonic in the start and in the duration', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 10 * 86_400_000 }), workingDays, workingDays, (t, dt, n1, n2) => {
        const [a, b] = [Math.min(n1, n2), Math.max(n1, n2)];
        const s1 = clockStart(index, t);
        const s2 = clockStart(index, t + dt);
        const d = (s: number, n: number) => dueInstant(index, s, { value: n, unit: 'working-days' }, 'working-time');
        return d(s1, a) <= d(s2, a) && d(s1, a) <= d(s1, b);
      }),
    );
  });

  test('a due instant never falls outside office hours (closing time counts as inside)', () => {
    fc.assert(
      fc.property(instants, workingDays, fc.constantFrom('working-time', 'end-of-day'), (t, n, convention) => {
        const dueAt = dueInstant(index, clockStart(index, t), { value: n, unit: 'working-days' }, convention as 'working-time');
        const day = localDayOf(dueAt);
        if (!calendar.isWorkingDay(day)) return false;
        const minutes = Math.round((dueAt - (day * 86_400_000 - 7 * 3_600_000)) / 60_000);
        return (minutes > 8 * 60 && minutes <= 12 * 60) || (minutes > 13 * 60 && minutes <= 17 * 60);
      }),
    );
  });

  test('the index agrees with a day-by-day count of working days', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), workingDays, (t, n) => {
        // Independent count: walk the days, skipping rest days, from a clock start at 08:00.
        let day = localDayOf(t);
        while (!calendar.isWorkingDay(day)) day++;
        const start = day * 86_400_000 - 7 * 3_600_000 + 8 * 3_600_000;
        let counted = 0;
        let d = day;
        while (counted < n) {
          if (calendar.isWorkingDay(d)) counted++;
          if (counted < n) d++;
        }
        const dueAt = index.add(start, n * index.dayMs);
        return localDayOf(dueAt) === d && fmt(dueAt).endsWith('T17:00:00+07:00');
      }),
    );
  });
});
