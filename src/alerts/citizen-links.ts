/**
 * Links in a citizen's message: an unguessable, expiring token that opens one dossier's letter, its lookup page or
 * its stop page, and nothing else. Stateless (nothing written beside the message): the purpose, the dossier code and
 * the expiry, signed with HMAC-SHA-256 under the province's link secret (CITIZEN_LINK_SECRET, or one generated and
 * kept in the database). Deterministic for a given message, so a message written twice carries the same link.
 * Carried in the query string (`/thu?t=…`): the request log records paths without their query.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const LINK_PURPOSES = { l: 'lookup', a: 'apology', q: 'supplement-request', r: 'refusal', s: 'stop' } as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[keyof typeof LINK_PURPOSES];
const LETTER_OF: Record<LinkPurpose, string> = Object.fromEntries(Object.entries(LINK_PURPOSES).map(([k, v]) => [v, k])) as Record<LinkPurpose, string>;

/** A link lives this long after the message that carries it. */
export const LINK_TTL_MS = 180 * 86_400_000;

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');

function mac(secret: string, payload: string): string {
  // 16 bytes of the MAC: 128 bits, beyond guessing; the link stays short enough for an SMS.
  return createHmac('sha256', secret).update(payload).digest().subarray(0, 16).toString('base64url');
}

export function signLink(secret: string, purpose: LinkPurpose, dossierCode: string, expiresAtMs: number): string {
  const payload = `${LETTER_OF[purpose]}|${dossierCode}|${Math.floor(expiresAtMs / 1000).toString(36)}`;
  return `${b64(payload)}.${mac(secret, payload)}`;
}

/** The purpose and dossier a token opens, or null: forged, altered, malformed or expired alike. */
export function verifyLink(secret: string, token: string, nowMs: number): { purpose: LinkPurpose; dossierCode: string } | null {
  if (typeof token !== 'string' || token.length > 300) return null;
  const [body, sig] = token.split('.');
  if (!body || !sig) return null;
  const payload = Buffer.from(body, 'base64url').toString('utf8');
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [p, code, exp] = payload.split('|');
  const purpose = LINK_PURPOSES[p as keyof typeof LINK_PURPOSES];
  if (!purpose || !code || !exp || parseInt(exp, 36) * 1000 < nowMs) return null;
  return { purpose, dossierCode: code };
}

export function linkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/thu?t=${token}`;
}
