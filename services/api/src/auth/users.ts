import { hash, verify } from '@node-rs/argon2';
import { FieldError, isValidTimeZone } from '@todo/domain';
import type { Db } from '@todo/platform/db/connect';
import { conflict, HttpError, notFound, unauthorized } from '@todo/platform/http/errors';
import { toUser, USER_COLUMNS, type User, type UserDirectory } from '@todo/platform/identity/user-directory';
import { sql } from 'kysely';
import { assertAcceptablePassword, displayEmail, normalizeEmail } from './credentials.js';

export const toUserJson = (user: User) => ({
  id: user.id,
  email: user.email,
  timezone: user.timezone,
  email_notifications: user.emailNotifications,
  email_verified: user.emailVerified,
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

/** Accounts: sign-up, login and profile changes; reads go through the shared directory. */
export class UserService {
  constructor(
    private readonly db: Db,
    private readonly directory: UserDirectory,
  ) {}

  async signup(input: { email: string; password: string; timezone?: string }): Promise<User> {
    const timezone = input.timezone ?? 'UTC';
    assertTimeZone(timezone);
    assertAcceptablePassword(input.password);
    const email = displayEmail(input.email);
    const existing = await this.db
      .selectFrom('users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', normalizeEmail(email)))
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
      .where((eb) => eb(eb.fn('lower', ['email']), '=', normalizeEmail(email)))
      .executeTakeFirst();
    const valid = await verify(row?.password_hash ?? (await DUMMY_HASH), password);
    if (!row || !valid) throw unauthorized('wrong e-mail or password');
    return toUser(row);
  }

  get(id: string): Promise<User> {
    return this.directory.get(id);
  }

  async update(id: string, changes: { timezone?: string; email_notifications?: boolean }): Promise<User> {
    if (changes.timezone !== undefined) assertTimeZone(changes.timezone);
    this.directory.forget(id);
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
    this.directory.forget(id);
    if (!row) throw notFound('user');
    return toUser(row);
  }

  /** Replaces the password after checking the current one (403 naming `current_password`). */
  async changePassword(id: string, current: string, next: string): Promise<void> {
    await this.assertPassword(id, current, 'current_password');
    assertAcceptablePassword(next, 'new_password');
    await this.db
      .updateTable('users')
      .set({ password_hash: await hash(next, ARGON2), updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  }

  /** 403 naming `field` unless `password` is the account's. */
  async assertPassword(id: string, password: string, field: string): Promise<void> {
    const row = await this.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('user');
    if (!(await verify(row.password_hash, password))) {
      throw new HttpError(403, 'wrong_password', `${field}: is not your password`, field);
    }
  }

  /**
   * Deletes the account and everything it owns in one transaction: its rows cascade (tasks,
   * notifications, conversations, access tokens, sessions), and the tables keyed by a user id
   * without a foreign key are emptied of it — the audit log (through the erasure path its
   * append-only trigger allows), the live-sync log, its events still in the outbox or in the
   * dead-letter queue, its pending reminder jobs (a Dapr job still set then finds nothing to fire).
   */
  async erase(id: string): Promise<void> {
    this.directory.forget(id);
    await this.db.transaction().execute(async (trx) => {
      await sql`select set_config('todo.erase_user', ${id}, true)`.execute(trx);
      await trx.deleteFrom('audit_log').where('user_id', '=', id).execute();
      await trx.deleteFrom('sync_log').where('user_id', '=', id).execute();
      await trx.deleteFrom('outbox').where(sql`event->>'user_id'`, '=', id).execute();
      await trx
        .deleteFrom('dead_letters')
        .where(sql`envelope->'original_event'->>'user_id'`, '=', id)
        .execute();
      await trx.deleteFrom('scheduled_jobs').where(sql`data->>'user_id'`, '=', id).execute();
      await trx.deleteFrom('users').where('id', '=', id).execute();
    });
    this.directory.forget(id);
  }
}
