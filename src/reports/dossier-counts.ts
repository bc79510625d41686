/**
 * What one dossier adds to each count of a period's report (rates.ts
 * Counts), by its row of the count table as the SQL cells are: so that
 * a report can be recomputed from folded states alone (audit packages), and
 * the two forms can be checked against each other.
 */
import type { DossierState } from '../dossiers/state.js';
import { progressAt } from '../dossiers/progress.js';
import { indicatorFlags } from './indicator-flags.js';
import { anchorOf, COUNT_TABLE } from './count-table.js';
import { EMPTY_COUNTS, type Counts } from './rates.js';

/** @param judgedAt when open dossiers are judged: the period's last instant, or now for a running period */
export function dossierCounts(s: DossierState, from: number, to: number, judgedAt: number): Counts {
  const c = { ...EMPTY_COUNTS };
  const within = (ms: number | null) => ms !== null && ms >= from && ms < to;
  // Judged with what had happened by then: a result or payment after it does not count (DOMAIN §5).
  const f = indicatorFlags(s, judgedAt);
  for (const d of COUNT_TABLE) if (within(anchorOf(d, s, f)) && d.counts(s, f)) c[d.key] = 1;
  // Open when the period began: the stock it inherits (the official forms' "từ kỳ trước").
  if (s.receivedAt < from && (s.finishedAt === null || s.finishedAt >= from)) c.carriedOver = 1;
  if (within(f.startedAt) && s.finishedAt !== null && s.finishedAt < to) {
    c.processingTimeCount = 1;
    c.processingTimeSum = s.processingTime ?? 0;
  }
  const judged = progressAt(s, judgedAt);
  if (judged && !judged.finished) {
    if (judged.rate === 'overdue') c.openOverdue = 1;
    else c.openOnTrack = 1;
  }
  return c;
}
