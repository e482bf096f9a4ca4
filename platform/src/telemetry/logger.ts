import { type Logger, pino } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; secrets in headers never reach them. */
export function createLogger(level: string, name?: string): Logger {
  return pino({
    level,
    ...(name ? { name } : {}),
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.password_hash'],
  });
}
