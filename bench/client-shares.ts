/**
 * The load the ingestion benchmarks post: new dossiers from the sample
 * generator (received July 2025 – October 2026, later events cut on
 * 1 November 2026), split among concurrent clients by dossier so that a
 * dossier's events stay in order on one client, as counters send them.
 */
import type { Catalog } from '../src/catalog/catalog.js';
import type { DossierEvent } from '../src/dossiers/events.js';
import { generateEvents } from '../src/sample/sample-events.js';

/** Events split among `clients`, each owning a share of the dossiers (a dossier's events stay in order, on one client). */
export function sharesByDossier<E extends { dossierCode: string }>(events: E[], clients: number): E[][] {
  const shares: E[][] = Array.from({ length: clients }, () => []);
  for (const e of events) {
    let h = 0;
    for (let i = 0; i < e.dossierCode.length; i++) h = (Math.imul(h, 31) + e.dossierCode.charCodeAt(i)) >>> 0;
    shares[h % clients]!.push(e);
  }
  return shares;
}

/** Exactly `events` events of new dossiers (about 4.3 events a dossier), split among `clients`. */
export function newDossierShares(catalog: Catalog, options: { seed: number; events: number; codePrefix: string; clients: number }): DossierEvent[][] {
  const events = generateEvents(catalog, {
    seed: options.seed,
    dossiers: Math.ceil(options.events / 4),
    from: Date.parse('2025-07-02T08:00:00+07:00'),
    to: Date.parse('2026-10-01T08:00:00+07:00'),
    until: Date.parse('2026-11-01T08:00:00+07:00'),
    codePrefix: options.codePrefix,
  }).slice(0, options.events);
  return sharesByDossier(events, options.clients);
}
