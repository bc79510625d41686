/**
 * What one dossier adds to each count of a period's report (rates.ts
 * Counts), by the same definitions as the SQL cells in counts-sql.ts: so that
 * a report can be recomputed from folded states alone (audit packages), and
 * the two forms can be checked against each other.
 */
import type { DossierState } from '../dossiers/fold.js';
import { EMPTY_COUNTS, type Counts } from './rates.js';

/** @param judgedAt when open dossiers are judged: the period's end, or now for a running period */
export function dossierCounts(s: Pick<DossierState, 'receivedAt' | 'finishedAt' | 'rate' | 'channel' | 'feeRequired' | 'paidOnline' | 'digitized'>, from: number, to: number, judgedAt: number): Counts {
  const c = { ...EMPTY_COUNTS };
  const received = s.receivedAt >= from && s.receivedAt < to;
  const finished = s.finishedAt !== null && s.finishedAt >= from && s.finishedAt < to;
  const openAtEnd = s.receivedAt < to && (s.finishedAt === null || s.finishedAt >= to);
  if (received) {
    c.received = 1;
    if (s.channel === 'online') c.receivedOnline = 1;
    if (s.feeRequired) c.feeRequired = 1;
    if (s.feeRequired && s.paidOnline) c.paidOnline = 1;
    if (s.digitized) c.digitized = 1;
  }
  if (finished) {
    c.finished = 1;
    if (s.rate.outcome === 'early') c.early = 1;
    if (s.rate.outcome === 'on_time') c.onTime = 1;
    if (s.rate.outcome === 'late') c.late = 1;
  }
  if (openAtEnd) {
    if (s.rate.dueAt >= judgedAt) c.openOnTrack = 1;
    else c.openOverdue = 1;
  }
  return c;
}
