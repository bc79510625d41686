/**
 * The warning scan (issue 26 items 3 and 5): judges the dossiers whose next crossing has come or that changed since
 * the last scan (store/warning-scans.ts), resolves each crossing's recipients, records each (crossing, recipient)
 * once in the `alerts` ledger and writes one outbox message per recipient listing what is new to them, all in one
 * transaction. A crossing whose agency's office is closed now is held back: it is not recorded, and the dossier is
 * planned for the office's next opening, so the first scan then sends it (once: the ledger key names the crossing).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { formatLocalInstant } from '../calendar/local-time.js';
import type { Catalog } from '../catalog/catalog.js';
import { DEFAULT_OFFICE_HOURS } from '../calendar/office-hours.js';
import { inTransaction } from '../db/database.js';
import type { DossierState } from '../dossiers/state.js';
import { resolveWarningSettings, type WarningRecipient, type WarningSettings } from '../rules/warning-thresholds.js';
import { linkAlertsToMessage, recordAlerts } from '../store/alert-scans.js';
import { sealPending } from '../store/event-store.js';
import { enqueue } from '../store/outbox-store.js';
import { chainHead, lockScanWatermark, saveScanWatermark } from '../store/scan-watermarks.js';
import { supervisorsByAgency } from '../store/supervisors.js';
import { activePeopleByIds, allWarningSettings } from '../store/warning-settings.js';
import { dossiersToWarn, savePlan } from '../store/warning-scans.js';
import type { AlertEnv } from './alert-content.js';
import { thresholdKey, warningsAt, type Crossing } from './warning-crossings.js';
import { renderWarnings, type WarningItem } from './warning-content.js';

const KIND = 'warning';

export interface WarningScanResult {
  /** (crossing, recipient) pairs new in this scan. */
  alerts: number;
  /** Messages written: one per recipient. */
  messages: number;
  /** Crossings held back until the agency's office opens. */
  heldBack: number;
  /** Dossiers judged: those whose crossing came and those that changed, not the backlog. */
  examined: number;
}

interface Recipient {
  name: string;
  email: string;
}

type Supervisors = Map<string, Array<{ name: string; email: string }>>;

/** Whom a crossing tells, once each by address. */
function recipientsOf(
  c: Crossing,
  notify: WarningRecipient[],
  who: { catalog: Catalog; supervisors: Supervisors; people: Map<string, { name: string; email: string }> },
): Recipient[] {
  const out = new Map<string, Recipient>();
  const add = (r: Recipient | undefined) => {
    if (r && !out.has(r.email.toLowerCase())) out.set(r.email.toLowerCase(), r);
  };
  // The unit's supervisors are the nearest registered at or above it; its leader's, the next registered above those.
  const path = who.catalog.agency(c.unitCode) ? who.catalog.pathOf(c.unitCode) : [c.unitCode];
  const levels = path.filter((code) => who.supervisors.has(code)).reverse();
  for (const r of notify) {
    if (r === 'holder') {
      const holder = c.step?.holder;
      const person = holder?.personId ? who.people.get(holder.personId) : undefined;
      const email = holder?.email ?? person?.email;
      if (holder && email) add({ name: holder.name, email });
    } else if (r === 'supervisor' || r === 'leader') {
      const level = levels[r === 'supervisor' ? 0 : 1];
      for (const sup of level ? who.supervisors.get(level)! : []) add(sup);
    } else add(who.people.get(r.personId));
  }
  return [...out.values()];
}

/** When the agency's office is next open: the instant itself while it is open (a working day, within its office hours). */
function officeOpensAt(env: AlertEnv, agencyCode: string, at: number): number {
  const hours = env.catalog.agency(agencyCode) ? env.catalog.policiesOf(agencyCode).officeHours : DEFAULT_OFFICE_HOURS;
  return env.calendar.workingTime(hours).nextOpening(at);
}

export async function scanWarnings(pool: pg.Pool, env: AlertEnv): Promise<WarningScanResult> {
  // Events are seen by their chain position: any committed but not yet sealed are sealed first.
  await sealPending(pool);
  return inTransaction(pool, async (client) => {
    const since = await lockScanWatermark(client, KIND);
    const head = await chainHead(client);
    // A clock moved back (tests, a corrected system time) judges everything again.
    const incremental = since !== undefined && since.scannedAt.getTime() <= env.now;
    const states = await dossiersToWarn(client, env.now, incremental ? { chainPos: since.chainPos, head } : undefined);
    await saveScanWatermark(client, KIND, env.now, head);

    const own = await allWarningSettings(client);
    const settingsCache = new Map<string, WarningSettings>();
    const settingsOf = (code: string) => {
      let s = settingsCache.get(code);
      if (!s) settingsCache.set(code, (s = resolveWarningSettings(env.catalog.agency(code) ? env.catalog.pathOf(code) : [code], own).settings));
      return s;
    };

    const plan: Array<{ code: string; nextAt: number | null }> = [];
    const found: Array<{ crossing: Crossing; state: DossierState; notify: WarningRecipient[] }> = [];
    let heldBack = 0;
    for (const state of states) {
      const { due, nextAt } = warningsAt(state, env.now, { calendar: env.calendar, settingsOf });
      let next = nextAt;
      for (const crossing of due) {
        const settings = settingsOf(crossing.agencyCode);
        const opensAt = settings.outsideOfficeHours ? env.now : officeOpensAt(env, crossing.agencyCode, env.now);
        if (opensAt !== env.now) {
          // Held back until the office opens: the dossier is planned for then (not recorded now, so sent then, once).
          heldBack++;
          next = next === null ? opensAt : Math.min(next, opensAt);
          continue;
        }
        found.push({ crossing, state, notify: crossing.threshold.notify });
      }
      plan.push({ code: state.code, nextAt: next });
    }
    await savePlan(client, plan);
    if (found.length === 0) return { alerts: 0, messages: 0, heldBack, examined: states.length };

    const personIds = new Set<string>();
    for (const f of found) {
      if (f.crossing.step?.holder?.personId) personIds.add(f.crossing.step.holder.personId);
      for (const r of f.notify) if (typeof r === 'object') personIds.add(r.personId);
    }
    const who = { catalog: env.catalog, supervisors: await supervisorsByAgency(client), people: await activePeopleByIds(client, [...personIds]) };

    const candidates: Array<{ key: string; item: WarningItem; to: Recipient }> = [];
    for (const f of found) {
      const c = f.crossing;
      const subject = c.position === null ? 'dossier' : `step${c.position}`;
      const crossingKey = `${KIND}:${f.state.code}:${subject}:${thresholdKey(c.threshold)}:${formatLocalInstant(c.dueAt)}:${c.repeat}`;
      for (const to of recipientsOf(c, f.notify, who))
        candidates.push({ key: `${crossingKey}:${to.email.toLowerCase()}`, item: { crossing: c, state: f.state }, to });
    }
    const fresh = new Set<string>();
    for (let i = 0; i < candidates.length; i += 1000) {
      const slice = candidates.slice(i, i + 1000);
      const inserted = await recordAlerts(
        client,
        slice.map((c) => ({ dedupeKey: c.key, kind: KIND, dossierCode: c.item.state.code, dueAt: c.item.crossing.dueAt, recipient: c.to.email })),
      );
      for (const key of inserted) fresh.add(key);
    }

    // One message per recipient: what is new to them in this scan, most urgent (least time left) first.
    const byRecipient = new Map<string, { to: Recipient; items: typeof candidates }>();
    for (const c of candidates) {
      if (!fresh.has(c.key)) continue;
      const address = c.to.email.toLowerCase();
      const entry = byRecipient.get(address) ?? { to: c.to, items: [] };
      entry.items.push(c);
      byRecipient.set(address, entry);
    }
    for (const [address, { to, items }] of byRecipient) {
      items.sort((a, b) => a.item.crossing.leftMs - b.item.crossing.leftMs || a.key.localeCompare(b.key));
      const keys = items.map((c) => c.key);
      const dedupeKey = `${KIND}-list:${address}:${createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 32)}`;
      const single = new Set(items.map((c) => c.item.state.code)).size === 1 ? items[0]!.item.state : null;
      await enqueue(
        client,
        [
          {
            dedupeKey,
            kind: 'warning',
            dossierCode: single?.code ?? null,
            agencyCode: single?.receivingAgencyCode ?? null,
            dueAt: items[0]!.item.crossing.dueAt,
            recipient: to.email,
            ...renderWarnings(
              items.map((c) => c.item),
              env,
              to.name,
            ),
          },
        ],
        env.now,
      );
      await linkAlertsToMessage(client, dedupeKey, keys);
    }
    return { alerts: fresh.size, messages: byRecipient.size, heldBack, examined: states.length };
  });
}
