/**
 * Backup and restore through the pg connection itself (COPY TO STDOUT / FROM STDIN with pg-copy-streams), so they
 * work on the embedded PostgreSQL with nothing installed and on any PostgreSQL 14+ (src/backup/backup-file.ts has
 * the file's format and its offline check).
 *
 * Backup: the chain is sealed first, then one REPEATABLE READ READ ONLY transaction reads the manifest's counts and
 * every table, so the file is one consistent instant. Restore: onto a database with no province only; the file is
 * verified whole first, then every table is copied in one transaction (all or nothing) into the log's monthly
 * partitions (created first, closed after), sequences moved past the restored ids, the event ids derived from the log,
 * and the dossiers, judgments and counters rebuilt by replaying the log.
 */
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { BACKUP_FORMAT, BackupRefused, backupLines, type BackupManifest } from '../backup/backup-file.js';
import { unpipelinedClient } from '../db/database.js';
import { closeEndedMonths, createMonthPartitions, ensureEventPartitions } from './event-partitions.js';

/**
 * What cannot be rebuilt, parents before children (foreign keys), and `event_chain` before `dossier_events` so the
 * offline check recomputes the chain while streaming. Left out: dossiers, dossier_judgments and daily_counts (the
 * log's replay), scan_watermarks (cleared by that replay), warning_plan (the next warning scan plans every open
 * dossier again), web_sessions (people sign in again), backup_runs.
 */
export const BACKUP_TABLES: Array<{ name: string; order: string }> = [
  { name: 'agencies', order: 'code' },
  { name: 'procedures', order: 'code, valid_from' },
  { name: 'catalog_revisions', order: 'id' },
  { name: 'calendar_years', order: '1' },
  { name: 'calendar_revisions', order: '1' },
  { name: 'api_keys', order: '1' },
  // Staff accounts (issue 29 item 1: "accounts … where they exist"), with their password hashes; their links and
  // sessions are not kept (people sign in again, a reset asks for a new link).
  { name: 'people', order: 'id' },
  { name: 'supervisors', order: '1' },
  { name: 'warning_settings', order: 'agency_code' },
  { name: 'event_chain', order: 'pos' },
  { name: 'event_chain_head', order: '1' },
  { name: 'dossier_events', order: '' },
  { name: 'unsealed_events', order: '1' },
  { name: 'dossier_rules', order: '1' },
  { name: 'alert_outbox', order: 'id' },
  { name: 'alerts', order: '1' },
  { name: 'portal_figures', order: '1' },
  { name: 'personal_data_reads', order: 'id' },
  { name: 'signed_letters', order: 'digest' },
];

/** The events in chain order (unsealed ones after, by seq): the order verifyBackup recomputes the chain in. */
const EVENTS_IN_CHAIN_ORDER = (columns: string[]) =>
  `SELECT ${columns.map((c) => `e.${c}`).join(', ')} FROM dossier_events e LEFT JOIN event_chain c ON c.seq = e.seq ORDER BY c.pos NULLS LAST, e.seq`;

async function columnsOf(client: pg.ClientBase, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position",
    [table],
  );
  return rows.map((r) => r.column_name);
}

export async function migrationNames(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
  return rows.map((r) => r.name);
}

export interface BackupResult {
  manifest: BackupManifest;
  bytes: number;
  sha256: string;
}

/** Writes FILE (through FILE.partial, renamed when complete, so a file at FILE is always whole). */
export async function writeBackup(pool: pg.Pool, file: string, meta: { dunghan: string; stateVersion: number }): Promise<BackupResult> {
  await pool.query('SELECT seal_events()');
  const partial = `${file}.partial`;
  const client = await unpipelinedClient(pool);
  const gzip = createGzip();
  const out = createWriteStream(partial);
  const written = pipeline(gzip, out);
  written.catch(() => undefined); // awaited below; a failure before then is reported there
  const hash = createHash('sha256');
  // Bytes as PostgreSQL sends them: a chunk may end inside a character, so it is never decoded here.
  const write = async (data: string | Buffer) => {
    hash.update(data);
    if (!gzip.write(data)) await once(gzip, 'drain');
  };
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables: BackupManifest['tables'] = [];
    for (const t of BACKUP_TABLES) {
      const columns = await columnsOf(client, t.name);
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${t.name}`);
      tables.push({ name: t.name, columns, rows: Number(rows[0]!.n) });
    }
    const { rows: head } = await client.query<{ pos: number; hash: string }>('SELECT pos, hash FROM event_chain_head');
    const { rows: info } = await client.query<{ schema: string; postgres: string }>(
      "SELECT (SELECT max(name) FROM schema_migrations) AS schema, current_setting('server_version') AS postgres",
    );
    const manifest: BackupManifest = {
      format: 'dunghan-backup',
      formatVersion: BACKUP_FORMAT,
      createdAt: new Date().toISOString(),
      dunghan: meta.dunghan,
      schema: info[0]!.schema,
      postgres: info[0]!.postgres,
      stateVersion: meta.stateVersion,
      events: tables.find((t) => t.name === 'dossier_events')!.rows,
      chainHead: { pos: Number(head[0]!.pos), hash: head[0]!.hash },
      tables,
    };
    await write(`${JSON.stringify(manifest)}\n`);
    for (const [i, t] of BACKUP_TABLES.entries()) {
      const columns = tables[i]!.columns;
      await write(`#table ${t.name}\n`);
      const select = t.name === 'dossier_events' ? EVENTS_IN_CHAIN_ORDER(columns) : `SELECT ${columns.join(', ')} FROM ${t.name} ORDER BY ${t.order}`;
      const stream = client.query(copyStreams.to(`COPY (${select}) TO STDOUT`));
      // Events rather than async iteration: the copy stream closes without the 'end' that iteration waits for.
      await new Promise<void>((resolve, reject) => {
        stream.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          if (!gzip.write(chunk)) {
            stream.pause();
            gzip.once('drain', () => stream.resume());
          }
        });
        stream.on('end', resolve);
        stream.on('error', reject);
      });
    }
    await client.query('COMMIT');
    const sha256 = hash.digest('hex');
    gzip.end(`#end ${JSON.stringify({ sha256 })}\n`);
    await written;
    await fs.rename(partial, file);
    return { manifest, bytes: (await fs.stat(file)).size, sha256 };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    gzip.destroy();
    await fs.rm(partial, { force: true });
    throw err;
  } finally {
    await client.end();
  }
}

/**
 * What the file does not carry because the log has it: the accepted event ids (the idempotency key), and, in a file
 * written before migration 080, the recorded_at of each chain link and queued event.
 */
async function deriveFromLog(client: pg.ClientBase): Promise<void> {
  await client.query('INSERT INTO event_ids (event_id, body_hash) SELECT event_id, body_hash FROM dossier_events');
  const { rows } = await client.query<{ old: boolean }>('SELECT EXISTS (SELECT 1 FROM event_chain WHERE recorded_at IS NULL) AS old');
  if (rows[0]!.old)
    await client.query('UPDATE event_chain c SET recorded_at = e.recorded_at FROM dossier_events e WHERE e.seq = c.seq AND c.recorded_at IS NULL');
  await client.query('UPDATE unsealed_events u SET recorded_at = e.recorded_at FROM dossier_events e WHERE e.seq = u.seq AND u.recorded_at IS NULL');
  await client.query('ANALYZE event_ids');
  await client.query('ANALYZE event_chain');
}

/** Recorded after the file is complete: `dunghan status` shows the last one. */
export async function recordBackupRun(pool: pg.Pool, file: string, r: BackupResult): Promise<void> {
  await pool.query('INSERT INTO backup_runs (file, bytes, events, chain_pos, chain_hash) VALUES ($1, $2, $3, $4, $5)', [
    file,
    r.bytes,
    r.manifest.events,
    r.manifest.chainHead.pos,
    r.manifest.chainHead.hash,
  ]);
}

/** A target holds nothing a restore could overwrite: no agency, no key, no event. */
export async function isEmptyTarget(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ any: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM agencies) OR EXISTS (SELECT 1 FROM api_keys) OR EXISTS (SELECT 1 FROM dossier_events) AS any',
  );
  return !rows[0]!.any;
}

/**
 * Copies a verified file's tables into an empty, migrated database in one transaction. Rows the migrations seeded
 * (the chain's genesis head, calendar revisions of built-in years) are replaced by the file's.
 */
export async function restoreTables(pool: pg.Pool, file: string, manifest: BackupManifest, eventMonths: string[]): Promise<void> {
  if (!(await isEmptyTarget(pool)))
    throw new BackupRefused('the target database is not empty (it has agencies, keys or events): restore only onto an empty one');
  const client = await unpipelinedClient(pool);
  try {
    await client.query('BEGIN');
    const ours = new Map<string, string[]>();
    for (const t of BACKUP_TABLES) ours.set(t.name, await columnsOf(client, t.name));
    for (const t of [...manifest.tables].reverse()) await client.query(`DELETE FROM ${t.name}`);
    // The log's months exist before it is loaded (there is no default partition); they are closed after.
    await createMonthPartitions(client, eventMonths);
    const lines = backupLines(file);
    await lines.next(); // the manifest, read above
    for (const t of manifest.tables) {
      const header = await lines.next();
      if (header.value !== `#table ${t.name}`) throw new BackupRefused(`the file changed while it was restored (expected table ${t.name})`);
      const missing = t.columns.filter((c) => !ours.get(t.name)?.includes(c));
      if (missing.length)
        throw new BackupRefused(`table ${t.name} has columns this dunghan does not know (${missing.join(', ')}): restore with the version that made the file`);
      // Columns added since the file was made take their defaults.
      const copy = client.query(copyStreams.from(`COPY ${t.name} (${t.columns.join(', ')}) FROM STDIN`));
      const done = new Promise<void>((resolve, reject) => {
        copy.on('finish', resolve);
        copy.on('error', reject);
      });
      for (let i = 0; i < t.rows; i++) {
        const row = await lines.next();
        if (row.done) throw new BackupRefused('the file is truncated');
        if (!copy.write(`${row.value}\n`)) await once(copy, 'drain');
      }
      copy.end();
      await done;
    }
    await lines.return(undefined);
    // Serial ids continue after the restored ones.
    const { rows: serials } = await client.query<{ seq: string; tbl: string; col: string }>(
      `SELECT pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) AS seq, c.table_name AS tbl, c.column_name AS col
       FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name = ANY($1) AND c.column_default LIKE 'nextval(%'`,
      [manifest.tables.map((t) => t.name)],
    );
    for (const s of serials) if (s.seq) await client.query(`SELECT setval($1, coalesce((SELECT max(${s.col}) FROM ${s.tbl}), 0) + 1, false)`, [s.seq]);
    await deriveFromLog(client);
    await ensureEventPartitions(client);
    await closeEndedMonths(client);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
