/**
 * What one dossier adds to the daily report counters (migrations 004, 011):
 * flows on the local day they happen, stocks as +1/−1 deltas. The
 * difference between a dossier's contributions before and after an event is
 * what ingestion writes, so the counters always equal the dossiers table.
 * Each flow is a row of the count table (count-table.ts), as the SQL cells of counts-sql.ts are.
 *
 * Ingestion adds every dossier's before (−1) and after (+1) straight into one
 * accumulator of number rows keyed by agency and local day number: nothing is
 * allocated per event or per counter, only per (agency, day) the group moves.
 */
import { isoDateOf, localDayOf } from '../calendar/local-time.js';
import type { DossierState } from '../dossiers/state.js';
import { rateOverdueIntervals } from '../dossiers/progress.js';
import { indicatorFlags } from './indicator-flags.js';
import { anchorOf, COUNT_TABLE } from './count-table.js';

/** The daily counters: a flow per count of the count table, and the two stocks' deltas. */
export const COUNTER_FIELDS = [...COUNT_TABLE.map((d) => d.column), 'open_delta', 'overdue_delta'] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];

/** A daily_counts row as ingestion writes it: an agency's local day and how much each counter moves. */
export type CounterRow = { agency_code: string; day: string } & Record<CounterField, number>;

const F = Object.fromEntries(COUNTER_FIELDS.map((f, i) => [f, i])) as Record<CounterField, number>;
const OPEN = F.open_delta;
const OVERDUE = F.overdue_delta;

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
    // Everything known now; a period's counts subtract what came after its end (report-store.ts lateFactCorrections).
    const f = indicatorFlags(s);
    COUNT_TABLE.forEach((d, i) => {
      const at = anchorOf(d, s, f);
      if (at !== null && d.counts(s, f)) bump(at, i, sign);
    });
    // The open stock: +1 from the receipt's day, −1 from the finish's.
    bump(s.receivedAt, OPEN, sign);
    if (s.finishedAt !== null) bump(s.finishedAt, OPEN, -sign);
    // Overdue at the ends of the days inside each interval the 766 judgment calls overdue: from the day it
    // starts, until the day it ends (a stock is read at a midnight, as the sum of the days before it).
    for (const [start, end] of rateOverdueIntervals(s)) {
      if (end !== null && localDayOf(end) <= localDayOf(start)) continue;
      bump(start, OVERDUE, sign);
      if (end !== null) bump(end, OVERDUE, -sign);
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
