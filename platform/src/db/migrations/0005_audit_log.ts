import { type Kysely, sql } from 'kysely';

/** The audit log: one row per task, notification and reminder event, never changed afterwards. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // No foreign keys: entries outlive their task, and a cascading delete would have to rewrite history.
  // `seq` is the order of recording, which breaks ties between events of the same millisecond.
  await sql`
    create table audit_log (
      id uuid primary key,
      seq bigint generated always as identity,
      event_id text not null unique,
      user_id uuid not null,
      task_id uuid not null,
      action text not null,
      occurred_at timestamptz not null,
      correlation_id text not null,
      topic text not null,
      summary text not null,
      details jsonb not null,
      recorded_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index audit_log_user_time_idx on audit_log (user_id, occurred_at desc, seq desc)`.execute(
    db,
  );
  await sql`create index audit_log_user_task_idx on audit_log (user_id, task_id, occurred_at desc, seq desc)`.execute(
    db,
  );

  // Append-only in the database as well as in code: whoever holds a connection cannot rewrite it.
  await sql`
    create function audit_log_reject_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create trigger audit_log_no_update_delete before update or delete on audit_log
    for each row execute function audit_log_reject_change()`.execute(db);
  await sql`
    create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_reject_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_log`.execute(db);
  await sql`drop function audit_log_reject_change()`.execute(db);
}
