/**
 * Opens the database the configuration names: DATABASE_URL, or the embedded
 * PostgreSQL under DATA_DIR (reusing it if another dunghan process already
 * started it, so CLI commands work while the service runs).
 */
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config.js';
import { connect, type Db } from './database.js';
import { alive, startEmbeddedPostgres, stopOrphanedServer } from './embedded-postgres.js';
import { migrate } from './migrate.js';

export interface OpenDatabase {
  db: Db;
  /** Where the data lives, without the password, for the start banner. */
  description: string;
  close(): Promise<void>;
}

/**
 * A command that reads (a report, an audit, the keys) was pointed at a database with no province in it: run
 * without the service's DATA_DIR or DATABASE_URL it would otherwise create or migrate an empty one and answer
 * zeros with exit 0 (issue 29). The message names where it looked; the CLI exits 2.
 */
export class EmptyDatabaseError extends Error {
  override name = 'EmptyDatabaseError';
}

const LOOK_ELSEWHERE = 'run it where the service runs (its directory or .env), or set DATA_DIR or DATABASE_URL as the service has them';

export interface OpenOptions {
  log?: (line: string) => void;
  owner?: boolean;
  /** Refuse (EmptyDatabaseError) rather than create, start or migrate a database that holds no province. */
  existing?: boolean;
}

/** A database with no dunghan schema, or a schema with no agency: nothing a reading command should report on. */
async function holdsProvince(client: Pick<pg.ClientBase, 'query'>): Promise<boolean> {
  const { rows } = await client.query<{ has: boolean }>("SELECT to_regclass('public.agencies') IS NOT NULL AS has");
  if (!rows[0]!.has) return false;
  const { rows: agencies } = await client.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM agencies) AS any');
  return agencies[0]!.any;
}

async function refuseEmpty(db: Db, where: string): Promise<void> {
  if (await holdsProvince(db.pool)) return;
  await db.close();
  throw new EmptyDatabaseError(`${where} holds no dunghan province (no agency): nothing to read; ${LOOK_ELSEWHERE}`);
}

export async function openDatabase(config: Config, options: OpenOptions = {}): Promise<OpenDatabase> {
  if (config.DATABASE_URL) {
    const db = connect(config.DATABASE_URL, 20);
    if (options.existing) await refuseEmpty(db, `the database at DATABASE_URL=${redact(config.DATABASE_URL)}`);
    await migrate(db.pool);
    return { db, description: redact(config.DATABASE_URL), close: () => db.close() };
  }

  const running = await runningEmbeddedUrl(config);
  if (running) {
    const db = connect(running, 20);
    if (options.existing) await refuseEmpty(db, `the embedded database of DATA_DIR=${config.dataDir}`);
    await migrate(db.pool);
    // A server no live dunghan owns was left by one that was killed: the service adopts it, and stops it when it stops.
    const adopt = options.owner === true && !ownerAlive(config.dataDir);
    if (adopt) await writeOwner(config.dataDir);
    return {
      db,
      description: `embedded PostgreSQL (${adopt ? 'left running by a stopped dunghan, adopted' : 'already running'}) on 127.0.0.1:${config.EMBEDDED_PG_PORT}`,
      close: async () => {
        await db.close();
        if (adopt) {
          await stopOrphanedServer(config.dataDir);
          await clearOwner(config.dataDir);
        }
      },
    };
  }
  if (options.existing && !existsSync(path.join(config.dataDir, 'postgres', 'PG_VERSION'))) {
    throw new EmptyDatabaseError(
      `no database: DATABASE_URL is not set and DATA_DIR=${config.dataDir} has no embedded PostgreSQL (nothing was created); ${LOOK_ELSEWHERE}`,
    );
  }
  const server = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.EMBEDDED_PG_PORT, onLog: options.log });
  if (options.owner) await writeOwner(config.dataDir);
  const db = connect(server.url, 20);
  if (options.existing) {
    try {
      await refuseEmpty(db, `the embedded database of DATA_DIR=${config.dataDir}`);
    } catch (err) {
      await server.stop();
      throw err;
    }
  }
  await migrate(db.pool);
  return {
    db,
    description: `embedded PostgreSQL on 127.0.0.1:${config.EMBEDDED_PG_PORT}, data in ${path.join(config.dataDir, 'postgres')}`,
    close: async () => {
      await db.close();
      await server.stop();
      if (options.owner) await clearOwner(config.dataDir);
    },
  };
}

/** The service that owns the embedded server writes its pid here; CLI commands never do. */
const ownerFile = (dataDir: string) => path.join(dataDir, 'dunghan.pid');

function ownerAlive(dataDir: string): boolean {
  try {
    const pid = Number(readFileSync(ownerFile(dataDir), 'utf8').trim());
    return pid !== process.pid && Number.isInteger(pid) && pid > 0 && alive(pid);
  } catch {
    return false;
  }
}

async function writeOwner(dataDir: string): Promise<void> {
  await fs.writeFile(ownerFile(dataDir), `${process.pid}\n`);
}

async function clearOwner(dataDir: string): Promise<void> {
  await fs.rm(ownerFile(dataDir), { force: true });
}

async function runningEmbeddedUrl(config: Config): Promise<string | null> {
  let password: string;
  try {
    password = (await fs.readFile(path.join(config.dataDir, 'postgres.password'), 'utf8')).trim();
  } catch {
    return null;
  }
  const url = `postgres://dunghan:${encodeURIComponent(password)}@127.0.0.1:${config.EMBEDDED_PG_PORT}/dunghan`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch {
    return null;
  }
}

export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
