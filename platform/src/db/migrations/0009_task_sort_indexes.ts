import { type Kysely, sql } from 'kysely';

/**
 * A page sorted by priority or title read every task of the user and sorted them (a tag filter at
 * 100,000 tasks: 111 ms, parallel seq scan + top-N sort, docs/benchmarks.md). With these the page
 * is read in order from an index, as the due and created sorts already were; either direction
 * (a leading "-") scans the same index backwards.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index tasks_user_priority_idx on tasks (user_id, priority_rank, id)`.execute(db);
  await sql`create index tasks_user_title_idx on tasks (user_id, lower(title), id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index tasks_user_title_idx`.execute(db);
  await sql`drop index tasks_user_priority_idx`.execute(db);
}
