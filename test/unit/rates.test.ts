/**
 * The Decision 766 indicators from counts (src/reports/rates.ts), against
 * DOMAIN §5: the portal's formulas, 2 decimals, a zero denominator "N/A"
 * (null), never 0 %; a score share full at the threshold, else rate / threshold.
 */
import fc from 'fast-check';
import {
  addCounts,
  COUNT_KEYS,
  EMPTY_COUNTS,
  finishedOnTimeRate,
  indicatorsOf,
  percentOf,
  progressRate,
  satisfactionRate,
  scoreShare,
  toProcess,
  withRates,
  type Counts,
} from '../../src/reports/rates.js';
import { toCsv } from '../../src/reports/export.js';
import { pctText } from '../../src/views/charts.js';
import { Q3_TOTAL } from '../support/report-fixture.js';

const counts = (over: Partial<Counts>): Counts => ({ ...EMPTY_COUNTS, ...over });

/** The worked province of report-fixture.ts (Q3 2025), counted by hand there. */
const q3 = counts(Q3_TOTAL);

describe('the indicators of the worked Q3 province', () => {
  const byId = Object.fromEntries(indicatorsOf(q3).map((i) => [i.id, i]));

  test('2.1 progress: (early 4 + on time 2 + open on track 1) / (finished 7 + open 2) = 7/9 = 77.78 %', () => {
    expect(toProcess(q3)).toBe(9);
    expect(progressRate(q3)).toBeCloseTo(7 / 9, 12);
    expect(byId['2.1']).toMatchObject({ percent: 77.78, threshold: 1, groupWeight: 20 });
    // No lower threshold: the share is the rate itself, to 4 decimals (0.77777… → 0.7778). The portal's score is 20 × that.
    expect(byId['2.1']!.scoreShare).toBe(0.7778);
  });

  test('the finished-only rate (not a 766 indicator): (4 + 2) / 7 = 85.71 %', () => {
    expect(finishedOnTimeRate(q3)).toBeCloseTo(6 / 7, 12);
    expect(withRates(q3).finishedOnTimeRate).toBeCloseTo(0.857142857, 8);
  });

  test('3.3, 3.6, 4.1, 4.2, 4.3 and 5.4, each over its own denominator', () => {
    // 3.3: received online with the electronic result its paper result needs (B only) / received 8 = 12.5 %; full at 50 %.
    expect(byId['3.3']).toMatchObject({ percent: 12.5, threshold: 0.5, scoreShare: 0.25, groupWeight: 12 });
    // 3.6: paid online (B) / payable dossiers started in the period (7) = 14.29 %; threshold 100 % assumed.
    expect(byId['3.6']).toMatchObject({ percent: 14.29, threshold: 1, scoreShare: 0.1429, groupWeight: 10 });
    // 4.1: electronic result (B) / received with a paper result (8) = 12.5 %.
    expect(byId['4.1']).toMatchObject({ percent: 12.5, threshold: 1, scoreShare: 0.125, groupWeight: 22 });
    // 4.2: digitised and, where the result is on paper, an electronic one too (B) / received 8; full at 80 %:
    // 0.125 / 0.8 = 0.15625 → 0.1563.
    expect(byId['4.2']).toMatchObject({ percent: 12.5, threshold: 0.8, scoreShare: 0.1563, groupWeight: 22 });
    // 4.3: nobody reused digitised data: 0 of 8 is a real 0 %, not N/A.
    expect(byId['4.3']).toMatchObject({ rate: 0, percent: 0, threshold: 0.8, scoreShare: 0 });
    // 5.4: 100 % − (late 1 + open overdue 1) / 9 − no complaint = 7/9; full at 90 %: (7/9) / 0.9 = 0.86419… → 0.8642.
    expect(byId['5.4']).toMatchObject({ percent: 77.78, threshold: 0.9, scoreShare: 0.8642, groupWeight: 18 });
  });

  test("the group weights are the portal's (DOMAIN §5: progress 20, online service 12, payment 10, digitisation 22, satisfaction 18)", () => {
    const weights = Object.fromEntries(indicatorsOf(q3).map((i) => [i.group, i.groupWeight]));
    expect(weights).toEqual({ progress: 20, 'online service': 12, 'online payment': 10, digitisation: 22, satisfaction: 18 });
    // 3.3 is never shown as the portal's 12-point online-service (DVCTT) score: it says so wherever it is shown.
    expect(byId['3.3']!.note).toMatch(/không phải điểm/);
  });
});

describe('N/A, never 0 %', () => {
  test('with nothing counted every rate, percent and share is null', () => {
    for (const i of indicatorsOf(EMPTY_COUNTS)) expect([i.id, i.rate, i.percent, i.scoreShare]).toEqual([i.id, null, null, null]);
    const r = withRates(EMPTY_COUNTS);
    for (const k of [
      'progressRate',
      'finishedOnTimeRate',
      'onlineSubmissionRate',
      'counterShare',
      'postalShare',
      'onlinePaymentRate',
      'electronicResultRate',
      'digitisationRate',
      'reuseRate',
      'satisfactionRate',
      'averageProcessingTime',
      'rescheduledRate',
    ] as const) {
      expect([k, r[k]]).toEqual([k, null]);
    }
  });

  test('each rate is N/A only when its own denominator is 0', () => {
    // Received 4, none payable: 3.6 is N/A while 3.3 is a real 0 %.
    const c = counts({ received: 4, paperResult: 4, finished: 4, early: 4 });
    const byId = Object.fromEntries(indicatorsOf(c).map((i) => [i.id, i.rate]));
    expect(byId).toMatchObject({ '2.1': 1, '3.3': 0, '3.6': null, '4.1': 0, '4.2': 0, '4.3': 0, '5.4': 1 });
  });
});

describe('the shares and figures beside the indicators', () => {
  test('counter and postal shares of the received; average time to 2 decimals; rescheduled over the dossiers judged', () => {
    // Received 10: 6 online, 1 by post → 3 at the counter. Times 10 over 3 dossiers: 3.333… → 3.33.
    const c = counts({
      received: 10,
      receivedOnline: 6,
      receivedPostal: 1,
      processingTimeSum: 10,
      processingTimeCount: 3,
      finished: 4,
      onTime: 4,
      rescheduled: 1,
    });
    expect(withRates(c)).toMatchObject({ counterShare: 0.3, postalShare: 0.1, averageProcessingTime: 3.33, rescheduledRate: 0.25 });
  });

  test('satisfaction never goes below 0 (late and complaints are not the same dossiers)', () => {
    // 2 judged, both late, 1 complaint: 1 − 2/2 − 1/2 = −0.5 → 0.
    expect(satisfactionRate(counts({ finished: 2, late: 2, dissatisfied: 1 }))).toBe(0);
    // 10 judged, 1 overdue, 2 complaints: 1 − 0.1 − 0.2 = 0.7.
    expect(satisfactionRate(counts({ finished: 9, onTime: 9, openOverdue: 1, dissatisfied: 2 }))).toBeCloseTo(0.7, 12);
  });

  test('percentages have 2 decimals, halves rounded up whatever the binary noise', () => {
    // 57/800 = 7.125 %: its binary product is 712.4999999999999, which Math.round alone turned into 7.12 %,
    // while 1/800 = 0.125 % (exact in binary) gave 0.13 %: the same kind of half went two ways.
    expect(percentOf(57 / 800)).toBe(7.13);
    expect(percentOf(1 / 800)).toBe(0.13);
    expect(percentOf(2 / 3)).toBe(66.67);
    expect(percentOf(null)).toBeNull();
    // The pages and the CSV exports print the same figure as the API.
    expect(pctText(57 / 800)).toBe('7,13 %');
    expect(toCsv([{ key: 'progressRate', header: '2.1', kind: 'rate' }], [{ progressRate: 57 / 800 }, { progressRate: null }], 'vn')).toBe(
      '\uFEFF2.1 (%)\r\n7,13\r\nN/A\r\n',
    );
    // Exactly, for any n of d: round half up of n × 10 000 / d, in integers.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (d, share) => {
        const n = Math.floor(share * d);
        expect(percentOf(n / d)).toBe(Math.floor((n * 20_000 + d) / (2 * d)) / 100);
      }),
    );
  });

  test('a score share is full at or above the threshold, else rate / threshold; N/A stays N/A', () => {
    expect(scoreShare(0.5, 0.5)).toBe(1);
    expect(scoreShare(0.95, 0.9)).toBe(1);
    expect(scoreShare(0.45, 0.9)).toBe(0.5);
    expect(scoreShare(0, 0.8)).toBe(0);
    expect(scoreShare(null, 0.8)).toBeNull();
  });
});

/** Counts as a real period yields them: the outcomes add up, and each numerator is part of its denominator. */
const consistentCounts = fc
  .record({
    early: fc.nat(50),
    onTime: fc.nat(50),
    late: fc.nat(50),
    openOnTrack: fc.nat(50),
    openOverdue: fc.nat(50),
    dissatisfied: fc.nat(50),
    received: fc.nat(200),
    feeRequired: fc.nat(50),
    paperResult: fc.nat(200),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ early, onTime, late, share, received, feeRequired, paperResult, ...rest }) => {
    const part = (n: number) => Math.floor(n * share);
    return counts({
      ...rest,
      early,
      onTime,
      late,
      finished: early + onTime + late,
      received,
      feeRequired,
      paperResult,
      receivedOnline: part(received),
      onlineFull: part(part(received)),
      digitized: part(received),
      digitizedFull: part(part(received)),
      reusedData: part(received),
      paidOnline: part(feeRequired),
      electronicResult: part(paperResult),
    });
  });

const anyCounts = fc.record(Object.fromEntries(COUNT_KEYS.map((k) => [k, fc.nat(1_000)])) as Record<keyof Counts, fc.Arbitrary<number>>);

describe('properties', () => {
  test('every rate of consistent counts is in [0, 1], or null exactly when its denominator is 0', () => {
    fc.assert(
      fc.property(consistentCounts, (c) => {
        for (const i of indicatorsOf(c)) {
          if (i.rate === null) continue;
          expect(i.rate).toBeGreaterThanOrEqual(0);
          expect(i.rate).toBeLessThanOrEqual(1);
          expect(i.scoreShare).toBeGreaterThanOrEqual(0);
          expect(i.scoreShare).toBeLessThanOrEqual(1);
        }
        const byId = Object.fromEntries(indicatorsOf(c).map((i) => [i.id, i.rate]));
        expect(byId['2.1'] === null).toBe(toProcess(c) === 0);
        expect(byId['3.3'] === null).toBe(c.received === 0);
        expect(byId['3.6'] === null).toBe(c.feeRequired === 0);
        expect(byId['4.1'] === null).toBe(c.paperResult === 0);
      }),
    );
  });

  test("Gia Lai's convention, 100 % − (late finished + late open) / to process, is the same number as 2.1", () => {
    fc.assert(
      fc.property(consistentCounts, (c) => {
        const n = toProcess(c);
        if (n === 0) return;
        expect(progressRate(c)).toBeCloseTo(1 - (c.late + c.openOverdue) / n, 12);
      }),
    );
  });

  test('addCounts is associative and commutative, with the empty counts as identity', () => {
    fc.assert(
      fc.property(anyCounts, anyCounts, anyCounts, (a, b, c) => {
        expect(addCounts(addCounts(a, b), c)).toEqual(addCounts(a, addCounts(b, c)));
        expect(addCounts(a, b)).toEqual(addCounts(b, a));
        expect(addCounts(a, EMPTY_COUNTS)).toEqual(a);
      }),
    );
  });
});
