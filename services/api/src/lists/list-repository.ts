import type { Database } from '@todo/platform/db/schema';
import { type Kysely, type Selectable, sql } from 'kysely';

type Executor = Kysely<Database>;

/** A list as the API and events carry it (the contract's TaskListSnapshot, times as Dates). */
export type ListRecord = Selectable<Database['lists']>;

const COLUMNS = ['id', 'user_id', 'name', 'color', 'position', 'created_at', 'updated_at'] as const;

/** The user's lists in sidebar order. */
export function listLists(db: Executor, userId: string): Promise<ListRecord[]> {
  return db
    .selectFrom('lists')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

/** Null when the list does not exist or is someone else's: callers answer the same for both. */
export async function findList(
  db: Executor,
  userId: string,
  id: string,
  forUpdate = false,
): Promise<ListRecord | null> {
  let query = db.selectFrom('lists').select(COLUMNS).where('id', '=', id).where('user_id', '=', userId);
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

/** The user's list of that name, compared as the unique index does (case-insensitively). */
export async function findListNamed(db: Executor, userId: string, name: string): Promise<ListRecord | null> {
  const row = await db
    .selectFrom('lists')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .executeTakeFirst();
  return row ?? null;
}

/** How many lists the user has: a new one goes last, and there is a ceiling. */
export async function countLists(db: Executor, userId: string): Promise<number> {
  const { count } = await db
    .selectFrom('lists')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return count;
}

export async function insertList(db: Executor, list: ListRecord): Promise<ListRecord> {
  return db.insertInto('lists').values(list).returning(COLUMNS).executeTakeFirstOrThrow();
}

export async function updateList(db: Executor, list: ListRecord): Promise<ListRecord> {
  const { id, user_id, created_at, ...changes } = list;
  return db
    .updateTable('lists')
    .set(changes)
    .where('id', '=', id)
    .where('user_id', '=', user_id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function deleteList(db: Executor, userId: string, id: string): Promise<void> {
  await db.deleteFrom('lists').where('id', '=', id).where('user_id', '=', userId).execute();
}

/** Open top-level tasks per list (the sidebar's counts); lists without any are absent. */
export async function openTaskCounts(db: Executor, userId: string): Promise<Map<string | null, number>> {
  const rows = await db
    .selectFrom('tasks')
    .select(['list_id', sql<number>`count(*)::int`.as('count')])
    .where('user_id', '=', userId)
    .where('status', '=', 'open')
    .where('parent_id', 'is', null)
    .groupBy('list_id')
    .execute();
  return new Map(rows.map((row) => [row.list_id, row.count]));
}
