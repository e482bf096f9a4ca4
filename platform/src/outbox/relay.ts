import { context, ROOT_CONTEXT, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import type { TopicName } from '@todo/contracts';
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { EventBus } from '../ports.js';
import type { Logger } from '../telemetry/logger.js';
import { eventsPublished, outboxBacklog } from '../telemetry/metrics.js';
import { contextOf, SpanKind, traceHeaders, tracer } from '../telemetry/tracing.js';

export interface OutboxRelayOptions {
  db: Db;
  bus: EventBus;
  logger: Logger;
  /** Rows per round. */
  batchSize?: number;
  /** How often to look when nobody woke the relay (another process may have written). */
  pollIntervalMs?: number;
  /**
   * Only one relay may publish at a time, or two could interleave a task's events. With several
   * processes on one PostgreSQL this takes an advisory lock; the embedded mode has one relay.
   */
  exclusive?: boolean;
}

const RELAY_LOCK_ID = 72_410_001;

/** The backlog gauge is refreshed at most this often, not after every drain (a query per wake under load). */
const BACKLOG_MEASURE_INTERVAL_MS = 1000;

/**
 * Publishes outbox rows in id order (hence in order per task) and marks them sent only after the
 * bus accepted them. A crash in between re-publishes on restart: delivery is at least once, and
 * consumers deduplicate by event id.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private again = false;
  private stopped = true;
  private backlogMeasuredAt = 0;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Called after a commit that wrote outbox rows, so events leave at once instead of at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain().then(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.wake();
      } else {
        this.timer = setTimeout(() => this.wake(), this.options.pollIntervalMs ?? 250);
      }
    });
  }

  /** Publishes until the outbox is empty (or the bus refuses); returns how many rows were sent. */
  async drain(): Promise<number> {
    let sent = 0;
    try {
      for (;;) {
        const count = this.options.exclusive
          ? await this.exclusively(() => this.publishBatch())
          : await this.publishBatch();
        sent += count;
        if (count < (this.options.batchSize ?? 200) || this.stopped) break;
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, 'outbox relay: bus did not accept a batch; will retry');
    }
    if (Date.now() - this.backlogMeasuredAt >= BACKLOG_MEASURE_INTERVAL_MS) {
      this.backlogMeasuredAt = Date.now();
      await this.measureBacklog().catch(() => undefined);
    }
    return sent;
  }

  private async exclusively(publish: () => Promise<number>): Promise<number> {
    return this.options.db.connection().execute(async (connection) => {
      const { rows } = await sql<{
        locked: boolean;
      }>`select pg_try_advisory_lock(${RELAY_LOCK_ID}) as locked`.execute(connection);
      if (!rows[0]?.locked) return 0;
      try {
        return await publish();
      } finally {
        await sql`select pg_advisory_unlock(${RELAY_LOCK_ID})`.execute(connection);
      }
    });
  }

  private async publishBatch(): Promise<number> {
    const { db, bus } = this.options;
    const rows = await db
      .selectFrom('outbox')
      .select(['id', 'topic', 'partition_key', 'event'])
      .where('published_at', 'is', null)
      .orderBy('id')
      .limit(this.options.batchSize ?? 200)
      .execute();
    if (rows.length === 0) return 0;
    const spans = rows.map((row) => publishSpan(row.topic, row.event));
    const [first] = spans;
    try {
      // One bus call for the batch: the sidecar continues the trace of its first event (alone in
      // its batch unless writes arrive faster than the relay drains them).
      await context.with(first ? trace.setSpan(context.active(), first) : context.active(), () =>
        bus.publish(
          rows.map((row, i) => ({
            topic: row.topic as TopicName,
            key: row.partition_key,
            event: publishedWithin(row.event, spans[i]),
          })),
        ),
      );
    } catch (error) {
      for (const span of spans) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        span.end();
      }
      await db
        .updateTable('outbox')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: String(error).slice(0, 2000) }))
        .where(
          'id',
          'in',
          rows.map((row) => row.id),
        )
        .execute();
      throw error;
    }
    await db
      .updateTable('outbox')
      .set({ published_at: new Date() })
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
    for (const row of rows) eventsPublished.inc({ topic: row.topic });
    for (const span of spans) span.end();
    return rows.length;
  }

  private async measureBacklog(): Promise<void> {
    const { count } = await this.options.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('published_at', 'is', null)
      .executeTakeFirstOrThrow();
    outboxBacklog.set(Number(count));
  }
}

/** The relay's publish of one event, a child of the outbox write that produced it (its `traceparent`). */
function publishSpan(topic: string, event: unknown): Span {
  const { traceparent, event_id } = (event ?? {}) as { traceparent?: unknown; event_id?: unknown };
  return tracer.startSpan(
    `publish ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        ...(typeof event_id === 'string' ? { 'messaging.message.id': event_id } : {}),
      },
    },
    contextOf(typeof traceparent === 'string' ? traceparent : undefined),
  );
}

/**
 * A traced event as it goes on the topic: its `traceparent` names this publish, so consumers are
 * the publish's children (a re-publish after a crash is a publish of its own). Untraced events
 * leave as they were written.
 */
function publishedWithin(event: unknown, span: Span | undefined): unknown {
  if (!span || typeof event !== 'object' || event === null || !('traceparent' in event)) return event;
  const { traceparent } = traceHeaders(trace.setSpan(ROOT_CONTEXT, span));
  return traceparent ? { ...event, traceparent } : event;
}
