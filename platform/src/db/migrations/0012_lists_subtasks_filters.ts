import { type Kysely, sql } from 'kysely';

/**
 * Lists (projects), subtasks, the user's order of tasks and saved filters (issue 17). Additive: the new task columns are
 * nullable, so every existing task is a top-level task in the Inbox.
 *
 * The task foreign keys are NO ACTION, not CASCADE: the write path moves or deletes a list's tasks
 * and a parent's subtasks itself, one event each, so that reminders, audit and live sync see every
 * change; a delete the database cascaded silently would be a bug, and this refuses it instead.
 * (NO ACTION is checked at the end of the statement, so deleting a user still removes all of its
 * lists and tasks in one cascade.)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table lists (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      name text not null check (char_length(name) between 1 and 100),
      color text check (color ~ '^#[0-9a-f]{6}$'),
      position integer not null check (position >= 0),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // One "Work" per user, whatever its case: a name is how chat and MCP clients refer to a list.
  await sql`create unique index lists_user_name_key on lists (user_id, lower(name))`.execute(db);
  await sql`create index lists_user_position_idx on lists (user_id, position, id)`.execute(db);

  await sql`alter table tasks add column list_id uuid references lists (id)`.execute(db);
  await sql`alter table tasks add column parent_id uuid references tasks (id)`.execute(db);
  // The user's order (drag to reorder): existing tasks keep the order they were created in. The
  // default puts a task written without one (a replica of the release before, during a rolling
  // upgrade) last, as this release's write path does.
  await sql`alter table tasks add column position double precision`.execute(db);
  await sql`update tasks set position = extract(epoch from created_at) * 1000`.execute(db);
  await sql`alter table tasks alter column position set default (extract(epoch from now()) * 1000)`.execute(
    db,
  );
  await sql`alter table tasks alter column position set not null`.execute(db);
  await sql`create index tasks_user_position_idx on tasks (user_id, position, id)`.execute(db);
  await sql`create index tasks_user_list_idx on tasks (user_id, list_id)`.execute(db);
  await sql`create index tasks_parent_idx on tasks (parent_id) where parent_id is not null`.execute(db);

  await sql`
    create table saved_filters (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      name text not null check (char_length(name) between 1 and 100),
      query jsonb not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index saved_filters_user_idx on saved_filters (user_id, created_at, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table saved_filters`.execute(db);
  await sql`alter table tasks drop column position`.execute(db);
  await sql`alter table tasks drop column parent_id`.execute(db);
  await sql`alter table tasks drop column list_id`.execute(db);
  await sql`drop table lists`.execute(db);
}
