import type { User } from './user-directory.js';

/** Entries kept at most; beyond that the longest-cached user is dropped (users re-read cheaply). */
const MAX_ENTRIES = 10_000;

/**
 * Users by id in memory, for a process through which every change to the users table goes (see
 * `UserService`). A read may only be remembered if no write began meanwhile — it could hold the
 * row from before that write — which the write counter tells.
 */
export class UserCache {
  private readonly users = new Map<string, User>();
  private writes = 0;

  get(id: string): User | undefined {
    return this.users.get(id);
  }

  /** The token to pass to `remember` for a read that starts now. */
  readStarting(): number {
    return this.writes;
  }

  remember(user: User, readStartedAt: number): void {
    if (readStartedAt !== this.writes) return;
    if (this.users.size >= MAX_ENTRIES) this.users.delete(this.users.keys().next().value as string);
    this.users.set(user.id, Object.freeze(user));
  }

  /** Called before and after a write to the user's row: drops the entry and voids reads in flight. */
  forget(id: string): void {
    this.writes++;
    this.users.delete(id);
  }
}
