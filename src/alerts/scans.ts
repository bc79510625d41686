/**
 * Detection: dossiers whose remaining working time has fallen under the
 * apology lead time (due soon), dossiers past their due instant (overdue),
 * and each agency's daily digest. Each writes outbox rows, one per
 * supervisor of the dossier's agencies, in one transaction.
 */
import type pg from 'pg';
import { inTransaction } from '../db/database.js';
import { isoDateOf, localDayOf, formatLocalInstant } from '../calendar/local-time.js';
import type { DossierState } from '../dossiers/state.js';
import { renderAlertList, renderDigest, type AlertEnv } from './alert-content.js';
import { createHash } from 'node:crypto';
import { sealPending } from '../store/event-store.js';
import { enqueue, type OutboxRow } from '../store/outbox-store.js';
import { digestDossiers, dossiersToAlert, linkAlertsToMessage, recordAlerts } from '../store/alert-scans.js';
import { chainHead, lockScanWatermark, saveScanWatermark } from '../store/scan-watermarks.js';
import { supervisorsByAgency, type Supervisor as StoredSupervisor } from '../store/supervisors.js';

type Supervisor = Omit<StoredSupervisor, 'id'>;

/** The supervisors of every agency on the dossier's paths, once each. */
function recipientsOf(s: DossierState, supervisors: Map<string, Supervisor[]>): Supervisor[] {
  const byEmail = new Map<string, Supervisor>();
  for (const code of s.agencyCodes) for (const sup of supervisors.get(code) ?? []) if (!byEmail.has(sup.email)) byEmail.set(sup.email, sup);
  return [...byEmail.values()];
}

export interface ScanResult {
  /** Alerts new in this scan. */
  alerts: number;
  /** Dossiers the scan looked at: the newly crossed and the newly changed, not the backlog. */
  examined: number;
}

/**
 * Writes due-soon or overdue alerts; a new due instant (after an apology) may
 * alert again. Each alert (dossier, due instant, recipient) is recorded once in
 * the `alerts` ledger, in the transaction that finds it; the alerts new to a
 * recipient in this scan go out as one message listing them, most urgent first.
 * Returns how many alerts were new.
 */
export async function scanDossiers(pool: pg.Pool, kind: 'due_soon' | 'overdue', env: AlertEnv): Promise<ScanResult> {
  // Events are seen by their chain position: any committed but not yet sealed are sealed first.
  await sealPending(pool);
  return inTransaction(pool, async (client) => {
    // One scan of a kind at a time; the chain head read in this snapshot covers every event committed before it.
    const since = await lockScanWatermark(client, kind);
    const head = await chainHead(client);
    const supervisors = await supervisorsByAgency(client);
    // Nobody to tell: the mark stays, so the first supervisor registered hears of the dossiers already overdue.
    if (supervisors.size === 0) return { alerts: 0, examined: 0 };
    // A clock moved back (tests, a corrected system time) looks at everything again.
    const incremental = since !== undefined && since.scannedAt.getTime() <= env.now;
    const states = await dossiersToAlert(client, kind, env.now, incremental ? { ...since, head } : undefined);
    await saveScanWatermark(client, kind, env.now, head);
    const candidates: Array<{ key: string; state: DossierState; sup: Supervisor }> = [];
    for (const state of states) {
      for (const sup of recipientsOf(state, supervisors))
        candidates.push({ key: `${kind}:${state.code}:${formatLocalInstant(state.dueAt)}:${sup.email}`, state, sup });
    }
    const fresh = new Set<string>();
    for (let i = 0; i < candidates.length; i += 1000) {
      const slice = candidates.slice(i, i + 1000);
      const inserted = await recordAlerts(
        client,
        slice.map((c) => ({ dedupeKey: c.key, kind, dossierCode: c.state.code, dueAt: c.state.dueAt, recipient: c.sup.email })),
      );
      for (const key of inserted) fresh.add(key);
    }
    const byRecipient = new Map<string, { sup: Supervisor; items: typeof candidates }>();
    for (const c of candidates) {
      if (!fresh.has(c.key)) continue;
      const entry = byRecipient.get(c.sup.email) ?? { sup: c.sup, items: [] };
      entry.items.push(c);
      byRecipient.set(c.sup.email, entry);
    }
    for (const { sup, items } of byRecipient.values()) {
      const keys = items.map((c) => c.key);
      const single = items.length === 1 ? items[0]!.state : null;
      const dedupeKey = single ? keys[0]! : `${kind}-list:${sup.email}:${createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 32)}`;
      await enqueue(
        client,
        [
          {
            dedupeKey,
            kind,
            dossierCode: single?.code ?? null,
            agencyCode: single?.receivingAgencyCode ?? null,
            dueAt: items[0]!.state.dueAt,
            recipient: sup.email,
            ...renderAlertList(
              kind,
              items.map((c) => c.state),
              env,
              sup.name,
            ),
          },
        ],
        env.now,
      );
      await linkAlertsToMessage(client, dedupeKey, keys);
    }
    return { alerts: fresh.size, examined: states.length };
  });
}

/** One mail per supervisor per working day listing the agency's overdue and due-soon dossiers. */
export async function dailyDigest(pool: pg.Pool, env: AlertEnv): Promise<number> {
  const today = localDayOf(env.now);
  if (!env.calendar.isWorkingDay(today)) return 0;
  return inTransaction(pool, async (client) => {
    const supervisors = await supervisorsByAgency(client);
    const outbox: OutboxRow[] = [];
    for (const [agencyCode, sups] of supervisors) {
      const due = await digestDossiers(client, agencyCode, env.now);
      if (due.length === 0) continue;
      for (const sup of sups) {
        outbox.push({
          dedupeKey: `digest:${agencyCode}:${isoDateOf(today)}:${sup.email}`,
          kind: 'digest',
          dossierCode: null,
          agencyCode,
          dueAt: null,
          recipient: sup.email,
          ...renderDigest(agencyCode, due, env, sup.name),
        });
      }
    }
    return enqueue(client, outbox, env.now);
  });
}
