/**
 * API keys: random, shown once, stored as a SHA-256 hash (the keys carry 192
 * bits of entropy, so a slow hash adds nothing). A key has a role and the
 * agencies it covers; an agency covers its descendants.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';

export const roleSchema = z.enum(['counter', 'supervisor', 'auditor', 'admin']);
export type Role = z.infer<typeof roleSchema>;

export interface ApiKey {
  id: string;
  label: string;
  role: Role;
  agencyCodes: string[];
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function createApiKey(
  db: pg.Pool | pg.ClientBase,
  input: { role: Role; agencyCodes: string[]; label: string },
): Promise<{ key: string; id: string }> {
  const id = randomUUID();
  const key = `dh_${input.role}_${randomBytes(24).toString('base64url')}`;
  await db.query('INSERT INTO api_keys (id, label, role, agency_codes, key_hash) VALUES ($1, $2, $3, $4, $5)', [
    id,
    input.label,
    input.role,
    input.agencyCodes,
    hashKey(key),
  ]);
  return { key, id };
}

export async function findApiKey(db: pg.Pool, key: string): Promise<ApiKey | null> {
  const { rows } = await db.query(
    'SELECT id, label, role, agency_codes FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    [hashKey(key)],
  );
  const r = rows[0];
  return r ? { id: r.id, label: r.label, role: r.role, agencyCodes: r.agency_codes } : null;
}
