import { STATE_STORE_NAME } from '@todo/contracts/dapr';
import type { ClaimResult, IdempotencyStore } from '../ports.js';
import type { DaprClient } from './client.js';

/** A claim left 'processing' this long belongs to a consumer that died; another may take it over. */
const STALE_CLAIM_MS = 120_000;

interface ClaimValue {
  status: 'processing' | 'done';
  claimedAt: number;
}

/**
 * Event-id claims in Dapr's PostgreSQL state store, first write wins. The claim reads first: Dapr's
 * state.postgresql v2 answers a first-write save of an existing key with a plain error (not an
 * etag conflict), which the sidecar's resiliency policy retries and counts toward its circuit
 * breaker — so that failure is kept for true races between replicas. Taking over a stale claim
 * saves with the etag read, which the store refuses (409, not retried) if anyone moved first.
 * Keys expire by `ttlInSeconds`.
 */
export class DaprIdempotencyStore implements IdempotencyStore {
  private readonly path = `/v1.0/state/${STATE_STORE_NAME}`;

  constructor(private readonly dapr: DaprClient) {}

  async claim(key: string, ttlSeconds: number): Promise<ClaimResult> {
    const current = await this.read(key);
    const claim: ClaimValue = { status: 'processing', claimedAt: Date.now() };
    if (!current) return (await this.save(key, claim, ttlSeconds, 'first-write')) ? 'acquired' : 'busy';
    if (current.value.status === 'done') return 'done';
    if (Date.now() - current.value.claimedAt < STALE_CLAIM_MS) return 'busy';
    // A crashed consumer's claim: take it over, but only if nobody else did since we read it.
    return (await this.save(key, claim, ttlSeconds, 'first-write', current.etag)) ? 'acquired' : 'busy';
  }

  async complete(key: string, ttlSeconds: number): Promise<void> {
    await this.save(key, { status: 'done', claimedAt: Date.now() }, ttlSeconds, 'last-write');
  }

  async release(key: string): Promise<void> {
    await this.dapr.ok(`${this.path}/${encodeURIComponent(key)}`, { method: 'DELETE' });
  }

  /**
   * Saves; false when first-write concurrency refused it: 409 for a moved etag, and for an insert
   * that lost the race the store's "no item was updated" (500 once the sidecar's retries ran out).
   */
  private async save(
    key: string,
    value: ClaimValue,
    ttlSeconds: number,
    concurrency: 'first-write' | 'last-write',
    etag?: string,
  ): Promise<boolean> {
    const response = await this.dapr.fetch(this.path, {
      method: 'POST',
      json: [
        {
          key,
          value,
          ...(etag ? { etag } : {}),
          metadata: { ttlInSeconds: String(ttlSeconds) },
          options: { concurrency },
        },
      ],
    });
    if (response.ok) return true;
    if (response.status === 409) return false;
    const text = await response.text();
    if (text.includes('no item was updated')) return false;
    throw new Error(`dapr state save ${key}: ${response.status} ${text}`);
  }

  private async read(key: string): Promise<{ value: ClaimValue; etag: string } | undefined> {
    const response = await this.dapr.ok(`${this.path}/${encodeURIComponent(key)}`);
    if (response.status === 204) return undefined;
    return { value: (await response.json()) as ClaimValue, etag: response.headers.get('etag') ?? '' };
  }
}
