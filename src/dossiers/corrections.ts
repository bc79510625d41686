/**
 * Voids and corrections (issue 28 item 6): a supervisor puts a mistaken event right with an event of its own. The log
 * keeps both (and the hash chain covers both); the fold reads the dossier's log as resolved here: a voided event is
 * left out, a corrected one is read as its replacement, at the replacement's instant and in the corrected event's
 * place in arrival order. Pure: ingestion (store/event-store.ts) and every replay (fold.ts `foldDossier`) resolve a
 * log the same way, so a rebuild gives the dossier ingestion gave.
 *
 * The rules, checked in arrival order (a void or correction concerns what was recorded before it):
 * - the target is an event of the same dossier that says what happened: not a void or a correction (to undo a
 *   correction, correct the event again or void it); unknown otherwise, whether or not another dossier has it;
 * - a voided event stays voided: voiding it again, or correcting it, is refused;
 * - a receipt is never voided (the dossier would have no beginning): it is corrected, keeping its procedure and
 *   receiving agency, by which its rules were pinned (store/dossier-projection.ts `dossier_rules`);
 * - a correction keeps the event's type: another fact is a void and a new event.
 * The replacement is then re-validated by the fold as if it had been sent (its transitions, its agency, its dates).
 */
import { isCorrection, type CorrectionEvent, type DossierEvent, type FactEvent, type LoggedEvent } from './events.js';

export interface CorrectionProblem {
  /** The void's or correction's eventId. */
  eventId: string;
  message: string;
  /** The field at fault, as the API names it. */
  field: string;
}

/** A void or correction that applies, and the earliest instant of the dossier's history it changes. */
export interface AppliedCorrection {
  eventId: string;
  targetEventId: string;
  type: CorrectionEvent['type'];
  affectedFrom: number;
}

export interface ResolvedLog {
  /** The events the fold reads (any order: the fold orders them). */
  events: LoggedEvent[];
  problems: CorrectionProblem[];
  applied: AppliedCorrection[];
}

interface Fact {
  original: LoggedEvent & { event: FactEvent };
  /** What the fold reads in its place: itself, a replacement, or nothing (voided). */
  current: LoggedEvent | null;
}

export function resolveLog(log: LoggedEvent[]): ResolvedLog {
  if (!log.some((l) => isCorrection(l.event))) return { events: log, problems: [], applied: [] };
  const facts = new Map<string, Fact>();
  const corrections = new Set<string>();
  const problems: CorrectionProblem[] = [];
  const applied: AppliedCorrection[] = [];
  for (const l of [...log].sort((a, b) => a.seq - b.seq)) {
    const e = l.event;
    if (!isCorrection(e)) {
      facts.set(e.eventId, { original: l as Fact['original'], current: l });
      continue;
    }
    corrections.add(e.eventId);
    const problem = problemOf(e, facts, corrections);
    if (problem) {
      problems.push({ eventId: e.eventId, ...problem });
      continue;
    }
    const fact = facts.get(e.targetEventId)!;
    const was = Date.parse(fact.current!.event.occurredAt);
    if (e.type === 'voided') {
      fact.current = null;
      applied.push({ eventId: e.eventId, targetEventId: e.targetEventId, type: e.type, affectedFrom: was });
    } else {
      // The correction's own eventId names the replacement: a problem the fold finds in it is the correction's.
      const replacement = { ...e.replacement, eventId: e.eventId, dossierCode: e.dossierCode } as FactEvent;
      fact.current = { seq: fact.original.seq, event: replacement, replaces: e.targetEventId };
      applied.push({ eventId: e.eventId, targetEventId: e.targetEventId, type: e.type, affectedFrom: Math.min(was, Date.parse(replacement.occurredAt)) });
    }
  }
  return { events: [...facts.values()].flatMap((f) => (f.current ? [f.current] : [])), problems, applied };
}

function problemOf(e: CorrectionEvent, facts: Map<string, Fact>, corrections: Set<string>): Omit<CorrectionProblem, 'eventId'> | null {
  const target = e.targetEventId;
  if (corrections.has(target))
    return { field: 'targetEventId', message: `event ${target} is itself a void or a correction: void or correct the event it concerns` };
  const fact = facts.get(target);
  if (!fact) return { field: 'targetEventId', message: unknownEventMessage(target, e.dossierCode) };
  if (!fact.current) return { field: 'targetEventId', message: `event ${target} was already voided` };
  const original = fact.original.event;
  if (e.type === 'voided') {
    if (original.type === 'received') return { field: 'targetEventId', message: 'a receipt cannot be voided: correct it instead' };
    return null;
  }
  const r = e.replacement;
  if (r.type !== original.type)
    return { field: 'replacement.type', message: `a correction keeps the event's type ("${original.type}"): void it and send the right event` };
  if (r.type === 'received' && original.type === 'received') {
    if (r.procedureCode !== original.procedureCode)
      return { field: 'replacement.procedureCode', message: 'the procedure is pinned with the rules the dossier is judged by: it cannot be corrected' };
    if (r.receivingAgencyCode !== original.receivingAgencyCode)
      return {
        field: 'replacement.receivingAgencyCode',
        message: 'the receiving agency is pinned with the rules the dossier is judged by: it cannot be corrected',
      };
  }
  return null;
}

/** The answer for an event the dossier does not have, and for one in a dossier outside the caller's agencies alike. */
export function unknownEventMessage(eventId: string, dossierCode: string): string {
  return `unknown event ${eventId} in dossier ${dossierCode}`;
}

/** What a dossier's log says happened, voids and corrections applied, in the fold's order (occurrence, then arrival). */
export function resolvedFacts(log: LoggedEvent[]): DossierEvent[] {
  return resolveLog(log)
    .events.sort((a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt) || a.seq - b.seq)
    .map((l) => l.event);
}
