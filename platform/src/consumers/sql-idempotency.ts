import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { ClaimResult, IdempotencyStore } from '../ports.js';

/** A claim left 'processing' this long belongs to a consumer that died; another may take it over. */
const STALE_CLAIM_SECONDS = 120;

/** Event-id claims in a SQL table (embedded mode): the primary key makes the first insert win. */
export class SqlIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: Db) {}

  async claim(key: string, ttlSeconds: number): Promise<ClaimResult> {
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    const inserted = await this.db
      .insertInto('idempotency_keys')
      .values({ key, status: 'processing', expires_at: expiresAt })
      // An expired key, or a stale claim of a crashed consumer, is taken over in the same statement.
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ status: 'processing', claimed_at: sql`now()`, expires_at: expiresAt })
          .where((eb) =>
            eb.or([
              eb('idempotency_keys.expires_at', '<', sql<Date>`now()`),
              eb.and([
                eb('idempotency_keys.status', '=', 'processing'),
                eb(
                  'idempotency_keys.claimed_at',
                  '<',
                  sql<Date>`now() - make_interval(secs => ${STALE_CLAIM_SECONDS})`,
                ),
              ]),
            ]),
          ),
      )
      .returning('key')
      .executeTakeFirst();
    if (inserted) return 'acquired';
    const existing = await this.db
      .selectFrom('idempotency_keys')
      .select('status')
      .where('key', '=', key)
      .executeTakeFirst();
    return existing?.status === 'done' ? 'done' : 'busy';
  }

  /**
   * Frees the claims of consumers that died mid-event. Only for a process that knows it is the sole
   * consumer of this table — the embedded mode at start-up — so a crash does not hold events back
   * until their claims go stale.
   */
  async releaseAbandoned(): Promise<number> {
    const released = await this.db
      .deleteFrom('idempotency_keys')
      .where('status', '=', 'processing')
      .returning('key')
      .execute();
    return released.length;
  }

  async complete(key: string, ttlSeconds: number): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ status: 'done', expires_at: new Date(Date.now() + ttlSeconds * 1000) })
      .where('key', '=', key)
      .execute();
  }

  async release(key: string): Promise<void> {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('key', '=', key)
      .where('status', '=', 'processing')
      .execute();
  }
}
