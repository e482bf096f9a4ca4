import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { assertValidEvent, type DlqEnvelope, type TopicEvents, type TopicName } from '@todo/contracts';
import { DependencyUnavailable } from '../dependency-unavailable.js';
import type { DeliveryResult, IdempotencyStore, Subscription } from '../ports.js';
import type { Logger } from '../telemetry/logger.js';
import { eventFailures, eventProcessingDuration, eventsConsumed } from '../telemetry/metrics.js';
import { contextOf, inSpan, SpanKind } from '../telemetry/tracing.js';
import type { DeadLetterSink } from './dead-letters.js';

/** Seven days, the topics' retention: an event older than that cannot be redelivered anyway. */
export const CLAIM_TTL_SECONDS = 7 * 24 * 3600;

export interface RetryPolicy {
  attempts: number;
  /** First backoff; each further one doubles. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 200 };

export interface ConsumerDefinition<T extends TopicName> {
  /** The service (Dapr app id) that consumes. */
  service: string;
  topic: T;
  /** Defaults to the service: replicas share the work. */
  group?: string;
  /**
   * The events this consumer acts on (default: all). Others are acknowledged without a claim:
   * handling them would change nothing, so there is nothing to deduplicate and nothing to write.
   */
  accepts?(event: TopicEvents[T]): boolean;
  /**
   * The handler deduplicates by itself: its one effect is keyed by the event id (an insert that a
   * unique index turns into nothing on a second delivery), so the event-id claim would only repeat
   * that check at the cost of two more writes. Its retries and dead letters stay as they are.
   */
  deduplicatesItself?: boolean;
  handle(event: TopicEvents[T]): Promise<void>;
}

export interface ConsumerRuntime {
  idempotency: IdempotencyStore;
  deadLetters: DeadLetterSink;
  logger: Logger;
  retry?: RetryPolicy;
}

/**
 * Wraps a handler with what every consumer needs: parse and validate against the topic's schema,
 * claim the event id (first write wins) so a redelivered or concurrently delivered event has one
 * effect, retry with exponential backoff, and after the last attempt put the event in the DLQ and
 * move on — a poison message never blocks its partition. An event that failed only because a
 * service it needs is unavailable is not poison: it is handed back for redelivery instead.
 */
export function createConsumer<T extends TopicName>(
  definition: ConsumerDefinition<T>,
  runtime: ConsumerRuntime,
): Subscription {
  const group = definition.group ?? definition.service;
  const labels = { service: definition.service, topic: definition.topic };
  const retry = runtime.retry ?? DEFAULT_RETRY;
  const log = runtime.logger.child({ consumer: definition.service, topic: definition.topic });

  const deadLetter = async (
    original: unknown,
    eventId: string,
    error: unknown,
    attempts: number,
    firstAt: Date,
  ) => {
    const envelope: DlqEnvelope = {
      dlq_id: crypto.randomUUID(),
      original_event_id: eventId,
      original_topic: definition.topic,
      original_event: original as DlqEnvelope['original_event'],
      error_context: {
        error_message: error instanceof Error ? error.message : String(error),
        ...(error instanceof Error && error.stack ? { stack_trace: error.stack } : {}),
        retry_count: attempts,
        first_attempt_at: firstAt.toISOString(),
        last_attempt_at: new Date().toISOString(),
        consumer_service: definition.service,
        consumer_pod: process.env.POD_NAME ?? hostname(),
      },
      timestamp: new Date().toISOString(),
    };
    await runtime.deadLetters.send(envelope);
    eventsConsumed.inc({ ...labels, outcome: 'dead_lettered' });
    trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: 'dead-lettered' });
    log.error(
      { eventId, userId: userIdOf(original), dlqId: envelope.dlq_id, attempts, err: error },
      'event dead-lettered',
    );
  };

  const deliver = async (parsed: Parsed): Promise<DeliveryResult> => {
    const stopTimer = eventProcessingDuration.startTimer(labels);
    const firstAt = new Date();
    try {
      if (!parsed.ok) {
        // Bytes that are not JSON will never become JSON: no point retrying.
        await deadLetter(parsed.raw, digest(parsed.raw), parsed.error, 1, firstAt);
        return 'success';
      }
      const event = parsed.value;
      const eventId = eventIdOf(event) ?? digest(JSON.stringify(event));
      try {
        assertValidEvent(definition.topic, event);
      } catch (error) {
        await deadLetter(event, eventId, error, 1, firstAt);
        return 'success';
      }
      if (definition.accepts && !definition.accepts(event as TopicEvents[T])) {
        eventsConsumed.inc({ ...labels, outcome: 'ignored' });
        return 'success';
      }

      const idempotency = definition.deduplicatesItself ? NO_CLAIMS : runtime.idempotency;
      const key = `${group}:${eventId}`;
      const claim = await idempotency.claim(key, CLAIM_TTL_SECONDS);
      if (claim === 'done') {
        eventsConsumed.inc({ ...labels, outcome: 'duplicate' });
        return 'success';
      }
      // Another replica is working on it right now: ask for redelivery rather than race it.
      if (claim === 'busy') return 'retry';

      for (let attempt = 1; ; attempt++) {
        try {
          await definition.handle(event as TopicEvents[T]);
          await idempotency.complete(key, CLAIM_TTL_SECONDS);
          eventsConsumed.inc({ ...labels, outcome: 'processed' });
          return 'success';
        } catch (error) {
          eventFailures.inc(labels);
          // Each failed attempt is an exception event on the consume span, with its time.
          trace.getActiveSpan()?.recordException(error instanceof Error ? error : String(error));
          if (attempt >= retry.attempts && error instanceof DependencyUnavailable) {
            // The event is fine, a service it needs is not: redeliver later, however long that takes.
            await idempotency.release(key);
            log.warn(
              { eventId, userId: userIdOf(event), err: error },
              'a dependency is unavailable; asking for redelivery',
            );
            return 'retry';
          }
          if (attempt >= retry.attempts) {
            // Released, so that a replay after the fix is processed rather than seen as done.
            await idempotency.release(key);
            await deadLetter(event, eventId, error, attempt, firstAt);
            return 'success';
          }
          log.warn(
            { eventId, userId: userIdOf(event), attempt, err: error },
            'event processing failed; retrying',
          );
          await sleep(retry.baseDelayMs * 2 ** (attempt - 1));
        }
      }
    } catch (error) {
      // The runtime's own storage failed (database down): let the bus deliver it again later.
      log.error(
        { eventId: parsed.ok ? eventIdOf(parsed.value) : undefined, err: error },
        'consumer runtime failure; asking for redelivery',
      );
      return 'retry';
    } finally {
      stopTimer();
    }
  };

  return {
    topic: definition.topic,
    group,
    handle(received: unknown): Promise<DeliveryResult> {
      const parsed = parse(received);
      // A child of the outbox write that produced the event, in whichever process and on whichever
      // redelivery: the trace of one click reaches every consumer that acted on it.
      return inSpan(
        `${definition.service} consume ${definition.topic}`,
        {
          kind: SpanKind.CONSUMER,
          parent: contextOf(parsed.ok ? traceparentOf(parsed.value) : undefined),
          attributes: {
            'messaging.system': 'kafka',
            'messaging.destination.name': definition.topic,
            'messaging.consumer.group.name': group,
            ...(parsed.ok && eventIdOf(parsed.value)
              ? { 'messaging.message.id': eventIdOf(parsed.value) }
              : {}),
          },
        },
        async (span) => {
          const result = await deliver(parsed);
          span.setAttribute('consumer.result', result);
          return result;
        },
      );
    },
  };
}

/** For handlers that deduplicate by themselves: every delivery may run them. */
const NO_CLAIMS: IdempotencyStore = {
  claim: async () => 'acquired',
  complete: async () => undefined,
  release: async () => undefined,
};

type Parsed = { ok: true; value: unknown } | { ok: false; raw: string; error: Error };

function parse(received: unknown): Parsed {
  if (typeof received !== 'string' && !(received instanceof Uint8Array)) return { ok: true, value: received };
  const raw = typeof received === 'string' ? received : Buffer.from(received).toString('utf8');
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    return { ok: false, raw, error: error as Error };
  }
}

/** The envelope's user, for log lines (undefined, hence left out, when the event has none). */
function userIdOf(event: unknown): string | undefined {
  const id = (event as { user_id?: unknown } | null)?.user_id;
  return typeof id === 'string' ? id : undefined;
}

function traceparentOf(event: unknown): string | undefined {
  const traceparent = (event as { traceparent?: unknown } | null)?.traceparent;
  return typeof traceparent === 'string' ? traceparent : undefined;
}

function eventIdOf(event: unknown): string | undefined {
  const id = (event as { event_id?: unknown } | null)?.event_id;
  return typeof id === 'string' && id.length > 0 && id.length <= 100 ? id : undefined;
}

const digest = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
