/**
 * Configuration from the environment (every variable is listed in .env.example).
 */
import path from 'node:path';
import express from 'express';
import { z } from 'zod';
import type { CitizenOptions } from './app-context.js';

/** A variable left empty (as .env.example lists it) is unset. */
function unsetIfEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === '' ? undefined : v), schema);
}

/** A JSON object of strings in one variable (headers, template ids). */
function jsonObject(name: string) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return {} as Record<string, string>;
      try {
        const v = JSON.parse(raw) as unknown;
        if (v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')) return v as Record<string, string>;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: `${name}: expected a JSON object of strings` });
      return z.NEVER;
    });
}
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './catalog/upload-limits.js';

const envSchema = z.object({
  /** Any PostgreSQL 14+ server. Unset: the app starts its own embedded PostgreSQL. */
  DATABASE_URL: z.string().optional(),
  /**
   * A streaming standby of DATABASE_URL's server (pg_basebackup -R) that answers reports, the dashboard's figures,
   * exports, public figures and the portal export (src/db/replica.ts). Unset: the primary answers everything.
   */
  DATABASE_REPLICA_URL: unsetIfEmpty(z.string().optional()),
  /** Reports go back to the primary while the replica is further behind than this (ms), or does not answer. */
  REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).default(30_000),
  /** How often the replica's lag is measured (ms). */
  REPLICA_CHECK_MS: z.coerce.number().int().min(100).default(2_000),
  /** Where the embedded PostgreSQL keeps its data (and its generated password). */
  DATA_DIR: z.string().default('./.data'),
  /** Below Linux's ephemeral range (32768–60999), so an outgoing connection never takes it first. */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(15432),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Base URL used in links (e-mails, letters). */
  PUBLIC_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** smtp(s)://user:pass@host:port. Unset: mail is written to MAIL_DIR and listed on /admin/outbox. */
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Đúng hạn <no-reply@dunghan.local>'),
  MAIL_DIR: z.string().optional(),
  /** Administrators' addresses (comma-separated): the weekly reminder while next year's Tết schedule is missing. */
  ADMIN_EMAILS: z
    .string()
    .optional()
    .transform((s) =>
      (s ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.email())),
  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** `off`: `serve` runs no scheduled jobs (run `dunghan worker` separately). */
  JOBS: z.enum(['on', 'off']).default('on'),
  /** The organisation's signing certificate, a PKCS#12 file (.p12/.pfx) with its key, and its passphrase. */
  SIGNING_P12_PATH: z.string().optional(),
  SIGNING_P12_PASSPHRASE: z.string().default(''),
  // --- Telling the applicant (issue 27) ---
  /** Key signing the links in citizens' messages (≥ 32 characters). Unset: one is generated and kept in the database. */
  CITIZEN_LINK_SECRET: unsetIfEmpty(z.string().min(32, 'at least 32 characters').optional()),
  /** The province's message templates (JSON, as fixtures/messages/vi.json). Unset: that file. */
  MESSAGE_TEMPLATES: unsetIfEmpty(z.string().optional()),
  /** The SMS brandname gateway: POST URL. Unset: no SMS is sent (messages for SMS are marked failed on the outbox page). */
  SMS_GATEWAY_URL: unsetIfEmpty(z.string().url().optional()),
  /** Request headers as a JSON object, typically the credentials: {"Authorization":"Basic …"}. */
  SMS_GATEWAY_HEADERS: jsonObject('SMS_GATEWAY_HEADERS'),
  /** The request body with {{phone}} (84…), {{phone0}} (0…), {{text}}, {{brandname}}, {{requestId}}. */
  SMS_GATEWAY_BODY: unsetIfEmpty(z.string().default('{"phone":"{{phone}}","message":"{{text}}","brandname":"{{brandname}}","requestId":"{{requestId}}"}')),
  SMS_GATEWAY_CONTENT_TYPE: z.enum(['application/json', 'application/x-www-form-urlencoded']).default('application/json'),
  /** `Field=value` of the JSON answer meaning accepted (eSMS: CodeResult=100). Unset: any 2xx answer. */
  SMS_GATEWAY_SUCCESS: unsetIfEmpty(
    z
      .string()
      .regex(/^\w+=.+$/, 'expected Field=value')
      .optional(),
  ),
  SMS_GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  SMS_BRANDNAME: z.string().default(''),
  /** `true`: the gateway takes Unicode SMS (diacritics kept, 70 characters a segment). Default: without diacritics. */
  SMS_UNICODE: z.enum(['true', 'false']).default('false'),
  /** The longest SMS in segments (153 characters each when concatenated). */
  SMS_MAX_SEGMENTS: z.coerce.number().int().min(1).max(10).default(3),
  /**
   * The shared secret the SMS gateway sends (header X-Dunghan-Secret) with a citizen's forwarded reply to
   * POST /api/v1/sms/inbound ("TC <mã hồ sơ>" stops that dossier's SMS). Unset: no such route.
   */
  SMS_INBOUND_SECRET: unsetIfEmpty(z.string().min(16, 'at least 16 characters').optional()),
  /** Zalo ZNS: the Official Account's access token. Unset: no Zalo message is sent. */
  ZALO_ACCESS_TOKEN: unsetIfEmpty(z.string().optional()),
  /** The registered ZNS template per message kind, JSON: {"receipt":"123456","apology":"…",…}. */
  ZALO_TEMPLATE_IDS: jsonObject('ZALO_TEMPLATE_IDS'),
  ZALO_ZNS_URL: z.string().url().default('https://business.openapi.zalo.me/message/template'),
  /**
   * Refreshing the access token (it lasts about 25 hours): the OA's refresh token (single use; the rotated pair is kept
   * in the database), the Zalo app's id and secret key. Unset: ZALO_ACCESS_TOKEN is used as it is.
   */
  ZALO_REFRESH_TOKEN: unsetIfEmpty(z.string().optional()),
  ZALO_APP_ID: unsetIfEmpty(z.string().optional()),
  ZALO_SECRET_KEY: unsetIfEmpty(z.string().optional()),
  ZALO_OAUTH_URL: z.string().url().default('https://oauth.zaloapp.com/v4/oa/access_token'),
  /** Refreshed this many seconds before the access token expires. */
  ZALO_REFRESH_BEFORE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(3600),
  /**
   * `auto`: an API key opens a web session only while nobody has an account (a new installation's first sign-in);
   * `on`: keys keep opening web sessions as before accounts existed. Kept for one release, then removed.
   */
  KEY_WEB_SIGN_IN: z.enum(['auto', 'on']).default('auto'),
  /** Single sign-on (OpenID Connect): the province's provider. Unset: no single sign-on. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The claim a person is matched by, compared with the account's e-mail. */
  OIDC_MATCH_CLAIM: z.string().min(1).default('email'),
  /** Optional claims carrying our role names and agency codes; unset: the admin sets them on the account. */
  OIDC_ROLES_CLAIM: z.string().min(1).optional(),
  OIDC_AGENCIES_CLAIM: z.string().min(1).optional(),
  OIDC_SCOPES: z.string().default('openid email profile'),
  /** The button's text on the sign-in page. */
  OIDC_LABEL: z.string().default('Đăng nhập bằng tài khoản dùng chung của tỉnh'),
  /**
   * How far ahead of the service's clock an event may be dated, in seconds (a sender's clock a little fast): an event
   * that happened later than now plus this is refused (422 naming the field), by every writer (issue 28 item 6).
   */
  EVENT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** On SIGTERM: how long requests and jobs in flight may take to finish before connections are cut. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /**
   * Reverse proxy in front (Express's `trust proxy`): unset, `off` or `false`: none (the socket's address is the
   * client's); a number: that many proxies (hops) in front; otherwise the proxies' addresses or subnets,
   * comma-separated (`127.0.0.1`, `10.0.0.0/8`, `loopback`). `true` trusts every hop: anyone can then forge their address.
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx): TrustProxy => {
      const s = (v ?? '').trim();
      if (s === '' || s === 'off' || s === 'false') return false;
      if (s === 'true') return true;
      if (/^\d+$/.test(s)) return Number(s);
      try {
        express().set('trust proxy', s);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `not a hop count nor a list of addresses: ${(err as Error).message}` });
        return z.NEVER;
      }
      return s;
    }),
  /** Scheduled backups go here (the `backup` job). Unset: none is scheduled (`dunghan backup --out FILE` by hand). */
  BACKUP_DIR: unsetIfEmpty(z.string().optional()),
  /** How many scheduled backups to keep: after each, the oldest past this are removed. */
  BACKUP_KEEP: z.coerce.number().int().min(1).default(7),
  /** When (cron, Vietnam's time): daily at 02:00 by default. */
  BACKUP_SCHEDULE: z.string().default('0 2 * * *'),
  /** Uploads through the API (catalogue): bytes of the body, data rows, characters in one cell (src/catalog/upload-limits.ts). */
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_UPLOAD_LIMITS.maxBytes),
  UPLOAD_MAX_ROWS: z.coerce.number().int().min(1).default(DEFAULT_UPLOAD_LIMITS.maxRows),
  UPLOAD_MAX_CELL_CHARS: z.coerce.number().int().min(100).default(DEFAULT_UPLOAD_LIMITS.maxCellChars),
});

/** Express's `trust proxy` setting: none, every hop, a hop count, or the proxies' addresses. */
export type TrustProxy = boolean | number | string;

export type Config = z.infer<typeof envSchema> & { dataDir: string; mailDir: string };

/** The single sign-on settings, when the issuer is configured (with its client id and secret, or a ConfigError). */
export function oidcSettingsOf(config: Config): OidcSettings | undefined {
  if (!config.OIDC_ISSUER) return undefined;
  if (!config.OIDC_CLIENT_ID || !config.OIDC_CLIENT_SECRET) throw new ConfigError('OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
  return {
    issuer: config.OIDC_ISSUER,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    matchClaim: config.OIDC_MATCH_CLAIM,
    rolesClaim: config.OIDC_ROLES_CLAIM,
    agenciesClaim: config.OIDC_AGENCIES_CLAIM,
    scopes: config.OIDC_SCOPES,
    label: config.OIDC_LABEL,
  };
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  matchClaim: string;
  rolesClaim?: string;
  agenciesClaim?: string;
  scopes: string;
  label: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  return { ...parsed.data, dataDir, mailDir: path.resolve(parsed.data.MAIL_DIR ?? path.join(dataDir, 'mail')) };
}

/** What the application context needs of the configuration to write citizens' messages. */
export function citizenOptions(config: Config): CitizenOptions {
  return {
    linkSecret: config.CITIZEN_LINK_SECRET,
    templatesFile: config.MESSAGE_TEMPLATES,
    sms: { unicode: config.SMS_UNICODE === 'true', maxSegments: config.SMS_MAX_SEGMENTS },
  };
}

/** How far ahead of the clock an event may be dated, for the application context. */
export function clockToleranceOf(config: Config): number {
  return config.EVENT_CLOCK_TOLERANCE_SECONDS * 1000;
}

/** The limits every upload is read within (issue 29). */
export function uploadLimitsOf(config: Config): UploadLimits {
  return { maxBytes: config.UPLOAD_MAX_BYTES, maxRows: config.UPLOAD_MAX_ROWS, maxCellChars: config.UPLOAD_MAX_CELL_CHARS };
}

/** The scheduled backup's settings, when BACKUP_DIR is set. */
export function backupScheduleOf(config: Config): { dir: string; keep: number; cron: string } | undefined {
  return config.BACKUP_DIR ? { dir: path.resolve(config.BACKUP_DIR), keep: config.BACKUP_KEEP, cron: config.BACKUP_SCHEDULE } : undefined;
}

/** The read replica's settings, when DATABASE_REPLICA_URL is set (it needs DATABASE_URL: the embedded server has no standby). */
export function replicaSettingsOf(config: Config): { url: string; maxLagMs: number; checkEveryMs: number } | undefined {
  if (!config.DATABASE_REPLICA_URL) return undefined;
  if (!config.DATABASE_URL)
    throw new ConfigError('DATABASE_REPLICA_URL needs DATABASE_URL: the replica is a standby of that server (the embedded default has none)');
  return { url: config.DATABASE_REPLICA_URL, maxLagMs: config.REPLICA_MAX_LAG_MS, checkEveryMs: config.REPLICA_CHECK_MS };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
