import { assertValidEvent, type TopicEvents, type TopicName } from '@todo/contracts';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

export type OutboxEntry = { [T in TopicName]: { topic: T; event: TopicEvents[T] } }[TopicName];

/**
 * Adds events to the outbox inside the caller's transaction, so they commit or vanish with the
 * write that caused them. Validated here: a malformed event must fail the write, not a consumer.
 */
export async function appendToOutbox(trx: Transaction<Database>, entries: OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  for (const { topic, event } of entries) assertValidEvent(topic, event);
  await trx
    .insertInto('outbox')
    .values(
      entries.map(({ topic, event }) => ({
        topic,
        partition_key: 'task_id' in event ? event.task_id : event.original_event_id,
        event_id: 'event_id' in event ? event.event_id : event.dlq_id,
        event: JSON.stringify(event),
      })),
    )
    .execute();
}
