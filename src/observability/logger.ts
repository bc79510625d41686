/**
 * Structured logs (pino, JSON lines on stdout). Personal data never reaches
 * them: request bodies are not logged, URLs are logged without their query,
 * and the headers that carry secrets are redacted.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.applicant',
  '*.consent',
  '*.recipient',
  '*.password',
  '*.key',
];

export function createLogger(level: string = 'info'): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'dunghan' } });
}

/** For tests and embedding: the same shape, nothing written. */
export const silentLogger: Logger = pino({ level: 'silent' });
