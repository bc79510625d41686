/**
 * What a single dossier is, for the Decision 766 indicators (DOMAIN §5):
 * the per-dossier conditions the counters, the SQL cells and the audit
 * recount all read, so that each condition is written once in TypeScript
 * (and once in SQL, counts-sql.ts, checked against this in the tests).
 */
import type { DossierState } from '../dossiers/state.js';

export interface IndicatorFlags {
  /** The procedure returns a paper result (rules recorded at receipt). */
  paperResult: boolean;
  /** An electronic result had been given by the instant asked about (4.1). */
  electronicResult: boolean;
  /** 3.3: received online and, where the result is on paper, also given an electronic result by then. */
  onlineFull: boolean;
  /** 4.2: digitised input and, where the result is on paper, an electronic result by then. */
  digitizedFull: boolean;
  /** 3.6's denominator: a procedure with a fee or charge, and this dossier not exempt (fee > 0). */
  payable: boolean;
  /** 3.6's numerator: paid online by then. */
  paidOnline: boolean;
  /** When processing started (3.6 and 2.2 count by it): the clock start, or the finish if that came first. */
  startedAt: number;
}

type Judged = Pick<
  DossierState,
  'rules' | 'channel' | 'electronicResult' | 'resultReadyAt' | 'digitized' | 'feeRequired' | 'paidOnlineAt' | 'firstClockStartsAt' | 'finishedAt'
>;

/**
 * @param asOf what had happened by this instant (DOMAIN §5: a period is judged with the events of then, so a result
 * or a payment after its end does not count in it); by default everything known now, as the daily counters count.
 */
export function indicatorFlags(s: Judged, asOf = Number.POSITIVE_INFINITY): IndicatorFlags {
  const paperResult = s.rules.paperResult ?? true;
  const electronicResult = s.electronicResult && s.resultReadyAt !== null && s.resultReadyAt <= asOf;
  const resultOk = !paperResult || electronicResult;
  return {
    paperResult,
    electronicResult,
    onlineFull: s.channel === 'online' && resultOk,
    digitizedFull: s.digitized && resultOk,
    payable: (s.rules.feeProcedure ?? s.feeRequired) && s.feeRequired,
    paidOnline: s.paidOnlineAt !== null && s.paidOnlineAt <= asOf,
    startedAt: s.finishedAt === null ? s.firstClockStartsAt : Math.min(s.firstClockStartsAt, s.finishedAt),
  };
}
