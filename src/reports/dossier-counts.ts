/**
 * What one dossier adds to each count of a period's report (rates.ts
 * Counts), by the same definitions as the SQL cells in counts-sql.ts: so that
 * a report can be recomputed from folded states alone (audit packages), and
 * the two forms can be checked against each other.
 */
import type { DossierState } from '../dossiers/fold.js';
import { progressAt } from '../dossiers/progress.js';
import { indicatorFlags } from './indicator-flags.js';
import { EMPTY_COUNTS, type Counts } from './rates.js';

/** @param judgedAt when open dossiers are judged: the period's last instant, or now for a running period */
export function dossierCounts(s: DossierState, from: number, to: number, judgedAt: number): Counts {
  const c = { ...EMPTY_COUNTS };
  const within = (ms: number | null | undefined) => ms !== null && ms !== undefined && ms >= from && ms < to;
  const f = indicatorFlags(s, judgedAt);
  if (within(s.receivedAt)) {
    c.received = 1;
    if (s.channel === 'online') c.receivedOnline = 1;
    if (s.channel === 'postal') c.receivedPostal = 1;
    if (f.onlineFull) c.onlineFull = 1;
    if (s.digitized) c.digitized = 1;
    if (f.digitizedFull) c.digitizedFull = 1;
    if (f.paperResult) c.paperResult = 1;
    if (f.paperResult && f.electronicResult) c.electronicResult = 1;
    if (s.reusedDigitizedData) c.reusedData = 1;
    if (s.flags.includes('late_online_acceptance')) c.lateOnlineAcceptance = 1;
  }
  if (within(f.startedAt) && f.payable) {
    c.feeRequired = 1;
    if (f.paidOnline) c.paidOnline = 1;
  }
  if (s.receivedAt < from && (s.finishedAt === null || s.finishedAt >= from)) c.carriedOver = 1;
  if (within(s.finishedAt)) {
    c.finished = 1;
    if (s.rate.outcome === 'early') c.early = 1;
    if (s.rate.outcome === 'on_time') c.onTime = 1;
    if (s.rate.outcome === 'late') c.late = 1;
    if (s.flags.includes('late_without_apology')) c.lateWithoutApology = 1;
    if (s.status === 'closed') c.closed = 1;
  }
  if (within(f.startedAt) && s.finishedAt !== null && s.finishedAt < to) {
    c.processingTimeCount = 1;
    c.processingTimeSum = s.processingTime ?? 0;
  }
  const judged = progressAt(s, judgedAt);
  if (judged && !judged.finished) {
    if (judged.rate === 'overdue') c.openOverdue = 1;
    else c.openOnTrack = 1;
  }
  if (within(s.apology?.issuedAt)) {
    c.rescheduled = 1;
    if (s.flags.includes('apology_too_late')) c.apologyTooLate = 1;
  }
  if (within(s.secondSupplementAt)) c.repeatedSupplement = 1;
  if (within(s.lateSupplementRequestAt)) c.lateSupplementRequest = 1;
  if (within(s.dissatisfiedAt)) c.dissatisfied = 1;
  return c;
}
