/**
 * The audit package (`dunghan audit export`) and its offline check
 * (`dunghan audit check`): pure, so an auditor can run it on a copy with no
 * database. Each event carries the chain link that proves it was in the log
 * (the previous hash, its position, its hash); the dossiers are re-folded
 * with the package's own catalogue and calendar, and the counts of the
 * period recomputed and compared with the published ones.
 */
import { Catalog } from '../catalog/catalog.js';
import type { Agency, Procedure } from '../catalog/schemas.js';
import { VietnamCalendar } from '../calendar/vietnam-calendar.js';
import type { CalendarYearFile } from '../calendar/calendar-file.js';
import type { DossierEvent } from '../dossiers/events.js';
import { foldDossier } from '../dossiers/fold.js';
import { type PinnedRules } from '../dossiers/state.js';
import { dossierCounts } from '../reports/dossier-counts.js';
import { addCounts, EMPTY_COUNTS, type Counts } from '../reports/rates.js';
import { chainLink } from './chain.js';

export interface AuditPackage {
  format: 'dunghan-audit-package/1';
  generatedAt: string;
  agency: string;
  period: { label: string; from: string; to: string; judgedAt: string };
  chainHead: { pos: number; hash: string };
  events: Array<{
    pos: number;
    prevHash: string | null;
    hash: string;
    eventId: string;
    keyId: string | null;
    keyRole: string | null;
    recordedAt: string;
    bodyText: string;
  }>;
  catalog: { agencies: Agency[]; procedures: Procedure[] };
  calendar: { version: string; revisions: unknown[]; years: CalendarYearFile[] };
  rules: { pinned: Record<string, PinnedRules> } & Record<string, unknown>;
  published: { total: Counts; rows: unknown[] };
}

export interface PackageCheck {
  events: number;
  /** Events whose link does not hold: edited after export, or not from this log. */
  brokenLinks: Array<{ pos: number; eventId: string }>;
  dossiers: number;
  recomputed: Counts;
  /** Counts that differ from the published total, with both values. */
  differences: Array<{ count: keyof Counts; published: number; recomputed: number }>;
}

// 2.2's processing time is only reported per procedure (its units differ between procedures), not in a package's total.
const COUNT_KEYS = (Object.keys(EMPTY_COUNTS) as Array<keyof Counts>).filter((k) => !k.startsWith('processingTime'));

export function checkPackage(pkg: AuditPackage): PackageCheck {
  const brokenLinks = pkg.events
    .filter((e) => e.prevHash === null || chainLink(e.prevHash, e.pos, e.eventId, e.keyId, e.bodyText) !== e.hash)
    .map((e) => ({ pos: e.pos, eventId: e.eventId }));
  const catalog = new Catalog(pkg.catalog.agencies, pkg.catalog.procedures);
  const calendar = new VietnamCalendar(pkg.calendar.years);
  const byDossier = new Map<string, Array<{ seq: number; event: DossierEvent }>>();
  for (const e of pkg.events) {
    const event = JSON.parse(e.bodyText) as DossierEvent;
    const list = byDossier.get(event.dossierCode) ?? [];
    list.push({ seq: e.pos, event });
    byDossier.set(event.dossierCode, list);
  }
  const from = Date.parse(pkg.period.from);
  const to = Date.parse(pkg.period.to);
  const judgedAt = Date.parse(pkg.period.judgedAt);
  let recomputed = EMPTY_COUNTS;
  const pinnedRules = (code: string) => pkg.rules.pinned?.[code];
  for (const list of byDossier.values())
    recomputed = addCounts(recomputed, dossierCounts(foldDossier(list, { catalog, calendar, pinnedRules }), from, to, judgedAt));
  const differences = COUNT_KEYS.filter((k) => recomputed[k] !== pkg.published.total[k]).map((k) => ({
    count: k,
    published: pkg.published.total[k],
    recomputed: recomputed[k],
  }));
  return { events: pkg.events.length, brokenLinks, dossiers: byDossier.size, recomputed, differences };
}
