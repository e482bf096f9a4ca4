import { STATE_STORE_NAME } from '@todo/contracts/dapr';
import type { ClaimResult, IdempotencyStore } from '../ports.js';
import type { DaprClient } from './client.js';

/** A claim left 'processing' this long belongs to a consumer that died; another may take it over. */
const STALE_CLAIM_MS = 120_000;

interface ClaimValue {
  status: 'processing' | 'done';
  claimedAt: number;
  /** The claiming process's stable name (its pod; the same across container restarts). */
  owner?: string;
}

/** Who claims: a name that survives a restart of the process, and when this run of it started. */
export interface ClaimOwner {
  name: string;
  startedAt: number;
}

/**
 * Event-id claims in Dapr's PostgreSQL state store, first write wins. The claim reads first: Dapr's
 * state.postgresql v2 answers a first-write save of an existing key with a plain error (not an
 * etag conflict), which the sidecar's resiliency policy retries and counts toward its circuit
 * breaker — so that failure is kept for true races between replicas. Taking over a stale claim
 * saves with the etag read, which the store refuses (409, not retried) if anyone moved first.
 * Keys expire by `ttlInSeconds`.
 *
 * A claim is abandoned when its consumer died: at once if it is this pod's from before this
 * process started (the container was restarted: its sidecar redelivers the same events to it),
 * otherwise once it is STALE_CLAIM_MS old (the pod is gone; another replica got its partitions).
 */
export class DaprIdempotencyStore implements IdempotencyStore {
  private readonly path = `/v1.0/state/${STATE_STORE_NAME}`;

  constructor(
    private readonly dapr: DaprClient,
    private readonly owner: ClaimOwner,
  ) {}

  async claim(key: string, ttlSeconds: number): Promise<ClaimResult> {
    const current = await this.read(key);
    const claim: ClaimValue = { status: 'processing', claimedAt: Date.now(), owner: this.owner.name };
    if (!current) return (await this.save(key, claim, ttlSeconds, 'first-write')) ? 'acquired' : 'busy';
    if (current.value.status === 'done') return 'done';
    if (!this.abandoned(current.value)) return 'busy';
    // Take it over, but only if nobody else did since we read it.
    return (await this.save(key, claim, ttlSeconds, 'first-write', current.etag)) ? 'acquired' : 'busy';
  }

  async complete(key: string, ttlSeconds: number): Promise<void> {
    await this.save(
      key,
      { status: 'done', claimedAt: Date.now(), owner: this.owner.name },
      ttlSeconds,
      'last-write',
    );
  }

  private abandoned(claim: ClaimValue): boolean {
    const mineFromAnEarlierRun = claim.owner === this.owner.name && claim.claimedAt < this.owner.startedAt;
    return mineFromAnEarlierRun || Date.now() - claim.claimedAt >= STALE_CLAIM_MS;
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
