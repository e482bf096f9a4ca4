import type { Db } from '@todo/platform/db/connect';
import { newSecretToken, secretTokenHash } from '@todo/platform/identity/secret-token';
import { calendarFeed, type FeedTask } from './ical-feed.js';

/** A feed shows at most this many tasks (the soonest due): bounded work per fetch. */
export const FEED_MAX_TASKS = 2000;

const FEED_COLUMNS = [
  'id',
  'title',
  'description',
  'priority',
  'tags',
  'due_at',
  'all_day',
  'reminders',
  'recurrence',
  'recurrence_anchor',
  'occurrence',
  'created_at',
  'updated_at',
  'version',
] as const satisfies readonly (keyof FeedTask)[];

/** Each user's secret calendar subscription: made, replaced, revoked, and served. */
export class CalendarFeeds {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
  ) {}

  /** Whether the user has a feed, and since when. */
  async status(userId: string): Promise<{ createdAt: Date } | null> {
    const row = await this.db
      .selectFrom('calendar_feeds')
      .select('created_at')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? { createdAt: row.created_at } : null;
  }

  /** A new secret token for the user's feed; an earlier one stops working. */
  async create(userId: string): Promise<{ token: string; createdAt: Date }> {
    const token = newSecretToken();
    const createdAt = this.clock();
    await this.db
      .insertInto('calendar_feeds')
      .values({ user_id: userId, token_hash: secretTokenHash(token), created_at: createdAt })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({ token_hash: secretTokenHash(token), created_at: createdAt }),
      )
      .execute();
    return { token, createdAt };
  }

  /** Revokes the user's feed; true if there was one. */
  async revoke(userId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('calendar_feeds')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The calendar of a feed token, or null when no feed has that token (never made, or revoked). */
  async render(token: string): Promise<string | null> {
    const owner = await this.db
      .selectFrom('calendar_feeds')
      .innerJoin('users', 'users.id', 'calendar_feeds.user_id')
      .select(['users.id', 'users.timezone'])
      .where('calendar_feeds.token_hash', '=', secretTokenHash(token))
      .executeTakeFirst();
    if (!owner) return null;
    const tasks = await this.db
      .selectFrom('tasks')
      .select(FEED_COLUMNS)
      .where('user_id', '=', owner.id)
      .where('status', '=', 'open')
      .where('due_at', 'is not', null)
      .orderBy('due_at')
      .orderBy('id')
      .limit(FEED_MAX_TASKS)
      .execute();
    return calendarFeed(tasks, owner.timezone, this.clock());
  }
}
