/**
 * What the read replica's checks ask of each server (src/db/replica.ts): is it a standby, of which major version,
 * how far has it replayed, and how far is that behind the primary's flushed WAL.
 */
import type pg from 'pg';

type Queryable = Pick<pg.Pool, 'query'>;

export interface ServerIdentity {
  inRecovery: boolean;
  /** server_version_num / 10000: 15, 16, 17… */
  major: number;
  version: string;
}

export async function serverIdentity(db: Queryable): Promise<ServerIdentity> {
  const { rows } = await db.query<{ in_recovery: boolean; num: string; version: string }>(
    "SELECT pg_is_in_recovery() AS in_recovery, current_setting('server_version_num') AS num, current_setting('server_version') AS version",
  );
  const r = rows[0]!;
  return { inRecovery: r.in_recovery, major: Math.floor(Number(r.num) / 10000), version: r.version };
}

export interface ReplayPosition {
  inRecovery: boolean;
  /** The last WAL position the standby has applied (null if it has applied none since it started). */
  replayLsn: string | null;
  /** The commit time of the last transaction it applied. */
  replayedAt: Date | null;
}

export async function replayPosition(replica: Queryable): Promise<ReplayPosition> {
  const { rows } = await replica.query<{ in_recovery: boolean; lsn: string | null; at: Date | null }>(
    'SELECT pg_is_in_recovery() AS in_recovery, pg_last_wal_replay_lsn()::text AS lsn, pg_last_xact_replay_timestamp() AS at',
  );
  const r = rows[0]!;
  return { inRecovery: r.in_recovery, replayLsn: r.lsn, replayedAt: r.at };
}

/** Bytes of WAL the primary has flushed past `lsn` (what the standby has still to apply), and the primary's clock. */
export async function walBehind(primary: Queryable, lsn: string): Promise<{ bytes: number; now: Date }> {
  const { rows } = await primary.query<{ bytes: string; now: Date }>(
    'SELECT greatest(pg_wal_lsn_diff(pg_current_wal_flush_lsn(), $1::pg_lsn), 0)::bigint AS bytes, clock_timestamp() AS now',
    [lsn],
  );
  return { bytes: Number(rows[0]!.bytes), now: rows[0]!.now };
}
