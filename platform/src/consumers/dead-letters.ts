import type { DlqEnvelope } from '@todo/contracts';
import type { Db } from '../db/connect.js';
import { appendToOutbox } from '../outbox/append.js';
import { dlqEvents } from '../telemetry/metrics.js';

/**
 * Where a consumer puts an event it gave up on: the `dlq-events` topic (through the outbox, so it
 * is as durable as any event) and the `dead_letters` table that `npm run dlq` lists and replays.
 */
export class DeadLetterSink {
  constructor(private readonly db: Db) {}

  async send(envelope: DlqEnvelope): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('dead_letters')
        .values({
          dlq_id: envelope.dlq_id,
          original_event_id: envelope.original_event_id,
          topic: envelope.original_topic,
          consumer: envelope.error_context.consumer_service,
          envelope: JSON.stringify(envelope),
        })
        .execute();
      await appendToOutbox(trx, [{ topic: 'dlq-events', event: envelope }]);
    });
    dlqEvents.inc({ topic: envelope.original_topic });
  }
}
