/**
 * The dossier a request names, if the caller's key covers it: the API, the letters and the dossier page all answer
 * an unknown dossier and one outside the key's agencies with the same 404, so the answer never tells another agency
 * it is there.
 */
import type { AppContext } from '../app-context.js';
import type { KeyScope } from '../dossiers/authorization.js';
import type { DossierState } from '../dossiers/state.js';
import { scopedDossier } from '../store/dossier-reads.js';
import { DomainError } from '../domain-error.js';

export async function loadScopedDossier(ctx: AppContext, code: string, scope: KeyScope): Promise<DossierState> {
  const state = await scopedDossier(ctx.db.pool, code, scope);
  if (!state) throw new DomainError('unknown_dossier', `No dossier ${code}.`);
  return state;
}
