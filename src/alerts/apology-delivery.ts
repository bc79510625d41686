/**
 * The apology reached the applicant when the gateway accepted it (issue 27 item 4): the outbox records an
 * `apology_delivered` event through the one ingestion path as it marks the message sent, so the lawful-apology
 * judgment (dossiers/apology.ts apologyJudgedAt) uses the instant of delivery, not only the drafting. A hand-over at
 * the counter, or a letter posted, is an `apology_delivered` event staff post themselves.
 *
 * The event's id is derived from the message's key (dossier, kind, channel, round): a second try of the same row, or
 * a worker that died between recording and marking the row, records nothing twice. An id already recorded (with
 * another instant: the earlier try's) is that delivery, kept.
 */
import { uuidFrom } from '../dossiers/name-based-id.js';
import { dossierEventSchema, type DossierEvent } from '../dossiers/events.js';
import { IngestConflict, type Ingest } from '../store/event-store.js';
import type { DueMessage } from '../store/outbox-store.js';

/** The delivery a sent message records: an apology to a citizen only. */
export function apologyDeliveryEvent(message: Pick<DueMessage, 'dedupeKey' | 'kind' | 'channel' | 'dossierCode'>, sentAtMs: number): DossierEvent | null {
  if (message.kind !== 'apology' || !message.dossierCode || !message.dedupeKey.startsWith('citizen:')) return null;
  return dossierEventSchema.parse({
    eventId: uuidFrom(`apology_delivered:${message.dedupeKey}`),
    type: 'apology_delivered',
    dossierCode: message.dossierCode,
    occurredAt: new Date(sentAtMs).toISOString(),
    via: message.channel,
  });
}

/**
 * What the outbox calls once a message is accepted by its gateway, before the row is marked sent: ingests the
 * delivery of an apology (the system records it: no actor). A refusal (the id already recorded; an apology voided
 * meanwhile) leaves the message sent: the delivery is either recorded already or has nothing to attach to.
 */
export function recordApologyDelivery(ingest: Ingest): (message: DueMessage, sentAtMs: number) => Promise<void> {
  return async (message, sentAtMs) => {
    const event = apologyDeliveryEvent(message, sentAtMs);
    if (!event) return;
    try {
      await ingest([event], { actor: null });
    } catch (err) {
      if (!(err instanceof IngestConflict)) throw err;
    }
  };
}
