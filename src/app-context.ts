/**
 * What every edge (HTTP, CLI, jobs) shares: the database, the in-memory
 * catalogue and calendar (reloaded when an administrator changes them), the
 * clock, injectable for tests, and the one ingestion path every writer uses
 * (`ingest`, src/ingestion.ts).
 */
import type { ReportReading } from './store/report-store.js';
import type { CatalogImportTarget } from './store/catalog-import.js';
import type { SigningCertificate } from './pdf/sign.js';
import type { Catalog } from './catalog/catalog.js';
import type { VietnamCalendar } from './calendar/vietnam-calendar.js';
import type { Db } from './db/database.js';
import type { FoldContext } from './dossiers/fold.js';
import { CATALOG_CHANNEL, loadCatalog } from './store/catalog-store.js';
import { CALENDAR_CHANNEL, listenFor, loadCalendar } from './store/calendar-store.js';
import { upgradeStaleStates } from './store/dossier-projection.js';
import { KeyCache, KEYS_CHANNEL } from './store/key-cache.js';
import type { DossierEvent } from './dossiers/events.js';
import type { IngestRequest, IngestResult } from './store/event-store.js';
import { Ingestion } from './ingestion.js';
import type { ReplicaReads } from './db/replica.js';
import { runCalendarRefold, runningCalendarRefolds, type RefoldProgress } from './store/calendar-refolds.js';
import { silentLogger, type Logger } from './observability/logger.js';
import { randomBytes } from 'node:crypto';
import { citizenMessages, type CitizenEnv } from './alerts/citizen-messages.js';
import { loadTemplates } from './alerts/message-templates.js';
import { appSecret } from './store/outbox-store.js';

/** How the applicant is told (issue 27): the link key, the templates file, what the SMS gateway takes. */
export interface CitizenOptions {
  /** CITIZEN_LINK_SECRET; absent: one generated once and kept in the database. */
  linkSecret?: string;
  /** MESSAGE_TEMPLATES; absent: fixtures/messages/vi.json. */
  templatesFile?: string;
  sms?: CitizenEnv['sms'];
}

export class AppContext {
  constructor(
    readonly db: Db,
    public catalog: Catalog,
    public calendar: VietnamCalendar,
    readonly now: () => number = Date.now,
    readonly publicUrl = 'http://127.0.0.1:3000',
  ) {
    this.ingestion = new Ingestion(db.pool, () => this.foldContext(), {
      onSealError: (err) => this.logger.warn({ err: String(err) }, 'sealing committed events failed; the next seal takes them in'),
      now: () => this.now(),
      messages: () => {
        const env = this.citizenEnv();
        return env && ((before, after, events) => citizenMessages(before, after, events, env));
      },
    });
  }

  /** The organisation's signing certificate (SIGNING_P12_PATH, SIGNING_P12_PASSPHRASE); unset: letters are not signed. */
  signing: SigningCertificate | undefined;
  /** Set by load(): the templates, link key and SMS limits the citizen's messages are rendered with. */
  citizen: Omit<CitizenEnv, 'catalog' | 'publicUrl'> | undefined;

  /** The environment messages are rendered in now (the catalogue of the moment), or none before load(). */
  citizenEnv(): CitizenEnv | undefined {
    return this.citizen && { ...this.citizen, catalog: this.catalog, publicUrl: this.publicUrl };
  }

  /** Where warnings of the context's own work (a failed seal) go. */
  logger: Logger = silentLogger;

  /** Group commit, the sealer and the ingestion metrics, shared by every app and command over this context. */
  readonly ingestion: Ingestion;

  /**
   * Ingests events (all or nothing), answering once they are committed: the events API, the apology, portal sync
   * and the sample loader all write through here. Throws IngestConflict when an event is refused.
   */
  readonly ingest = (events: DossierEvent[], request: IngestRequest = {}): Promise<IngestResult> => this.ingestion.ingest(events, request);

  /** Lets ingestions in flight finish and seals what they committed; before the database closes. */
  async close(): Promise<void> {
    this.stopping = true;
    await this.refolding;
    await this.ingestion.stop();
    await this.replica?.close();
  }

  /** Set by close(): long work (a calendar re-fold) stops after its batch in flight and is resumed later. */
  stopping = false;
  private refolding: Promise<number> | undefined;

  /**
   * Finishes the re-folds calendar revisions owe (an import interrupted by a shutdown or a kill): at the start of
   * `serve` and `worker`, and before each alert scan. One run at a time per process; several processes share the
   * batches. Answers how many dossiers this call re-folded.
   */
  resumeCalendarRefolds(onProgress?: (p: RefoldProgress) => void): Promise<number> {
    this.refolding ??= (async () => {
      let n = 0;
      for (const r of await runningCalendarRefolds(this.db.pool)) {
        // The revision's calendar (or a later one) must be the one folded with: another process may have imported it.
        if (this.calendar.revision < r.revision) await this.reloadCalendar();
        n += await runCalendarRefold(this.db.pool, r.revision, this.foldContext(), { stopping: () => this.stopping, onProgress });
      }
      return n;
    })().finally(() => (this.refolding = undefined));
    return this.refolding;
  }

  /** Live keys remembered briefly; only while this process follows revocations (watchChanges). */
  keyCache: KeyCache | undefined;

  /** Loads the catalogue and calendar, and replays dossiers stored under an older state version. */
  static async load(
    db: Db,
    options: {
      now?: () => number;
      publicUrl?: string;
      log?: (line: string) => void;
      logger?: Logger;
      citizen?: CitizenOptions;
      /** EVENT_CLOCK_TOLERANCE_SECONDS in ms (default 5 minutes). */
      clockToleranceMs?: number;
    } = {},
  ): Promise<AppContext> {
    const ctx = new AppContext(db, await loadCatalog(db.pool), await loadCalendar(db.pool), options.now, options.publicUrl);
    if (options.clockToleranceMs !== undefined) ctx.ingestion.clockToleranceMs = options.clockToleranceMs;
    if (options.logger) ctx.logger = options.logger;
    // A templates file with a problem stops the start, naming every problem (TemplateError).
    ctx.citizen = {
      templates: loadTemplates(options.citizen?.templatesFile),
      linkSecret: options.citizen?.linkSecret ?? (await appSecret(db.pool, 'citizen_link', () => randomBytes(32).toString('base64url'))),
      sms: options.citizen?.sms ?? { unicode: false, maxSegments: 3 },
    };
    // After a release that changes the state's meaning this replays every dossier (~6 minutes per million on 2 cores,
    // migration 020): say how far.
    let reported = 0;
    const upgraded = await upgradeStaleStates(db.pool, ctx.foldContext(), (done) => {
      if (done - reported < 10_000) return;
      reported = done;
      options.log?.(`Replaying dossiers stored under an older state version: ${done.toLocaleString('en-US')} so far…`);
    });
    if (upgraded) options.log?.(`Replayed ${upgraded} dossiers stored under an older state version.`);
    return ctx;
  }

  /** What a catalogue import needs of the context (store/catalog-import.ts). */
  catalogImportTarget(): CatalogImportTarget {
    return { pool: this.db.pool, catalog: this.catalog, reloadCatalog: () => this.reloadCatalog() };
  }

  /**
   * The read replica (DATABASE_REPLICA_URL) that answers reports while it is within its lag bound; unset: the
   * primary answers everything.
   */
  replica: ReplicaReads | undefined;

  /**
   * What a report reads with: the database (the replica while it is usable, else the primary), the catalogue of the
   * moment and `at` (default: now). Reports, the dashboard's figures, exports, public figures and the portal export
   * read through here; writes, alert scans and letters use `db.pool`, the primary.
   */
  reading(at: number = this.now()): ReportReading {
    const { pool, from } = this.replica?.route() ?? { pool: this.db.pool, from: 'primary' as const };
    return { pool, catalog: this.catalog, nowMs: at, from };
  }

  foldContext(): FoldContext {
    return { catalog: this.catalog, calendar: this.calendar };
  }

  async reloadCatalog(): Promise<void> {
    this.catalog = await loadCatalog(this.db.pool);
  }

  async reloadCalendar(): Promise<void> {
    const next = await loadCalendar(this.db.pool);
    // Two reloads may race; keep the newer revision.
    if (next.revision >= this.calendar.revision) this.calendar = next;
  }

  /**
   * Follows calendar and catalogue imports and key revocations made by any process (LISTEN/NOTIFY), and
   * remembers live keys meanwhile. Returns the stop function.
   */
  async watchChanges(): Promise<() => Promise<void>> {
    const keyCache = new KeyCache();
    const stop = await listenFor(
      this.db.pool,
      {
        [CALENDAR_CHANNEL]: () => this.reloadCalendar(),
        [CATALOG_CHANNEL]: () => this.reloadCatalog(),
        [KEYS_CHANNEL]: async () => keyCache.clear(),
      },
      // No longer told of revocations: every request reads its key again.
      () => {
        this.keyCache = undefined;
      },
    );
    this.keyCache = keyCache;
    return async () => {
      this.keyCache = undefined;
      await stop();
    };
  }
}
