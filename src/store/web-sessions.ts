/**
 * Web sign-in sessions: the cookie holds a random id (256 bits); only its
 * hash is stored, with the key it was opened with, an expiry and a revocation
 * time, so logout and key revocation end the session on the server.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { hashKey, type ApiKey } from './api-keys.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

export const SESSION_HOURS = 12;

export async function openSession(db: Queryable, keyId: string): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await db.query(`INSERT INTO web_sessions (id_hash, key_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))`, [hashKey(id), keyId, SESSION_HOURS]);
  return id;
}

/** The key behind a live session (neither the session nor the key revoked or expired). */
export async function findSession(db: Queryable, id: string): Promise<ApiKey | null> {
  const { rows } = await db.query(
    `SELECT k.id, k.label, k.role, k.agency_codes FROM web_sessions s JOIN api_keys k ON k.id = s.key_id
     WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
       AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())`,
    [hashKey(id)],
  );
  const r = rows[0];
  return r ? { id: r.id, label: r.label, role: r.role, agencyCodes: r.agency_codes } : null;
}

export async function closeSession(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE web_sessions SET revoked_at = now() WHERE id_hash = $1 AND revoked_at IS NULL', [hashKey(id)]);
}
