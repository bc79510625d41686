/**
 * agenda on PostgreSQL: each job is a single recurring job row, locked by
 * whichever worker runs it, so several workers never run the same job at
 * once. The daily digest fires at 07:30 Monday–Saturday in Vietnam's zone and
 * itself skips days that are not worked (holidays, ordinary Saturdays).
 */
import { Agenda } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { withSessionLock } from '../db/database.js';
import { JOB_NAMES, runJob, type JobDeps } from './jobs.js';

const STARTUP_LOCK = 4_242_002;

export interface Scheduler {
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  name?: string;
  log?: (line: string) => void;
  /** How often agenda looks for due jobs, and how often the scans and the outbox run. */
  processEvery?: string;
  scanEvery?: string;
  flushEvery?: string;
  /**
   * How long a job may hold its lock (ms; agenda's default, 10 minutes): a worker that dies mid-job leaves it to
   * another after this. agenda also checks a running job every half of it, and that check's timer outlives stop():
   * a process that stops its scheduler without exiting waits for it (tests set a short one).
   */
  lockLifetimeMs?: number;
}

export async function startScheduler(deps: JobDeps, options: SchedulerOptions = {}): Promise<Scheduler> {
  // Workers starting together would race to create agenda's table (agenda connects as it is constructed): one at a time.
  const agenda = await withSessionLock(deps.ctx.db.pool, STARTUP_LOCK, async () => {
    const agenda = new Agenda({
      // Polling only: the jobs are periodic, and LISTEN would hold a connection of its own past stop().
      backend: new PostgresBackend({ pool: deps.ctx.db.pool, disableNotifications: true }),
      name: options.name ?? `dunghan-${process.pid}`,
      processEvery: options.processEvery ?? '20 seconds',
      defaultConcurrency: 1,
      ...(options.lockLifetimeMs ? { defaultLockLifetime: options.lockLifetimeMs } : {}),
    });
    for (const name of JOB_NAMES) {
      agenda.define(name, async () => {
        const result = await runJob(name, deps);
        if (Object.values(result).some((n) => n > 0)) options.log?.(`job ${name}: ${JSON.stringify(result)}`);
      });
    }
    await agenda.ready;
    agenda.on('error', (err: unknown) => options.log?.(`scheduler error: ${err instanceof Error ? err.message : String(err)}`));
    agenda.on('fail', (err: unknown, job: { attrs: { name: string } }) =>
      options.log?.(`job ${job.attrs.name} failed: ${err instanceof Error ? err.message : String(err)}`),
    );
    await agenda.start();
    await agenda.every(options.scanEvery ?? '10 minutes', 'due-soon-scan');
    await agenda.every(options.scanEvery ?? '10 minutes', 'overdue-scan');
    await agenda.every(options.scanEvery ?? '10 minutes', 'warning-scan');
    await agenda.every(options.flushEvery ?? '1 minute', 'outbox-flush');
    await agenda.every('30 7 * * 1-6', 'daily-digest', undefined, { timezone: 'Asia/Ho_Chi_Minh', skipImmediate: true });
    // Daily; the outbox key holds the week, so administrators get one reminder a week at most.
    await agenda.every('0 8 * * *', 'calendar-reminder', undefined, { timezone: 'Asia/Ho_Chi_Minh' });
    // At start and daily after 01:00, when the month that ended at midnight can be closed (event-partitions.ts).
    await agenda.every('15 1 * * *', 'event-partitions', undefined, { timezone: 'Asia/Ho_Chi_Minh' });
    // BACKUP_DIR set: a backup on BACKUP_SCHEDULE (Vietnam's clock), the oldest past BACKUP_KEEP removed. One worker
    // runs it (the job row's lock), whichever process holds the schedule.
    if (deps.backup) await agenda.every(deps.backup.cron, 'backup', undefined, { timezone: 'Asia/Ho_Chi_Minh', skipImmediate: true });
    else await agenda.cancel({ name: 'backup' });
    return agenda;
  });
  return { stop: () => agenda.stop() };
}
