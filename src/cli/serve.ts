/**
 * `dunghan serve`: open the database (embedded by default), migrate, load the
 * sample province into an empty database when asked, and listen.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import { AppContext } from '../app-context.js';
import { backupScheduleOf, citizenOptions, clockToleranceOf, ConfigError, loadConfig, oidcSettingsOf, replicaSettingsOf, uploadLimitsOf } from '../config.js';
import { ReplicaReads } from '../db/replica.js';
import { mailSender, type Senders } from '../alerts/outbox.js';
import { createSmsGateway, smsConfigProblems } from '../alerts/sms-gateway.js';
import { createZaloZns } from '../alerts/zalo-zns.js';
import { refreshingAccessToken, staticAccessToken, type AccessTokenSource } from '../alerts/zalo-token.js';
import { letterAttachment } from '../alerts/letter-pdf.js';
import { openDatabase } from '../db/open-database.js';
import { createApp } from '../http/app.js';
import { isEmpty, loadSampleData } from '../sample/load-sample.js';
import { createMailer, type Mailer } from '../alerts/mailer.js';
import { startScheduler, type Scheduler } from '../jobs/scheduler.js';
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../observability/logger.js';

export function mailerFrom(config: Config): Mailer {
  return createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, mailDir: config.mailDir });
}

/** Every configured channel's sender: e-mail always (SMTP or files), SMS and Zalo when their variables are set. */
export function sendersFrom(config: Config, ctx: AppContext): Senders {
  const senders: Senders = { email: mailSender(mailerFrom(config), letterAttachment(ctx)) };
  if (config.SMS_GATEWAY_URL) {
    const sms = {
      url: config.SMS_GATEWAY_URL,
      headers: config.SMS_GATEWAY_HEADERS,
      body: config.SMS_GATEWAY_BODY,
      contentType: config.SMS_GATEWAY_CONTENT_TYPE,
      brandname: config.SMS_BRANDNAME,
      success: config.SMS_GATEWAY_SUCCESS
        ? { field: config.SMS_GATEWAY_SUCCESS.split('=')[0]!, value: config.SMS_GATEWAY_SUCCESS.slice(config.SMS_GATEWAY_SUCCESS.indexOf('=') + 1) }
        : undefined,
      timeoutMs: config.SMS_GATEWAY_TIMEOUT_MS,
    };
    const problems = smsConfigProblems(sms);
    if (problems.length) throw new ConfigError(`invalid environment:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    senders.sms = createSmsGateway(sms);
  }
  if (config.ZALO_ACCESS_TOKEN)
    senders.zalo = createZaloZns({
      url: config.ZALO_ZNS_URL,
      tokens: zaloTokensFrom(config, config.ZALO_ACCESS_TOKEN, ctx),
      templateIds: config.ZALO_TEMPLATE_IDS,
      timeoutMs: config.SMS_GATEWAY_TIMEOUT_MS,
    });
  return senders;
}

/** The Zalo access token: refreshed through OAuth when the refresh token, app id and secret key are all set. */
function zaloTokensFrom(config: Config, accessToken: string, ctx: AppContext): AccessTokenSource {
  const oauth = [config.ZALO_REFRESH_TOKEN, config.ZALO_APP_ID, config.ZALO_SECRET_KEY];
  if (oauth.every((v) => v === undefined)) return staticAccessToken(accessToken);
  if (oauth.some((v) => v === undefined))
    throw new ConfigError(
      'invalid environment:\n  ZALO_REFRESH_TOKEN, ZALO_APP_ID and ZALO_SECRET_KEY are set together (refreshing the Zalo access token) or not at all',
    );
  return refreshingAccessToken(
    ctx.db.pool,
    { accessToken, refreshToken: config.ZALO_REFRESH_TOKEN! },
    {
      url: config.ZALO_OAUTH_URL,
      appId: config.ZALO_APP_ID!,
      secretKey: config.ZALO_SECRET_KEY!,
      timeoutMs: config.SMS_GATEWAY_TIMEOUT_MS,
      refreshBeforeMs: config.ZALO_REFRESH_BEFORE_SECONDS * 1000,
    },
    () => ctx.now(),
  );
}

/** Resolves on the first SIGINT or SIGTERM; a second one while stopping exits at once. */
function waitForSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        console.error(`${signal} again: exiting without waiting.`);
        process.exit(130);
      }
      stopping = true;
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** Settles with the promise, or after `ms` regardless: shutdown steps are bounded. */
function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(
      () => (clearTimeout(timer), resolve()),
      () => (clearTimeout(timer), resolve()),
    );
  });
}

/**
 * A calendar import interrupted during its re-fold (a SIGTERM whose grace ran out, a kill) is finished in the
 * background after the start; `status` and the calendar page say while it runs, and a shutdown stops it between
 * batches (AppContext.close).
 */
function resumeRefolds(ctx: AppContext, logger: Logger): void {
  void ctx
    .resumeCalendarRefolds((p) => logger.debug({ revision: p.revision, done: p.done, total: p.total }, 'calendar re-fold resumed'))
    .then(
      (n) => n && logger.info({ dossiers: n }, 'an interrupted calendar re-fold was finished'),
      (err: unknown) => logger.error({ err: String(err) }, 'resuming a calendar re-fold failed; the next alert scan tries again'),
    );
}

/** `dunghan worker`: the scheduled jobs in a process of their own. */
export async function worker(): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase(config, { owner: true });
  const ctx = await AppContext.load(database.db, {
    publicUrl: config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`,
    log: (l) => console.log(l),
    citizen: citizenOptions(config),
    clockToleranceMs: clockToleranceOf(config),
  });
  const mailer = mailerFrom(config);
  const senders = sendersFrom(config, ctx);
  const unwatch = await ctx.watchChanges();
  const logger = createLogger(config.LOG_LEVEL);
  database.db.onConnectionError = (err) => logger.warn({ err: err.message }, 'a database connection was ended by the server or lost');
  const scheduler = await startScheduler(
    { ctx, mailer, senders, adminEmails: config.ADMIN_EMAILS, backup: backupScheduleOf(config) },
    { log: (l) => logger.info(l) },
  );
  resumeRefolds(ctx, logger);
  console.log(`Worker running the scheduled jobs; mail: ${mailer.describe()}`);
  await waitForSignal();
  await bounded(scheduler.stop(), config.SHUTDOWN_GRACE_MS);
  await unwatch();
  await database.close();
  return 0;
}

export async function serve(sampleData: boolean): Promise<number> {
  const config = loadConfig();
  const log = (line: string) => {
    if (config.LOG_LEVEL !== 'silent') console.log(line);
  };
  const database = await openDatabase(config, { owner: true, log: config.LOG_LEVEL === 'debug' ? (l) => process.stderr.write(l) : undefined });
  log(`Database: ${database.description}`);
  const publicUrl = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  // The start banner (URL, sample keys) is for the person at the terminal; everything after it is JSON logs.
  const logger = createLogger(config.LOG_LEVEL);
  const ctx = await AppContext.load(database.db, { publicUrl, log, logger, citizen: citizenOptions(config), clockToleranceMs: clockToleranceOf(config) });
  database.db.onConnectionError = (err) => logger.warn({ err: err.message }, 'a database connection was ended by the server or lost');
  const replica = replicaSettingsOf(config);
  if (replica) {
    ctx.replica = await ReplicaReads.open(database.db.pool, replica.url, {
      maxLagMs: replica.maxLagMs,
      checkEveryMs: replica.checkEveryMs,
      onChange: (s) =>
        logger.warn(
          { condition: s.condition, lagMs: s.lagMs, problem: s.problem },
          `read replica: reports now read from the ${s.condition === 'replica' ? 'replica' : 'primary'}`,
        ),
    });
    const s = ctx.replica.current();
    log(
      `Read replica: ${ctx.replica.where}, ${s.condition === 'replica' ? `${s.lagMs} ms behind: reports read there` : `${s.condition} (${s.problem ?? `${s.lagMs} ms behind`}): reports read from the primary for now`}`,
    );
  }
  // Read once at start (a missing file stops the start, not a signature later); checked again at each signing.
  if (config.SIGNING_P12_PATH) ctx.signing = { p12: fs.readFileSync(config.SIGNING_P12_PATH), passphrase: config.SIGNING_P12_PASSPHRASE };
  const unwatch = await ctx.watchChanges();

  // Sample keys are printed once, when they are created: they are never kept in clear anywhere.
  let keys = null;
  if (sampleData && (await isEmpty(ctx))) {
    log('Empty database: loading the sample province (Sơn La) and its dossiers…');
    keys = await loadSampleData(ctx);
  }

  const mailer = mailerFrom(config);
  const senders = sendersFrom(config, ctx);
  const server: Server = await new Promise((resolve, reject) => {
    const s = createApp(ctx, {
      mailDir: config.SMTP_URL ? undefined : config.mailDir,
      mailerDescription: mailer.describe(),
      // The "forgot password" link goes only by real mail: without SMTP_URL it would sit in a file on the server.
      mailer: config.SMTP_URL ? mailer : undefined,
      logger,
      metricsToken: config.METRICS_TOKEN,
      uploadLimits: uploadLimitsOf(config),
      trustProxy: config.TRUST_PROXY,
      keyWebSignIn: config.KEY_WEB_SIGN_IN,
      oidc: oidcSettingsOf(config),
      smsInboundSecret: config.SMS_INBOUND_SECRET,
    }).listen(config.PORT, config.HOST, () => resolve(s));
    s.on('error', reject);
  });
  let scheduler: Scheduler | undefined;
  if (config.JOBS === 'on')
    scheduler = await startScheduler(
      { ctx, mailer, senders, adminEmails: config.ADMIN_EMAILS, backup: backupScheduleOf(config) },
      { log: (l) => logger.info(l) },
    );
  log(`Đúng hạn is listening on ${publicUrl}`);
  log(
    `  dashboard: ${publicUrl}/dashboard (sign in with a key)   calendar: ${publicUrl}/calendar/${new Date().getFullYear()}   API docs: ${publicUrl}/docs/api`,
  );
  if (keys) {
    log('Sample API keys (Authorization: Bearer <key>), shown this once; `npx dunghan keys create` makes more:');
    for (const k of keys) log(`  ${k.role.padEnd(10)} ${k.agency.padEnd(14)} ${k.key}`);
  } else if (sampleData) {
    log(
      '  keys: the sample keys were printed at the first start; `npx dunghan keys list` shows them, `npx dunghan keys create --role admin --agency SLA` makes a new one.',
    );
  }

  resumeRefolds(ctx, logger);
  log(`  probes: ${publicUrl}/livez ${publicUrl}/readyz   metrics: ${publicUrl}/metrics   logs: JSON lines on stdout (LOG_LEVEL=${config.LOG_LEVEL})`);
  log(`  alerts: ${config.JOBS === 'on' ? 'scheduled jobs running' : 'JOBS=off, run `dunghan worker`'}; mail: ${mailer.describe()}`);

  await waitForSignal();
  // Stop accepting; let requests and jobs in flight finish (bounded); then the database, last.
  log(`Stopping: finishing requests and jobs in flight (up to ${config.SHUTDOWN_GRACE_MS} ms)…`);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await Promise.all([bounded(closed, config.SHUTDOWN_GRACE_MS), scheduler ? bounded(scheduler.stop(), config.SHUTDOWN_GRACE_MS) : undefined]);
  server.closeAllConnections();
  await unwatch();
  // Events acknowledged in the last moments go into the chain now rather than at the next start's first seal.
  await bounded(
    ctx.close().catch(() => undefined),
    config.SHUTDOWN_GRACE_MS,
  );
  await database.close();
  log('Stopped.');
  return 0;
}
