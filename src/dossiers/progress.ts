/**
 * A dossier's progress at an instant t: the one definition the dossier page,
 * the list filter, the dashboard, the alert scans and the reports share
 * (their SQL form is progress-sql.ts). Two judgments side by side:
 *
 * - legal (the appointment, Decree 61/2018): finished early / on time / late,
 *   or open on track / due soon / overdue / waiting for the citizen (the
 *   legal clock is stopped while the citizen supplements the dossier);
 * - 766 (the national portal's formula, DOMAIN §5): supplementation time is
 *   subtracted, a dossier waiting for the citizen is judged at the request
 *   instant, unless it was asked more than once (then overdue).
 *
 * "The past as it was": the fold keeps a judgment segment each time one of
 * these inputs changes, dated by the event that changed it, so the judgment
 * at a past t is a lookup of the segment in force then, not a replay.
 */
import type { Outcome } from './outcome.js';
import { classifyOpen } from './outcome.js';

/** The open-dossier judgment inputs from one event (`from`) until the next segment. */
export interface JudgmentSegment {
  from: number;
  /** The legal due instant then in force (apology included) and when "due soon" began. */
  dueAt: number;
  dueSoonAt: number;
  /** Waiting for the citizen's supplement since this instant (the legal clock is stopped). */
  waitingSince: number | null;
  /** 766: overdue at any t after this instant while the segment lasts; null: not overdue in it. */
  rateOverdueAfter: number | null;
  /** The 766 appointment then in force (for display). */
  rateDueAt: number;
}

export type OpenProgress = 'on_track' | 'due_soon' | 'overdue' | 'waiting_for_citizen';
export type LegalProgress = Outcome | OpenProgress;
export type RateProgress = Outcome | 'on_track' | 'overdue';

export interface ProgressJudgment {
  finished: boolean;
  legal: LegalProgress;
  rate: RateProgress;
  /** The due instants the two judgments compared against at t. */
  dueAt: number;
  rateDueAt: number;
  /** The instant of the event whose state was judged: how far back "as it was" looked. */
  asOf: number;
}

/** What progressAt needs from a folded state. */
export interface JudgedDossier {
  receivedAt: number;
  finishedAt: number | null;
  outcome: Outcome | null;
  rate: { dueAt: number; outcome: Outcome | null };
  judgments: JudgmentSegment[];
}

/** The segment in force at t (the last one that began at or before t), or null before receipt. */
export function segmentAt(segments: JudgmentSegment[], t: number): JudgmentSegment | null {
  let found: JudgmentSegment | null = null;
  for (const s of segments) {
    if (s.from > t) break;
    found = s;
  }
  return found;
}

/** The dossier's progress at t, with events that had happened by t only; null before its receipt. */
export function progressAt(d: JudgedDossier, t: number): ProgressJudgment | null {
  if (t < d.receivedAt) return null;
  if (d.finishedAt !== null && d.finishedAt <= t) {
    return {
      finished: true,
      legal: d.outcome!,
      rate: d.rate.outcome!,
      dueAt: d.judgments[d.judgments.length - 1]!.dueAt,
      rateDueAt: d.rate.dueAt,
      asOf: d.finishedAt,
    };
  }
  const seg = segmentAt(d.judgments, t)!;
  return {
    finished: false,
    legal: seg.waitingSince !== null ? 'waiting_for_citizen' : classifyOpen(t, seg.dueAt, seg.dueSoonAt),
    rate: seg.rateOverdueAfter !== null && t > seg.rateOverdueAfter ? 'overdue' : 'on_track',
    dueAt: seg.dueAt,
    rateDueAt: seg.rateDueAt,
    asOf: seg.from,
  };
}

/**
 * The 766 overdue instant of an open dossier in its present state.
 * Running: after its 766 appointment. Waiting for the citizen: judged at the
 * request (overdue from the request on if the request came after the
 * appointment), and overdue outright once asked a second time.
 */
export function rateOverdueAfter(s: {
  from: number;
  rateDueAt: number;
  waitingSince: number | null;
  supplementCount: number;
  repeatedSupplementIsLate: boolean;
}): number | null {
  if (s.waitingSince === null) return s.rateDueAt;
  if (s.repeatedSupplementIsLate && s.supplementCount > 1) return s.from - 1;
  return s.waitingSince > s.rateDueAt ? s.from - 1 : null;
}

/**
 * "Late without an apology" at t: the one definition the dossier's flags, the list filter, the dashboard's queue,
 * the digest and the metrics share (progress-sql.ts lateWithoutApologyNowSql is its SQL). Finished by t: finished
 * after its appointment with no apology (the fold's flag). Open at t: legally overdue then (so not while waiting for
 * the citizen after a request made in time: the legal clock is stopped) and no apology issued by t. An apology
 * issued too late is no rescheduling but is an apology: that dossier counts as apology_too_late instead.
 */
export function lateWithoutApologyAt(d: JudgedDossier & { flags: readonly string[]; apology: { issuedAt: number } | null }, t: number): boolean {
  const p = progressAt(d, t);
  if (p === null) return false;
  if (p.finished) return d.flags.includes('late_without_apology');
  return p.legal === 'overdue' && (d.apology === null || d.apology.issuedAt > t);
}

/**
 * "Late or overdue" at t, what a dossier must be explained for (giải trình, explanation.ts): finished late or open
 * overdue by t, by either judgment: the legal one the dossier page and the alerts show, or the 766 one the reports
 * count (they differ after a supplementation or a late apology). progress-sql.ts lateOrOverdueNowSql is its SQL.
 */
export function lateOrOverdueAt(d: JudgedDossier, t: number): boolean {
  const p = progressAt(d, t);
  if (p === null) return false;
  return p.legal === 'late' || p.legal === 'overdue' || p.rate === 'late' || p.rate === 'overdue';
}

/** Appends the segment unless nothing it judges by changed; a second change at the same instant replaces the first. */
export function withSegment(segments: JudgmentSegment[], next: JudgmentSegment): JudgmentSegment[] {
  const last = segments[segments.length - 1];
  if (
    last &&
    last.dueAt === next.dueAt &&
    last.dueSoonAt === next.dueSoonAt &&
    last.waitingSince === next.waitingSince &&
    last.rateOverdueAfter === next.rateOverdueAfter &&
    last.rateDueAt === next.rateDueAt
  )
    return segments;
  if (last && last.from === next.from) return [...segments.slice(0, -1), next];
  return [...segments, next];
}

/**
 * The instants while the dossier was open and 766-overdue, as [start, end)
 * intervals (end null: still open): what the daily counters' overdue stock
 * is made of.
 */
export function rateOverdueIntervals(d: JudgedDossier): Array<[number, number | null]> {
  const out: Array<[number, number | null]> = [];
  d.judgments.forEach((seg, i) => {
    if (seg.rateOverdueAfter === null) return;
    const next = d.judgments[i + 1]?.from ?? null;
    const end = next === null ? d.finishedAt : d.finishedAt === null ? next : Math.min(next, d.finishedAt);
    const start = Math.max(seg.from, seg.rateOverdueAfter + 1);
    if (end === null || start < end) out.push([start, end]);
  });
  return out;
}
