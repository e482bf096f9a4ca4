import { type Kysely, sql } from 'kysely';

/** In-app notifications: one row per fired reminder, which the notification service also e-mails. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // No foreign key to tasks: a notification stays in the user's list after its task is deleted.
  await sql`
    create table notifications (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      task_id uuid not null,
      job_id text not null,
      fire_at timestamptz not null,
      title text not null,
      body text not null,
      created_at timestamptz not null default now(),
      read_at timestamptz,
      late boolean not null default false,
      emailed_at timestamptz,
      constraint notifications_reminder_key unique (job_id, fire_at)
    )`.execute(db);
  // The reminder's job and fire time identify it across redeliveries under new event ids, so a
  // reminder makes one row even when the consumer's event-id claim was lost.
  await sql`create index notifications_user_created_idx on notifications (user_id, created_at desc, id desc)`.execute(
    db,
  );
  await sql`
    create index notifications_user_unread_idx on notifications (user_id, created_at desc, id desc)
    where read_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table notifications`.execute(db);
}
