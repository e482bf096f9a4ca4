import { assertValidEvent, partitionKeyOf, type TopicEvents, type TopicName } from '@todo/contracts';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { inSpan, traceHeaders } from '../telemetry/tracing.js';

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
export function appendReceivedToOutbox(
  trx: Transaction<Database>,
  entries: { topic: TopicName; event: unknown }[],
): Promise<void> {
  if (entries.length === 0) return Promise.resolve();
  const topics = [...new Set(entries.map((entry) => entry.topic))];
  return inSpan(
    'outbox append',
    { attributes: { 'messaging.destination.name': topics, 'outbox.events': entries.length } },
    async () => {
      // The trace continues from this span after the asynchronous hop: the relay's publish and
      // every consumer's handling take it as their parent, on every redelivery too.
      const { traceparent } = traceHeaders();
      const rows = entries.map(({ topic, event }) => {
        const traced = withTraceparent(event, traceparent);
        assertValidEvent(topic, traced);
        return {
          topic,
          partition_key: partitionKeyOf(topic, traced),
          event_id: 'event_id' in traced ? traced.event_id : traced.dlq_id,
          event: JSON.stringify(traced),
        };
      });
      await trx.insertInto('outbox').values(rows).execute();
    },
  );
}

/**
 * An envelope event with the active trace, unless it has one already (a dead letter replayed
 * keeps the trace it was first written in). DLQ envelopes carry it inside their original event.
 */
function withTraceparent(event: unknown, traceparent: string | undefined): unknown {
  if (!traceparent || typeof event !== 'object' || event === null || !('event_id' in event)) return event;
  return 'traceparent' in event ? event : { ...event, traceparent };
}
