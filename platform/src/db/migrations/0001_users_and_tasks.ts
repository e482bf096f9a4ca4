import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table users (
      id uuid primary key,
      email text not null,
      password_hash text not null,
      timezone text not null default 'UTC',
      email_notifications boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // Addresses are compared case-insensitively: "Ann@x.io" and "ann@x.io" are one account.
  await sql`create unique index users_email_key on users (lower(email))`.execute(db);

  // array_to_string is only STABLE, which a generated column refuses; joining text with a space is
  // immutable in fact, so a wrapper declares it.
  await sql`
    create function tags_to_text(tags text[]) returns text
    language sql immutable parallel safe as $$ select array_to_string(tags, ' ') $$`.execute(db);
  await sql`
    create table tasks (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      title text not null check (char_length(title) between 1 and 500),
      description text not null default '' check (char_length(description) <= 10000),
      status text not null default 'open' check (status in ('open', 'completed')),
      priority text not null default 'medium' check (priority in ('low', 'medium', 'high', 'urgent')),
      priority_rank smallint generated always as (
        case priority when 'low' then 0 when 'medium' then 1 when 'high' then 2 else 3 end
      ) stored,
      tags text[] not null default '{}',
      due_at timestamptz,
      all_day boolean not null default false,
      reminders text[] not null default '{}',
      recurrence text,
      recurrence_anchor text not null default 'due' check (recurrence_anchor in ('due', 'completion')),
      series_id uuid,
      occurrence integer not null default 1 check (occurrence >= 1),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      completed_at timestamptz,
      version integer not null default 1,
      search tsvector generated always as (
        to_tsvector('simple', title || ' ' || description || ' ' || tags_to_text(tags))
      ) stored
    )`.execute(db);
  // One row per occurrence of a series: the rule that makes "next occurrence exactly once" hold
  // even when two consumers race past the event-id check.
  await sql`create unique index tasks_series_occurrence_key on tasks (series_id, occurrence)`.execute(db);
  await sql`create index tasks_user_due_idx on tasks (user_id, (coalesce(due_at, 'infinity')), id)`.execute(
    db,
  );
  await sql`create index tasks_user_created_idx on tasks (user_id, created_at, id)`.execute(db);
  await sql`create index tasks_search_idx on tasks using gin (search)`.execute(db);
  await sql`create index tasks_tags_idx on tasks using gin (tags)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table tasks`.execute(db);
  await sql`drop function tags_to_text`.execute(db);
  await sql`drop table users`.execute(db);
}
