/**
 * One real PostgreSQL server for the whole run: embedded, on a free port, in
 * a temporary directory deleted at the end; or the server TEST_DATABASE_URL
 * names (CI runs the suite once more against Debian's postgresql). Each test
 * file then creates its own database on it.
 *
 * Plain ESM run by Node (Jest does not apply its module mapping to global
 * setup), loading the project's TypeScript through tsx.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { register } from 'tsx/esm/api';
import { resolveChromium } from './chromium-path.mjs';

export default async function globalSetup() {
  process.env.DUNGHAN_CHROMIUM = await resolveChromium();
  if (process.env.TEST_DATABASE_URL) {
    process.env.DUNGHAN_TEST_ADMIN_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const unregister = register();
  const { startEmbeddedPostgres } = await import('../../src/db/embedded-postgres.ts');
  const { freePort } = await import('./free-port.ts');
  await unregister();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-test-'));
  // The server may run as the unprivileged postgres user: it must be able to enter the directory.
  await fs.chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false });
  globalThis.__DUNGHAN_PG__ = server;
  globalThis.__DUNGHAN_PG_DIR__ = dir;
  process.env.DUNGHAN_TEST_ADMIN_URL = server.adminUrl;
}
