/**
 * The database a benchmark runs on: DATABASE_URL, or a throwaway embedded
 * PostgreSQL in a temporary directory, migrated and holding the sample catalogue.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect, inTransaction, type Db } from '../src/db/database.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { migrate } from '../src/db/migrate.js';
import { sampleProvince } from '../src/sample/province.js';
import { saveCatalog } from '../src/store/catalog-store.js';
import { freePort } from '../test/support/free-port.js';

export async function openBenchDatabase(poolSize: number): Promise<{ db: Db; embedded: boolean; close(): Promise<void> }> {
  let url = process.env.DATABASE_URL;
  let stop = async () => undefined as void;
  if (!url) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-bench-'));
    await fs.chmod(dir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false });
    url = server.url;
    stop = async () => {
      await server.stop();
      await fs.rm(dir, { recursive: true, force: true });
    };
  }
  const db = connect(url, poolSize);
  await migrate(db.pool);
  await db.pool.query('TRUNCATE dossier_events, dossiers, daily_counts');
  const { agencies, procedures } = sampleProvince();
  await inTransaction(db.pool, (c) => saveCatalog(c, agencies, procedures));
  return {
    db,
    embedded: !process.env.DATABASE_URL,
    close: async () => {
      await db.close();
      await stop();
    },
  };
}
