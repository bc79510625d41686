/**
 * The portal's scores (DOMAIN §5, portal-compatible mode), worked by hand on the October 2025 counts of
 * indicators-766.test.ts: finished early 3, on time 2, late 2; open within time 1, overdue 2; payable 10, paid online
 * 1; paper result 10, electronic result 1, digitised with it 1, reusing data 1; 1 dissatisfied.
 */
import { EMPTY_COUNTS, type Counts } from '../../src/reports/rates.js';
import { portalProgress, portalScores } from '../../src/reports/portal-scores.js';

const october: Counts = {
  ...EMPTY_COUNTS,
  received: 10,
  finished: 7,
  early: 3,
  onTime: 2,
  late: 2,
  openOnTrack: 1,
  openOverdue: 2,
  feeRequired: 10,
  paidOnline: 1,
  paperResult: 10,
  electronicResult: 1,
  digitizedFull: 1,
  reusedData: 1,
  dissatisfied: 1,
};

test("a unit's progress row counts open dossiers on both sides, and scores 20 × the ratio", () => {
  // On time 3 + 2 finished + 1 open = 6; overdue 2 finished + 2 open = 4; 6 / 10 = 60 % → 12 of 20 points.
  expect(portalProgress(october)).toEqual({
    totalReceived: 10,
    totalOnTime: 6,
    totalOverdue: 4,
    totalCompleted: 7,
    avgProcessingDays: null,
    ratio: 60,
    score: 12,
    maxScore: 20,
  });
});

test('an empty unit is N/A in the figures and 0 points on the portal', () => {
  expect(portalProgress(EMPTY_COUNTS)).toMatchObject({ totalReceived: 0, ratio: null, score: 0 });
  const scores = Object.fromEntries(portalScores(EMPTY_COUNTS).map((s) => [s.id, s.score]));
  expect(scores).toMatchObject({ progress: 0, 'online-payment': 0, satisfaction: 0, 'online-service': null });
});

test('each score: full marks at the threshold, else rate × points / threshold', () => {
  const scores = Object.fromEntries(portalScores(october).map((s) => [s.id, s.score]));
  // 3.6: 10 % of 10 points at a 100 % threshold → 1. 4.1: 10 % × 6 → 0.6. 4.2: 10 % × 4 / 80 % → 0.5.
  // 4.3: 10 % × 2 / 80 % → 0.25. 5.4: 100 % − 4/10 − 1/10 = 50 % → 6 × 0.5 / 0.9 = 3.33.
  expect(scores).toEqual({
    progress: 12,
    'online-payment': 1,
    'electronic-result': 0.6,
    'digitised-components': 0.5,
    reuse: 0.25,
    satisfaction: 3.33,
    'online-service': null,
  });
});
