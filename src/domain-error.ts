/**
 * What went wrong, in the domain's words: a kind a client can act on without parsing text. Pure (no HTTP): the core,
 * the store and the request helpers throw it; src/http/errors.ts alone maps each kind to a status and a distinct
 * problem type URI (`urn:dunghan:problem:<kind with dashes>`), and the CLI to its exit code.
 */
export const DOMAIN_ERROR_KINDS = {
  /** No such dossier, or one outside the caller's agencies: the same answer, so it tells another agency nothing. */
  unknown_dossier: 404,
  unknown_agency: 400,
  unknown_procedure: 400,
  /** An agency (or key, or record) outside the caller's agencies. */
  not_in_scope: 403,
  bad_period: 400,
  /** A period that has not begun has nothing to report (not a table of zeros). */
  period_not_started: 400,
  /** A period that has ended, where only a running one makes sense (what-if). */
  period_ended: 400,
  /** The same identity with other content (an event id, a portal slot). */
  conflict: 409,
  /** Not possible in the dossier's present state (an apology on a finished dossier). */
  invalid_transition: 422,
  /** A new appointment that is no real appointment (past, on a day off, outside office hours). */
  invalid_appointment: 422,
  /** An explanation of lateness that cannot be recorded or reviewed (a dossier not late, a reason not in the list, one's own). */
  invalid_explanation: 422,
} as const;
export type DomainErrorKind = keyof typeof DOMAIN_ERROR_KINDS;

export interface DomainFieldIssue {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: DomainFieldIssue[],
    /** What a page says instead, in Vietnamese, when the generic sentence for the kind would say less. */
    readonly vietnamese?: string,
  ) {
    super(message);
  }
}
