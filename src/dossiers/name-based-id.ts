/**
 * Event ids derived from what an event is, so that a retry of the same fact carries the same id and the log's
 * idempotency takes it once (the outbox's delivery record, a gateway's retried webhook). Pure.
 */
import { createHash } from 'node:crypto';

/** A name-based UUID (the shape of RFC 9562 version 5, over SHA-256): the same text gives the same id. */
export function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
