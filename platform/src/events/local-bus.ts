import type { BusMessage, EventBus, Subscription } from '../ports.js';

/** Lanes of the in-process bus; like partitions, one key always maps to the same lane. */
const LANES = 6;

/**
 * The embedded mode's bus: delivers each message to every subscribed group in the same process.
 * Messages of one key are delivered in order; different keys proceed concurrently in lanes, so a
 * slow or poisoned task does not hold up the others. `publish` resolves only when every group has
 * finished (or dead-lettered) every message — that is when the outbox row may be marked sent.
 */
export class LocalEventBus implements EventBus {
  private readonly subscriptions: Subscription[] = [];

  subscribe(subscription: Subscription): void {
    this.subscriptions.push(subscription);
  }

  async publish(messages: BusMessage[]): Promise<void> {
    const lanes = new Map<number, BusMessage[]>();
    for (const message of messages) {
      const lane = laneOf(message.key);
      lanes.set(lane, [...(lanes.get(lane) ?? []), message]);
    }
    const results = await Promise.allSettled([...lanes.values()].map((lane) => this.deliverInOrder(lane)));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async deliverInOrder(messages: BusMessage[]): Promise<void> {
    for (const message of messages) {
      const groups = this.subscriptions.filter((s) => s.topic === message.topic);
      // Each event is copied per group, as a broker would: no consumer sees another's mutations.
      const results = await Promise.all(groups.map((s) => s.handle(structuredClone(message.event))));
      if (results.includes('retry')) {
        // Left unsent in the outbox: the relay delivers it again, and groups that finished skip it.
        throw new Error(`a consumer of ${message.topic} asked for redelivery`);
      }
    }
  }
}

function laneOf(key: string): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(hash) % LANES;
}
