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
 */
import type { DossierEvent } from './events.js';
import type { DossierState } from './fold.js';

export interface KeyScope {
  /** True when one of the key's agencies is on the path (the key covers everything below its agencies). */
  coversPath(path: string[]): boolean;
}

export type Verdict = { ok: true } | { ok: false; status: 403 | 422; message: string };

const OK: Verdict = { ok: true };

export function unknownDossierMessage(code: string): string {
  return `unknown dossier ${code}: no "received" event for it`;
}

/**
 * @param stored the dossier as committed before this batch (undefined: new)
 * @param before the dossier just before this event, in occurrence order (undefined: none yet)
 * @param pathOf an agency's path from the root (its own code alone when unknown)
 */
export function authorizeEvent(
  scope: KeyScope,
  stored: DossierState | undefined,
  before: DossierState | undefined,
  event: DossierEvent,
  pathOf: (agencyCode: string) => string[],
): Verdict {
  if (stored && !scope.coversPath(stored.agencyCodes)) return { ok: false, status: 422, message: unknownDossierMessage(event.dossierCode) };
  if (event.type === 'received') {
    const path = pathOf(event.receivingAgencyCode);
    // An unknown agency is the fold's to report (422), like for any key.
    if (!stored && path.length > 0 && !scope.coversPath(path)) {
      return { ok: false, status: 403, message: `agency ${event.receivingAgencyCode} is outside this key's agencies: a dossier is received only where the key belongs` };
    }
    return OK;
  }
  if (!before) return OK; // the fold answers "unknown dossier"
  if (!scope.coversPath(before.agencyCodes)) return { ok: false, status: 422, message: unknownDossierMessage(event.dossierCode) };
  if (event.type === 'assigned' && !scope.coversPath(pathOf(before.currentAgencyCode))) {
    return { ok: false, status: 403, message: `only the agency handling dossier ${event.dossierCode} (or one above it) can hand it over` };
  }
  return OK;
}
