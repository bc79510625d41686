/**
 * Ingestion: one transaction appends a batch to the event log (idempotent by
 * eventId) and folds every touched dossier into its row. Either the whole
 * batch is applied and committed before the answer, or nothing is.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { inPipelinedTransaction } from '../db/database.js';
import { isCorrection, type DossierEvent } from '../dossiers/events.js';
import { resolveLog } from '../dossiers/corrections.js';
import { applyEvent, orderEvents, throwIfBeforeReceipt, TransitionError, type FoldContext } from '../dossiers/fold.js';
import { STATE_VERSION, type DossierState } from '../dossiers/state.js';
import type { LoggedEvent } from '../dossiers/events.js';
import { unknownDossierMessage, type Verdict } from '../dossiers/authorization.js';
import { loadEvents, loadPinnedRules, upsertDossiers } from './dossier-projection.js';
import type { OutboxRow } from './outbox-store.js';
import { ensureEventPartitions, isMissingPartition } from './event-partitions.js';

export interface EventProblem {
  index: number;
  eventId: string;
  message: string;
  /** The event's field at fault, when the fold names one. */
  field?: string;
}

/** 403: outside the caller's agencies. 409: an eventId was seen with another body. 422: the event cannot apply. */
export class IngestConflict extends Error {
  constructor(
    readonly status: 403 | 409 | 422,
    readonly problems: EventProblem[],
  ) {
    super(problems.map((p) => `[${p.index}] ${p.message}`).join('; '));
  }
}

export interface IngestResult {
  results: Array<{
    eventId: string;
    status: 'accepted' | 'duplicate';
    /** An accepted void or correction: the event it concerns and the earliest instant of the history it changed. */
    correction?: { targetEventId: string; affectedFrom: number };
  }>;
  dossiers: string[];
}

export interface IngestOptions {
  /**
   * Judges each event of the batch against the dossier as stored and as it stood just before the event; a resend
   * (its eventId already in the log) against the stored dossier alone, before its body is compared.
   */
  authorize?: (stored: DossierState | undefined, before: DossierState | undefined, event: DossierEvent, index: number) => Verdict;
  /** The key that posted the batch, recorded on every event (none for the sample loader and imports by the CLI). */
  actor?: { id: string; role: string } | null;
  /** Per event instead (group commit: requests of several keys in one transaction). */
  actorOf?: (index: number) => { id: string; role: string } | null;
  /**
   * false: the caller seals the events into the chain later (sealPending; a bulk load may seal once at its end).
   * Until then the alert scans and the chain's verification seal them first.
   */
  seal?: boolean;
  /** The application's clock: when the messages are written and first due (absent: the database's). */
  nowMs?: number;
  /**
   * The citizen's messages a dossier's change causes (alerts/citizen-messages.ts, bound to the application's
   * templates and links): written in the projection's statement, in this transaction. `events`: the batch's events
   * for the dossier, in occurrence order.
   */
  messages?: (before: DossierState | undefined, after: DossierState, events: DossierEvent[]) => OutboxRow[];
}

/** What a writer hands the application's ingestion (AppContext.ingest) beside its events. */
export interface IngestRequest {
  /** Judges each event against the dossier as stored and as it stood just before the event (IngestOptions.authorize). */
  authorize?: (stored: DossierState | undefined, before: DossierState | undefined, event: DossierEvent) => Verdict;
  /** The key that wrote the events, recorded on each (none for the sample loader and the CLI's imports). */
  actor?: { id: string; role: string } | null;
}

/** The application's ingestion (AppContext.ingest, src/ingestion.ts): all or nothing, answered once committed. */
export type Ingest = (events: DossierEvent[], request?: IngestRequest) => Promise<IngestResult>;

/** Seals every committed event outside the chain, in commit order, under the chain head's lock (migrations 015, 017). */
const SEAL = 'SELECT seal_events()';

/**
 * Seals every committed event still outside the chain: those the API acknowledged moments ago (its sealer calls
 * this), and those of a process that stopped before sealing. The alert scans, the chain's verification and the audit
 * package call it first.
 */
export async function sealPending(pool: pg.Pool): Promise<void> {
  await pool.query(SEAL);
}

/** Events committed and waiting in the seal's queue (`unsealed_events`): a cheap read, for /metrics. */
export async function countUnsealed(pool: pg.Pool): Promise<number> {
  return (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM unsealed_events')).rows[0]!.n;
}

export function bodyHash(event: DossierEvent, json = JSON.stringify(event)): string {
  return createHash('sha256').update(json).digest('base64url');
}

export async function ingestEvents(pool: pg.Pool, ctx: FoldContext, events: DossierEvent[], options: IngestOptions = {}): Promise<IngestResult> {
  try {
    return await ingestOnce(pool, ctx, events, options);
  } catch (err) {
    // The month has no partition of the log yet (the scheduler creates them ahead; it did not run): nothing was
    // written, so the month is created and the batch tried once more.
    if (!isMissingPartition(err)) throw err;
    await ensureEventPartitions(pool);
    return ingestOnce(pool, ctx, events, options);
  }
}

async function ingestOnce(pool: pg.Pool, ctx: FoldContext, events: DossierEvent[], options: IngestOptions): Promise<IngestResult> {
  const authorize = options.authorize ?? (() => ({ ok: true }) as const);
  const actorOf = options.actorOf ?? (() => options.actor ?? null);
  const bodies = events.map((e) => JSON.stringify(e));
  const hashes = events.map((e, i) => bodyHash(e, bodies[i]));
  const results: IngestResult['results'] = events.map((e) => ({ eventId: e.eventId, status: 'accepted' }));

  // The same eventId twice in one batch: a resend if identical, a conflict otherwise.
  const firstIndex = new Map<string, number>();
  const conflicts: EventProblem[] = [];
  events.forEach((e, i) => {
    const first = firstIndex.get(e.eventId);
    if (first === undefined) firstIndex.set(e.eventId, i);
    else if (hashes[first] === hashes[i]) results[i]!.status = 'duplicate';
    else conflicts.push({ index: i, eventId: e.eventId, message: `eventId ${e.eventId} appears twice in the batch with different bodies` });
  });
  if (conflicts.length) throw new IngestConflict(409, conflicts);
  const fresh = events.map((e, i) => ({ e, i })).filter(({ i }) => results[i]!.status === 'accepted');

  return inPipelinedTransaction(pool, async (client) => {
    // One statement locks the dossiers, appends the events and reads what the fold needs (ingest_open, migration 015).
    // The rows are one JSON document built around the bodies already serialised (cheaper than arrays to escape).
    const rows = fresh.map(({ e, i }) => {
      const actor = actorOf(i);
      return `{"event_id":${JSON.stringify(e.eventId)},"dossier_code":${JSON.stringify(e.dossierCode)},"type":${JSON.stringify(e.type)},"occurred_at":${JSON.stringify(e.occurredAt)},"body":${bodies[i]},"body_hash":"${hashes[i]}","key_id":${JSON.stringify(actor?.id ?? null)},"key_role":${JSON.stringify(actor?.role ?? null)}}`;
    });
    const opened = await client.query<{ kind: 'event' | 'state' | 'stored'; id: string; seq: number | null; doc: unknown }>({
      name: 'dunghan-ingest-open',
      text: 'SELECT * FROM ingest_open($1::jsonb)',
      values: [`[${rows.join(',')}]`],
    });
    const seqOf = new Map<string, number>();
    const stored = new Map<string, DossierState>();
    const storedHash = new Map<string, string>();
    for (const r of opened.rows) {
      if (r.kind === 'event') seqOf.set(r.id, r.seq!);
      else if (r.kind === 'state') stored.set(r.id, r.doc as DossierState);
      else storedHash.set(r.id, r.doc as string);
    }
    const problems: EventProblem[] = [];
    const denied: EventProblem[] = [];
    /** A refused event: 403 outside the key's agencies, 422 otherwise (an unknown dossier, an impossible transition). */
    const refuse = (verdict: Verdict & { ok: false }, e: DossierEvent, i: number) =>
      (verdict.status === 403 ? denied : problems).push({
        index: i,
        eventId: e.eventId,
        message: verdict.message,
        ...(verdict.field ? { field: verdict.field } : {}),
      });
    // Resends are judged like new events before their bodies are compared (issue 28): to a key outside the dossier,
    // a resend is refused as an event for an unknown dossier, whether or not the stored body matches.
    const refused = new Set<number>();
    for (const { e, i } of fresh.filter(({ e }) => !seqOf.has(e.eventId))) {
      const verdict = authorize(stored.get(e.dossierCode), undefined, e, i);
      if (!verdict.ok) {
        refuse(verdict, e, i);
        refused.add(i);
      }
    }
    if (seqOf.size + refused.size !== fresh.length)
      await sortOutResends(
        client,
        fresh.filter(({ i }) => !refused.has(i)),
        { hashes, inserted: seqOf, stored: storedHash },
        results,
      );

    const applied = fresh.filter(({ i }) => results[i]!.status === 'accepted' && !refused.has(i));
    const byCode = new Map<string, Array<{ e: DossierEvent; i: number }>>();
    for (const a of applied) {
      let list = byCode.get(a.e.dossierCode);
      if (!list) byCode.set(a.e.dossierCode, (list = []));
      list.push(a);
    }
    const touched = [...byCode.keys()];
    const states = new Map<string, DossierState>();
    const replay: string[] = [];
    /**
     * Applies `logged` to `start` (undefined: the dossier's whole log, voids and corrections resolved first), judging
     * each event of this batch before it applies.
     */
    const fold = (code: string, start: DossierState | undefined, logged: LoggedEvent[], foldCtx: FoldContext = ctx) => {
      const fresh = new Map(byCode.get(code)!.map((x) => [x.e.eventId, x]));
      const mineCorrections = [...fresh.values()].filter((x) => isCorrection(x.e));
      // A void or correction: who may (a supervisor or admin of the dossier), then whether it can apply to the log as
      // it stands (corrections.ts); a correction's replacement is then judged below as if it had been sent.
      for (const x of mineCorrections) {
        const verdict = authorize(stored.get(code), stored.get(code), x.e, x.i);
        if (!verdict.ok) {
          refuse(verdict, x.e, x.i);
          return;
        }
      }
      const resolved = start ? { events: logged, problems: [], applied: [] } : resolveLog(logged);
      const wrong = resolved.problems.filter((p) => fresh.has(p.eventId));
      if (wrong.length) {
        for (const p of wrong) problems.push({ index: fresh.get(p.eventId)!.i, eventId: p.eventId, message: p.message, field: p.field });
        return;
      }
      for (const a of resolved.applied) {
        const mine = fresh.get(a.eventId);
        if (mine) results[mine.i]!.correction = { targetEventId: a.targetEventId, affectedFrom: a.affectedFrom };
      }
      const ordered = orderEvents(resolved.events);
      let s = start;
      try {
        for (const l of ordered) {
          const mine = fresh.get(l.event.eventId);
          if (mine) {
            const verdict = authorize(stored.get(code), s, l.event, mine.i);
            if (!verdict.ok) {
              refuse(verdict, mine.e, mine.i);
              return;
            }
          }
          if (!s) throwIfBeforeReceipt(ordered, l);
          s = applyEvent(s, l, foldCtx);
        }
        if (s) states.set(code, s);
      } catch (err) {
        if (!(err instanceof TransitionError)) throw err;
        // An event of the log made impossible by a void or correction of this batch: that one is at fault.
        const own = fresh.get(err.eventId);
        const culprit = own ?? mineCorrections[0] ?? byCode.get(code)![0]!;
        const message = !own && isCorrection(culprit.e) ? `with this ${culprit.e.type} event the dossier's events no longer fit: ${err.message}` : err.message;
        // A correction's replacement is judged as sent: its field is named inside `replacement`.
        const field = err.field && own?.e.type === 'corrected' ? `replacement.${err.field}` : own ? err.field : undefined;
        problems.push({ index: culprit.i, eventId: culprit.e.eventId, message, ...(field ? { field } : {}) });
      }
    };
    for (const [code, list] of byCode) {
      const logged: LoggedEvent[] = list.map(({ e }) => ({ seq: seqOf.get(e.eventId)!, event: e }));
      const previous = stored.get(code);
      if (!previous) {
        if (!list.some(({ e }) => e.type === 'received')) {
          for (const { e, i } of list) problems.push({ index: i, eventId: e.eventId, message: unknownDossierMessage(code) });
        } else fold(code, undefined, logged);
      } else if (
        previous.stateVersion === STATE_VERSION &&
        !list.some(({ e }) => isCorrection(e)) &&
        logged.every((l) => Date.parse(l.event.occurredAt) >= previous.lastOccurredAt)
      ) {
        // The common case: the new events happened after everything folded so far.
        fold(code, previous, orderEvents(logged));
      } else replay.push(code);
    }
    // An event that happened before ones already folded, a void or correction (the history changes), or a state of
    // an older version: replay that dossier's whole log, by the rules it was received under.
    if (replay.length) {
      const logs = await loadEvents(client, replay);
      const pinned = await loadPinnedRules(client, replay);
      const replayCtx: FoldContext = { ...ctx, pinnedRules: (code) => pinned.get(code) };
      for (const code of replay) fold(code, undefined, logs.get(code)!, replayCtx);
    }
    // Scope first: a key learns nothing about a dossier it may not see, not even why an event would not apply.
    if (denied.length)
      throw new IngestConflict(
        403,
        denied.sort((a, b) => a.index - b.index),
      );
    if (problems.length)
      throw new IngestConflict(
        422,
        problems.sort((a, b) => a.index - b.index),
      );
    const messages = options.messages
      ? [...states.values()]
          .flatMap((st) =>
            options.messages!(
              stored.get(st.code),
              st,
              orderEvents(byCode.get(st.code)!.map(({ e }) => ({ seq: seqOf.get(e.eventId)!, event: e }))).map((l) => l.event),
            ),
          )
          .map((m) => (options.nowMs === undefined ? m : { ...m, createdAt: options.nowMs }))
      : [];
    const last = upsertDossiers(client, [...states.values()], ctx, stored, {
      pinRules: [...states.values()].filter((st) => !stored.has(st.code) || replay.includes(st.code)),
      messages,
    });
    // Answered only once its events are in the chain too: sealed right after the commit, in the same flight (the
    // chain's head is never held by an ingesting transaction, so concurrent ones commit side by side).
    const seal = options.seal !== false && seqOf.size > 0;
    return { result: { results, dossiers: touched }, last, afterCommit: seal ? SEAL : undefined };
  });
}

/**
 * Events already in the log (their ids in event_ids): identical bodies are acknowledged resends, others a conflict.
 * An event committed by another writer while ingest_open waited is not in its snapshot: it is read again here.
 */
async function sortOutResends(
  client: pg.ClientBase,
  fresh: Array<{ e: DossierEvent; i: number }>,
  /** The batch's body hashes, the event ids this batch inserted, and the hashes already stored by event id. */
  { hashes, inserted, stored }: { hashes: string[]; inserted: Map<string, number>; stored: Map<string, string> },
  results: IngestResult['results'],
): Promise<void> {
  const existing = fresh.filter(({ e }) => !inserted.has(e.eventId));
  const unseen = existing.filter(({ e }) => !stored.has(e.eventId)).map(({ e }) => e.eventId);
  if (unseen.length) {
    const { rows } = await client.query<{ event_id: string; body_hash: string }>('SELECT event_id, body_hash FROM event_ids WHERE event_id = ANY($1::uuid[])', [
      unseen,
    ]);
    for (const r of rows) stored.set(r.event_id, r.body_hash);
  }
  const conflicts: EventProblem[] = [];
  for (const { e, i } of existing) {
    if (stored.get(e.eventId) === hashes[i]) results[i]!.status = 'duplicate';
    else conflicts.push({ index: i, eventId: e.eventId, message: `eventId ${e.eventId} was already recorded with a different body` });
  }
  if (conflicts.length) throw new IngestConflict(409, conflicts);
}
