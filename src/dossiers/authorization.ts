/**
 * Who may post which event (pure; the trust boundary between agencies).
 *
 * - A new dossier is received only at an agency the key covers.
 * - An existing dossier takes events only from keys that cover it as stored
 *   (its receiving and handling agencies' paths). To any other key it does
 *   not exist: the answer is the one for an unknown dossier, so that neither
 *   the status code nor the message tells another agency anything.
 * - A hand-over (`assigned`) comes from the agency handling the dossier (or
 *   one above it): nobody assigns another agency's dossier to themselves.
 * - A resend (an eventId already in the log) is judged by the same rules
 *   before its body is compared with the stored one (issue 28: "unchanged"
 *   or a conflict naming a field confirmed another agency's data).
 * - A void or a correction (corrections.ts) comes from a supervisor or an admin (403 otherwise, whatever the
 *   dossier); a correction's replacement is judged as if it had been sent (ingestion hands it here in its place).
 */
import type { DossierEvent } from './events.js';
import type { DossierState } from './state.js';
import { holderProblem, NO_PEOPLE, type PersonDirectory } from './holder.js';
import { lateProblem } from './explanation.js';
import { isLetterStep, selfApprovalProblem } from './letter-workflow.js';

export interface KeyScope {
  /** True when one of the key's agencies is on the path (the key covers everything below its agencies). */
  coversPath(path: string[]): boolean;
  /** Who asks (the events an actor signs with its id: explanations and their review). */
  readonly actor?: { id: string };
  /** Whether the caller has one of the roles. */
  has?(...roles: Array<'counter' | 'supervisor' | 'auditor' | 'admin'>): boolean;
}

/** Who may void or correct an event: those who answer for the dossiers' records. */
export const CORRECTING_ROLES = ['supervisor', 'admin'] as const;

export type Verdict = { ok: true } | { ok: false; status: 403 | 422; message: string; field?: string };

const OK: Verdict = { ok: true };

/** Whether the dossier is outside the key: to it, the dossier does not exist. */
export function hiddenFrom(scope: KeyScope, dossier: { agencyCodes: string[] }): boolean {
  return !scope.coversPath(dossier.agencyCodes);
}

export function unknownDossierMessage(code: string): string {
  return `unknown dossier ${code}: no "received" event for it`;
}

/**
 * @param stored the dossier as committed before this batch (undefined: new)
 * @param before the dossier just before this event, in occurrence order (undefined: none yet, or a resend, which is
 *   judged against the stored dossier alone)
 * @param lookups.pathOf an agency's path from the root (empty when unknown)
 * @param lookups.people who has a person account: a hand-over to a named person (`holder.personId`) must name a known one
 *   of the agency it goes to (holder.ts)
 * @param lookups.actorId who posts the event: a letter's step (letter-workflow.ts) names its actor in `by`, which must
 *   be the caller (none: the step is refused), so the fold's record of who drafted and who approved is true
 * @param lookups.letterSelfApproval whether the agency handling the dossier lets a drafter approve their own letter
 */
export function authorizeEvent(
  scope: KeyScope,
  stored: DossierState | undefined,
  before: DossierState | undefined,
  event: DossierEvent,
  {
    pathOf,
    people = NO_PEOPLE,
    actorId,
    letterSelfApproval = () => false,
  }: { pathOf: (agencyCode: string) => string[]; people?: PersonDirectory; actorId?: string; letterSelfApproval?: (agencyCode: string) => boolean },
): Verdict {
  const hidden = stored !== undefined && hiddenFrom(scope, stored);
  if ((event.type === 'voided' || event.type === 'corrected') && !scope.has?.(...CORRECTING_ROLES)) {
    return { ok: false, status: 403, message: `only a supervisor or an admin can ${event.type === 'voided' ? 'void' : 'correct'} an event` };
  }
  if (event.type === 'received') {
    const path = pathOf(event.receivingAgencyCode);
    // A receipt outside the key is refused alike whether or not another agency holds the code: the refusal is the
    // one for an unknown dossier and says nothing about the stored one. An unknown agency is the fold's to report
    // (422), like for any key.
    if ((!stored || hidden) && path.length > 0 && !scope.coversPath(path)) {
      return {
        ok: false,
        status: 403,
        message: `agency ${event.receivingAgencyCode} is outside this key's agencies: a dossier is received only where the key belongs`,
      };
    }
  }
  if (hidden) return { ok: false, status: 422, message: unknownDossierMessage(event.dossierCode) };
  if (event.type === 'received') return OK;
  if (!before) return OK; // the fold answers "unknown dossier"
  if (hiddenFrom(scope, before)) return { ok: false, status: 422, message: unknownDossierMessage(event.dossierCode) };
  if (event.type === 'assigned' && !scope.coversPath(pathOf(before.currentAgencyCode))) {
    return { ok: false, status: 403, message: `only the agency handling dossier ${event.dossierCode} (or one above it) can hand it over` };
  }
  if (event.type === 'late_explained' || event.type === 'explanation_acknowledged' || event.type === 'explanation_returned') {
    // The author of an explanation or a review is the caller, never someone it names.
    if (scope.actor && event.by !== scope.actor.id) return { ok: false, status: 422, message: "by: the caller's own actor id is expected", field: 'by' };
    if (event.type !== 'late_explained' && scope.has && !scope.has('supervisor', 'admin'))
      return { ok: false, status: 403, message: 'an explanation is acknowledged or returned by a supervisor' };
    // Late or overdue when explained, judged as the dossier stood just before: here, not in the fold (explanation.ts).
    const late = event.type === 'late_explained' ? lateProblem(before, Date.parse(event.occurredAt)) : null;
    if (late) return { ok: false, status: 422, message: late.message, field: late.field };
  }
  if (isLetterStep(event)) {
    if (event.by !== actorId?.toLowerCase())
      return { ok: false, status: 403, message: `a letter's step is recorded by the one who takes it: "by" must be the caller's id`, field: 'by' };
    const problem = selfApprovalProblem(before.letters?.[event.form], event, event.by, letterSelfApproval(before.currentAgencyCode));
    if (problem) return { ok: false, status: 422, message: problem, field: 'by' };
  }
  if (event.type === 'assigned') {
    const problem = holderProblem(event.holder, event.agencyCode, people, pathOf);
    if (problem) return { ok: false, status: 422, message: problem, field: 'holder.personId' };
  }
  return OK;
}
