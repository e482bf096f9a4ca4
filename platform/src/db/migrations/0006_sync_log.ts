import { type Kysely, sql } from 'kysely';

/**
 * What websocket-sync has pushed to each user's clients, numbered so that a client reconnecting
 * with the last number it saw receives exactly what it missed. Every replica records every update;
 * the unique event id makes them agree on one number per event.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sync_log (
      seq bigserial primary key,
      event_id text not null unique,
      user_id uuid not null,
      frame jsonb not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  // Resuming reads one user's frames after a number, in order.
  await sql`create index sync_log_user_seq_idx on sync_log (user_id, seq)`.execute(db);
  // Rows older than the topics' retention are pruned by age.
  await sql`create index sync_log_created_idx on sync_log (created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table sync_log`.execute(db);
}
