import { type Kysely, sql } from 'kysely';

/**
 * Revocable sign-ins: a session row per login, checked on every request (a session JWT names its
 * row), so logging out or changing the password ends a session at once in every service. Personal
 * access tokens get an expiry and a read-only scope. The audit log stays append-only except for
 * the one deliberate path of erasing an account: a transaction that declares the user it erases
 * (`set_config('todo.erase_user', …, true)`) may delete that user's rows, and no others.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sessions (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz
    )`.execute(db);
  await sql`create index sessions_user_idx on sessions (user_id)`.execute(db);
  // Single-use, short-lived tickets a browser puts in the /ws URL instead of a token; hashed like
  // access tokens, and gone with their session.
  await sql`
    create table ws_tickets (
      ticket_hash text primary key,
      session_id uuid not null references sessions (id) on delete cascade,
      expires_at timestamptz not null
    )`.execute(db);

  // Tokens made before expiries existed live one year from their creation.
  await sql`alter table access_tokens add column expires_at timestamptz`.execute(db);
  await sql`update access_tokens set expires_at = created_at + interval '365 days'`.execute(db);
  await sql`alter table access_tokens alter column expires_at set not null`.execute(db);
  await sql`alter table access_tokens add column read_only boolean not null default false`.execute(db);

  await sql`
    create or replace function audit_log_reject_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and old.user_id::text = current_setting('todo.erase_user', true) then
        return old;
      end if;
      raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function audit_log_reject_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`alter table access_tokens drop column read_only`.execute(db);
  await sql`alter table access_tokens drop column expires_at`.execute(db);
  await sql`drop table ws_tickets`.execute(db);
  await sql`drop table sessions`.execute(db);
}
