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
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Base URL used in links (e-mails, letters). */
  PUBLIC_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = z.infer<typeof envSchema> & { dataDir: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) };
}

export class ConfigError extends Error {}
