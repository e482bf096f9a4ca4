import { type Kysely, sql } from 'kysely';

/**
 * What `POST /api/import` made, by each item's import key (its id in an export document, or a hash
 * of its line in a Todoist CSV), so importing the same file twice creates nothing twice. No foreign
 * key to the item: a task deleted after its import stays imported (importing again does not revive
 * it). Additive: a new table only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table imported_items (
      user_id uuid not null references users (id) on delete cascade,
      import_key text not null check (char_length(import_key) between 1 and 200),
      kind text not null,
      item_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (user_id, import_key)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table imported_items`.execute(db);
}
