/**
 * Deadline computations per second (durations of 1–90 working days), with
 * the working-time index, next to a day-by-day loop over the same calendar,
 * in the same run. Both are checked to agree before being timed.
 */
import { VietnamCalendar } from '../src/calendar/vietnam-calendar.js';
import { localDayOf, localDayStart } from '../src/calendar/local-time.js';
import { officeIntervalsMs } from '../src/calendar/office-hours.js';
import { clockStart, dueInstant } from '../src/dossiers/deadline.js';
import { seededRandom } from '../src/sample/sample-events.js';
import { record } from './results.js';

const calendar = new VietnamCalendar();
const index = calendar.workingTime();
const intervals = officeIntervalsMs(index.officeHours);
const rand = seededRandom(42);
const N = 200_000;
const starts = Array.from({ length: N }, () => Date.parse('2020-01-01T00:00:00+07:00') + Math.floor(rand() * 7 * 365 * 86_400_000));
const durations = Array.from({ length: N }, () => 1 + Math.floor(rand() * 90));

function withIndex(i: number): number {
  return dueInstant(index, clockStart(index, starts[i]!), { value: durations[i]!, unit: 'working-days' }, 'working-time');
}

/** The straightforward way: walk the office intervals day by day until the duration is used up. */
function dayByDay(i: number): number {
  let remaining = durations[i]! * index.dayMs;
  const t = starts[i]!;
  for (let day = localDayOf(t); ; day++) {
    if (!calendar.isWorkingDay(day)) continue;
    const dayStart = localDayStart(day);
    for (const [s, e] of intervals) {
      const from = Math.max(t, dayStart + s);
      const to = dayStart + e;
      if (from >= to) continue;
      if (to - from >= remaining) return from + remaining;
      remaining -= to - from;
    }
  }
}

for (let i = 0; i < 20_000; i++) {
  if (withIndex(i) !== dayByDay(i)) throw new Error(`disagreement at ${new Date(starts[i]!).toISOString()} + ${durations[i]} days`);
}

function rate(fn: (i: number) => number, n: number): number {
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += fn(i % N);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (sink === 42) console.log('');
  return n / seconds;
}

rate(withIndex, 200_000); // warm-up
rate(dayByDay, 20_000);
// Alternating, 3 rounds a side.
const indexed: number[] = [];
const loop: number[] = [];
for (let r = 0; r < 3; r++) {
  if (r % 2 === 0) {
    indexed.push(rate(withIndex, 2_000_000));
    loop.push(rate(dayByDay, 100_000));
  } else {
    loop.push(rate(dayByDay, 100_000));
    indexed.push(rate(withIndex, 2_000_000));
  }
}
console.log('bench:calendar — deadline computations (clock start + due), 1–90 working days, 2020–2026 receipts');
record({
  bench: 'calendar',
  what: 'deadlines with the working-time index',
  unit: 'per second',
  values: indexed,
  higherIsBetter: true,
  baseline: { what: 'a day-by-day loop over the same calendar', values: loop },
  goal: '≥ 1,000,000/s and ≥ 50×',
});
