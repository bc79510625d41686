/**
 * Web sign-in sessions: the cookie holds a random id (256 bits); only its
 * hash is stored, with the key or the person it was opened for, an expiry and
 * a revocation time, so logout, key revocation and a person's deactivation end
 * the session on the server.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Principal } from '../accounts/principal.js';
import { hashKey } from './api-keys.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

export const SESSION_HOURS = 12;

/** A session for a key (the earlier sign-in) or a person (password or single sign-on). */
export async function openSession(
  db: Queryable,
  owner: { keyId: string } | { personId: string; method: 'password' | 'oidc'; idToken?: string },
): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  const person = 'personId' in owner ? owner : null;
  await db.query(
    `INSERT INTO web_sessions (id_hash, key_id, person_id, method, id_token, expires_at) VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6))`,
    [hashKey(id), 'keyId' in owner ? owner.keyId : null, person?.personId ?? null, person?.method ?? null, person?.idToken ?? null, SESSION_HOURS],
  );
  return id;
}

/**
 * Who is behind a live session: the key (neither it nor the session revoked or expired) or the person (active, the
 * session not revoked or expired). A deactivated person's sessions end with the deactivation, whatever their rows say.
 */
export async function findSession(db: Queryable, id: string): Promise<Principal | null> {
  const { rows } = await db.query(
    `SELECT coalesce(k.id, p.id) AS id, CASE WHEN k.id IS NULL THEN 'person' ELSE 'key' END AS kind,
            coalesce(k.label, p.name) AS label, CASE WHEN k.id IS NULL THEN p.roles ELSE ARRAY[k.role] END AS roles, coalesce(k.agency_codes, p.agency_codes) AS agency_codes
     FROM web_sessions s
     LEFT JOIN api_keys k ON k.id = s.key_id AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
     LEFT JOIN people p ON p.id = s.person_id AND p.deactivated_at IS NULL
     WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND (k.id IS NOT NULL OR p.id IS NOT NULL)`,
    [hashKey(id)],
  );
  const r = rows[0];
  return r ? { kind: r.kind, id: r.id, label: r.label, roles: r.roles, agencyCodes: r.agency_codes } : null;
}

/** Ends a session; answers the provider's ID token it was opened with (for the provider's sign-out), if any. */
export async function closeSession(db: Queryable, id: string): Promise<{ idToken: string | null } | null> {
  const { rows } = await db.query<{ id_token: string | null }>(
    'UPDATE web_sessions SET revoked_at = now() WHERE id_hash = $1 AND revoked_at IS NULL RETURNING id_token',
    [hashKey(id)],
  );
  return rows[0] ? { idToken: rows[0].id_token } : null;
}
