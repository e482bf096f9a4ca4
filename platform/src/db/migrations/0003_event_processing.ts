import { type Kysely, sql } from 'kysely';

/** What the consumer runtime and the embedded job scheduler keep: claims, dead letters, jobs. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // A replayed event is delivered again under its original id, so the id is no longer unique here.
  await sql`alter table outbox drop constraint outbox_event_id_key`.execute(db);
  await sql`create index outbox_event_id_idx on outbox (event_id)`.execute(db);

  // Event-id claims of the embedded mode (the distributed mode keeps them in Dapr's state store).
  await sql`
    create table idempotency_keys (
      key text primary key,
      status text not null check (status in ('processing', 'done')),
      claimed_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index idempotency_keys_expires_idx on idempotency_keys (expires_at)`.execute(db);

  // Events a consumer gave up on, kept for `npm run dlq -- list|show|replay`.
  await sql`
    create table dead_letters (
      dlq_id uuid primary key,
      original_event_id text not null,
      topic text not null,
      consumer text not null,
      envelope jsonb not null,
      created_at timestamptz not null default now(),
      replayed_at timestamptz
    )`.execute(db);
  await sql`create index dead_letters_created_idx on dead_letters (created_at desc)`.execute(db);

  // Durable timers of the embedded mode (the distributed mode uses the Dapr Jobs API).
  await sql`
    create table scheduled_jobs (
      name text primary key,
      due_at timestamptz not null,
      data jsonb not null,
      fired_at timestamptz
    )`.execute(db);
  await sql`create index scheduled_jobs_pending_idx on scheduled_jobs (due_at) where fired_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table scheduled_jobs`.execute(db);
  await sql`drop table dead_letters`.execute(db);
  await sql`drop table idempotency_keys`.execute(db);
  await sql`drop index outbox_event_id_idx`.execute(db);
  await sql`alter table outbox add constraint outbox_event_id_key unique (event_id)`.execute(db);
}
