import type { Db } from '@todo/platform/db/connect';
import { sql } from 'kysely';
import type { LoggedFrame } from './frames.js';

/** Advisory-lock class of the sync log (the second key is the user's hash). */
const USER_LOCK_CLASS = 72_410_006;

export interface LoggedRow {
  seq: number;
  frame: LoggedFrame;
}

/**
 * The numbered frames of every user. Numbers are one sequence for all users, so they increase per
 * user too; an event recorded twice (several replicas) keeps its first number.
 */
export class SyncLog {
  constructor(private readonly db: Db) {}

  async record(eventId: string, userId: string, frame: LoggedFrame): Promise<void> {
    // One writer per user at a time, so a user's numbers commit in the order they were drawn:
    // whoever reads `seq > n` never sees a later number before an earlier one has committed. The
    // transaction-scoped lock is taken before the row (and its number) is produced, and released
    // when this one statement commits.
    await sql`
      insert into sync_log (event_id, user_id, frame)
      select ${eventId}, ${userId}, ${JSON.stringify(frame)}::jsonb
      from (select pg_advisory_xact_lock(${USER_LOCK_CLASS}, hashtext(${userId}))) as locked
      on conflict (event_id) do nothing`.execute(this.db);
  }

  /** The user's frames numbered above `seq`, oldest first, at most `limit`. */
  async after(userId: string, seq: number, limit: number): Promise<LoggedRow[]> {
    const rows = await this.db
      .selectFrom('sync_log')
      .select(['seq', 'frame'])
      .where('user_id', '=', userId)
      .where(sql<boolean>`seq > ${seq}`)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ seq: Number(row.seq), frame: row.frame as LoggedFrame }));
  }

  /** The user's highest number, 0 when there is none. */
  async latest(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('sync_log')
      .select(sql<string | null>`max(seq)`.as('seq'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  /** Deletes frames older than the given age; returns how many. */
  async prune(maxAgeSeconds: number): Promise<number> {
    const result = await this.db
      .deleteFrom('sync_log')
      .where(sql<boolean>`created_at < now() - make_interval(secs => ${maxAgeSeconds})`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
