/**
 * Events a signed-in caller (a key or a person) posts, through the one ingestion path: each is authorized against
 * the caller's scope as it is folded, a hand-over's named holder against the accounts (the person directory read for
 * the batch), and recorded under the caller as actor. The events API and the counter's pages both write so.
 */
import type { AppContext } from '../app-context.js';
import { authorizeEvent } from '../dossiers/authorization.js';
import type { DossierEvent } from '../dossiers/events.js';
import type { IngestResult } from '../store/event-store.js';
import { peopleDirectory } from '../store/people.js';
import type { Scope } from './auth.js';

export async function ingestAs(ctx: AppContext, scope: Scope, events: DossierEvent[]): Promise<IngestResult> {
  const catalog = ctx.catalog;
  const people = await peopleDirectory(
    ctx.db.pool,
    events.flatMap((e) => (e.type === 'assigned' && e.holder?.personId ? [e.holder.personId] : [])),
  );
  return ctx.ingest(events, {
    actor: scope.actor,
    authorize: (stored, before, event) =>
      authorizeEvent(scope, stored, before, event, {
        pathOf: (code) => catalog.pathOf(code),
        people,
        actorId: scope.actor.id,
        letterSelfApproval: (code) => catalog.letterSelfApproval(code),
      }),
  });
}
