import type { DlqEnvelope, TopicName } from '@todo/contracts';
import type { Db } from '../db/connect.js';
import { appendReceivedToOutbox, appendToOutbox } from '../outbox/append.js';
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

export interface DeadLetterSummary {
  dlq_id: string;
  original_event_id: string;
  topic: string;
  consumer: string;
  created_at: string;
  replayed_at: string | null;
}

/** Reads and replays what DeadLetterSink stored, for the `dlq` command. */
export class DeadLetterStore {
  constructor(private readonly db: Db) {}

  async list(limit = 50): Promise<DeadLetterSummary[]> {
    const rows = await this.db
      .selectFrom('dead_letters')
      .select(['dlq_id', 'original_event_id', 'topic', 'consumer', 'created_at', 'replayed_at'])
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      ...row,
      created_at: row.created_at.toISOString(),
      replayed_at: row.replayed_at?.toISOString() ?? null,
    }));
  }

  async get(dlqId: string): Promise<DlqEnvelope | undefined> {
    const row = await this.db
      .selectFrom('dead_letters')
      .select('envelope')
      .where('dlq_id', '=', dlqId)
      .executeTakeFirst();
    return row?.envelope as DlqEnvelope | undefined;
  }

  /**
   * Delivers the original event again to its topic through the outbox. Every group sees it again,
   * but those that processed it skip it by its event id; the one that failed (its claim was
   * released) processes it. Returns false when there is no such dead letter.
   */
  async replay(dlqId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('dead_letters')
        .select(['envelope', 'topic'])
        .where('dlq_id', '=', dlqId)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return false;
      const envelope = row.envelope as DlqEnvelope;
      await appendReceivedToOutbox(trx, [{ topic: row.topic as TopicName, event: envelope.original_event }]);
      await trx
        .updateTable('dead_letters')
        .set({ replayed_at: new Date() })
        .where('dlq_id', '=', dlqId)
        .execute();
      return true;
    });
  }
}
