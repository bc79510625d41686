/**
 * The one table of the Decision 766 and compliance counts (DOMAIN §5): per count, its key in the reports, its column
 * in the daily counters and the cells, the instant it is anchored to, and its predicate in TypeScript and in SQL side
 * by side. Everything else is derived from here: the daily counters ingestion moves (contributions.ts), their bulk
 * recount (store/recount-counters.ts), the SQL cells and counts of a period (counts-sql.ts), a dossier's counts for
 * the audit (dossier-counts.ts), and the name maps between them. A property test holds the two predicates of every
 * row equal on generated dossiers (test/integration/progress-agreement.test.ts).
 *
 * To add a count: a row here, a `Counts` key (rates.ts), a daily_counts column (a migration), and a report column
 * (columns.ts) if it is shown.
 */
import type { DossierState } from '../dossiers/state.js';
import type { IndicatorFlags } from './indicator-flags.js';
import type { Counts } from './rates.js';

/** The instants a count can be anchored to: a dossier counts in the period (and on the local day) holding it. */
export const ANCHORS = {
  received: { column: 'received_at', of: (s: DossierState) => s.receivedAt },
  /** Processing start (3.6 counts by it): the clock start, or the finish if that came first. */
  started: { column: 'started_at', of: (_s: DossierState, f: IndicatorFlags) => f.startedAt },
  finished: { column: 'finished_at', of: (s: DossierState) => s.finishedAt },
  apology: { column: 'apology_at', of: (s: DossierState) => s.apology?.issuedAt ?? null },
  secondSupplement: { column: 'second_supplement_at', of: (s: DossierState) => s.secondSupplementAt },
  lateRequest: { column: 'late_request_at', of: (s: DossierState) => s.lateSupplementRequestAt },
  dissatisfied: { column: 'dissatisfied_at', of: (s: DossierState) => s.dissatisfiedAt },
} as const;
export type Anchor = keyof typeof ANCHORS;

export interface CountDefinition {
  /** The key in a report's counts (rates.ts Counts). */
  key: keyof Counts;
  /** The column of the daily counters, and the name of the cell of the dossiers behind it. */
  column: string;
  anchor: Anchor;
  /** Whether an anchored dossier counts; `f` is judged as of the instant asked about (indicatorFlags(s, asOf)). */
  counts: (s: DossierState, f: IndicatorFlags) => boolean;
  /**
   * The same over a dossiers row. `t` is the instant a period is judged at (a placeholder such as `$3`), for the
   * facts that can come true after the anchor; null: everything known now (what the daily counters count).
   */
  sql: (t: string | null) => string;
  /** The row's column holding the instant of that later fact (the counters' correction for an ended period reads it). */
  later?: 'electronic_result_at' | 'paid_online_at';
}

const PAYABLE = 'fee_procedure AND fee_required';
/** An electronic result given (by `t`). */
const electronicBy = (t: string | null) => (t === null ? 'electronic_result' : `electronic_result_at <= ${t}`);
/** The result is not on paper, or an electronic one was given (by `t`). */
const resultOk = (t: string | null) => `(NOT paper_result OR ${electronicBy(t)})`;
const flagged = (flag: string) => `flags @> ARRAY['${flag}']::text[]`;
const always = () => true;

export const COUNT_TABLE = [
  { key: 'received', column: 'received', anchor: 'received', counts: always, sql: () => 'true' },
  { key: 'receivedOnline', column: 'received_online', anchor: 'received', counts: (s) => s.channel === 'online', sql: () => "channel = 'online'" },
  { key: 'receivedPostal', column: 'received_postal', anchor: 'received', counts: (s) => s.channel === 'postal', sql: () => "channel = 'postal'" },
  // 3.3: online, and given an electronic result where the result is on paper.
  {
    key: 'onlineFull',
    column: 'online_full',
    anchor: 'received',
    counts: (_s, f) => f.onlineFull,
    sql: (t) => `channel = 'online' AND ${resultOk(t)}`,
    later: 'electronic_result_at',
  },
  { key: 'finished', column: 'finished', anchor: 'finished', counts: always, sql: () => 'true' },
  { key: 'early', column: 'early', anchor: 'finished', counts: (s) => s.rate.outcome === 'early', sql: () => "rate_outcome = 'early'" },
  { key: 'onTime', column: 'on_time', anchor: 'finished', counts: (s) => s.rate.outcome === 'on_time', sql: () => "rate_outcome = 'on_time'" },
  { key: 'late', column: 'late', anchor: 'finished', counts: (s) => s.rate.outcome === 'late', sql: () => "rate_outcome = 'late'" },
  // 3.6: payable dossiers by processing start, and those paid online.
  { key: 'feeRequired', column: 'fee_required', anchor: 'started', counts: (_s, f) => f.payable, sql: () => PAYABLE },
  {
    key: 'paidOnline',
    column: 'paid_online',
    anchor: 'started',
    counts: (_s, f) => f.payable && f.paidOnline,
    sql: (t) => `${PAYABLE} AND ${t === null ? 'paid_online' : `paid_online_at <= ${t}`}`,
    later: 'paid_online_at',
  },
  // 4.2: digitised input and, where the result is on paper, an electronic result.
  { key: 'digitized', column: 'digitized', anchor: 'received', counts: (s) => s.digitized, sql: () => 'digitized' },
  {
    key: 'digitizedFull',
    column: 'digitized_full',
    anchor: 'received',
    counts: (_s, f) => f.digitizedFull,
    sql: (t) => `digitized AND ${resultOk(t)}`,
    later: 'electronic_result_at',
  },
  // 4.1: of the procedures with a paper result, those given an electronic result.
  { key: 'paperResult', column: 'paper_result', anchor: 'received', counts: (_s, f) => f.paperResult, sql: () => 'paper_result' },
  {
    key: 'electronicResult',
    column: 'electronic_result',
    anchor: 'received',
    counts: (_s, f) => f.paperResult && f.electronicResult,
    sql: (t) => `paper_result AND ${electronicBy(t)}`,
    later: 'electronic_result_at',
  },
  // 4.3: a component reuses digitised data.
  { key: 'reusedData', column: 'reused_data', anchor: 'received', counts: (s) => s.reusedDigitizedData, sql: () => 'reused_data' },
  // The compliance figures, each on the day it happened.
  { key: 'rescheduled', column: 'rescheduled', anchor: 'apology', counts: always, sql: () => 'true' },
  {
    key: 'apologyTooLate',
    column: 'apology_too_late',
    anchor: 'apology',
    counts: (s) => s.flags.includes('apology_too_late'),
    sql: () => flagged('apology_too_late'),
  },
  {
    key: 'lateWithoutApology',
    column: 'late_without_apology',
    anchor: 'finished',
    counts: (s) => s.flags.includes('late_without_apology'),
    sql: () => flagged('late_without_apology'),
  },
  { key: 'repeatedSupplement', column: 'repeated_supplement', anchor: 'secondSupplement', counts: always, sql: () => 'true' },
  { key: 'lateSupplementRequest', column: 'late_supplement_request', anchor: 'lateRequest', counts: always, sql: () => 'true' },
  // 5.4: first disliked or complained about.
  { key: 'dissatisfied', column: 'dissatisfied', anchor: 'dissatisfied', counts: always, sql: () => 'true' },
  // Decree 118/2025 Art. 19(5) closures and Art. 17(2) late online acceptances.
  { key: 'closed', column: 'closed', anchor: 'finished', counts: (s) => s.status === 'closed', sql: () => "status = 'closed'" },
  {
    key: 'lateOnlineAcceptance',
    column: 'late_online_acceptance',
    anchor: 'received',
    counts: (s) => s.flags.includes('late_online_acceptance'),
    sql: () => flagged('late_online_acceptance'),
  },
] as const satisfies readonly CountDefinition[];

/** A count's column: a daily counter and a cell. */
export type CountColumn = (typeof COUNT_TABLE)[number]['column'];

/** The instant a count's anchor gives for a dossier (null: it has none yet). */
export function anchorOf(d: CountDefinition, s: DossierState, f: IndicatorFlags): number | null {
  return ANCHORS[d.anchor].of(s, f);
}
