import { type Kysely, sql } from 'kysely';

/** Transactional outbox: events commit with the write that caused them, and a relay publishes them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table outbox (
      id bigserial primary key,
      topic text not null,
      partition_key text not null,
      event_id uuid not null unique,
      event jsonb not null,
      created_at timestamptz not null default now(),
      published_at timestamptz,
      attempts integer not null default 0,
      last_error text
    )`.execute(db);
  // The relay only ever reads unpublished rows in id order.
  await sql`create index outbox_pending_idx on outbox (id) where published_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table outbox`.execute(db);
}
