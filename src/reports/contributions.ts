/**
 * What one dossier adds to the daily report counters (migrations 004, 011):
 * flows on the local day they happen, stocks as +1/−1 deltas. The
 * difference between a dossier's contributions before and after an event is
 * what ingestion writes, so the counters always equal the dossiers table.
 * The same definitions as the SQL cells of counts-sql.ts.
 */
import { isoDateOf, localDayOf } from '../calendar/local-time.js';
import type { DossierState } from '../dossiers/fold.js';
import { rateOverdueIntervals } from '../dossiers/progress.js';
import { indicatorFlags } from './indicator-flags.js';

export const COUNTER_FIELDS = [
  'received', 'received_online', 'received_postal', 'online_full', 'finished', 'early', 'on_time', 'late',
  'open_delta', 'overdue_delta', 'fee_required', 'paid_online', 'digitized', 'digitized_full', 'paper_result',
  'electronic_result', 'reused_data', 'rescheduled', 'apology_too_late', 'late_without_apology',
  'repeated_supplement', 'late_supplement_request', 'dissatisfied',
] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];
export type DayCounters = Record<CounterField, number>;

/** Keyed by `agency|YYYY-MM-DD`. */
export type Contribution = Map<string, DayCounters>;

function bump(out: Contribution, agency: string, day: number, field: CounterField, n: number): void {
  const key = `${agency}|${isoDateOf(day)}`;
  let c = out.get(key);
  if (!c) out.set(key, (c = Object.fromEntries(COUNTER_FIELDS.map((f) => [f, 0])) as DayCounters));
  c[field] += n;
}

export function contributionOf(s: DossierState): Contribution {
  const out: Contribution = new Map();
  const a = s.receivingAgencyCode;
  const at = (ms: number | null, field: CounterField, when = true) => {
    if (ms !== null && when) bump(out, a, localDayOf(ms), field, 1);
  };
  const f = indicatorFlags(s);
  at(s.receivedAt, 'received');
  at(s.receivedAt, 'received_online', s.channel === 'online');
  at(s.receivedAt, 'received_postal', s.channel === 'postal');
  at(s.receivedAt, 'online_full', f.onlineFull);
  at(s.receivedAt, 'paper_result', f.paperResult);
  at(s.receivedAt, 'electronic_result', f.paperResult && s.electronicResult);
  at(s.receivedAt, 'digitized', s.digitized);
  at(s.receivedAt, 'digitized_full', f.digitizedFull);
  at(s.receivedAt, 'reused_data', s.reusedDigitizedData);
  // 3.6 counts by the start of processing.
  at(f.startedAt, 'fee_required', f.payable);
  at(f.startedAt, 'paid_online', f.payable && s.paidOnline);
  at(s.apology?.issuedAt ?? null, 'rescheduled');
  at(s.apology?.issuedAt ?? null, 'apology_too_late', s.flags.includes('apology_too_late'));
  at(s.secondSupplementAt, 'repeated_supplement');
  at(s.lateSupplementRequestAt, 'late_supplement_request');
  at(s.dissatisfiedAt, 'dissatisfied');
  at(s.receivedAt, 'open_delta');
  if (s.finishedAt !== null) {
    at(s.finishedAt, 'finished');
    if (s.rate.outcome) at(s.finishedAt, s.rate.outcome === 'on_time' ? 'on_time' : s.rate.outcome);
    at(s.finishedAt, 'late_without_apology', s.flags.includes('late_without_apology'));
    bump(out, a, localDayOf(s.finishedAt), 'open_delta', -1);
  }
  // Overdue at the ends of the days inside each interval the 766 judgment calls overdue: from the day it
  // starts, until the day it ends (a stock is read at a midnight, as the sum of the days before it).
  for (const [start, end] of rateOverdueIntervals(s)) {
    const from = localDayOf(start);
    const to = end === null ? null : localDayOf(end);
    if (to !== null && to <= from) continue;
    bump(out, a, from, 'overdue_delta', 1);
    if (to !== null) bump(out, a, to, 'overdue_delta', -1);
  }
  return out;
}

/** after − before, summed over many dossiers, without the rows that cancel out. */
export function counterDeltas(pairs: Array<{ before: DossierState | null; after: DossierState }>): Contribution {
  const out: Contribution = new Map();
  const add = (c: Contribution, sign: number) => {
    for (const [key, counters] of c) {
      let o = out.get(key);
      if (!o) out.set(key, (o = Object.fromEntries(COUNTER_FIELDS.map((f) => [f, 0])) as DayCounters));
      for (const f of COUNTER_FIELDS) o[f] += sign * counters[f];
    }
  };
  for (const { before, after } of pairs) {
    if (before) add(contributionOf(before), -1);
    add(contributionOf(after), 1);
  }
  for (const [key, c] of out) if (COUNTER_FIELDS.every((f) => c[f] === 0)) out.delete(key);
  return out;
}
