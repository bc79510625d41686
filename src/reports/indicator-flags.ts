/**
 * What a single dossier is, for the Decision 766 indicators (DOMAIN §5):
 * the per-dossier conditions the counters, the SQL cells and the audit
 * recount all read, so that each condition is written once in TypeScript
 * (and once in SQL, counts-sql.ts, checked against this in the tests).
 */
import type { DossierState } from '../dossiers/fold.js';

export interface IndicatorFlags {
  /** The procedure returns a paper result (rules recorded at receipt). */
  paperResult: boolean;
  /** 3.3: received online and, where the result is on paper, also given an electronic result. */
  onlineFull: boolean;
  /** 4.2: digitised input and, where the result is on paper, an electronic result. */
  digitizedFull: boolean;
  /** 3.6's denominator: a procedure with a fee or charge, and this dossier not exempt (fee > 0). */
  payable: boolean;
  /** When processing started (3.6 and 2.2 count by it): the clock start, or the finish if that came first. */
  startedAt: number;
}

export function indicatorFlags(s: Pick<DossierState, 'rules' | 'channel' | 'electronicResult' | 'digitized' | 'feeRequired' | 'firstClockStartsAt' | 'finishedAt'>): IndicatorFlags {
  const paperResult = s.rules.paperResult ?? true;
  const resultOk = !paperResult || s.electronicResult;
  return {
    paperResult,
    onlineFull: s.channel === 'online' && resultOk,
    digitizedFull: s.digitized && resultOk,
    payable: (s.rules.feeProcedure ?? s.feeRequired) && s.feeRequired,
    startedAt: s.finishedAt === null ? s.firstClockStartsAt : Math.min(s.firstClockStartsAt, s.finishedAt),
  };
}
