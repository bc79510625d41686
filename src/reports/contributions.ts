/**
 * What one dossier adds to the daily report counters (see migration 004):
 * flows on the local day they happen, stocks as +1/−1 deltas. The
 * difference between a dossier's contributions before and after an event is
 * what ingestion writes, so the counters always equal the dossiers table.
 */
import { isoDateOf, localDayOf } from '../calendar/local-time.js';
import type { DossierState } from '../dossiers/fold.js';

export const COUNTER_FIELDS = [
  'received', 'received_online', 'finished', 'early', 'on_time', 'late',
  'open_delta', 'overdue_delta', 'fee_required', 'paid_online', 'digitized',
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
  const rd = localDayOf(s.receivedAt);
  bump(out, a, rd, 'received', 1);
  if (s.channel === 'online') bump(out, a, rd, 'received_online', 1);
  if (s.feeRequired) bump(out, a, rd, 'fee_required', 1);
  if (s.feeRequired && s.paidOnline) bump(out, a, rd, 'paid_online', 1);
  if (s.digitized) bump(out, a, rd, 'digitized', 1);
  bump(out, a, rd, 'open_delta', 1);
  // The 766 judgment; states folded before it existed carry only the legal one.
  const dd = localDayOf(s.rate?.dueAt ?? s.dueAt);
  const outcome = s.rate ? s.rate.outcome : s.outcome;
  if (s.finishedAt === null) {
    bump(out, a, dd, 'overdue_delta', 1);
  } else {
    const fd = localDayOf(s.finishedAt);
    bump(out, a, fd, 'finished', 1);
    if (outcome === 'early') bump(out, a, fd, 'early', 1);
    if (outcome === 'on_time') bump(out, a, fd, 'on_time', 1);
    if (outcome === 'late') bump(out, a, fd, 'late', 1);
    bump(out, a, fd, 'open_delta', -1);
    // Overdue at a midnight between the due day and the finishing day.
    if (fd > dd) {
      bump(out, a, dd, 'overdue_delta', 1);
      bump(out, a, fd, 'overdue_delta', -1);
    }
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
