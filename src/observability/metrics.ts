/**
 * Prometheus metrics (prom-client), one registry per app: request latency by
 * route, events ingested and ingestion latency (kept by the context's
 * ingestion, src/ingestion.ts), report latency, and gauges
 * read from the database when scraped (outbox backlog and failures, open and
 * overdue dossiers by receiving agency's kind, events waiting for the chain's seal).
 */
import client from 'prom-client';
import type pg from 'pg';
import { openDossiersByAgencyKind } from '../store/dossier-reads.js';
import { countUnsealed } from '../store/event-store.js';
import { OUTBOX_CHANNELS, outboxBacklog } from '../store/outbox-store.js';

export interface Metrics {
  registry: client.Registry;
  httpDuration: client.Histogram<'method' | 'route' | 'status'>;
  reportDuration: client.Histogram<'format'>;
}

/**
 * What ingestion counts, for every writer (the events API, the apology, portal sync, the sample loader): owned by
 * the application context's ingestion, which outlives any one app, and shown by every app's registry.
 */
export interface IngestMetrics {
  eventsIngested: client.Counter<'result'>;
  ingestDuration: client.Histogram;
}

export function createIngestMetrics(): IngestMetrics {
  return {
    eventsIngested: new client.Counter({
      name: 'dunghan_events_ingested_total',
      help: 'Events ingested by any writer, by result (accepted, duplicate)',
      labelNames: ['result'] as const,
      registers: [],
    }),
    ingestDuration: new client.Histogram({
      name: 'dunghan_ingest_duration_seconds',
      help: "Ingestions from the writer's call to commit",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [],
    }),
  };
}

export function createMetrics(pool: pg.Pool, ingest: IngestMetrics): Metrics {
  const registry = new client.Registry();
  registry.registerMetric(ingest.eventsIngested);
  registry.registerMetric(ingest.ingestDuration);
  client.collectDefaultMetrics({ register: registry, prefix: 'dunghan_process_' });
  const httpDuration = new client.Histogram({
    name: 'dunghan_http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const reportDuration = new client.Histogram({
    name: 'dunghan_report_duration_seconds',
    help: 'Rate reports, by format',
    labelNames: ['format'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // One read serves both gauges of a scrape (each collect asks; the second within a moment reuses it).
  let backlogRead: { at: number; rows: Promise<Awaited<ReturnType<typeof outboxBacklog>>> } | null = null;
  const backlog = () => {
    if (!backlogRead || Date.now() - backlogRead.at > 1000) backlogRead = { at: Date.now(), rows: outboxBacklog(pool) };
    return backlogRead.rows;
  };
  new client.Gauge({
    name: 'dunghan_outbox_messages',
    help: 'Outbox rows (alerts and citizen messages) by status (pending: the backlog; failed: given up after the last try)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await backlog();
      this.reset();
      for (const status of ['pending', 'failed'] as const)
        this.set(
          { status },
          rows.filter((r) => r.status === status).reduce((n, r) => n + r.n, 0),
        );
    },
  });
  new client.Gauge({
    name: 'dunghan_outbox_channel_messages',
    help: 'Outbox rows by channel (email, sms, zalo) and status (pending; failed; late: not delivered by their legal moment, as the apology one day before the due date)',
    labelNames: ['channel', 'status'] as const,
    registers: [registry],
    async collect() {
      const rows = await backlog();
      this.reset();
      for (const channel of OUTBOX_CHANNELS) {
        for (const status of ['pending', 'failed', 'late'] as const)
          this.set({ channel, status }, rows.find((r) => r.channel === channel && r.status === status)?.n ?? 0);
      }
    },
  });
  new client.Gauge({
    name: 'dunghan_dossiers_open',
    help: 'Open dossiers, of those legally overdue (not waiting for the citizen), and overdue with no apology, by the kind of the receiving agency',
    labelNames: ['agency_kind', 'state'] as const,
    registers: [registry],
    async collect() {
      const rows = await openDossiersByAgencyKind(pool);
      this.reset();
      for (const r of rows) {
        this.set({ agency_kind: r.kind, state: 'open' }, r.open);
        this.set({ agency_kind: r.kind, state: 'overdue' }, r.overdue);
        this.set({ agency_kind: r.kind, state: 'late_without_apology' }, r.late_without_apology);
      }
    },
  });
  new client.Gauge({
    name: 'dunghan_events_unsealed',
    help: 'Events committed and not yet in the audit chain: those of the last 20 ms or so; growing means the seal keeps failing',
    registers: [registry],
    async collect() {
      this.set(await countUnsealed(pool));
    },
  });
  return { registry, httpDuration, reportDuration };
}
