/**
 * Which messages to the applicant a change of a dossier causes (pure): the receipt, each supplementation request,
 * the apology, the result and a refusal (Decree 224/2026 Art. 15(1)(g): the applicant is told of the status as it
 * changes; Decree 118/2025 Art. 19(6): the apology is sent to the applicant). Judged from the state before and after
 * an ingestion, so a replay of the whole log (an out-of-order event) causes only what is new, and the message's key
 * (dossier, kind, channel, round) makes a second writing of one a no-op.
 */
import { localDayOf, localDayStart } from '../calendar/local-time.js';
import { contactOf } from './consent.js';
import type { CitizenChannel } from './events.js';
import type { DossierState } from './state.js';
import { regimeById } from './regimes.js';

export type NoticeKind = 'receipt' | 'supplement_request' | 'apology' | 'result_ready' | 'refusal';

export interface Notice {
  kind: NoticeKind;
  /** The request's number for a supplementation; 1 otherwise. */
  round: number;
  channel: CitizenChannel;
  contact: string;
  /**
   * The legal moment: the apology reaches the applicant no later than 1 day before the due date (118 Art. 19(6)),
   * that is before the start of the due date's eve + 1: an undelivered one after it goes to the supervisor's queue.
   */
  deliverBy: number | null;
}

export function noticesCaused(before: DossierState | undefined, after: DossierState): Notice[] {
  const kinds: Array<{ kind: NoticeKind; round: number; deliverBy: number | null }> = [];
  if (!before) kinds.push({ kind: 'receipt', round: 1, deliverBy: null });
  for (let r = (before?.supplementCount ?? 0) + 1; r <= after.supplementCount; r++) kinds.push({ kind: 'supplement_request', round: r, deliverBy: null });
  if (after.apology && !before?.apology) {
    const daysBefore = regimeById(after.rules.regime).rules.apologyDaysBeforeDueDate.value;
    kinds.push({ kind: 'apology', round: 1, deliverBy: localDayStart(localDayOf(after.apology.previousDueAt) - daysBefore + 1) });
  }
  if (after.resultReadyAt !== null && (before?.resultReadyAt ?? null) === null) kinds.push({ kind: 'result_ready', round: 1, deliverBy: null });
  if (after.status === 'refused' && before?.status !== 'refused') kinds.push({ kind: 'refusal', round: 1, deliverBy: null });
  if (kinds.length === 0) return [];
  const contacts = after.consent?.contacts ?? [];
  return kinds.flatMap((k) => contacts.map((c) => ({ ...k, channel: c.channel, contact: contactOf(c) })));
}
