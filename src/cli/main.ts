/**
 * `dunghan` command line: serve, rebuild, keys, calendar, deadline, migrate.
 * Bad usage exits with code 2 and a message saying what is wrong.
 */
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VietnamCalendar } from '../calendar/vietnam-calendar.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open-database.js';
import { deadlineQuerySchema, explainDeadline } from '../dossiers/explain-deadline.js';
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey, roleSchema } from '../store/api-keys.js';
import { instantSchema } from '../calendar/instant.js';
import { z } from 'zod';
import { applyCalendarImport, loadCalendar, previewCalendarImport, type DayChange, type MovedDossier } from '../store/calendar-store.js';
import { parseCalendarYear } from '../calendar/calendar-file.js';
import { loadCatalog } from '../store/catalog-store.js';
import { rebuildDossiers } from '../store/rebuild.js';
import { periodOf, reportQuerySchema } from '../reports/report-query.js';
import { indicatorsOf } from '../reports/rates.js';
import { formatLocalInstant } from '../calendar/local-time.js';
import { buildReport } from '../store/report-store.js';
import { RATE_COLUMNS } from '../reports/columns.js';
import { tableRows, toCsv, toXlsx } from '../reports/export.js';
import { JOB_NAMES, isJobName, runJob } from '../jobs/jobs.js';
import { mailerFrom, sendersFrom, serve, worker } from './serve.js';
import { loadTemplates, TemplateError } from '../alerts/message-templates.js';
import { exportPackage, replayAndCompare, verifyChain } from '../store/audit-store.js';
import { checkPackage, type AuditPackage } from '../audit/package.js';
import { flags, parseArgsOrUsage, readJsonFile, UsageError, withContext } from './support.js';
import { catalogCommand, initCommand } from './catalog-commands.js';
import { syncCommand } from './sync-commands.js';
import { statusCommand } from './status-command.js';
import { backupCommand, restoreCommand } from './backup-commands.js';
import { usersCommand } from './users-commands.js';

export { UsageError };

const HELP = `Usage: dunghan <command> [options]

Commands:
  serve [--sample-data]            start the service (embedded PostgreSQL unless DATABASE_URL is set)
  rebuild                          replay the event log into the dossiers table
  keys create --role R --agency CODE [--label TEXT] [--expires DATE]
                                   create an API key (printed once); roles: counter, supervisor, auditor, admin
  keys list [--json]               every key with its role, agencies, expiry, last use (never the key itself)
  keys revoke ID | keys rotate ID  revoke a key (and its web sessions); rotate: a new key, the old one revoked
  users create --name NAME --email E --role R [--role R…] --agency CODE [--agency CODE…]
                                   a staff account; prints its id and the one-time link to set the first password
  users list [--json] | users deactivate ID | users password-link ID
                                   accounts and their state; deactivate (never delete: their sessions end at once);
                                   a new one-time password link (a reset)
  calendar --year YYYY [--json]    the working-time calendar of a year
  calendar import FILE [--dry-run] load a year file (fixtures/calendar/VN-YYYY.json shape): shows what changes and
                                   which open dossiers' due instants move, then records a calendar revision
  deadline --received ISO --duration N --unit U [--agency CODE] [--json]
                                   compute and explain a deadline; units: working-days, working-hours, calendar-days, months
  worker                           run the scheduled jobs (alerts, digest, outbox) in this process
  messages check FILE              check a province's message templates (fixtures/messages/vi.json shape): every
                                   problem named, exit 2; MESSAGE_TEMPLATES then names the file
  jobs run <name>                  run one job once and exit: due-soon-scan, overdue-scan, daily-digest, outbox-flush,
                                   calendar-reminder
  report --from DATE --to DATE | --period P [--convention calendar|report] [--group-by G] [--agency CODE]
         [--format csv|xlsx|json] [--dialect standard|vn] [--out FILE]
                                   compliance rates (G: agency, procedure, field, channel, month); --dialect vn
                                   writes ";" and decimal commas for Excel under Vietnamese settings
  audit verify [--json]            recompute the event log's hash chain, replay the log into a scratch schema and
                                   report the first divergence from the stored dossiers and counters (exit 1 if any)
  audit export --agency CODE --period P --out FILE
                                   a package (events with their chain links, catalogue, calendar, rules, published
                                   rates) from which the period's rates can be recomputed offline
  audit check FILE [--json]        recompute a package offline: chain links, dossiers, counts (exit 1 on a difference)
  init --province NAME --admin-email E [--code CODE] [--valid-from DATE]
                                   start a province on an empty database: its root agency and the first admin key
  catalog import FILE... [--dry-run] [--json]
                                   load agencies and procedures from .json, .csv or .xlsx files: shows what is added,
                                   changed and retired; a bad file is refused whole with every bad row and column
  sync import FILE [--json]        the national portal's dossier records as JSON lines (as GET /api/v1/sync/dossiers
                                   ?format=jsonl writes them): a bad line refuses the file; records that contradict
                                   what is recorded are listed by line (exit 1), the others applied
  migrate                          apply database migrations
  backup --out FILE [--json]       a consistent snapshot of what cannot be rebuilt (event log and chain, catalogue,
                                   calendar, pinned rules, hashed keys, supervisors, outbox, portal figures, read log),
                                   gzip with a manifest; no pg_dump needed
  backup verify FILE [--json]      check a backup offline: complete, unaltered, counts, the chain recomputed to its head
  restore FILE                     onto an empty database: the tables, then the log replayed into dossiers and counters
  status [--json]                  which database this reaches (DATABASE_URL, or the embedded one of DATA_DIR), its
                                   versions, events, the chain's head and the last backup

Commands that read (report, audit, keys list, rebuild, jobs, sync import, status) refuse a database that holds no
province, exit 2 naming where they looked: run them where the service runs, or set DATA_DIR or DATABASE_URL.

dunghan <command> --help shows one command; dunghan --version the version.
`;

/** The lines of HELP that describe one command (an entry and its continuation lines). */
export function commandHelp(command: string): string | null {
  const blocks: string[][] = [];
  for (const line of HELP.split('\n')) {
    if (/^ {2}\S/.test(line)) blocks.push([line]);
    else if (/^ {3,}\S/.test(line) && blocks.length) blocks.at(-1)!.push(line);
  }
  const mine = blocks.filter((b) => b[0]!.trim().split(/\s+/)[0] === command);
  return mine.length ? `Usage: dunghan ${command} …\n\n${mine.map((b) => b.join('\n')).join('\n')}\n` : null;
}

function version(): string {
  return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v' || command === 'version') {
    console.log(`dunghan ${version()}`);
    return 0;
  }
  if (command && (rest.includes('--help') || rest.includes('-h'))) {
    const help = commandHelp(command);
    if (!help) throw new UsageError(`unknown command "${command}"\n\n${HELP}`);
    console.log(help);
    return 0;
  }
  switch (command) {
    case 'serve':
      return serve(flags(rest, { 'sample-data': { type: 'boolean' } }).values['sample-data'] ?? false);
    case 'rebuild':
      return withContext(
        async (ctx) => {
          const n = await rebuildDossiers(ctx.db.pool, ctx.foldContext(), (done, total) => process.stderr.write(`\rrebuilt ${done}/${total}`));
          process.stderr.write('\n');
          console.log(`rebuilt ${n} dossiers from the event log`);
        },
        { existing: true },
      );
    case 'keys':
      return keys(rest);
    case 'users':
      return usersCommand(rest);
    case 'calendar':
      return calendar(rest);
    case 'deadline':
      return deadline(rest);
    case 'init':
      return initCommand(rest);
    case 'catalog':
      return catalogCommand(rest);
    case 'sync':
      return syncCommand(rest);
    case 'backup':
      return backupCommand(rest);
    case 'restore':
      return restoreCommand(rest);
    case 'status':
      return statusCommand(rest);
    case 'migrate':
      return withContext(async () => console.log('migrations applied'));
    case 'worker':
      return worker();
    case 'report':
      return report(rest);
    case 'audit':
      return audit(rest);
    case 'messages': {
      // A province's templates checked before MESSAGE_TEMPLATES points at them: every problem named, exit 2.
      const [sub, file, ...more] = rest;
      if (sub !== 'check' || !file || more.length) throw new UsageError('usage: dunghan messages check FILE');
      try {
        loadTemplates(file);
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        console.error(err.message);
        return 2;
      }
      console.log(`${file}: every message kind has its e-mail, SMS and Zalo template, with known fields only`);
      return 0;
    }
    case 'jobs': {
      const [sub, name, ...more] = rest;
      if (sub !== 'run' || !name || more.length) throw new UsageError(`usage: dunghan jobs run <${JOB_NAMES.join('|')}>`);
      if (!isJobName(name)) throw new UsageError(`unknown job "${name}"; jobs: ${JOB_NAMES.join(', ')}`);
      const config = loadConfig();
      return withContext(
        async (ctx) => {
          console.log(
            JSON.stringify(await runJob(name, { ctx, mailer: mailerFrom(config), senders: sendersFrom(config, ctx), adminEmails: config.ADMIN_EMAILS })),
          );
        },
        { existing: true },
      );
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(HELP);
      return command ? 0 : 2;
    default:
      throw new UsageError(`unknown command "${command}"\n\n${HELP}`);
  }
}

async function keys(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const usage = 'usage: dunghan keys create --role R --agency CODE [--label TEXT] [--expires DATE] | list [--json] | revoke ID | rotate ID [--expires DATE]';
  const expiry = (raw: string | undefined) => {
    if (raw === undefined) return undefined;
    const parsed = instantSchema.safeParse(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T23:59:59+07:00` : raw);
    if (!parsed.success) throw new UsageError(`--expires: ${parsed.error.issues[0]!.message} (a date YYYY-MM-DD or an instant)`);
    return new Date(parsed.data);
  };
  switch (sub) {
    case 'create': {
      const { values } = flags(rest, {
        role: { type: 'string' },
        agency: { type: 'string', multiple: true },
        label: { type: 'string' },
        expires: { type: 'string' },
      });
      const role = roleSchema.safeParse(values.role);
      if (!role.success) throw new UsageError(`--role must be one of ${roleSchema.options.join(', ')}`);
      if (!values.agency?.length) throw new UsageError('--agency CODE is required (repeat it for several agencies)');
      const expiresAt = expiry(values.expires);
      return withContext(async (ctx) => {
        const unknown = values.agency!.filter((a) => !ctx.catalog.agency(a));
        if (unknown.length) throw new UsageError(`unknown agency ${unknown.join(', ')}`);
        const { key } = await createApiKey(ctx.db.pool, {
          role: role.data,
          agencyCodes: values.agency!,
          label: values.label ?? `${role.data} ${values.agency!.join(',')}`,
          expiresAt,
        });
        console.log(key);
        console.error('This key is shown once; only its hash is stored.');
      });
    }
    case 'list': {
      const { values } = flags(rest, { json: { type: 'boolean' } });
      return withContext(
        async (ctx) => {
          const items = await listApiKeys(ctx.db.pool);
          if (values.json) return void console.log(JSON.stringify(items, null, 2));
          for (const k of items) {
            const state = k.revokedAt ? `revoked ${k.revokedAt}` : k.expiresAt && Date.parse(k.expiresAt) < Date.now() ? `expired ${k.expiresAt}` : 'live';
            console.log(
              `${k.id}  ${k.role.padEnd(10)} ${k.agencyCodes.join(',').padEnd(20)} ${state.padEnd(34)} last used ${k.lastUsedAt ?? 'never'}  ${k.label}`,
            );
          }
        },
        { existing: true },
      );
    }
    case 'revoke':
    case 'rotate': {
      const { values, positionals } = parseArgsOrUsage(rest, { expires: { type: 'string' } });
      const id = z.uuid().safeParse(positionals[0]);
      if (positionals.length !== 1 || !id.success) throw new UsageError(`usage: dunghan keys ${sub} ID (the key's id from \`dunghan keys list\`)`);
      const expiresAt = expiry(values.expires as string | undefined);
      return withContext(
        async (ctx) => {
          if (sub === 'revoke') {
            if (!(await revokeApiKey(ctx.db.pool, id.data))) throw new UsageError(`no live key ${id.data}`);
            console.log(`revoked ${id.data} and its web sessions`);
          } else {
            const created = await rotateApiKey(ctx.db.pool, id.data, expiresAt);
            if (!created) throw new UsageError(`no live key ${id.data}`);
            console.log(created.key);
            console.error(`Key ${id.data} is revoked; its replacement ${created.id} is shown once.`);
          }
        },
        { existing: true },
      );
    }
    default:
      throw new UsageError(usage);
  }
}

async function calendar(args: string[]): Promise<number> {
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

async function deadline(args: string[]): Promise<number> {
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

async function report(args: string[]): Promise<number> {
  const { values } = flags(args, {
    from: { type: 'string' },
    to: { type: 'string' },
    period: { type: 'string' },
    convention: { type: 'string' },
    'group-by': { type: 'string' },
    agency: { type: 'string' },
    format: { type: 'string' },
    dialect: { type: 'string' },
    out: { type: 'string' },
  });
  const { 'group-by': groupBy, out: _out, ...rest } = values;
  const parsed = reportQuerySchema.safeParse({ ...rest, ...(groupBy ? { groupBy } : {}) });
  const flagName = (key: string) => (key === 'groupBy' ? 'group-by' : key);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${flagName(String(i.path[0] ?? ''))}: ${i.message}`).join('\n'));
  const q = parsed.data;
  return withContext(
    async (ctx) => {
      if (q.agency && !ctx.catalog.agency(q.agency)) throw new UsageError(`unknown agency ${q.agency}`);
      const period = periodOf(q);
      if (period.from > ctx.now()) throw new UsageError(`--period: ${period.label} has not started yet (it starts ${formatLocalInstant(period.from)})`);
      const filter = { agencies: q.agency ? [q.agency] : null };
      const progress = process.stderr.isTTY
        ? (done: number, total: number) => process.stderr.write(`\r[${'#'.repeat(Math.round((done / total) * 30)).padEnd(30)}] ${done}/${total}`)
        : undefined;
      const result = await buildReport(ctx.reading(), q, filter, { onProgress: progress });
      if (progress) process.stderr.write('\n');
      const rows = tableRows(result, q.groupBy);
      let output: string | Buffer;
      if (q.format === 'json')
        output =
          JSON.stringify(
            {
              period: result.period,
              running: result.period.to > ctx.now(),
              rows: result.rows,
              total: result.total,
              indicators: indicatorsOf(result.totalCounts),
            },
            null,
            2,
          ) + '\n';
      else if (q.format === 'csv') output = toCsv(RATE_COLUMNS, rows, q.dialect);
      else output = await toXlsx(RATE_COLUMNS, rows, 'Báo cáo', `Tình hình giải quyết hồ sơ TTHC ${result.period.label}`);
      if (values.out) {
        await fs.writeFile(values.out, output);
        console.error(`wrote ${rows.length} rows to ${values.out}`);
      } else if (typeof output === 'string') process.stdout.write(output);
      else throw new UsageError('--format xlsx needs --out FILE');
    },
    { existing: true },
  );
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

async function audit(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify') {
    const { values } = flags(rest, { json: { type: 'boolean' } });
    let failed = false;
    const code = await withContext(
      async (ctx) => {
        const progress = process.stderr.isTTY ? (done: number, total?: number) => process.stderr.write(`\r${done}${total ? `/${total}` : ''}   `) : undefined;
        const chain = await verifyChain(ctx.db.pool, progress);
        const replay = await replayAndCompare(ctx.db.pool, ctx.foldContext(), progress);
        if (progress) process.stderr.write('\n');
        failed = chain.firstBreak !== null || replay.firstDivergence !== null || replay.counterDivergence !== null;
        if (values.json) return void console.log(JSON.stringify({ ok: !failed, chain, replay }, null, 2));
        console.log(
          chain.firstBreak
            ? `chain: BROKEN at position ${chain.firstBreak.pos}${chain.firstBreak.eventId ? ` (event ${chain.firstBreak.eventId})` : ''}: ${chain.firstBreak.problem}`
            : `chain: ${chain.events} events, every link holds; head ${chain.head.hash}`,
        );
        console.log(
          replay.firstDivergence
            ? `projection: dossier ${replay.firstDivergence.code} ${replay.firstDivergence.problem ?? `differs from its replay in ${replay.firstDivergence.columns.join(', ')}`}`
            : `projection: ${replay.dossiers} dossiers replayed, identical to the stored rows`,
        );
        console.log(
          replay.counterDivergence
            ? `counters: ${replay.counterDivergence.agencyCode} on ${replay.counterDivergence.day} differ from the replay`
            : 'counters: identical to the replay',
        );
      },
      { existing: true },
    );
    return failed ? 1 : code;
  }
  if (sub === 'export') {
    const { values } = flags(rest, { agency: { type: 'string' }, period: { type: 'string' }, convention: { type: 'string' }, out: { type: 'string' } });
    if (!values.agency || !values.out) throw new UsageError('usage: dunghan audit export --agency CODE --period P [--convention calendar|report] --out FILE');
    const parsed = reportQuerySchema.safeParse({ period: values.period, ...(values.convention ? { convention: values.convention } : {}) });
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0] ?? 'period')}: ${i.message}`).join('\n'));
    return withContext(
      async (ctx) => {
        if (!ctx.catalog.agency(values.agency!)) throw new UsageError(`unknown agency ${values.agency}`);
        const pkg = await exportPackage(ctx.db.pool, { ...ctx.foldContext(), calendar: ctx.calendar }, values.agency!, parsed.data, ctx.now());
        await fs.writeFile(values.out!, JSON.stringify(pkg, null, 1) + '\n');
        console.error(`wrote ${pkg.events.length} events of ${values.agency} for ${pkg.period.label} to ${values.out}`);
      },
      { existing: true },
    );
  }
  if (sub === 'check') {
    const { values, positionals } = parseArgsOrUsage(rest, { json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('usage: dunghan audit check FILE [--json]');
    const pkg = (await readJsonFile(positionals[0]!)) as AuditPackage;
    if (pkg?.format !== 'dunghan-audit-package/1') throw new UsageError(`${positionals[0]} is not a dunghan audit package`);
    const result = checkPackage(pkg);
    const ok = result.brokenLinks.length === 0 && result.differences.length === 0;
    if (values.json) console.log(JSON.stringify({ ok, ...result }, null, 2));
    else {
      console.log(
        `${result.events} events, ${result.brokenLinks.length} broken links${result.brokenLinks.length ? ` (first at position ${result.brokenLinks[0]!.pos})` : ''}`,
      );
      console.log(
        `${result.dossiers} dossiers re-folded; ${result.differences.length ? result.differences.map((d) => `${d.count}: published ${d.published}, recomputed ${d.recomputed}`).join('; ') : 'every count equals the published one'}`,
      );
    }
    return ok ? 0 : 1;
  }
  throw new UsageError('usage: dunghan audit verify [--json] | export --agency CODE --period P --out FILE | check FILE [--json]');
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
