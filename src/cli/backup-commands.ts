/**
 * `dunghan backup --out FILE`, `dunghan backup verify FILE`, `dunghan restore FILE` (src/store/backup-store.ts,
 * src/backup/backup-file.ts). A file that is truncated, altered or from a newer version, or a target that is not
 * empty, is refused with the reason (exit 2) and nothing is written.
 */
import path from 'node:path';
import { AppContext } from '../app-context.js';
import { verifyBackup } from '../backup/backup-file.js';
import { loadConfig } from '../config.js';
import { migrationFiles } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';
import { STATE_VERSION } from '../dossiers/state.js';
import { recordBackupRun, restoreTables, writeBackup } from '../store/backup-store.js';
import { rebuildDossiers } from '../store/rebuild.js';
import { packageVersion } from './status-command.js';
import { parseArgsOrUsage, UsageError } from './support.js';

export async function backupCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgsOrUsage(args, { out: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals[0] === 'verify') {
    if (positionals.length !== 2) throw new UsageError('usage: dunghan backup verify FILE');
    const started = performance.now();
    const { manifest, sha256 } = await verifyBackup(positionals[1]!, await migrationFiles());
    if (values.json) {
      console.log(JSON.stringify({ ok: true, sha256, manifest }, null, 2));
      return 0;
    }
    console.log(`${positionals[1]}: complete and unaltered (SHA-256 ${sha256}), checked in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    console.log(`  made ${manifest.createdAt} by dunghan ${manifest.dunghan} (schema ${manifest.schema}, PostgreSQL ${manifest.postgres})`);
    console.log(`  ${manifest.events} events; chain recomputed to position ${manifest.chainHead.pos}, ${manifest.chainHead.hash}`);
    for (const t of manifest.tables) console.log(`  ${t.name.padEnd(22)} ${t.rows}`);
    return 0;
  }
  if (positionals.length || !values.out) throw new UsageError('usage: dunghan backup --out FILE   |   dunghan backup verify FILE');
  const file = path.resolve(values.out);
  const database = await openDatabase(loadConfig(), { existing: true });
  try {
    const started = performance.now();
    const result = await writeBackup(database.db.pool, file, { dunghan: packageVersion(), stateVersion: STATE_VERSION });
    await recordBackupRun(database.db.pool, file, result);
    const seconds = (performance.now() - started) / 1000;
    if (values.json) {
      console.log(JSON.stringify({ file, bytes: result.bytes, seconds, sha256: result.sha256, manifest: result.manifest }, null, 2));
      return 0;
    }
    console.log(`Backed up ${database.description} to ${file}: ${result.manifest.events} events, ${result.bytes} bytes, ${seconds.toFixed(1)} s`);
    console.log(`  chain head: position ${result.manifest.chainHead.pos}, ${result.manifest.chainHead.hash}; SHA-256 ${result.sha256}`);
    return 0;
  } finally {
    await database.close();
  }
}

export async function restoreCommand(args: string[]): Promise<number> {
  const { positionals } = parseArgsOrUsage(args, {});
  if (positionals.length !== 1) throw new UsageError('usage: dunghan restore FILE   (onto an empty database: DATABASE_URL, or the embedded one of DATA_DIR)');
  const file = path.resolve(positionals[0]!);
  const config = loadConfig();
  const started = performance.now();
  // The whole file is checked before the database is opened: a refused file leaves the target untouched.
  const { manifest, eventMonths } = await verifyBackup(file, await migrationFiles());
  const database = await openDatabase(config);
  try {
    await restoreTables(database.db.pool, file, manifest, eventMonths);
    const ctx = await AppContext.load(database.db, { publicUrl: config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`, log: (l) => console.error(l) });
    try {
      const dossiers = await rebuildDossiers(database.db.pool, ctx.foldContext(), (done, total) =>
        process.stderr.write(`\rreplayed ${done}/${total} dossiers`),
      );
      process.stderr.write('\n');
      console.log(
        `Restored ${file} into ${database.description}: ${manifest.events} events, ${dossiers} dossiers replayed, ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      console.log(`  chain head: position ${manifest.chainHead.pos}, ${manifest.chainHead.hash}`);
    } finally {
      await ctx.close();
    }
    return 0;
  } finally {
    await database.close();
  }
}
