/**
 * The connection pool, transactions over it, and two connection-level helpers (a ping, a session lock). Every
 * statement is plain parameterised SQL in a store module (docs/architecture.md: SQL lives in the store).
 */
import pg from 'pg';

// bigint sequence numbers and numeric durations fit a JS number here.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
// date columns stay calendar dates, never shifted by a zone.
pg.types.setTypeParser(1082, (v) => v);

export interface Db {
  pool: pg.Pool;
  close(): Promise<void>;
  /** Told of a connection the server ended or lost (set by whoever logs: the service). */
  onConnectionError: (err: Error) => void;
}

export interface ConnectOptions {
  /** Shown in pg_stat_activity (the replica's pool says it is the reports'). */
  applicationName?: string;
  /** How long to wait for a connection before the query fails (a replica that does not answer). */
  connectionTimeoutMillis?: number;
}

export function connect(url: string, max = 10, options: ConnectOptions = {}): Db {
  // Pipeline mode: a query issued while another is in flight on the same connection is sent at once, not after
  // the answer; inPipelinedTransaction uses it to save round trips (ingestion's cost, issue 13).
  const pool = new pg.Pool({
    connectionString: url,
    max,
    pipeline: true,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
    ...(options.connectionTimeoutMillis ? { connectionTimeoutMillis: options.connectionTimeoutMillis } : {}),
  });
  // Closing twice is harmless (a second pool.end() would throw): shutdown paths may both close.
  let closed: Promise<void> | undefined;
  const db: Db = { pool, close: () => (closed ??= pool.end()), onConnectionError: () => undefined };
  // A connection whose server ends it (pg_terminate_backend, "terminating connection due to administrator command",
  // ECONNRESET) emits `error`. The pool listens only while the client is idle; a client checked out between two
  // queries had no listener, and an unhandled `error` event ended the process with code 1 (issue 29). Every
  // client gets a listener of its own for its whole life; the query in flight, if any, fails on its own.
  pool.on('connect', (client) => client.on('error', (err) => db.onConnectionError(err)));
  pool.on('error', () => undefined); // the pool's own report of an idle client's error: the client's listener has it
  return db;
}

/** The database answers a trivial statement (the readiness probe bounds how long it waits). */
export function ping(pool: pg.Pool): Promise<boolean> {
  return pool.query('SELECT 1').then(
    () => true,
    () => false,
  );
}

/**
 * Runs `fn` holding a session-level advisory lock on `key`: one process at a time across every process on the
 * database (the scheduler's start). Released however `fn` ends.
 */
export async function withSessionLock<T>(pool: pg.Pool, key: number, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [key]);
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    client.release();
  }
}

/** Runs `fn` in a transaction on one client; rolls back on any error. */
export function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inPipelinedTransaction(pool, async (client) => ({ result: await fn(client), last: Promise.resolve() }));
}

/**
 * A transaction whose BEGIN travels with its first statement and whose COMMIT with its last: two round trips
 * fewer than inTransaction. `fn` answers its result and its last write, issued but not awaited, and optionally a
 * statement to run after the commit in the same flight. A last write that fails leaves the transaction aborted, and
 * PostgreSQL ends an aborted transaction's COMMIT as a rollback. A failed statement after the commit is thrown, the
 * commit standing.
 */
export async function inPipelinedTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<{ result: T; last: Promise<unknown>; afterCommit?: string }>,
): Promise<T> {
  const client = await pool.connect();
  const begin = client.query('BEGIN');
  begin.catch(() => undefined); // its failure is also the failure of the statements behind it
  try {
    const { result, last, afterCommit } = await fn(client);
    const commit = client.query('COMMIT');
    // A statement of its own right behind the COMMIT, in the same flight (it sees what the COMMIT committed).
    const after = afterCommit ? client.query(afterCommit) : null;
    after?.catch(() => undefined);
    const [written, committed] = await Promise.allSettled([last, commit]);
    if (written.status === 'rejected') throw written.reason;
    if (committed.status === 'rejected') throw committed.reason;
    await begin;
    await after;
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * A connection of its own, outside the pool and out of pipeline mode, on the pool's settings: COPY streams
 * (pg-copy-streams, backups) are custom queries that pipeline mode refuses. The caller ends it.
 */
export async function unpipelinedClient(pool: pg.Pool): Promise<pg.Client> {
  const options = (pool as unknown as { options: pg.ClientConfig }).options;
  const client = new pg.Client({ ...options, pipeline: false } as pg.ClientConfig);
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
