/**
 * Live API keys remembered for a few seconds, so that counter software
 * posting one event per request does not pay a key lookup each time. Only
 * a process that follows revocations (NOTIFY on KEYS_CHANNEL, from any
 * process) keeps one; the time to live bounds a lost notification. Only
 * found keys are remembered: a wrong key always reaches the database (and
 * the bad-key limiter), and a new key works at once.
 */
import type { Principal } from '../accounts/principal.js';

export const KEYS_CHANNEL = 'dunghan_keys';

export class KeyCache {
  private readonly entries = new Map<string, { key: Principal; until: number }>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(hash: string): Principal | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.key;
    this.entries.delete(hash);
    return undefined;
  }

  /** Remembers a key until the time to live ends or the key expires, whichever is first. */
  set(hash: string, key: Principal, expiresAt: Date | null): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const until = Math.min(this.now() + this.ttlMs, expiresAt ? expiresAt.getTime() : Infinity);
    this.entries.set(hash, { key, until });
  }

  clear(): void {
    this.entries.clear();
  }
}
