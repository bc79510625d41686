/**
 * What one dossier adds to the daily report counters (migrations 004, 011):
 * flows on the local day they happen, stocks as +1/−1 deltas. The
 * difference between a dossier's contributions before and after an event is
 * what ingestion writes, so the counters always equal the dossiers table.
 * The same definitions as the SQL cells of counts-sql.ts.
 *
 * Ingestion adds every dossier's before (−1) and after (+1) straight into one
 * accumulator of number rows keyed by agency and local day number: nothing is
 * allocated per event or per counter, only per (agency, day) the group moves.
 */
import { isoDateOf, localDayOf } from '../calendar/local-time.js';
import type { DossierState } from '../dossiers/fold.js';
import { rateOverdueIntervals } from '../dossiers/progress.js';
import { indicatorFlags } from './indicator-flags.js';

export const COUNTER_FIELDS = [
  'received', 'received_online', 'received_postal', 'online_full', 'finished', 'early', 'on_time', 'late',
  'open_delta', 'overdue_delta', 'fee_required', 'paid_online', 'digitized', 'digitized_full', 'paper_result',
  'electronic_result', 'reused_data', 'rescheduled', 'apology_too_late', 'late_without_apology',
  'repeated_supplement', 'late_supplement_request', 'dissatisfied', 'closed', 'late_online_acceptance',
] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];

/** A daily_counts row as ingestion writes it: an agency's local day and how much each counter moves. */
export type CounterRow = { agency_code: string; day: string } & Record<CounterField, number>;

const F = Object.fromEntries(COUNTER_FIELDS.map((f, i) => [f, i])) as Record<CounterField, number>;

/** Counter deltas summed over many dossiers: agency → local day number → one number per counter. */
export class CounterDeltas {
  private readonly byAgency = new Map<string, Map<number, Int32Array>>();

  /** Adds `sign` × what dossier `s` contributes. */
  add(s: DossierState, sign: 1 | -1): void {
    let days = this.byAgency.get(s.receivingAgencyCode);
    if (!days) this.byAgency.set(s.receivingAgencyCode, (days = new Map()));
    const bump = (ms: number, field: number, n: number) => {
      const day = localDayOf(ms);
      let row = days.get(day);
      if (!row) days.set(day, (row = new Int32Array(COUNTER_FIELDS.length)));
      row[field]! += n;
    };
    const at = (ms: number | null, field: number, when = true) => {
      if (ms !== null && when) bump(ms, field, sign);
    };
    // Everything known now; a period's counts subtract what came after its end (report-store.ts lateFactCorrections).
    const f = indicatorFlags(s);
    at(s.receivedAt, F.received);
    at(s.receivedAt, F.received_online, s.channel === 'online');
    at(s.receivedAt, F.received_postal, s.channel === 'postal');
    at(s.receivedAt, F.online_full, f.onlineFull);
    at(s.receivedAt, F.paper_result, f.paperResult);
    at(s.receivedAt, F.electronic_result, f.paperResult && f.electronicResult);
    at(s.receivedAt, F.digitized, s.digitized);
    at(s.receivedAt, F.digitized_full, f.digitizedFull);
    at(s.receivedAt, F.reused_data, s.reusedDigitizedData);
    // 3.6 counts by the start of processing.
    at(f.startedAt, F.fee_required, f.payable);
    at(f.startedAt, F.paid_online, f.payable && f.paidOnline);
    at(s.apology?.issuedAt ?? null, F.rescheduled);
    at(s.apology?.issuedAt ?? null, F.apology_too_late, s.flags.includes('apology_too_late'));
    at(s.secondSupplementAt, F.repeated_supplement);
    at(s.lateSupplementRequestAt, F.late_supplement_request);
    at(s.dissatisfiedAt, F.dissatisfied);
    at(s.receivedAt, F.late_online_acceptance, s.flags.includes('late_online_acceptance'));
    at(s.receivedAt, F.open_delta);
    if (s.finishedAt !== null) {
      at(s.finishedAt, F.finished);
      if (s.rate.outcome) at(s.finishedAt, F[s.rate.outcome]);
      at(s.finishedAt, F.late_without_apology, s.flags.includes('late_without_apology'));
      at(s.finishedAt, F.closed, s.status === 'closed');
      bump(s.finishedAt, F.open_delta, -sign);
    }
    // Overdue at the ends of the days inside each interval the 766 judgment calls overdue: from the day it
    // starts, until the day it ends (a stock is read at a midnight, as the sum of the days before it).
    for (const [start, end] of rateOverdueIntervals(s)) {
      if (end !== null && localDayOf(end) <= localDayOf(start)) continue;
      bump(start, F.overdue_delta, sign);
      if (end !== null) bump(end, F.overdue_delta, -sign);
    }
  }

  /** The rows that move some counter, in (agency, day) order: writers of one shard then lock rows in one order. */
  rows(): CounterRow[] {
    const out: CounterRow[] = [];
    for (const agency of [...this.byAgency.keys()].sort()) {
      const days = this.byAgency.get(agency)!;
      for (const day of [...days.keys()].sort((a, b) => a - b)) {
        const row = days.get(day)!;
        if (row.every((n) => n === 0)) continue;
        const r = { agency_code: agency, day: isoDateOf(day) } as CounterRow;
        COUNTER_FIELDS.forEach((field, i) => (r[field] = row[i]!));
        out.push(r);
      }
    }
    return out;
  }
}

/** after − before, summed over many dossiers, without the rows that cancel out. */
export function counterDeltas(pairs: Array<{ before: DossierState | null; after: DossierState }>): CounterRow[] {
  const deltas = new CounterDeltas();
  for (const { before, after } of pairs) {
    if (before) deltas.add(before, -1);
    deltas.add(after, 1);
  }
  return deltas.rows();
}
