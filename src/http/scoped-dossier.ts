/**
 * The dossier a request names, if the caller's key covers it: the API, the letters and the dossier page all answer
 * an unknown dossier and one outside the key's agencies with the same 404, so the answer never tells another agency
 * it is there.
 */
import type { AppContext } from '../app-context.js';
import type { KeyScope } from '../dossiers/authorization.js';
import type { DossierState } from '../dossiers/fold.js';
import { scopedDossier } from '../store/dossier-reads.js';
import { HttpError } from './errors.js';

export async function loadScopedDossier(ctx: AppContext, code: string, scope: KeyScope): Promise<DossierState> {
  const state = await scopedDossier(ctx.db.pool, code, scope);
  if (!state) throw new HttpError(404, `No dossier ${code}.`);
  return state;
}
