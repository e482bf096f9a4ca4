import type { EventEnvelope } from './generated.js';

export const SCHEMA_VERSION = '1.1';

/** The envelope fields of a new event; the producer supplies type, subject and payload. */
export function newEnvelope<T extends string>(input: {
  eventType: T;
  userId: string;
  taskId: string;
  correlationId: string;
  occurredAt?: Date;
}): EventEnvelope & { event_type: T } {
  return {
    event_id: crypto.randomUUID(),
    schema_version: SCHEMA_VERSION,
    event_type: input.eventType,
    occurred_at: (input.occurredAt ?? new Date()).toISOString(),
    user_id: input.userId,
    task_id: input.taskId,
    correlation_id: input.correlationId,
  };
}
