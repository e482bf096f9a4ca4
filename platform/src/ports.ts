import type { TopicName } from '@todo/contracts';
import type { Transaction } from 'kysely';
import type { Database } from './db/schema.js';

/**
 * The ports services receive from a composition root. Each has a local implementation (embedded
 * mode, one process) and a Dapr one (distributed mode); services never import an adapter.
 */

/** One event on its way to a topic; `key` is the partition key (task_id), which orders delivery. */
export interface BusMessage {
  topic: TopicName;
  key: string;
  event: unknown;
}

/**
 * What a subscriber answers, in Dapr's terms: SUCCESS (done, or given up on into the DLQ) or RETRY
 * (deliver again later). Dapr's third answer, DROP, is never given: a failure goes to the DLQ.
 */
export type DeliveryResult = 'success' | 'retry';

export interface Subscription {
  topic: TopicName;
  /** Consumer group: replicas of a group share the work, each group sees every event. */
  group: string;
  handle(event: unknown): Promise<DeliveryResult>;
}

export interface EventBus {
  /** Resolves once the bus has accepted every message; per key, in the order given. */
  publish(messages: BusMessage[]): Promise<void>;
  subscribe(subscription: Subscription): void;
}

export type ClaimResult = 'acquired' | 'done' | 'busy';

/** Event-id claims: first write wins, so concurrent or repeated deliveries have one effect. */
export interface IdempotencyStore {
  claim(key: string, ttlSeconds: number): Promise<ClaimResult>;
  complete(key: string, ttlSeconds: number): Promise<void>;
  release(key: string): Promise<void>;
}

export interface Job {
  name: string;
  dueAt: Date;
  data: Record<string, unknown>;
}

/** Durable one-shot timers (reminders). Writes join the caller's transaction where the store can. */
export interface JobScheduler {
  schedule(jobs: Job[], trx?: Transaction<Database>): Promise<void>;
  cancel(names: string[], trx?: Transaction<Database>): Promise<void>;
}

export interface SecretStore {
  get(name: string): Promise<string | undefined>;
}
