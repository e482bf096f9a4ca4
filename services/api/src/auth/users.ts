import { hash, verify } from '@node-rs/argon2';
import { FieldError, isValidTimeZone } from '@todo/domain';
import type { Db } from '@todo/platform/db/connect';
import { conflict, notFound, unauthorized } from '@todo/platform/http/errors';
import type { UserDirectory } from '@todo/platform/ports';
import { UserCache } from './user-cache.js';

export interface User {
  id: string;
  email: string;
  timezone: string;
  emailNotifications: boolean;
}

export const toUserJson = (user: User) => ({
  id: user.id,
  email: user.email,
  timezone: user.timezone,
  email_notifications: user.emailNotifications,
});

// OWASP's argon2id baseline (19 MiB, 2 passes): a login costs tens of milliseconds, a guess as much.
const ARGON2 = {
  algorithm: 2 /* Algorithm.Argon2id, a const enum */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

// Verifying against a real hash when the account does not exist keeps the answer time the same,
// so response times do not reveal which e-mail addresses have accounts.
const DUMMY_HASH = hash('not-a-password', ARGON2);

function assertTimeZone(timezone: string) {
  if (!isValidTimeZone(timezone)) {
    throw new FieldError('timezone', `"${timezone}" is not an IANA time zone (e.g. "Europe/Berlin")`);
  }
}

const USER_COLUMNS = ['id', 'email', 'timezone', 'email_notifications'] as const;
const toUser = (row: {
  id: string;
  email: string;
  timezone: string;
  email_notifications: boolean;
}): User => ({
  id: row.id,
  email: row.email,
  timezone: row.timezone,
  emailNotifications: row.email_notifications,
});

export interface UserServiceOptions {
  /**
   * Serve `get` from memory (every request authenticates through it). Only for a process that is
   * the sole writer of the users table — the embedded mode on PGlite, whose directory one process
   * opens at a time — since every change then goes through `update` here, which drops the entry:
   * a changed zone applies from the next request on.
   */
  cache?: boolean;
}

export class UserService implements UserDirectory {
  private readonly cache: UserCache | undefined;

  constructor(
    private readonly db: Db,
    options: UserServiceOptions = {},
  ) {
    this.cache = options.cache ? new UserCache() : undefined;
  }

  async signup(input: { email: string; password: string; timezone?: string }): Promise<User> {
    const timezone = input.timezone ?? 'UTC';
    assertTimeZone(timezone);
    const email = input.email.trim();
    const existing = await this.db
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
    if (existing) throw conflict('email_taken', 'an account with this e-mail already exists');
    const row = await this.db
      .insertInto('users')
      .values({
        id: crypto.randomUUID(),
        email,
        password_hash: await hash(input.password, ARGON2),
        timezone,
      })
      .onConflict((oc) => oc.doNothing())
      .returning(USER_COLUMNS)
      .executeTakeFirst();
    // A concurrent sign-up with the same address won the unique index.
    if (!row) throw conflict('email_taken', 'an account with this e-mail already exists');
    return toUser(row);
  }

  async login(email: string, password: string): Promise<User> {
    const row = await this.db
      .selectFrom('users')
      .select([...USER_COLUMNS, 'password_hash'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
      .executeTakeFirst();
    const valid = await verify(row?.password_hash ?? (await DUMMY_HASH), password);
    if (!row || !valid) throw unauthorized('wrong e-mail or password');
    return toUser(row);
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

  async update(id: string, changes: { timezone?: string; email_notifications?: boolean }): Promise<User> {
    if (changes.timezone !== undefined) assertTimeZone(changes.timezone);
    this.cache?.forget(id);
    const row = await this.db
      .updateTable('users')
      .set({
        ...(changes.timezone === undefined ? {} : { timezone: changes.timezone }),
        ...(changes.email_notifications === undefined
          ? {}
          : { email_notifications: changes.email_notifications }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returning(USER_COLUMNS)
      .executeTakeFirst();
    this.cache?.forget(id);
    if (!row) throw notFound('user');
    return toUser(row);
  }
}
