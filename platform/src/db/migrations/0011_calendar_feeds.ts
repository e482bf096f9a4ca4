import { type Kysely, sql } from 'kysely';

/**
 * Calendar subscriptions: one secret feed address per user (creating a new one replaces it, so the
 * old address stops working), kept only as the SHA-256 of its token; gone with the account.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table calendar_feeds (
      user_id uuid primary key references users (id) on delete cascade,
      token_hash text not null unique,
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table calendar_feeds`.execute(db);
}
