/**
 * The Zalo OA token pair in force (zalo_tokens, migration 073): read, seeded from the environment, and rotated under
 * the row's lock, so that two processes never spend the single-use refresh token twice.
 */
import type pg from 'pg';
import { inTransaction } from '../db/database.js';

export interface ZaloTokens {
  accessToken: string;
  refreshToken: string | null;
  /** When the access token expires; null: unknown (the environment's pair), refreshed only when Zalo refuses it. */
  expiresAt: number | null;
}

interface Row {
  seed: string;
  access_token: string;
  refresh_token: string | null;
  expires_at: Date | null;
}

const tokensOf = (r: Row): ZaloTokens => ({ accessToken: r.access_token, refreshToken: r.refresh_token, expiresAt: r.expires_at?.getTime() ?? null });

/** The pair in force; the environment's (`seed` its hash) when none is stored or the environment gave a new one. */
export async function currentZaloTokens(pool: pg.Pool, seed: string, fromEnvironment: ZaloTokens): Promise<ZaloTokens> {
  const { rows } = await pool.query<Row>(
    `INSERT INTO zalo_tokens (seed, access_token, refresh_token, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET seed = excluded.seed, access_token = excluded.access_token, refresh_token = excluded.refresh_token,
       expires_at = excluded.expires_at, refreshed_at = NULL
     WHERE zalo_tokens.seed <> excluded.seed
     RETURNING seed, access_token, refresh_token, expires_at`,
    [seed, fromEnvironment.accessToken, fromEnvironment.refreshToken, fromEnvironment.expiresAt === null ? null : new Date(fromEnvironment.expiresAt)],
  );
  if (rows[0]) return tokensOf(rows[0]);
  const stored = await pool.query<Row>('SELECT seed, access_token, refresh_token, expires_at FROM zalo_tokens');
  return tokensOf(stored.rows[0]!);
}

/**
 * Replaces the pair whose access token is `stale` with what `exchange` gives for its refresh token, under the row's
 * lock. If another process already replaced it, that pair is answered and the refresh token is not spent again.
 */
export async function rotateZaloTokens(pool: pg.Pool, stale: string, exchange: (refreshToken: string) => Promise<ZaloTokens>): Promise<ZaloTokens> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<Row>('SELECT seed, access_token, refresh_token, expires_at FROM zalo_tokens FOR UPDATE');
    const row = rows[0];
    if (!row) throw new Error('Zalo ZNS: no token pair is stored');
    if (row.access_token !== stale) return tokensOf(row);
    if (!row.refresh_token) throw new Error('Zalo ZNS: the access token was refused and there is no refresh token (ZALO_REFRESH_TOKEN)');
    const next = await exchange(row.refresh_token);
    await client.query('UPDATE zalo_tokens SET access_token = $1, refresh_token = $2, expires_at = $3, refreshed_at = now()', [
      next.accessToken,
      next.refreshToken,
      next.expiresAt === null ? null : new Date(next.expiresAt),
    ]);
    return next;
  });
}
