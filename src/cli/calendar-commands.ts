/**
 * The working-time calendar and deadlines from the command line (`dunghan calendar …`, `dunghan deadline …`).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VietnamCalendar } from '../calendar/vietnam-calendar.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open-database.js';
import { deadlineQuerySchema, explainDeadline } from '../dossiers/explain-deadline.js';
import { applyCalendarImport, loadCalendar, previewCalendarImport, type DayChange, type MovedDossier } from '../store/calendar-store.js';
import { parseCalendarYear } from '../calendar/calendar-file.js';
import { loadCatalog } from '../store/catalog-store.js';
import { flags, parseArgsOrUsage, readJsonFile, UsageError, withContext } from './support.js';

export async function calendarCommand(args: string[]): Promise<number> {
  if (args[0] === 'import') return calendarImport(args.slice(1));
  const { values } = flags(args, { year: { type: 'string' }, json: { type: 'boolean' } });
  const year = Number(values.year);
  if (!values.year || !Number.isInteger(year) || year < 2000 || year > 2199) throw new UsageError('--year YYYY is required (2000–2199)');
  const cal = await calendarFromDatabaseIfAny();
  const y = cal.describeYear(year);
  if (values.json) console.log(JSON.stringify(y, null, 2));
  else {
    console.log(`Lịch làm việc ${year}${y.provisional ? ' (tạm tính)' : ''} — Tết ${y.lunarNewYear}, Giỗ Tổ ${y.hungKings}`);
    for (const d of y.daysOff) console.log(`  nghỉ    ${d.date}  ${d.name}  [${d.source}]`);
    for (const d of y.workingWeekendDays) console.log(`  làm bù  ${d.date}  ${d.name}  [${d.source}]`);
  }
  return 0;
}

async function calendarImport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgsOrUsage(args, { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('usage: dunghan calendar import FILE [--dry-run] [--json]');
  const parsed = parseCalendarYear(await readJsonFile(positionals[0]!));
  if (!parsed.success)
    throw new UsageError(
      `${positionals[0]} is refused, nothing changed:\n${parsed.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`).join('\n')}`,
    );
  const file = parsed.data;
  return withContext(async (ctx) => {
    const print = (p: { changes: DayChange[]; moved: MovedDossier[]; affected: number }) => {
      if (values.json) return;
      console.log(`Năm ${file.year}: ${p.changes.length} ngày thay đổi`);
      for (const c of p.changes)
        console.log(
          `  ${c.date}  ${c.before ? `${c.before.kind} ${c.before.name}${c.before.confirmed ? '' : ' (chưa xác nhận)'}` : 'ngày thường'} → ${c.after ? `${c.after.kind} ${c.after.name}${c.after.confirmed ? '' : ' (chưa xác nhận)'}` : 'ngày thường'}`,
        );
      console.log(`${p.moved.length} hồ sơ đang giải quyết đổi hạn (trong ${p.affected} hồ sơ có thời hạn chạm năm ${file.year}):`);
      for (const m of p.moved) console.log(`  ${m.code}  ${m.agencyCode}  ${m.oldDueAt} → ${m.newDueAt}`);
    };
    if (values['dry-run']) {
      const { calendar: _c, codes: _codes, ...preview } = await previewCalendarImport(ctx.db.pool, ctx.calendar, ctx.catalog, file);
      print(preview);
      if (values.json) console.log(JSON.stringify({ dryRun: true, ...preview }, null, 2));
      else console.log('--dry-run: nothing was changed.');
      return;
    }
    const result = await applyCalendarImport(
      { pool: ctx.db.pool, calendar: ctx.calendar, catalog: ctx.catalog },
      file,
      `cli ${os.userInfo().username}`,
      (c) => {
        ctx.calendar = c;
      },
    );
    print(result);
    if (values.json) console.log(JSON.stringify({ dryRun: false, ...result }, null, 2));
    else console.log(`Applied as calendar revision ${result.revision} (${result.calendarVersion}); ${result.refolded} dossiers recomputed.`);
  });
}

export async function deadlineCommand(args: string[]): Promise<number> {
  const { values } = flags(args, {
    received: { type: 'string' },
    duration: { type: 'string' },
    unit: { type: 'string' },
    agency: { type: 'string' },
    convention: { type: 'string' },
    json: { type: 'boolean' },
  });
  const { json: _json, ...query } = values;
  const parsed = deadlineQuerySchema.safeParse(query);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  let cal: VietnamCalendar;
  let catalog = null;
  if (parsed.data.agency) {
    const database = await openDatabase(loadConfig());
    try {
      cal = await loadCalendar(database.db.pool);
      catalog = await loadCatalog(database.db.pool);
      if (!catalog.agency(parsed.data.agency)) throw new UsageError(`unknown agency ${parsed.data.agency}`);
    } finally {
      await database.close();
    }
  } else cal = await calendarFromDatabaseIfAny();
  const r = explainDeadline(cal, catalog, parsed.data);
  if (values.json)
    console.log(
      JSON.stringify(
        {
          clockStartsAt: r.clockStartsAt,
          dueAt: r.dueAt,
          provisional: r.provisional,
          provisionalEntries: r.provisionalEntries,
          skipped: r.skipped,
          calendarVersion: r.calendarVersion,
        },
        null,
        2,
      ),
    );
  else {
    console.log(`Bắt đầu tính: ${r.clockStartsAt}\nHạn:          ${r.dueAt}${r.provisional ? ' (tạm tính)' : ''}`);
    for (const e of r.provisionalEntries) console.log(`  chưa xác nhận ${e.date}: ${e.name} [${e.source}]`);
    for (const s of r.skipped) console.log(`  bỏ qua ${s.date}: ${s.reason}`);
  }
  return 0;
}

/** The calendar with the administrators' corrections when a database is configured, else the built-in one. */
async function calendarFromDatabaseIfAny(): Promise<VietnamCalendar> {
  const config = loadConfig();
  if (!config.DATABASE_URL && !existsSync(path.join(config.dataDir, 'postgres', 'PG_VERSION'))) return new VietnamCalendar();
  const database = await openDatabase(config);
  try {
    return await loadCalendar(database.db.pool);
  } finally {
    await database.close();
  }
}
