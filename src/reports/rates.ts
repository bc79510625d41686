/**
 * The compliance rates, one definition each, computed from counts (DOMAIN §5,
 * the national portal's Decision 766 formula). Shared by the API, the exports
 * and the pages.
 */

/** What is counted for a group of dossiers over a period [from, to). */
export interface Counts {
  /** Received in the period. */
  received: number;
  receivedOnline: number;
  /** Finished (processed, refused, withdrawn) in the period, by outcome. */
  finished: number;
  early: number;
  onTime: number;
  late: number;
  /** Still open at the period's end, within time / past the due instant then. */
  openOnTrack: number;
  openOverdue: number;
  /** Received in the period with a fee or charge; of those, paid online. */
  feeRequired: number;
  paidOnline: number;
  /** Received in the period with digitised input. */
  digitized: number;
}

export const EMPTY_COUNTS: Counts = {
  received: 0, receivedOnline: 0, finished: 0, early: 0, onTime: 0, late: 0,
  openOnTrack: 0, openOverdue: 0, feeRequired: 0, paidOnline: 0, digitized: 0,
};

export function addCounts(a: Counts, b: Counts): Counts {
  const out = { ...a };
  for (const k of Object.keys(out) as Array<keyof Counts>) out[k] += b[k];
  return out;
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/**
 * Progress (on-time) rate as the 766 formula: finished early or on time, plus
 * still open and within time at the period's end, over all dossiers finished
 * in the period or open at its end. Gia Lai's convention (100 % − (late
 * finished + late in progress) / to process) is the same number.
 */
export function progressRate(c: Counts): number | null {
  return ratio(c.early + c.onTime + c.openOnTrack, c.finished + c.openOnTrack + c.openOverdue);
}

/** On time among finished only: (early + on time) / finished. */
export function finishedOnTimeRate(c: Counts): number | null {
  return ratio(c.early + c.onTime, c.finished);
}

/** Received online (channel 2) / received; full score at 50 %. */
export function onlineSubmissionRate(c: Counts): number | null {
  return ratio(c.receivedOnline, c.received);
}

/** Paid online / dossiers of procedures with a fee or charge (zero-fee dossiers excluded). */
export function onlinePaymentRate(c: Counts): number | null {
  return ratio(c.paidOnline, c.feeRequired);
}

/** Dossiers with digitised input / received; full score at 80 %. */
export function digitisationRate(c: Counts): number | null {
  return ratio(c.digitized, c.received);
}

export function withRates(c: Counts) {
  return {
    ...c,
    progressRate: progressRate(c),
    finishedOnTimeRate: finishedOnTimeRate(c),
    onlineSubmissionRate: onlineSubmissionRate(c),
    onlinePaymentRate: onlinePaymentRate(c),
    digitisationRate: digitisationRate(c),
  };
}

export type RateRow = ReturnType<typeof withRates>;
