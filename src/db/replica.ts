/**
 * Reports from a read replica (DATABASE_REPLICA_URL, issue 29): a streaming standby of the primary answers the
 * reports, dashboards' figures, exports, public figures and the portal export, so that a province's month-end
 * exports do not compete with the counters' ingestion. Writes, alert scans and letters stay on the primary.
 *
 * Every `checkEveryMs` the standby's replay position is compared with the primary's flushed WAL: nothing left to
 * apply is no lag; otherwise the lag is the primary's clock minus the commit time of the last transaction the
 * standby applied (its data is as of then). Reads go to the standby while that lag is within `maxLagMs`, and to the
 * primary when it is behind past it or does not answer; a read the standby fails for a connection's reason is
 * asked again of the primary at once, before the next check notices.
 *
 * At start a URL that names a server which is not a standby (the primary itself) or is of another major version
 * than the primary is refused with a ConfigError; a standby that does not answer at start is not: reads go to the
 * primary until it answers, and its identity is checked then.
 */
import type pg from 'pg';
import { ConfigError } from '../config.js';
import { replayPosition, serverIdentity, walBehind, type ServerIdentity } from '../store/replica-status.js';
import { connect, type Db } from './database.js';
import { redact } from './open-database.js';

/** What a report reads through: only `query` (so that a replica's reads can fall back to the primary). */
export type ReadPool = Pick<pg.Pool, 'query'>;

export type ReplicaCondition = 'replica' | 'lagging' | 'down' | 'refused';

export interface ReplicaStatus {
  /** replica: reads go there; lagging: behind past the bound; down: not answering; refused: not a standby of ours. */
  condition: ReplicaCondition;
  /** How far behind the primary (ms), when known. */
  lagMs: number | null;
  /** WAL the primary has flushed that the standby has not applied. */
  behindBytes: number | null;
  maxLagMs: number;
  checkedAt: number;
  /** Why it is down or refused. */
  problem?: string;
}

export interface ReplicaOptions {
  maxLagMs: number;
  /** 0: no timer (a command that checks once). */
  checkEveryMs?: number;
  /** Told when the condition changes (the service logs it). */
  onChange?: (status: ReplicaStatus) => void;
}

/** The SQLSTATE classes and socket errors that mean "this server cannot answer now", not "this query is wrong". */
function isUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  if (/^(08|57P)/.test(code) || code === '40001' || /^E(CONNREFUSED|CONNRESET|TIMEDOUT|HOSTUNREACH|PIPE)$/.test(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(e?.message ?? '');
}

/** Why a server cannot serve as this primary's replica, or null. Pure: tested on its own. */
export function replicaProblem(primary: ServerIdentity, replica: ServerIdentity, where: string): string | null {
  if (replica.major !== primary.major)
    return `${where} is PostgreSQL ${replica.version}, the primary (DATABASE_URL) ${primary.version}: a streaming replica runs the primary's major version. Point it at a standby of the primary, or unset it.`;
  if (!replica.inRecovery)
    return `${where} is not a standby (pg_is_in_recovery() is false): it is a primary, perhaps the primary itself, and reading there would not follow DATABASE_URL's writes. Point it at a streaming replica made with pg_basebackup -R, or unset it.`;
  return null;
}

export class ReplicaReads {
  private status: ReplicaStatus;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<ReplicaStatus> | undefined;
  private identified = false;
  /** The replica's pool wrapped so that a read it cannot answer is asked of the primary. */
  readonly pool: ReadPool;

  private constructor(
    private readonly primary: pg.Pool,
    private readonly db: Db,
    readonly where: string,
    private readonly options: ReplicaOptions,
  ) {
    this.status = { condition: 'down', lagMs: null, behindBytes: null, maxLagMs: options.maxLagMs, checkedAt: 0, problem: 'not checked yet' };
    const query = (...args: unknown[]): Promise<unknown> =>
      (db.pool.query as (...a: unknown[]) => Promise<unknown>)(...args).catch((err: unknown) => {
        if (!isUnavailable(err)) throw err;
        this.set({ ...this.status, condition: 'down', problem: (err as Error).message, checkedAt: Date.now() });
        return (primary.query as (...a: unknown[]) => Promise<unknown>)(...args);
      });
    this.pool = { query } as unknown as ReadPool;
  }

  /** Connects, refuses a server that is not a standby of the primary's major version, and starts the checks. */
  static async open(primary: pg.Pool, url: string, options: ReplicaOptions): Promise<ReplicaReads> {
    const db = connect(url, 10, { applicationName: 'dunghan-reports', connectionTimeoutMillis: 3000 });
    const reads = new ReplicaReads(primary, db, `DATABASE_REPLICA_URL=${redact(url)}`, options);
    try {
      await reads.check();
      if (reads.status.condition === 'refused') throw new ConfigError(reads.status.problem!);
    } catch (err) {
      await db.close();
      throw err;
    }
    if (options.checkEveryMs) {
      reads.timer = setInterval(() => void reads.check(), options.checkEveryMs);
      reads.timer.unref();
    }
    return reads;
  }

  /** Where reports read now, as of the last check. */
  route(): { pool: ReadPool; from: 'replica' | 'primary' } {
    return this.status.condition === 'replica' ? { pool: this.pool, from: 'replica' } : { pool: this.primary, from: 'primary' };
  }

  current(): ReplicaStatus {
    return this.status;
  }

  /** Measures the lag now (one check at a time; concurrent callers share it). */
  check(): Promise<ReplicaStatus> {
    this.checking ??= this.measure().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async measure(): Promise<ReplicaStatus> {
    if (this.status.condition === 'refused') return this.status;
    const base = { maxLagMs: this.options.maxLagMs, checkedAt: Date.now() };
    try {
      if (!this.identified) {
        const [p, r] = await Promise.all([serverIdentity(this.primary), serverIdentity(this.db.pool)]);
        const problem = replicaProblem(p, r, this.where);
        if (problem) return this.set({ ...base, condition: 'refused', lagMs: null, behindBytes: null, problem });
        this.identified = true;
      }
      const pos = await replayPosition(this.db.pool);
      // Promoted since: it no longer follows the primary.
      if (!pos.inRecovery)
        return this.set({ ...base, condition: 'refused', lagMs: null, behindBytes: null, problem: `${this.where} was promoted: no longer a standby` });
      if (!pos.replayLsn) return this.set({ ...base, condition: 'lagging', lagMs: null, behindBytes: null, problem: 'has applied no WAL yet' });
      const { bytes, now } = await walBehind(this.primary, pos.replayLsn);
      const lagMs = bytes === 0 ? 0 : pos.replayedAt ? Math.max(0, now.getTime() - pos.replayedAt.getTime()) : null;
      const condition = lagMs !== null && lagMs <= this.options.maxLagMs ? 'replica' : 'lagging';
      return this.set({ ...base, condition, lagMs, behindBytes: bytes });
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      return this.set({ ...base, condition: 'down', lagMs: null, behindBytes: null, problem: (err as Error).message });
    }
  }

  private set(next: ReplicaStatus): ReplicaStatus {
    const changed = next.condition !== this.status.condition;
    this.status = next;
    if (changed) this.options.onChange?.(next);
    return next;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.checking?.catch(() => undefined);
    await this.db.close();
  }
}

/** Seconds with one decimal, Vietnamese style (1,5). */
const seconds = (ms: number) => (ms / 1000).toLocaleString('vi-VN', { maximumFractionDigits: 1 });

/** What a page says of where its figures come from (nothing without a replica). */
export function replicaNotice(status: ReplicaStatus | undefined): string | null {
  if (!status) return null;
  switch (status.condition) {
    case 'replica':
      return `Số liệu đọc từ máy chủ bản sao, chậm ${seconds(status.lagMs ?? 0)} giây so với máy chủ chính.`;
    case 'lagging':
      return `Máy chủ bản sao chậm ${status.lagMs === null ? 'chưa rõ bao lâu' : `${seconds(status.lagMs)} giây`}, quá giới hạn ${seconds(status.maxLagMs)} giây: số liệu đọc từ máy chủ chính.`;
    case 'down':
      return 'Máy chủ bản sao không trả lời: số liệu đọc từ máy chủ chính.';
    case 'refused':
      return 'Máy chủ bản sao không còn là bản sao của máy chủ chính: số liệu đọc từ máy chủ chính.';
  }
}
