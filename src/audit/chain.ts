/**
 * The event log's hash chain (the same formula as the SQL function
 * event_chain_link in migration 007): each link covers the previous hash, the
 * event's position, its id, the key that posted it and the body as stored.
 */
import { createHash } from 'node:crypto';

export const CHAIN_GENESIS = '0'.repeat(64);

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** @param bodyText the stored body as PostgreSQL renders jsonb (`body::text`) */
export function chainLink(prev: string, pos: number, eventId: string, keyId: string | null, bodyText: string): string {
  return sha256(`${prev}|${pos}|${eventId}|${keyId ?? '-'}|${sha256(bodyText)}`);
}
