import type { TopicEvents, TopicName } from '@todo/contracts';
import type { Db } from '@todo/platform/db/connect';
import { appendToOutbox, type OutboxEntry } from '@todo/platform/outbox/append';
import { eventually } from './eventually.js';

/**
 * Publishes an event the way every producer does — through the outbox, in a transaction — and
 * resolves once the relay marked it sent, which the in-process bus does only after every consumer
 * group finished with it. Delivering the same event again is a redelivery.
 */
export async function publishViaOutbox<T extends Exclude<TopicName, 'dlq-events'>>(
  db: Db,
  topic: T,
  event: TopicEvents[T],
): Promise<void> {
  await db.transaction().execute((trx) => appendToOutbox(trx, [{ topic, event } as OutboxEntry]));
  await eventually(async () => {
    const pending = await db
      .selectFrom('outbox')
      .select('id')
      .where('event_id', '=', event.event_id)
      .where('published_at', 'is', null)
      .execute();
    if (pending.length > 0) throw new Error(`event ${event.event_id} not delivered yet`);
  }, 20_000);
}
