/**
 * API keys: random, shown once, stored as a SHA-256 hash (the keys carry 192
 * bits of entropy, so a slow hash adds nothing). A key has a role, the
 * agencies it covers (an agency covers its descendants), an optional expiry,
 * and a last-used time; it can be revoked or rotated.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import type { Principal } from '../accounts/principal.js';
import { KEYS_CHANNEL, type KeyCache } from './key-cache.js';

export const roleSchema = z.enum(['counter', 'supervisor', 'auditor', 'admin']);
export type Role = z.infer<typeof roleSchema>;

export interface ApiKey {
  id: string;
  label: string;
  role: Role;
  agencyCodes: string[];
}

export interface ApiKeyRecord extends ApiKey {
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  rotatedFrom: string | null;
}

type Queryable = Pick<pg.ClientBase, 'query'>;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function createApiKey(
  db: Queryable,
  input: { role: Role; agencyCodes: string[]; label: string; expiresAt?: Date | null; rotatedFrom?: string },
): Promise<{ key: string; id: string }> {
  const id = randomUUID();
  const key = `dh_${input.role}_${randomBytes(24).toString('base64url')}`;
  await db.query('INSERT INTO api_keys (id, label, role, agency_codes, key_hash, expires_at, rotated_from) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    id,
    input.label,
    input.role,
    input.agencyCodes,
    hashKey(key),
    input.expiresAt ?? null,
    input.rotatedFrom ?? null,
  ]);
  return { key, id };
}

/**
 * A live key (not revoked, not expired), from `cache` when it holds it. Its use is recorded at most once a
 * minute, off the request's path.
 */
export async function findApiKey(db: Queryable, key: string, cache?: KeyCache): Promise<Principal | null> {
  const hash = hashKey(key);
  const cached = cache?.get(hash);
  if (cached) return cached;
  const { rows } = await db.query(
    `SELECT id, label, role, agency_codes, expires_at, last_used_at < now() - interval '1 minute' OR last_used_at IS NULL AS stale
     FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [hash],
  );
  const r = rows[0];
  if (!r) return null;
  if (r.stale) void Promise.resolve(db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [r.id])).catch(() => undefined);
  const found: Principal = { kind: 'key', id: r.id, label: r.label, roles: [r.role], agencyCodes: r.agency_codes };
  cache?.set(hash, found, r.expires_at);
  return found;
}

export async function listApiKeys(db: Queryable): Promise<ApiKeyRecord[]> {
  const { rows } = await db.query(
    `SELECT id, label, role, agency_codes, created_at, expires_at, last_used_at, revoked_at, rotated_from FROM api_keys ORDER BY created_at, id`,
  );
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    role: r.role,
    agencyCodes: r.agency_codes,
    createdAt: r.created_at.toISOString(),
    expiresAt: iso(r.expires_at),
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
    rotatedFrom: r.rotated_from,
  }));
}

/** The agencies of a live (not revoked) key; null when there is no such key. */
export async function liveKeyAgencies(db: Queryable, id: string): Promise<string[] | null> {
  const { rows } = await db.query<{ agency_codes: string[] }>('SELECT agency_codes FROM api_keys WHERE id = $1 AND revoked_at IS NULL', [id]);
  return rows[0]?.agency_codes ?? null;
}

/** Revokes a key and every web session signed in with it. False when there is no such live key. */
export async function revokeApiKey(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  await db.query('UPDATE web_sessions SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL', [id]);
  // Every serving process forgets the keys it remembers (key-cache.ts).
  if (rowCount) await db.query(`SELECT pg_notify('${KEYS_CHANNEL}', $1)`, [id]);
  return (rowCount ?? 0) > 0;
}

/** A new key with the same role, agencies and label; the old one is revoked. Null when there is no such live key. */
export async function rotateApiKey(db: Queryable, id: string, expiresAt?: Date | null): Promise<{ key: string; id: string } | null> {
  const { rows } = await db.query('SELECT label, role, agency_codes, expires_at FROM api_keys WHERE id = $1 AND revoked_at IS NULL', [id]);
  const old = rows[0];
  if (!old) return null;
  await revokeApiKey(db, id);
  return createApiKey(db, {
    role: old.role,
    agencyCodes: old.agency_codes,
    label: old.label,
    expiresAt: expiresAt === undefined ? old.expires_at : expiresAt,
    rotatedFrom: id,
  });
}
