/**
 * Opens the database the configuration names: DATABASE_URL, or the embedded
 * PostgreSQL under DATA_DIR (reusing it if another dunghan process already
 * started it, so CLI commands work while the service runs).
 */
import { readFileSync } from 'node:fs';
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

export async function openDatabase(config: Config, options: { log?: (line: string) => void; owner?: boolean } = {}): Promise<OpenDatabase> {
  if (config.DATABASE_URL) {
    const db = connect(config.DATABASE_URL, 20);
    await migrate(db.pool);
    return { db, description: redact(config.DATABASE_URL), close: () => db.close() };
  }

  const running = await runningEmbeddedUrl(config);
  if (running) {
    const db = connect(running, 20);
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
  const server = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.EMBEDDED_PG_PORT, onLog: options.log });
  if (options.owner) await writeOwner(config.dataDir);
  const db = connect(server.url, 20);
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

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
