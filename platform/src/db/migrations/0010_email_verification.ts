import { type Kysely, sql } from 'kysely';

/**
 * E-mail verification. `users.verified_email` is the address its owner proved to read; the account
 * counts as verified only while it equals `email`, so a change of address un-verifies by itself,
 * whatever writes it. Existing accounts start unverified (null): nobody ever proved those
 * addresses, so their reminder e-mails pause until the owner verifies (in-app reminders go on).
 * A verification link's token is kept only as its SHA-256, with the address it was sent to, an
 * expiry and the time it was used (once).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column verified_email text`.execute(db);
  await sql`
    create table email_verifications (
      token_hash text primary key,
      user_id uuid not null references users (id) on delete cascade,
      email text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  // The sending limit counts a user's recent links.
  await sql`create index email_verifications_user_idx on email_verifications (user_id, created_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table email_verifications`.execute(db);
  await sql`alter table users drop column verified_email`.execute(db);
}
