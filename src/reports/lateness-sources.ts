/**
 * Where lateness comes from, for a period (issue 26 item 4): by agency and step, the steps that ran over their
 * budgets and the dossiers they made late. Pure: the store reads the steps (dossier_steps) and the period's late
 * dossiers, this judges them as they were at the period's judgment instant (its last instant, or now while it runs),
 * like every other figure (docs/architecture.md, "A period sees only what had happened by its end").
 *
 * - An overrun of the period: a step with a budget that ended in the period past its due instant, or was still open
 *   at the judgment instant and past it then (an open step is counted in each period it is open and overdue at the
 *   end of, as the open dossiers are in 2.1). Its size is the working time over, in the step agency's office hours.
 * - A dossier made late: one the period counts late (finished in it after its 766 appointment) or overdue (open at
 *   its end past the appointment), and every step that had run over by then (its finish, or the judgment instant)
 *   made it so (steps.ts latenessSourcesAt). A late dossier with no such step is `unattributed`: its time went
 *   before the first hand-over or in steps without a budget.
 */
import type { VietnamCalendar } from '../calendar/vietnam-calendar.js';
import { latenessSourcesAt, stepIndexOf, stepTimingAt, type StepState } from '../dossiers/steps.js';

/** A step of one dossier in the period, as the drill-down lists it. */
export interface StepOverrunEntry {
  dossierCode: string;
  position: number;
  agencyCode: string;
  step: string;
  /** Working time over by the judgment instant. */
  overrunMs: number;
  /** Still open at the judgment instant. */
  open: boolean;
  /** Counted among the period's overruns (ended in it, or open and over at its end). */
  overrun: boolean;
  /** The dossier is late or overdue in the period, and this step's overrun is one reason. */
  madeLate: boolean;
}

export interface LatenessRow {
  agencyCode: string;
  step: string;
  overruns: number;
  overrunsEnded: number;
  overrunsOpen: number;
  overrunWorkingMinutes: number;
  /** The mean overrun of the row's overruns (null: none). */
  averageOverrunWorkingMinutes: number | null;
  dossiersMadeLate: number;
}

export interface LatenessReport {
  rows: LatenessRow[];
  total: { lateDossiers: number; attributed: number; unattributed: number; overruns: number; overrunWorkingMinutes: number };
  entries: StepOverrunEntry[];
}

/**
 * @param steps each dossier's steps (those that started by the judgment instant matter)
 * @param late the period's late and overdue dossiers → the instant each is judged at (its finish, or the judgment instant)
 */
export function latenessSources(
  steps: Map<string, StepState[]>,
  late: Map<string, number>,
  period: { from: number },
  judgedAt: number,
  calendar: VietnamCalendar,
): LatenessReport {
  const entries: StepOverrunEntry[] = [];
  for (const [dossierCode, list] of steps) {
    const lateAt = late.get(dossierCode);
    const madeLate = new Set(lateAt === undefined ? [] : latenessSourcesAt(list, lateAt, calendar).map((x) => x.position));
    list.forEach((step, position) => {
      const t = stepTimingAt(step, judgedAt, stepIndexOf(calendar, step));
      if (!t?.overrunMs) return;
      const overrun = t.open || step.endedAt! >= period.from;
      if (!overrun && !madeLate.has(position)) return;
      entries.push({
        dossierCode,
        position,
        agencyCode: step.agencyCode,
        step: step.step,
        overrunMs: t.overrunMs,
        open: t.open,
        overrun,
        madeLate: madeLate.has(position),
      });
    });
  }
  entries.sort(
    (a, b) =>
      a.agencyCode.localeCompare(b.agencyCode) || a.step.localeCompare(b.step, 'vi') || b.overrunMs - a.overrunMs || a.dossierCode.localeCompare(b.dossierCode),
  );

  const byRow = new Map<string, { row: LatenessRow; ms: number; late: Set<string> }>();
  for (const e of entries) {
    const key = `${e.agencyCode}\u0000${e.step}`;
    let g = byRow.get(key);
    if (!g)
      byRow.set(
        key,
        (g = {
          row: {
            agencyCode: e.agencyCode,
            step: e.step,
            overruns: 0,
            overrunsEnded: 0,
            overrunsOpen: 0,
            overrunWorkingMinutes: 0,
            averageOverrunWorkingMinutes: null,
            dossiersMadeLate: 0,
          },
          ms: 0,
          late: new Set(),
        }),
      );
    if (e.overrun) {
      g.row.overruns += 1;
      if (e.open) g.row.overrunsOpen += 1;
      else g.row.overrunsEnded += 1;
      g.ms += e.overrunMs;
    }
    if (e.madeLate) g.late.add(e.dossierCode);
  }
  const minutes = (ms: number) => Math.round(ms / 60_000);
  const rows = [...byRow.values()].map(({ row, ms, late: made }) => ({
    ...row,
    overrunWorkingMinutes: minutes(ms),
    averageOverrunWorkingMinutes: row.overruns ? minutes(ms / row.overruns) : null,
    dossiersMadeLate: made.size,
  }));
  const attributed = new Set(entries.filter((e) => e.madeLate).map((e) => e.dossierCode)).size;
  const counted = entries.filter((e) => e.overrun);
  return {
    rows,
    total: {
      lateDossiers: late.size,
      attributed,
      unattributed: late.size - attributed,
      overruns: counted.length,
      overrunWorkingMinutes: minutes(counted.reduce((s, e) => s + e.overrunMs, 0)),
    },
    entries,
  };
}
