import { assertValidEvent, partitionKeyOf, type TopicEvents, type TopicName } from '@todo/contracts';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

export type OutboxEntry = { [T in TopicName]: { topic: T; event: TopicEvents[T] } }[TopicName];

/**
 * Adds events to the outbox inside the caller's transaction, so they commit or vanish with the
 * write that caused them. Validated here: a malformed event must fail the write, not a consumer.
 */
export function appendToOutbox(trx: Transaction<Database>, entries: OutboxEntry[]): Promise<void> {
  return appendReceivedToOutbox(trx, entries);
}

/**
 * The same for events whose type is known only at run time (a dead letter's original event):
 * the schema check of its topic is what makes it an event of that topic.
 */
export async function appendReceivedToOutbox(
  trx: Transaction<Database>,
  entries: { topic: TopicName; event: unknown }[],
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(({ topic, event }) => {
    assertValidEvent(topic, event);
    return {
      topic,
      partition_key: partitionKeyOf(topic, event),
      event_id: 'event_id' in event ? event.event_id : event.dlq_id,
      event: JSON.stringify(event),
    };
  });
  await trx.insertInto('outbox').values(rows).execute();
}
