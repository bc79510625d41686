/**
 * The Decision 766 indicators (DOMAIN §5, the national portal's formula
 * document), one function each, computed from counts; and the score each
 * earns. Shared by the API, the exports and the pages. A denominator of 0
 * gives null ("N/A"), never 0 %.
 */

/** What is counted for a group of dossiers over a period [from, to). */
export interface Counts {
  /** Received in the period, and by channel (2 online, 3 postal; the rest at the counter). */
  received: number;
  receivedOnline: number;
  receivedPostal: number;
  /** Received online and, for procedures with a paper result, given an electronic one (3.3's numerator). */
  onlineFull: number;
  /** Finished (processed, refused, withdrawn) in the period, by the 766 judgment. */
  finished: number;
  early: number;
  onTime: number;
  late: number;
  /**
   * Carried over (*từ kỳ trước chuyển sang*, Biểu II.06a column 6): received before the period and still open at its
   * start, the previous period's openOnTrack + openOverdue at its end.
   */
  carriedOver: number;
  /** Still open at the period's end (or now), within time / overdue by the 766 judgment then. */
  openOnTrack: number;
  openOverdue: number;
  /** 3.6: whose processing started in the period, of a procedure with a fee and not exempt; of those, paid online. */
  feeRequired: number;
  paidOnline: number;
  /** Received in the period: digitised input; that and the electronic result where needed (4.2). */
  digitized: number;
  digitizedFull: number;
  /** Received in the period for procedures with a paper result; of those, with an electronic result (4.1). */
  paperResult: number;
  electronicResult: number;
  /** Received in the period reusing digitised data (4.3). */
  reusedData: number;
  /** Compliance figures, each counted on the day it happened in the period. */
  rescheduled: number;
  apologyTooLate: number;
  lateWithoutApology: number;
  repeatedSupplement: number;
  lateSupplementRequest: number;
  /** Closed by the one-stop unit for want of a supplement (118 Art. 19(5)), on the day of the closure. */
  closed: number;
  /** Online dossiers accepted later than 8 working hours after submission (118 Art. 17(2)), on the day received. */
  lateOnlineAcceptance: number;
  /** Dossiers first disliked or complained about in the period (5.4). */
  dissatisfied: number;
  /** 2.2: finished dossiers whose processing started in the period: their processing time, summed (by procedure only). */
  processingTimeSum: number;
  processingTimeCount: number;
}

export const COUNT_KEYS = [
  'received',
  'receivedOnline',
  'receivedPostal',
  'onlineFull',
  'finished',
  'early',
  'onTime',
  'late',
  'openOnTrack',
  'openOverdue',
  'feeRequired',
  'paidOnline',
  'digitized',
  'digitizedFull',
  'paperResult',
  'electronicResult',
  'reusedData',
  'rescheduled',
  'apologyTooLate',
  'lateWithoutApology',
  'repeatedSupplement',
  'lateSupplementRequest',
  'dissatisfied',
  'processingTimeSum',
  'processingTimeCount',
  'closed',
  'lateOnlineAcceptance',
  'carriedOver',
] as const satisfies ReadonlyArray<keyof Counts>;

export const EMPTY_COUNTS: Counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as unknown as Counts;

export function addCounts(a: Counts, b: Counts): Counts {
  const out = { ...a };
  for (const k of COUNT_KEYS) out[k] += b[k];
  return out;
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** The dossiers 2.1 judges: finished in the period or open at its end. */
export const toProcess = (c: Counts): number => c.finished + c.openOnTrack + c.openOverdue;

/**
 * 2.1 progress: finished early or on time, plus still open and within time
 * at the period's end, over all dossiers finished in the period or open at
 * its end. Gia Lai's convention (100 % − (late finished + late in progress)
 * / to process) is the same number.
 */
export function progressRate(c: Counts): number | null {
  return ratio(c.early + c.onTime + c.openOnTrack, toProcess(c));
}

/** On time among finished only: (early + on time) / finished. Not a 766 indicator. */
export function finishedOnTimeRate(c: Counts): number | null {
  return ratio(c.early + c.onTime, c.finished);
}

/** 3.3 online submission: received online with an electronic result where the result is on paper / received. */
export function onlineSubmissionRate(c: Counts): number | null {
  return ratio(c.onlineFull, c.received);
}

/** 3.6 online payment: paid online (national portal or provincial gateway) / payable dossiers, by processing start. */
export function onlinePaymentRate(c: Counts): number | null {
  return ratio(c.paidOnline, c.feeRequired);
}

/** 4.1 electronic result: given an electronic result file / received for procedures with a paper result. */
export function electronicResultRate(c: Counts): number | null {
  return ratio(c.electronicResult, c.paperResult);
}

/** 4.2 digitisation: digitised input and (paper result → electronic result) / received. */
export function digitisationRate(c: Counts): number | null {
  return ratio(c.digitizedFull, c.received);
}

/** 4.3 reuse of digitised data / received. */
export function reuseRate(c: Counts): number | null {
  return ratio(c.reusedData, c.received);
}

/**
 * 5.4 satisfaction: 100 % − (overdue rate + rate of dossiers with a complaint
 * or a dislike), both over the dossiers 2.1 judges; never below 0.
 */
export function satisfactionRate(c: Counts): number | null {
  const n = toProcess(c);
  if (n === 0) return null;
  return Math.max(0, 1 - (c.late + c.openOverdue) / n - c.dissatisfied / n);
}

/** 2.2 average processing time, in the procedure's own unit: only meaningful for one procedure. */
export function averageProcessingTime(c: Counts): number | null {
  return ratio(c.processingTimeSum, c.processingTimeCount);
}

export interface IndicatorRule {
  id: string;
  name: string;
  rate: (c: Counts) => number | null;
  /** Full marks at or above this rate. */
  threshold: number;
  /** The points of its group in the 766 index (out of 100); the split within a group is not published. */
  groupWeight: number;
  group: string;
  source: string;
  /** Said wherever the indicator is shown. */
  note?: string;
}

const FORMULA = "Decision 766/QĐ-TTg as the national portal computes it ('Mô tả công thức tính chỉ số 766', DOMAIN §5)";

/** The indicators this service computes, with their thresholds and group weights (DOMAIN §5). */
export const INDICATORS: IndicatorRule[] = [
  {
    id: '2.1',
    name: 'Tiến độ giải quyết',
    rate: progressRate,
    threshold: 1,
    groupWeight: 20,
    group: 'progress',
    source: `${FORMULA}; full marks at 100 % (no lower threshold stated)`,
  },
  {
    id: '3.3',
    name: 'Tỷ lệ hồ sơ trực tuyến',
    rate: onlineSubmissionRate,
    threshold: 0.5,
    groupWeight: 12,
    group: 'online service',
    source: `${FORMULA}; full marks at 50 %`,
    note: 'Chỉ số 3.3 (hồ sơ trực tuyến có kết quả điện tử / hồ sơ tiếp nhận) không phải điểm “Cung cấp dịch vụ trực tuyến” (12 điểm) mà Cổng Dịch vụ công quốc gia đang công bố: công thức mới của Cổng chưa được xác minh.',
  },
  {
    id: '3.6',
    name: 'Tỷ lệ thanh toán trực tuyến',
    rate: onlinePaymentRate,
    threshold: 1,
    groupWeight: 10,
    group: 'online payment',
    source: `${FORMULA}; threshold Unconfirmed (100 % assumed)`,
  },
  {
    id: '4.1',
    name: 'Tỷ lệ cấp kết quả điện tử',
    rate: electronicResultRate,
    threshold: 1,
    groupWeight: 22,
    group: 'digitisation',
    source: `${FORMULA}; threshold Unconfirmed (100 % assumed)`,
  },
  {
    id: '4.2',
    name: 'Tỷ lệ số hóa hồ sơ',
    rate: digitisationRate,
    threshold: 0.8,
    groupWeight: 22,
    group: 'digitisation',
    source: `${FORMULA}; full marks at 80 %`,
  },
  {
    id: '4.3',
    name: 'Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa',
    rate: reuseRate,
    threshold: 0.8,
    groupWeight: 22,
    group: 'digitisation',
    source: `${FORMULA}; full marks at 80 %`,
  },
  {
    id: '5.4',
    name: 'Mức độ hài lòng',
    rate: satisfactionRate,
    threshold: 0.9,
    groupWeight: 18,
    group: 'satisfaction',
    source: `${FORMULA}; full marks at 90 %`,
  },
];

const round4 = (x: number | null): number | null => (x === null ? null : Math.round(x * 10_000) / 10_000);

/**
 * A rate as a percentage with 2 decimals (DOMAIN §5), halves rounded up. The product is first cut to 12
 * significant digits: 57/800 × 10 000 is 712.4999999999999 in binary, and rounding that would give 7.12 % for
 * an exact 7.125 % while 1/800 (12.5 exactly) gives 0.13 %.
 */
export function percentOf(rate: number | null): number | null {
  return rate === null ? null : round2(rate * 100);
}

/** A figure to 2 decimals, halves up, after the same cut to 12 significant digits (scores, averages). */
export function round2(x: number): number {
  return Math.round(Number((x * 100).toPrecision(12))) / 100;
}

/**
 * The share of an indicator's marks a rate earns: full at or above the
 * threshold, else rate / threshold. Multiply by the indicator's points once
 * the split of its group is known; null when the rate is N/A.
 */
export function scoreShare(rate: number | null, threshold: number): number | null {
  return rate === null ? null : round4(Math.min(1, rate / threshold));
}

export function indicatorsOf(c: Counts) {
  return INDICATORS.map((i) => {
    const rate = i.rate(c);
    return {
      id: i.id,
      name: i.name,
      rate,
      percent: percentOf(rate),
      threshold: i.threshold,
      scoreShare: scoreShare(rate, i.threshold),
      group: i.group,
      groupWeight: i.groupWeight,
      source: i.source,
      ...(i.note ? { note: i.note } : {}),
    };
  });
}

export function withRates(c: Counts) {
  const received = c.received;
  return {
    ...c,
    progressRate: progressRate(c),
    finishedOnTimeRate: finishedOnTimeRate(c),
    onlineSubmissionRate: onlineSubmissionRate(c),
    counterShare: ratio(received - c.receivedOnline - c.receivedPostal, received),
    postalShare: ratio(c.receivedPostal, received),
    onlinePaymentRate: onlinePaymentRate(c),
    electronicResultRate: electronicResultRate(c),
    digitisationRate: digitisationRate(c),
    reuseRate: reuseRate(c),
    satisfactionRate: satisfactionRate(c),
    averageProcessingTime: averageProcessingTime(c) === null ? null : Math.round(averageProcessingTime(c)! * 100) / 100,
    rescheduledRate: ratio(c.rescheduled, toProcess(c)),
  };
}

export type RateRow = ReturnType<typeof withRates>;
