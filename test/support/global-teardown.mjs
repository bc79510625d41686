import fs from 'node:fs/promises';

export default async function globalTeardown() {
  await globalThis.__DUNGHAN_PG__?.stop();
  if (globalThis.__DUNGHAN_PG_DIR__) await fs.rm(globalThis.__DUNGHAN_PG_DIR__, { recursive: true, force: true });
}
