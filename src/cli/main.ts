/**
 * `dunghan` command line: the dispatcher and the help; each command family has its module beside it
 * (keys-, calendar-, catalog-, sync-, users-, backup- and audit-commands, report- and status-command, serve).
 * Bad usage exits with code 2 and a message saying what is wrong.
 */
import { readFileSync } from 'node:fs';
import { backupScheduleOf, loadConfig } from '../config.js';
import { rebuildDossiers } from '../store/rebuild.js';
import { JOB_NAMES, isJobName, runJob } from '../jobs/jobs.js';
import { mailerFrom, sendersFrom, serve, worker } from './serve.js';
import { loadTemplates, TemplateError } from '../alerts/message-templates.js';
import { flags, UsageError, withContext } from './support.js';
import { catalogCommand, initCommand } from './catalog-commands.js';
import { syncCommand } from './sync-commands.js';
import { statusCommand } from './status-command.js';
import { backupCommand, restoreCommand } from './backup-commands.js';
import { usersCommand } from './users-commands.js';
import { keysCommand } from './keys-commands.js';
import { calendarCommand, deadlineCommand } from './calendar-commands.js';
import { reportCommand } from './report-command.js';
import { auditCommand } from './audit-commands.js';

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
  users list [--json] | users deactivate ID | users reactivate ID | users password-link ID
                                   accounts and their state; deactivate (never delete: their sessions end at once),
                                   make active again; a new one-time password link (a reset)
  calendar --year YYYY [--json]    the working-time calendar of a year
  calendar import FILE [--dry-run] load a year file (fixtures/calendar/VN-YYYY.json shape): shows what changes and
                                   which open dossiers' due instants move, then records a calendar revision
  deadline --received ISO --duration N --unit U [--agency CODE] [--json]
                                   compute and explain a deadline; units: working-days, working-hours, calendar-days, months
  worker                           run the scheduled jobs (alerts, digest, outbox) in this process
  messages check FILE              check a province's message templates (fixtures/messages/vi.json shape): every
                                   problem named, exit 2; MESSAGE_TEMPLATES then names the file
  jobs run <name>                  run one job once and exit: due-soon-scan, overdue-scan, warning-scan, daily-digest,
                                   outbox-flush, calendar-reminder, event-partitions, backup (into BACKUP_DIR,
                                   keeping BACKUP_KEEP)
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
      return keysCommand(rest);
    case 'users':
      return usersCommand(rest);
    case 'calendar':
      return calendarCommand(rest);
    case 'deadline':
      return deadlineCommand(rest);
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
      return reportCommand(rest);
    case 'audit':
      return auditCommand(rest);
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
            JSON.stringify(
              await runJob(name, {
                ctx,
                mailer: mailerFrom(config),
                senders: sendersFrom(config, ctx),
                adminEmails: config.ADMIN_EMAILS,
                backup: backupScheduleOf(config),
              }),
            ),
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
