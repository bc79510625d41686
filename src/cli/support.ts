/**
 * What every command shares: usage errors (exit 2), flag parsing that turns
 * parse failures into usage errors, and a context on the configured database.
 */
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AppContext } from '../app-context.js';
import { citizenOptions, clockToleranceOf, loadConfig, replicaSettingsOf } from '../config.js';
import { ReplicaReads } from '../db/replica.js';
import { openDatabase } from '../db/open-database.js';

export class UsageError extends Error {}

export type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

export function flags<T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

export function parseArgsOrUsage<T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * `existing`: the command reads what a province recorded (reports, audits, keys, rebuild): it refuses, exit 2, a
 * database that holds none rather than create or migrate an empty one (src/db/open-database.ts).
 */
/** `replica`: reports read the read replica (DATABASE_REPLICA_URL) when it is within its bound, as the service's do. */
export async function withContext(fn: (ctx: AppContext) => Promise<void>, options: { existing?: boolean; replica?: boolean } = {}): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase(config, { existing: options.existing });
  try {
    // Links in mail sent from here point where the service is published, as they do from the service.
    // Progress on stderr: a command's stdout may be its output (JSON, CSV).
    const ctx = await AppContext.load(database.db, {
      publicUrl: config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`,
      log: (l) => console.error(l),
      citizen: citizenOptions(config),
      clockToleranceMs: clockToleranceOf(config),
    });
    try {
      const replica = options.replica ? replicaSettingsOf(config) : undefined;
      if (replica) ctx.replica = await ReplicaReads.open(database.db.pool, replica.url, { maxLagMs: replica.maxLagMs });
      await fn(ctx);
    } finally {
      // What the command ingested is sealed into the chain before the database closes.
      await ctx.close();
    }
    return 0;
  } finally {
    await database.close();
  }
}

/** A JSON file the user named; unreadable or not JSON is a usage error (exit 2). */
export async function readJsonFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
