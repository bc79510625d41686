/**
 * The one ingestion path. Every writer — the events API, the apology and the letters' steps (API and page), portal sync (API and
 * `dunghan sync import`), the sample loader — hands its events to the application context's ingestion
 * (`ctx.ingest`), so each gets the same acknowledgement (committed before the answer), group commit for small
 * requests, the sealer, and the metrics. It was built inside the events router: the apology skipped group commit,
 * the sealer and the metrics, and sync and the sample loader sealed on their own.
 *
 * Small requests (up to GROUPED_UP_TO events) share transactions with concurrent ones (group-commit.ts); larger
 * batches (a portal file's chunk, the sample's 1,000-event batches) run alone, where grouping would only make a
 * small request wait behind them. Commits are sealed into the chain shortly after, many to a seal (sealer.ts);
 * `stop()` waits for what is in flight and seals what was committed.
 */
import type pg from 'pg';
import { happenedInstants, type DossierEvent } from './dossiers/events.js';
import type { FoldContext } from './dossiers/fold.js';
import { createIngestMetrics, type IngestMetrics } from './observability/metrics.js';
import {
  IngestConflict,
  ingestEvents,
  sealPending,
  type EventProblem,
  type IngestOptions,
  type IngestRequest,
  type IngestResult,
} from './store/event-store.js';
import { GroupCommitter } from './store/group-commit.js';
import { Sealer } from './store/sealer.js';

/** Requests up to this many events share transactions with concurrent ones (group commit); larger batches run alone. */
export const GROUPED_UP_TO = 100;

/** How far ahead of the service's clock an event may be dated (EVENT_CLOCK_TOLERANCE_SECONDS): a sender's clock a little fast. */
export const DEFAULT_CLOCK_TOLERANCE_MS = 300_000;

/**
 * The future is not recorded (issue 28 item 6): an instant at which something happened (an event's occurrence, an
 * online submission, a correction's replacement) later than `latestMs` is refused, naming its field. Judged here, in
 * the one path, so the API, the pages, portal sync, the CLI's imports and the outbox's deliveries are held alike.
 */
export function futureProblems(events: DossierEvent[], latestMs: number): EventProblem[] {
  return events.flatMap((e, index) =>
    happenedInstants(e)
      .filter((x) => Date.parse(x.at) > latestMs)
      .map((x) => ({
        index,
        eventId: e.eventId,
        field: x.field,
        message: `${x.field} ${x.at} is in the future (nothing later than ${new Date(latestMs).toISOString()} is accepted, the service's clock and its tolerance): what has not happened yet is not recorded`,
      })),
  );
}

export class Ingestion {
  readonly metrics: IngestMetrics = createIngestMetrics();
  private readonly sealer: Sealer;
  private readonly committer: GroupCommitter;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** The citizen's messages a change causes, bound to the templates and catalogue of the moment. */
  private readonly messages: () => IngestOptions['messages'];
  private readonly now: (() => number) | undefined;
  /** How far ahead of the clock an event may be dated (EVENT_CLOCK_TOLERANCE_SECONDS); Infinity: no limit. */
  clockToleranceMs: number;

  constructor(
    private readonly pool: pg.Pool,
    /** Read at each ingestion: the catalogue and calendar a process reloads after an import. */
    private readonly foldContext: () => FoldContext,
    options: { onSealError?: (err: unknown) => void; messages?: () => IngestOptions['messages']; now?: () => number; clockToleranceMs?: number } = {},
  ) {
    this.now = options.now;
    this.clockToleranceMs = options.clockToleranceMs ?? DEFAULT_CLOCK_TOLERANCE_MS;
    this.messages = options.messages ?? (() => undefined);
    // Committed is acknowledged; the chain takes the events in shortly after, many commits to a seal.
    this.sealer = new Sealer(pool, { onError: options.onSealError });
    this.committer = new GroupCommitter((events, opts) => this.commit(events, opts));
  }

  /** Ingests `events` (all or nothing) and answers once they are committed; throws IngestConflict when refused. */
  async ingest(events: DossierEvent[], request: IngestRequest = {}): Promise<IngestResult> {
    // Judged before anything is read or written: the event's own instants, nothing of any dossier.
    const future = futureProblems(events, (this.now?.() ?? Date.now()) + this.clockToleranceMs);
    if (future.length) throw new IngestConflict(422, future);
    const done = this.metrics.ingestDuration.startTimer();
    const running = events.length <= GROUPED_UP_TO ? this.committer.submit({ events, ...request }) : this.commit(events, request);
    this.inFlight.add(running);
    try {
      const result = await running;
      const accepted = result.results.filter((r) => r.status === 'accepted').length;
      done();
      this.metrics.eventsIngested.inc({ result: 'accepted' }, accepted);
      this.metrics.eventsIngested.inc({ result: 'duplicate' }, result.results.length - accepted);
      return result;
    } finally {
      this.inFlight.delete(running);
    }
  }

  /** Waits for the ingestions in flight, then seals every committed event still outside the chain. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await sealPending(this.pool);
  }

  private async commit(events: DossierEvent[], options: IngestOptions): Promise<IngestResult> {
    const result = await ingestEvents(this.pool, this.foldContext(), events, { ...options, seal: false, messages: this.messages(), nowMs: this.now?.() });
    if (result.results.some((r) => r.status === 'accepted')) this.sealer.nudge();
    return result;
  }
}
