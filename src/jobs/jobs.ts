/**
 * The jobs, each a few lines over the alert core. Run by agenda on a
 * schedule, or once by `dunghan jobs run <name>`.
 */
import type { AppContext } from '../app-context.js';
import type { Mailer } from '../alerts/mailer.js';
import { flushOutbox, type Senders } from '../alerts/outbox.js';
import { recordApologyDelivery } from '../alerts/apology-delivery.js';
import { dailyDigest, scanDossiers } from '../alerts/scans.js';
import { scanWarnings } from '../alerts/warning-scan.js';
import { calendarReminder } from '../alerts/calendar-reminder.js';
import type { AlertEnv } from '../alerts/alert-content.js';
import { maintainEventPartitions } from '../store/event-partitions.js';
import { runScheduledBackup, type BackupSchedule } from '../backup/scheduled-backup.js';
import { packageVersion } from '../cli/status-command.js';
import { ConfigError } from '../config.js';
import { STATE_VERSION } from '../dossiers/state.js';

export const JOB_NAMES = [
  'due-soon-scan',
  'overdue-scan',
  'warning-scan',
  'daily-digest',
  'outbox-flush',
  'calendar-reminder',
  'event-partitions',
  'backup',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface JobDeps {
  ctx: AppContext;
  mailer: Mailer;
  /** Every channel's sender (cli/serve.ts sendersFrom); absent: e-mail alone, through `mailer`. */
  senders?: Senders;
  /** Who hears that next year's Tết schedule is missing (with the root agencies' supervisors). */
  adminEmails?: string[];
  /** BACKUP_DIR and BACKUP_KEEP; absent: the backup job is not scheduled, and run by hand it says so. */
  backup?: BackupSchedule & { cron: string };
}

function env(ctx: AppContext): AlertEnv {
  return { catalog: ctx.catalog, calendar: ctx.calendar, publicUrl: ctx.publicUrl, now: ctx.now() };
}

export async function runJob(name: JobName, { ctx, mailer, senders, adminEmails = [], backup }: JobDeps): Promise<Record<string, number>> {
  switch (name) {
    case 'due-soon-scan':
    case 'overdue-scan': {
      // A calendar re-fold left unfinished (an import interrupted) is finished first: the scan judges with its due instants.
      const calendarRefolded = await ctx.resumeCalendarRefolds();
      const { alerts, examined } = await scanDossiers(ctx.db.pool, name === 'overdue-scan' ? 'overdue' : 'due_soon', env(ctx));
      return { alertsWritten: alerts, dossiersExamined: examined, ...(calendarRefolded ? { calendarRefolded } : {}) };
    }
    case 'warning-scan': {
      const { alerts, messages, heldBack, examined } = await scanWarnings(ctx.db.pool, env(ctx));
      return { warningsWritten: alerts, messagesWritten: messages, warningsHeldBack: heldBack, dossiersExamined: examined };
    }
    case 'daily-digest':
      return { digestsWritten: await dailyDigest(ctx.db.pool, env(ctx)) };
    case 'calendar-reminder':
      return { remindersWritten: await calendarReminder(ctx.db.pool, { ...env(ctx), adminEmails }) };
    case 'backup': {
      if (!backup) throw new ConfigError('the backup job needs BACKUP_DIR (where the scheduled backups go)');
      const r = await runScheduledBackup(ctx.db.pool, backup, { dunghan: packageVersion(), stateVersion: STATE_VERSION });
      return { bytes: r.bytes, events: r.events, removed: r.removed.length };
    }
    case 'outbox-flush':
      // An apology accepted by its gateway has reached the applicant: recorded, and judged at that instant.
      return { ...(await flushOutbox(ctx.db.pool, senders ?? mailer, ctx.now(), { onSent: recordApologyDelivery(ctx.ingest) })) };
    case 'event-partitions':
      // The log's coming months created ahead, the ended ones closed (by the database's clock, which records events).
      return maintainEventPartitions(ctx.db.pool);
  }
}

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}
