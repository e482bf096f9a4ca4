import { PUBSUB_NAME } from '@todo/contracts/dapr';
import type { HttpServer } from '../http/server.js';
import type { BusMessage, DeliveryResult, EventBus, Subscription } from '../ports.js';
import type { DaprClient } from './client.js';

export interface DaprEventBusOptions {
  dapr: DaprClient;
  /** The pub/sub component of a subscription (its consumer group is the component's). */
  pubsubFor?: (subscription: Subscription) => string;
}

const STATUS: Record<DeliveryResult, string> = { success: 'SUCCESS', retry: 'RETRY' };

/**
 * Publishes through the sidecar to Kafka and receives through programmatic subscriptions.
 * Events travel as raw payloads (`rawPayload`), so what sits on the topic is the contract's JSON
 * itself, keyed by task_id — readable by any Kafka client, not only by Dapr.
 */
export class DaprEventBus implements EventBus {
  private readonly subscriptions: Subscription[] = [];

  constructor(private readonly options: DaprEventBusOptions) {}

  subscribe(subscription: Subscription): void {
    this.subscriptions.push(subscription);
  }

  /**
   * Bulk publish does not promise order within a request, so a batch goes out in rounds: round n
   * holds the n-th message of every key, and a round starts only after the previous was acked.
   */
  async publish(messages: BusMessage[]): Promise<void> {
    const seen = new Map<string, number>();
    const rounds: BusMessage[][] = [];
    for (const message of messages) {
      const nth = seen.get(message.key) ?? 0;
      seen.set(message.key, nth + 1);
      rounds[nth] = [...(rounds[nth] ?? []), message];
    }
    for (const round of rounds) {
      const byTopic = new Map<string, BusMessage[]>();
      for (const message of round)
        byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
      await Promise.all([...byTopic].map(([topic, batch]) => this.publishBulk(topic, batch)));
    }
  }

  private async publishBulk(topic: string, batch: BusMessage[]): Promise<void> {
    const entries = batch.map((message, i) => ({
      entryId: String(i),
      event: message.event,
      contentType: 'application/json',
      metadata: { partitionKey: message.key },
    }));
    const response = await this.options.dapr.fetch(
      `/v1.0-alpha1/publish/bulk/${PUBSUB_NAME}/${topic}?metadata.rawPayload=true`,
      { method: 'POST', json: entries },
    );
    // Any failed entry fails the batch: the outbox keeps it and the relay sends it again, and
    // consumers skip the entries that did arrive twice by their event id.
    if (!response.ok)
      throw new Error(`dapr bulk publish to ${topic}: ${response.status} ${await response.text()}`);
  }

  /** GET /dapr/subscribe and one route per subscription, answering Dapr's SUCCESS / RETRY / DROP. */
  routes = async (app: HttpServer): Promise<void> => {
    // Dapr delivers CloudEvents (application/cloudevents+json); parse them as JSON.
    app.addContentTypeParser(
      ['application/cloudevents+json', 'application/octet-stream'],
      { parseAs: 'string' },
      (_request, body, done) => {
        try {
          done(null, JSON.parse(String(body)));
        } catch {
          // Not JSON: handed on as text, and the consumer runtime dead-letters it.
          done(null, String(body));
        }
      },
    );
    const pubsubFor = this.options.pubsubFor ?? (() => PUBSUB_NAME);
    const routed = this.subscriptions.map((subscription, i) => ({
      subscription,
      route: `/dapr/events/${i}/${subscription.topic}`,
    }));
    app.get('/dapr/subscribe', { schema: { hide: true } }, async () =>
      routed.map(({ subscription, route }) => ({
        pubsubname: pubsubFor(subscription),
        topic: subscription.topic,
        route,
        metadata: { rawPayload: 'true' },
      })),
    );
    for (const { subscription, route } of routed) {
      app.post(route, { schema: { hide: true } }, async (request) => ({
        status: STATUS[await subscription.handle(unwrap(request.body))],
      }));
    }
  };
}

/**
 * The event inside Dapr's CloudEvent: `data` when it is JSON, `data_base64` for raw bytes (a raw
 * payload that is not JSON stays a string, and the consumer runtime dead-letters it).
 */
export function unwrap(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const envelope = body as { data?: unknown; data_base64?: unknown; specversion?: unknown };
  if (envelope.specversion === undefined) return body;
  if (typeof envelope.data_base64 === 'string')
    return Buffer.from(envelope.data_base64, 'base64').toString('utf8');
  return envelope.data;
}
