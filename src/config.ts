/**
 * Configuration from the environment (every variable is listed in .env.example).
 */
import path from 'node:path';
import { z } from 'zod';

const envSchema = z.object({
  /** Any PostgreSQL 14+ server. Unset: the app starts its own embedded PostgreSQL. */
  DATABASE_URL: z.string().optional(),
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
    .transform((s) => (s ?? '').split(',').map((e) => e.trim()).filter(Boolean))
    .pipe(z.array(z.email())),
  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** `off`: `serve` runs no scheduled jobs (run `dunghan worker` separately). */
  JOBS: z.enum(['on', 'off']).default('on'),
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
  /** On SIGTERM: how long requests and jobs in flight may take to finish before connections are cut. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
});

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

export class ConfigError extends Error {
  override name = 'ConfigError';
}
