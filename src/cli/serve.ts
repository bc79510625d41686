/**
 * `dunghan serve`: open the database (embedded by default), migrate, load the
 * sample province into an empty database when asked, and listen.
 */
import type { Server } from 'node:http';
import { AppContext } from '../app-context.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open-database.js';
import { createApp } from '../http/app.js';
import { isEmpty, loadSampleData, savedSampleKeys } from '../sample/load-sample.js';

export async function serve(sampleData: boolean): Promise<number> {
  const config = loadConfig();
  const log = (line: string) => {
    if (config.LOG_LEVEL !== 'silent') console.log(line);
  };
  const database = await openDatabase(config, { log: config.LOG_LEVEL === 'debug' ? (l) => process.stderr.write(l) : undefined });
  log(`Database: ${database.description}`);
  const publicUrl = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  const ctx = await AppContext.load(database.db, { publicUrl });

  let keys = null;
  if (sampleData && (await isEmpty(ctx))) {
    log('Empty database: loading the sample province (Sơn La) and its dossiers…');
    keys = await loadSampleData(ctx, config.dataDir);
  } else if (sampleData) {
    keys = await savedSampleKeys(config.dataDir);
  }

  const server: Server = await new Promise((resolve, reject) => {
    const s = createApp(ctx).listen(config.PORT, config.HOST, () => resolve(s));
    s.on('error', reject);
  });
  log(`Đúng hạn is listening on ${publicUrl}`);
  log(`  calendar page: ${publicUrl}/calendar/${new Date().getFullYear()}   API docs: ${publicUrl}/api/v1/openapi.json`);
  if (keys) {
    log('Sample API keys (Authorization: Bearer <key>):');
    for (const k of keys) log(`  ${k.role.padEnd(10)} ${k.agency.padEnd(14)} ${k.key}`);
  }

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log('Stopping…');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await database.close();
  return 0;
}
