/**
 * Sending the outbox (its rows: store/outbox-store.ts): the supervisors' alerts and the citizen's messages. Rows are
 * written in the transaction that causes them (a scan's detection, an ingested event), a unique key making a second
 * writing a no-op, and sent one at a time per channel: the row stays locked while it is sent and is marked in the
 * same transaction, so two workers never send the same row, and a worker that dies mid-send leaves it pending for
 * the next try (the receiver may then see it twice: each message carries a stable id, the e-mail's Message-ID and the
 * gateway's request id, by which a receiver or gateway that deduplicates recognises it). Failed sends back off; after
 * the last try the row is marked failed, never dropped. Channels are flushed side by side: an SMS gateway that hangs
 * or fails holds up no e-mail, and a failed row waits behind its back-off while the next ones go.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { inTransaction } from '../db/database.js';
import { markFailed, markSent, OUTBOX_CHANNELS, scheduleRetry, takeDueMessage, type DueMessage, type OutboxChannel } from '../store/outbox-store.js';
import type { Attachment, Mailer } from './mailer.js';

export const MAX_ATTEMPTS = 6;
/** Minutes to wait after the n-th failure: 1, 5, 15, 60, 240. */
const BACKOFF_MINUTES = [1, 5, 15, 60, 240];

export interface FlushResult {
  sent: number;
  retried: number;
  failed: number;
}

/** One channel's way out: e-mail (mailer.ts), an SMS gateway (sms-gateway.ts), Zalo ZNS (zalo-zns.ts). */
export interface Sender {
  send(message: DueMessage): Promise<void>;
  describe(): string;
}

export type Senders = Partial<Record<OutboxChannel, Sender>>;

/** A stable id per row, the same on every try: the gateway's request id, by which it may refuse a duplicate. */
export function requestIdOf(message: Pick<DueMessage, 'dedupeKey'>): string {
  return createHash('sha256').update(message.dedupeKey).digest('hex').slice(0, 24);
}

/** E-mail through the mailer; a citizen's apology carries its letter when `attach` can make it. */
export function mailSender(mailer: Mailer, attach?: (message: DueMessage) => Promise<Attachment[]>): Sender {
  return {
    send: async (m) => {
      const citizen = m.dedupeKey.startsWith('citizen:');
      const attachments = m.payload?.attach && attach ? await attach(m) : undefined;
      await mailer.send({
        to: m.recipient,
        subject: m.subject,
        html: m.html,
        text: m.text,
        messageId: citizen ? `<${requestIdOf(m)}.${m.kind}@dunghan>` : `<alert-${m.id}@dunghan>`,
        ...(attachments?.length ? { attachments } : {}),
      });
    },
    describe: () => mailer.describe(),
  };
}

/** An error worth keeping on the outbox page: short, and without the digits of a phone a gateway may echo. */
function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\+?\d[\d .-]{7,}\d/g, '…').slice(0, 500);
}

/**
 * Sends what is due, one row per transaction, each channel in its own loop, until nothing is left or `limit` rows of
 * a channel were tried. Rows of a channel with no sender configured are marked failed at once (visible, never lost).
 */
export async function flushOutbox(
  pool: pg.Pool,
  senders: Mailer | Senders,
  nowMs: number,
  options: { limit?: number; onSent?: OnSent } = {},
): Promise<FlushResult> {
  const byChannel: Senders = isMailer(senders) ? { email: mailSender(senders) } : senders;
  const results = await Promise.all(OUTBOX_CHANNELS.map((channel) => flushChannel(pool, channel, byChannel[channel], nowMs, options)));
  return results.reduce((a, b) => ({ sent: a.sent + b.sent, retried: a.retried + b.retried, failed: a.failed + b.failed }), { sent: 0, retried: 0, failed: 0 });
}

function isMailer(x: Mailer | Senders): x is Mailer {
  return typeof (x as Mailer).send === 'function';
}

/**
 * What follows a message accepted by its gateway, before its row is marked sent (the apology's delivery is recorded:
 * alerts/apology-delivery.ts). A failure there leaves the row pending, to be sent and recorded again.
 */
export type OnSent = (message: DueMessage, sentAtMs: number) => Promise<void>;

async function flushChannel(
  pool: pg.Pool,
  channel: OutboxChannel,
  sender: Sender | undefined,
  nowMs: number,
  { limit = 500, onSent }: { limit?: number; onSent?: OnSent },
): Promise<FlushResult> {
  const result: FlushResult = { sent: 0, retried: 0, failed: 0 };
  for (let i = 0; i < limit; i++) {
    const outcome = await inTransaction(pool, async (client) => {
      const row = await takeDueMessage(client, nowMs, channel);
      if (!row) return 'empty' as const;
      if (!sender) {
        await markFailed(client, row.id, row.attempts, `no ${channel} channel is configured (see .env.example)`);
        return 'failed' as const;
      }
      try {
        await sender.send(row);
        await onSent?.(row, nowMs);
        await markSent(client, row.id, nowMs);
        return 'sent' as const;
      } catch (err) {
        const attempts = row.attempts + 1;
        if (attempts >= MAX_ATTEMPTS) {
          await markFailed(client, row.id, attempts, errorText(err));
          return 'failed' as const;
        }
        const wait = BACKOFF_MINUTES[Math.min(attempts - 1, BACKOFF_MINUTES.length - 1)]! * 60_000;
        await scheduleRetry(client, row.id, attempts, errorText(err), nowMs + wait);
        return 'retried' as const;
      }
    });
    if (outcome === 'empty') break;
    result[outcome] += 1;
  }
  return result;
}
