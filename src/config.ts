/**
 * Configuration from the environment (every variable is listed in .env.example).
 */
import path from 'node:path';
import express from 'express';
import { z } from 'zod';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './catalog/upload-limits.js';

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
  /** Uploads through the API (catalogue): bytes of the body, data rows, characters in one cell (src/catalog/upload-limits.ts). */
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_UPLOAD_LIMITS.maxBytes),
  UPLOAD_MAX_ROWS: z.coerce.number().int().min(1).default(DEFAULT_UPLOAD_LIMITS.maxRows),
  UPLOAD_MAX_CELL_CHARS: z.coerce.number().int().min(100).default(DEFAULT_UPLOAD_LIMITS.maxCellChars),
});

/** Express's `trust proxy` setting: none, every hop, a hop count, or the proxies' addresses. */
export type TrustProxy = boolean | number | string;

export type Config = z.infer<typeof envSchema> & { dataDir: string; mailDir: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  return { ...parsed.data, dataDir, mailDir: path.resolve(parsed.data.MAIL_DIR ?? path.join(dataDir, 'mail')) };
}

export function uploadLimitsOf(config: Config): UploadLimits {
  return { maxBytes: config.UPLOAD_MAX_BYTES, maxRows: config.UPLOAD_MAX_ROWS, maxCellChars: config.UPLOAD_MAX_CELL_CHARS };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
