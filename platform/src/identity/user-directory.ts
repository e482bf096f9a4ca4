import type { Db } from '../db/connect.js';
import { notFound } from '../http/errors.js';
import { UserCache } from './user-cache.js';

export interface User {
  id: string;
  email: string;
  timezone: string;
  emailNotifications: boolean;
  /** The owner proved to read `email` (a verification link); only then does it get reminder e-mails. */
  emailVerified: boolean;
}

export const USER_COLUMNS = ['id', 'email', 'timezone', 'email_notifications', 'verified_email'] as const;

export const toUser = (row: {
  id: string;
  email: string;
  timezone: string;
  email_notifications: boolean;
  verified_email: string | null;
}): User => ({
  id: row.id,
  email: row.email,
  timezone: row.timezone,
  emailNotifications: row.email_notifications,
  emailVerified: row.verified_email === row.email,
});

export interface UserDirectoryOptions {
  /**
   * Serve `get` from memory (every request authenticates through it). Only for a process that is
   * the sole writer of the users table — the embedded mode on its private PostgreSQL server, which
   * no other process uses — since every change then goes through a writer that calls `forget`: a changed
   * zone applies from the next request on.
   */
  cache?: boolean;
}

/**
 * The one way services read users by id (authentication, reminders, notifications); writers call
 * `forget`.
 */
export class UserDirectory {
  private readonly cache: UserCache | undefined;

  constructor(
    private readonly db: Db,
    options: UserDirectoryOptions = {},
  ) {
    this.cache = options.cache ? new UserCache() : undefined;
  }

  async get(id: string): Promise<User> {
    return (await this.find(id)) ?? Promise.reject(notFound('user'));
  }

  /** The user, or null when the account does not exist (any more). */
  async find(id: string): Promise<User | null> {
    const cached = this.cache?.get(id);
    if (cached) return cached;
    const readStartedAt = this.cache?.readStarting() ?? 0;
    const row = await this.db
      .selectFrom('users')
      .select(USER_COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    const user = toUser(row);
    this.cache?.remember(user, readStartedAt);
    return user;
  }

  /** Called before and after every write to the user's row. */
  forget(id: string): void {
    this.cache?.forget(id);
  }
}
