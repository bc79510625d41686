/**
 * What a supervisor can still change (src/reports/what-if.ts): how many open,
 * within-time dossiers must stay so for 2.1 progress (DOMAIN §5) to reach a
 * target. Late and overdue dossiers are lost; dossiers still to come are not
 * guessed at. Cases worked by hand.
 */
import fc from 'fast-check';
import { EMPTY_COUNTS, progressRate, type Counts } from '../../src/reports/rates.js';
import { whatIf } from '../../src/reports/what-if.js';

const counts = (over: Partial<Counts>): Counts => ({ ...EMPTY_COUNTS, ...over });

// A department in a running quarter: finished 40 (early 30, on time 8, late 2); open 10 (8 within time, 2 overdue).
// To process: 50. Within time so far: 38.
const quarter = counts({ finished: 40, early: 30, onTime: 8, late: 2, openOnTrack: 8, openOverdue: 2 });

test("An Giang's 98 % is out of reach: 49 of 50 are needed, 38 + 8 = 46 at best", () => {
  expect(whatIf(quarter, 0.98)).toEqual({
    target: 0.98,
    toProcess: 50,
    finishedWithinTime: 38,
    alreadyLate: 4,
    openOnTrack: 8,
    // ⌈0.98 × 50⌉ = 49; 49 − 38 = 11 more than the 8 open within time.
    mustFinishWithinTime: 11,
    reachable: false,
    bestPossibleRate: 0.92,
  });
});

test('90 % needs 7 of the 8 open dossiers to stay within time', () => {
  // ⌈0.9 × 50⌉ = 45; 45 − 38 = 7 ≤ 8.
  expect(whatIf(quarter, 0.9)).toMatchObject({ mustFinishWithinTime: 7, reachable: true });
});

test('a target already met needs nothing more', () => {
  // ⌈0.5 × 50⌉ = 25 ≤ 38.
  expect(whatIf(quarter, 0.5)).toMatchObject({ mustFinishWithinTime: 0, reachable: true });
});

test('floating-point noise does not ask for one dossier too many', () => {
  // 0.55 × 100 is 55.00000000000001 in binary: 55 dossiers are needed, not 56. 50 within time, 10 open: 5 more.
  const c = counts({ finished: 90, early: 50, late: 40, openOnTrack: 10 });
  expect(0.55 * 100).toBeGreaterThan(55);
  expect(whatIf(c, 0.55)).toMatchObject({ toProcess: 100, mustFinishWithinTime: 5, reachable: true });
});

test('nothing to process: nothing needed, and no rate (N/A, never 0 %)', () => {
  expect(whatIf(EMPTY_COUNTS, 0.98)).toMatchObject({ toProcess: 0, mustFinishWithinTime: 0, reachable: true, bestPossibleRate: null });
});

test('property: the number asked for is exactly enough, and one fewer is not', () => {
  const arbitrary = fc.record({ early: fc.nat(60), onTime: fc.nat(60), late: fc.nat(60), openOnTrack: fc.nat(60), openOverdue: fc.nat(60) });
  fc.assert(
    fc.property(arbitrary, fc.integer({ min: 1, max: 100 }), (x, percent) => {
      const target = percent / 100;
      const c = counts({ ...x, finished: x.early + x.onTime + x.late });
      const w = whatIf(c, target);
      if (w.toProcess === 0) return;
      // Of the open dossiers within time, `mustFinishWithinTime` stay so and the others turn overdue by the end.
      const end = (stay: number) => progressRate({ ...c, openOnTrack: stay, openOverdue: c.openOverdue + c.openOnTrack - stay });
      // Whether the rate reaches the target, in whole dossiers (× 100, in integers) so the check has no rounding noise.
      const meets = (stay: number) => (x.early + x.onTime + stay) * 100 >= percent * w.toProcess;
      // Unreachable: even every open dossier within time staying so falls short.
      expect(w.reachable).toBe(meets(c.openOnTrack));
      if (!w.reachable) return;
      expect(meets(w.mustFinishWithinTime)).toBe(true);
      if (w.mustFinishWithinTime > 0) expect(meets(w.mustFinishWithinTime - 1)).toBe(false);
      expect(w.bestPossibleRate).toBe(end(c.openOnTrack));
    }),
  );
});
