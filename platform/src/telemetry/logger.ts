import { hostname } from 'node:os';
import { trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout; secrets in headers never reach them. Every line names its pod
 * (POD_NAME, as Kubernetes and the local stack set it, else the host), and a line written inside a
 * span carries its `trace_id` and `span_id`, so a log search and a trace lookup lead to each other.
 */
export function createLogger(level: string, name?: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    ...(name ? { name } : {}),
    base: { pid: process.pid, pod: process.env.POD_NAME ?? hostname() },
    mixin: traceFields,
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.password_hash'],
  };
  return destination ? pino(options, destination) : pino(options);
}

function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
