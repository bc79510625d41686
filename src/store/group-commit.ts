/**
 * Group commit for small requests: counter software posts one event per
 * request, and each transaction ends holding the event chain's head until
 * its commit is on disk, so one commit per event caps throughput at the
 * commit rate. Requests that arrive within a few milliseconds of each other
 * are ingested in one transaction and each is answered only after that
 * commit. A group that fails (one request's event is refused) is retried
 * request by request, so each request gets exactly the answer it would
 * have had alone: all or nothing per request, never per group.
 */
import type { DossierEvent } from '../dossiers/events.js';
import { IngestConflict, type IngestOptions, type IngestRequest, type IngestResult } from './event-store.js';

export interface GroupRequest extends IngestRequest {
  events: DossierEvent[];
}

type Ingest = (events: DossierEvent[], options: IngestOptions) => Promise<IngestResult>;

interface Pending extends GroupRequest {
  resolve: (r: IngestResult) => void;
  reject: (err: unknown) => void;
}

export class GroupCommitter {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;

  constructor(
    private readonly ingest: Ingest,
    private readonly options: { windowMs?: number; maxEvents?: number; maxInFlight?: number } = {},
  ) {}

  submit(request: GroupRequest): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    if (this.inFlight >= (this.options.maxInFlight ?? 2)) return; // the next finishing group flushes
    // Idle: go at once (with whatever arrived in this turn of the event loop); a group is already being written:
    // wait a few milliseconds for more to join the next one.
    const wait = this.inFlight === 0 ? 0 : (this.options.windowMs ?? 2);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, wait);
  }

  private async flush(): Promise<void> {
    const max = this.options.maxEvents ?? 1000;
    const group: Pending[] = [];
    let n = 0;
    while (this.queue.length && (group.length === 0 || n + this.queue[0]!.events.length <= max)) {
      const next = this.queue.shift()!;
      group.push(next);
      n += next.events.length;
    }
    this.inFlight += 1;
    try {
      if (group.length === 1) await this.runAlone(group[0]!);
      else await this.runGroup(group);
    } finally {
      this.inFlight -= 1;
      this.schedule();
    }
  }

  private async runAlone(p: Pending): Promise<void> {
    try {
      p.resolve(await this.ingest(p.events, { authorize: p.authorize, actor: p.actor }));
    } catch (err) {
      p.reject(err);
    }
  }

  private async runGroup(group: Pending[]): Promise<void> {
    const owner: number[] = [];
    const offset: number[] = [];
    const events: DossierEvent[] = [];
    group.forEach((p, g) => {
      offset.push(events.length);
      for (const e of p.events) {
        owner.push(g);
        events.push(e);
      }
    });
    let result: IngestResult;
    try {
      result = await this.ingest(events, {
        authorize: (stored, before, event, index) => group[owner[index]!]!.authorize?.(stored, before, event) ?? { ok: true },
        actorOf: (index) => group[owner[index]!]!.actor ?? null,
      });
    } catch (err) {
      // A refused event: its request runs alone (and gets exactly its own answer), the others again as a group.
      // Anything else: every request on its own, in arrival order.
      const culprits = err instanceof IngestConflict ? new Set(err.problems.map((p) => owner[p.index]!)) : null;
      if (!culprits || culprits.size === 0) {
        for (const p of group) await this.runAlone(p);
        return;
      }
      for (const g of culprits) await this.runAlone(group[g]!);
      const rest = group.filter((_, g) => !culprits.has(g));
      if (rest.length === 1) await this.runAlone(rest[0]!);
      else if (rest.length > 1) await this.runGroup(rest);
      return;
    }
    group.forEach((p, g) => {
      const results = result.results.slice(offset[g], offset[g]! + p.events.length);
      p.resolve({ results, dossiers: [...new Set(p.events.map((e) => e.dossierCode))] });
    });
  }
}
