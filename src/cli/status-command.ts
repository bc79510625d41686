/**
 * `dunghan status`: which database this command line reaches, its versions, how many events and dossiers it
 * holds, the chain's head and the last backup: what an operator checks before trusting any other command's answer.
 * Like every reading command it refuses a database with no province (exit 2).
 */
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { loadConfig, replicaSettingsOf, type Config } from '../config.js';
import { ReplicaReads, type ReplicaStatus } from '../db/replica.js';
import { openDatabase } from '../db/open-database.js';
import { STATE_VERSION } from '../dossiers/state.js';
import { databaseStatus } from '../store/database-status.js';
import { flags } from './support.js';

export function packageVersion(): string {
  return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
}

export async function statusCommand(args: string[]): Promise<number> {
  const { values } = flags(args, { json: { type: 'boolean' } });
  const config = loadConfig();
  const database = await openDatabase(config, { existing: true });
  try {
    const s = await databaseStatus(database.db.pool);
    const replica = await replicaStatus(config, database.db.pool);
    if (values.json) {
      console.log(JSON.stringify({ database: database.description, dunghan: packageVersion(), stateVersion: STATE_VERSION, ...s, replica }, null, 2));
      return 0;
    }
    console.log(`Database:    ${database.description}`);
    console.log(
      `Versions:    dunghan ${packageVersion()}, PostgreSQL ${s.serverVersion}, schema ${s.lastMigration ?? '(none)'}, dossier state ${STATE_VERSION}`,
    );
    console.log(`Events:      ${s.events} (${s.dossiers} dossiers)${s.unsealed ? `; ${s.unsealed} not yet sealed into the chain` : ''}`);
    console.log(`Chain head:  ${s.chainHead ? `position ${s.chainHead.pos}, ${s.chainHead.hash}` : '(empty)'}`);
    console.log(
      `Last backup: ${s.lastBackup ? `${s.lastBackup.at.toISOString()} ${s.lastBackup.file} (${s.lastBackup.events} events, ${s.lastBackup.bytes} bytes)` : 'none recorded (`dunghan backup --out FILE`)'}`,
    );
    for (const r of s.calendarRefolds)
      console.log(
        `Calendar:    revision ${r.revision}'s re-fold running since ${r.startedAt.toISOString()}: ${r.done} of ${r.total} dossiers done (resumed by the service's start or its next alert scan)`,
      );
    if (replica) console.log(`Replica:     ${replica.where}: ${replicaLine(replica)}`);
    return 0;
  } finally {
    await database.close();
  }
}

/** The read replica's condition measured once (a replica that is not a standby of the primary stops the command). */
async function replicaStatus(config: Config, primary: pg.Pool): Promise<(ReplicaStatus & { where: string }) | undefined> {
  const settings = replicaSettingsOf(config);
  if (!settings) return undefined;
  const reads = await ReplicaReads.open(primary, settings.url, { maxLagMs: settings.maxLagMs });
  try {
    return { ...reads.current(), where: reads.where };
  } finally {
    await reads.close();
  }
}

function replicaLine(r: ReplicaStatus): string {
  const behind = r.lagMs === null ? 'lag unknown' : `${r.lagMs} ms behind (${r.behindBytes} bytes of WAL to apply)`;
  if (r.condition === 'replica') return `${behind}; reports read there (bound ${r.maxLagMs} ms)`;
  if (r.condition === 'lagging') return `${behind}, past the bound of ${r.maxLagMs} ms: reports read from the primary`;
  return `${r.condition}: ${r.problem}; reports read from the primary`;
}
