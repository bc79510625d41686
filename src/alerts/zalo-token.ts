/**
 * Zalo's OA access token, kept fresh. It lasts about 25 hours and comes with a refresh token that can be used once:
 * POST https://oauth.zaloapp.com/v4/oa/access_token, form-encoded `app_id`, `grant_type=refresh_token`,
 * `refresh_token`, with the app's `secret_key` as a header, answers a new `access_token`, a new `refresh_token` and
 * `expires_in` (seconds, sometimes as a string), or `{"error": <non-zero>, …}`. The pair in force is kept in the
 * database (store/zalo-tokens.ts), seeded from the environment; it is refreshed shortly before it expires and when
 * Zalo refuses the access token (the sender asks `renew`). Without an app id and secret key the environment's token is
 * used as it is, as before.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { currentZaloTokens, rotateZaloTokens, type ZaloTokens } from '../store/zalo-tokens.js';

export const ZALO_OAUTH_DEFAULT_URL = 'https://oauth.zaloapp.com/v4/oa/access_token';

/** Where the sender gets its access token; `renew`: the one it used was refused, a new one or null (none can be had). */
export interface AccessTokenSource {
  get(): Promise<string>;
  renew(refused: string): Promise<string | null>;
}

export function staticAccessToken(token: string): AccessTokenSource {
  return { get: async () => token, renew: async () => null };
}

export interface ZaloOAuthConfig {
  url: string;
  appId: string;
  secretKey: string;
  timeoutMs: number;
  /** Refreshed this long before the access token expires (the sender never starts with a token about to lapse). */
  refreshBeforeMs: number;
}

/** One refresh: the refresh token spent, the new pair (its expiry from `expires_in`), or an Error saying why not. */
export async function exchangeRefreshToken(config: ZaloOAuthConfig, refreshToken: string, nowMs: number): Promise<ZaloTokens> {
  let res: Response;
  try {
    res = await fetch(config.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: config.secretKey },
      body: new URLSearchParams({ app_id: config.appId, grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
  } catch (err) {
    throw new Error(`Zalo OAuth: the refresh got no answer (${String((err as { name?: unknown })?.name ?? err)})`, { cause: err });
  }
  const text = await res.text().catch(() => '');
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`Zalo OAuth answered ${res.status} with a body that is not JSON`);
  }
  const expiresIn = Number(body.expires_in);
  if (!res.ok || typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string' || !Number.isFinite(expiresIn))
    // The tokens are never in the message (it reaches the outbox's last_error and the logs).
    throw new Error(`Zalo OAuth refused the refresh: ${res.status} error ${String(body.error ?? '?')} ${String(body.error_name ?? body.message ?? '')}`.trim());
  return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresAt: nowMs + expiresIn * 1000 };
}

/** The database-kept, refreshing source; concurrent callers share one refresh. */
export function refreshingAccessToken(
  pool: pg.Pool,
  fromEnvironment: { accessToken: string; refreshToken: string },
  config: ZaloOAuthConfig,
  now: () => number = Date.now,
): AccessTokenSource {
  const seed = createHash('sha256').update(`${fromEnvironment.accessToken}\n${fromEnvironment.refreshToken}`).digest('hex');
  let current: ZaloTokens | null = null;
  let refreshing: Promise<ZaloTokens> | null = null;
  const rotate = (stale: string) => {
    refreshing ??= rotateZaloTokens(pool, stale, (refreshToken) => exchangeRefreshToken(config, refreshToken, now())).finally(() => {
      refreshing = null;
    });
    return refreshing;
  };
  return {
    async get() {
      current ??= await currentZaloTokens(pool, seed, { ...fromEnvironment, expiresAt: null });
      if (current.expiresAt !== null && now() >= current.expiresAt - config.refreshBeforeMs) {
        const before: ZaloTokens = current;
        // Before it lapses a failed refresh is no reason not to send: the token still works, the next send tries again.
        current = await rotate(before.accessToken).catch((err: unknown) => {
          if (now() < before.expiresAt!) return before;
          throw err;
        });
      }
      return current.accessToken;
    },
    async renew(refused) {
      current = await rotate(refused);
      return current.accessToken === refused ? null : current.accessToken;
    },
  };
}
