/**
 * `dunghan sync import FILE`: the portal's records as JSON lines (one record a
 * line, as `GET /api/v1/sync/dossiers?format=jsonl` writes them). The whole
 * file is read first: a line that is not a valid record refuses the file
 * (exit 2, every bad line and field named, nothing applied). Then records are
 * applied in chunks, in file order; a record that contradicts what is
 * recorded is reported with its line and the rest go on (exit 1 at the end).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import cliProgress from 'cli-progress';
import { SyncConflict, syncRecords, type RecordIssue } from '../store/portal-sync.js';
import { eventsOfRecord, portalRecordSchema, RecordProblem, type PortalRecord } from '../sync/portal-record.js';
import { parseArgsOrUsage, UsageError, withContext } from './support.js';

const CHUNK = 500;
const MAX_LISTED = 50;

async function* lines(file: string): AsyncGenerator<{ line: number; text: string }> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (text.trim()) yield { line, text: text.replace(/^\uFEFF/, '') };
  }
}

function parseLine(text: string): { ok: true; record: PortalRecord } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`not JSON: ${(err as Error).message}`] };
  }
  const parsed = portalRecordSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`) };
  // What a record must hold for its status (a result needs NgayKetThucXuLy…) does not depend on the database.
  try {
    eventsOfRecord(parsed.data, undefined);
  } catch (err) {
    if (err instanceof RecordProblem) return { ok: false, problems: [`${err.field}: ${err.message}`] };
    throw err;
  }
  return { ok: true, record: parsed.data };
}

export async function syncCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgsOrUsage(rest, { json: { type: 'boolean' } });
  if (sub !== 'import' || positionals.length !== 1)
    throw new UsageError('usage: dunghan sync import FILE [--json]   (FILE: JSON lines, one portal record a line)');
  const file = positionals[0]!;

  // Pass 1: every line must be a record before anything is applied.
  const bad: string[] = [];
  let total = 0;
  try {
    for await (const { line, text } of lines(file)) {
      total++;
      const parsed = parseLine(text);
      if (!parsed.ok) bad.push(...parsed.problems.map((p) => `  line ${line}: ${p}`));
    }
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  if (bad.length)
    throw new UsageError(
      `${file} is refused, nothing applied (${bad.length} problems):\n${bad.slice(0, MAX_LISTED).join('\n')}${bad.length > MAX_LISTED ? `\n  … and ${bad.length - MAX_LISTED} more` : ''}`,
    );

  let refused: Array<RecordIssue & { line: number }> = [];
  let eventsAdded = 0;
  let applied = 0;
  const started = Date.now();
  const code = await withContext(
    async (ctx) => {
      const bar = new cliProgress.SingleBar(
        { format: 'sync import [{bar}] {value}/{total} records | {rate}/min | {eta_formatted}', stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      if (!values.json) bar.start(total, 0, { rate: 0 });
      let chunk: Array<{ line: number; record: PortalRecord }> = [];
      const flush = async () => {
        let pending = chunk;
        chunk = [];
        // A record refused in a chunk is set aside with its line; the chunk's other records are applied.
        while (pending.length) {
          try {
            const result = await syncRecords(
              ctx.db.pool,
              ctx.catalog,
              ctx.ingest,
              pending.map((p) => p.record),
            );
            eventsAdded += result.eventsAdded;
            applied += result.results.length;
            break;
          } catch (err) {
            if (!(err instanceof SyncConflict)) throw err;
            const culprits = new Set(err.issues.map((i) => i.index));
            refused = refused.concat(err.issues.map((i) => ({ ...i, line: pending[i.index]!.line })));
            pending = pending.filter((_, i) => !culprits.has(i));
          }
        }
      };
      let seen = 0;
      for await (const { line, text } of lines(file)) {
        chunk.push({ line, record: (parseLine(text) as { ok: true; record: PortalRecord }).record });
        if (chunk.length === CHUNK) {
          seen += chunk.length;
          await flush();
          if (!values.json) bar.update(seen, { rate: Math.round((seen / Math.max(1, Date.now() - started)) * 60_000) });
        }
      }
      seen += chunk.length;
      await flush();
      if (!values.json) {
        bar.update(seen, { rate: Math.round((seen / Math.max(1, Date.now() - started)) * 60_000) });
        bar.stop();
      }
    },
    { existing: true },
  );
  const seconds = (Date.now() - started) / 1000;
  const summary = {
    records: total,
    applied,
    refused: refused.length,
    eventsAdded,
    seconds,
    recordsPerMinute: Math.round((total / Math.max(seconds, 0.001)) * 60),
  };
  if (values.json) console.log(JSON.stringify({ ...summary, problems: refused }, null, 2));
  else {
    console.log(
      `${total} records: ${applied} applied or unchanged, ${refused.length} refused; ${eventsAdded} events added in ${seconds.toFixed(1)} s (${summary.recordsPerMinute} records/min)`,
    );
    for (const r of refused.slice(0, MAX_LISTED)) console.log(`  line ${r.line} ${r.MaHoSo} ${r.field}: ${r.message}`);
    if (refused.length > MAX_LISTED) console.log(`  … and ${refused.length - MAX_LISTED} more (--json lists them all)`);
  }
  return refused.length ? 1 : code;
}
