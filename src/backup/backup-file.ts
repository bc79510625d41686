/**
 * The backup file (`dunghan backup --out FILE`): gzip of text lines, no SQL and no server tool needed to read or
 * write it (the embedded PostgreSQL 17 ships no pg_dump, and Debian's pg_dump 15 refuses a newer server).
 *
 *   line 1            the manifest (JSON): format, versions, each table with its columns and row count, the
 *                     event count and the chain's head, all read in the one snapshot the rows come from
 *   per table         `#table NAME`, then exactly `rows` lines in PostgreSQL's COPY text format
 *   last line         `#end {"sha256": …}`: the SHA-256 of every byte before that line
 *
 * Only what cannot be rebuilt is in it: the event log and its chain, catalogue and calendar revisions, pinned rules,
 * keys (hashed), supervisors, the outbox, portal figures, the personal-data read log. Dossiers, judgments and the
 * counters are rebuilt from the log on restore. `verifyBackup` checks a file offline: it is complete, its hash
 * matches, each table has the rows the manifest says, and the chain recomputed from the events ends at the head.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import { CHAIN_GENESIS, chainLink } from '../audit/chain.js';

export const BACKUP_FORMAT = 1;

export const manifestSchema = z.object({
  format: z.literal('dunghan-backup'),
  formatVersion: z.number().int().min(1),
  createdAt: z.string(),
  dunghan: z.string(),
  /** The last migration of the database backed up: a restore needs a dunghan that has it. */
  schema: z.string(),
  postgres: z.string(),
  stateVersion: z.number().int(),
  events: z.number().int().nonnegative(),
  chainHead: z.object({ pos: z.number().int().nonnegative(), hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  tables: z.array(
    z.object({ name: z.string().regex(/^[a-z_]+$/), columns: z.array(z.string().regex(/^[a-z_]+$/)).min(1), rows: z.number().int().nonnegative() }),
  ),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

/** A file that must not be restored, and why: the CLI exits 2 with the reason. */
export class BackupRefused extends Error {
  override name = 'BackupRefused';
}

/** One field of a COPY text row: `\N` is null, backslash escapes as PostgreSQL writes them. */
export function copyField(raw: string): string | null {
  if (raw === '\\N') return null;
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(.)/g, (_m, c: string) => ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' })[c] ?? c);
}

export const copyFields = (line: string) => line.split('\t').map(copyField);

/** Lines of the decompressed file. */
export async function* backupLines(file: string): AsyncGenerator<string> {
  const gunzip = createGunzip();
  const raw = createReadStream(file);
  // A read error (missing file) or a cut gzip stream surfaces through the line iterator as the file's problem.
  raw.on('error', (err) => gunzip.destroy(err));
  const lines = createInterface({ input: raw.pipe(gunzip), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      yield line;
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'Z_BUF_ERROR' || e.code === 'Z_DATA_ERROR' || /unexpected end of file/.test(e.message))
      throw new BackupRefused(`the file is truncated or not a dunghan backup (${e.message})`);
    if (e.code === 'ENOENT') throw new BackupRefused(`cannot read ${file}: ${e.message}`);
    throw err;
  }
}

export function parseManifest(line: string | undefined, knownMigrations: string[]): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(line ?? '');
  } catch {
    throw new BackupRefused('not a dunghan backup: the first line is not a manifest');
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success)
    throw new BackupRefused(
      `not a dunghan backup: the manifest is invalid (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`,
    );
  const m = parsed.data;
  if (m.formatVersion > BACKUP_FORMAT || !knownMigrations.includes(m.schema)) {
    throw new BackupRefused(
      `made by a newer dunghan (${m.dunghan}, schema ${m.schema}, format ${m.formatVersion}): restore it with that version or a later one`,
    );
  }
  return m;
}

export interface VerifiedBackup {
  manifest: BackupManifest;
  sha256: string;
  /** The local months (YYYY-MM, UTC+7) the events were recorded in: the log's partitions a restore creates first. */
  eventMonths: string[];
}

const PG_TIMESTAMPTZ = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?$/;

/** The local month (UTC+7) of a timestamptz as COPY writes it (ISO DateStyle, any session zone). */
export function localMonthOf(text: string): string | null {
  const m = PG_TIMESTAMPTZ.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, , sign, oh, om, os] = m;
  const offset = (sign === '-' ? -1 : 1) * ((Number(oh) * 60 + Number(om ?? 0)) * 60 + Number(os ?? 0)) * 1000;
  const local = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)) - offset + 7 * 3600_000);
  return local.toISOString().slice(0, 7);
}

/**
 * Reads the whole file once. The chain is recomputed as the events stream: the backup writes `event_chain` (its
 * links) before `dossier_events` and the events in chain order, so only the links are held, not the bodies.
 */
export async function verifyBackup(file: string, knownMigrations: string[]): Promise<VerifiedBackup> {
  const hash = createHash('sha256');
  const lines = backupLines(file);
  const first = await lines.next();
  const manifest = parseManifest(first.done ? undefined : first.value, knownMigrations);
  hash.update(`${first.value}\n`, 'utf8');
  const links: string[] = [];
  const seqAt = new Map<number, number>();
  let trailer: string | undefined;
  let table: BackupManifest['tables'][number] | undefined;
  let seen = 0;
  let tableIndex = 0;
  let recomputed = CHAIN_GENESIS;
  let chained = 0;
  const months = new Set<string>();
  const closeTable = () => {
    if (table && seen !== table.rows) throw new BackupRefused(`table ${table.name} has ${seen} rows, the manifest says ${table.rows}: the file was altered`);
  };
  for await (const line of lines) {
    if (trailer !== undefined) throw new BackupRefused('the file goes on after its end line: it was altered');
    const between = !table || seen === table.rows;
    if (between && line.startsWith('#end ')) {
      closeTable();
      trailer = line;
      continue;
    }
    hash.update(`${line}\n`, 'utf8');
    if (between && line.startsWith('#table ')) {
      closeTable();
      const expected = manifest.tables[tableIndex++];
      if (!expected || expected.name !== line.slice(7)) throw new BackupRefused(`unexpected table ${line.slice(7)}: the manifest does not match the file`);
      table = expected;
      seen = 0;
      continue;
    }
    if (!table || seen >= table.rows) throw new BackupRefused('rows outside any table: the manifest does not match the file');
    seen++;
    const f = copyFields(line);
    const col = (name: string) => f[table!.columns.indexOf(name)] ?? null;
    if (table.name === 'event_chain') {
      const pos = Number(col('pos'));
      links[pos] = col('hash')!;
      seqAt.set(Number(col('seq')), pos);
    } else if (table.name === 'dossier_events') {
      const month = localMonthOf(col('recorded_at') ?? '');
      if (!month) throw new BackupRefused(`an event's recorded_at (${col('recorded_at')}) is not a timestamp: the file was altered`);
      months.add(month);
      const pos = seqAt.get(Number(col('seq')));
      if (pos === undefined) continue; // committed but not yet sealed when the snapshot was taken: after the chain
      if (pos !== chained + 1) throw new BackupRefused(`the event at chain position ${pos} is out of order: the file was altered`);
      recomputed = chainLink(recomputed, pos, col('event_id')!, col('key_id'), col('body')!);
      if (recomputed !== links[pos]) throw new BackupRefused(`the chain breaks at position ${pos} (event ${col('event_id')}): the file was altered`);
      chained = pos;
    }
  }
  if (trailer === undefined) throw new BackupRefused('the file is truncated: it has no end line');
  if (tableIndex !== manifest.tables.length) throw new BackupRefused('the file is truncated: tables are missing');
  const sha256 = hash.digest('hex');
  let declared: unknown;
  try {
    declared = JSON.parse(trailer.slice(5)).sha256;
  } catch {
    declared = null;
  }
  if (declared !== sha256) throw new BackupRefused('the file’s SHA-256 does not match its end line: it was altered');
  if (
    chained !== manifest.chainHead.pos ||
    (chained > 0 && recomputed !== manifest.chainHead.hash) ||
    (chained === 0 && manifest.chainHead.hash !== CHAIN_GENESIS)
  ) {
    throw new BackupRefused(
      `the chain recomputed from the events ends at position ${chained}, the manifest says ${manifest.chainHead.pos}: the file was altered`,
    );
  }
  return { manifest, sha256, eventMonths: [...months].sort() };
}
