import {
  firstLocalDateFrom,
  fromTaskRecord,
  TASK_FIELDS,
  TASK_TIME_FIELDS,
  type Task,
  toTaskRecord,
} from '@todo/domain';
import type { Database } from '@todo/platform/db/schema';
import { pageOf } from '@todo/platform/http/cursor';
import { type Kysely, type Selectable, sql } from 'kysely';
import {
  decodeCursor,
  encodeCursor,
  prefixTsQuery,
  sortKey,
  type TaskListQuery,
  type UserCalendar,
} from './task-query.js';

type Executor = Kysely<Database>;
type TaskRow = Omit<Selectable<Database['tasks']>, 'search'>;

const COLUMNS = [...TASK_FIELDS, 'priority_rank'] as const;

export const toTask = (row: TaskRow): Task => fromTaskRecord(row);
const toRow = toTaskRecord;

export async function insertTask(db: Executor, task: Task): Promise<Task> {
  const row = await db.insertInto('tasks').values(toRow(task)).returning(COLUMNS).executeTakeFirstOrThrow();
  return toTask(row);
}

/** Null when the task does not exist or belongs to someone else: callers answer 404 for both. */
export async function findTask(
  db: Executor,
  userId: string,
  id: string,
  forUpdate = false,
): Promise<Task | null> {
  let query = db.selectFrom('tasks').select(COLUMNS).where('id', '=', id).where('user_id', '=', userId);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toTask(row) : null;
}

/** Writes `task` if the stored version is still `expectedVersion`; null when someone else won. */
export async function updateTask(db: Executor, task: Task, expectedVersion: number): Promise<Task | null> {
  const { id, user_id, created_at, ...changes } = toRow(task);
  const row = await db
    .updateTable('tasks')
    .set(changes)
    .where('id', '=', id)
    .where('user_id', '=', user_id)
    .where('version', '=', expectedVersion)
    .returning(COLUMNS)
    .executeTakeFirst();
  return row ? toTask(row) : null;
}

/** The occurrence of a series that came right after `occurrence` (the one completing it made). */
export async function findFollowingOccurrence(
  db: Executor,
  userId: string,
  seriesId: string,
  occurrence: number,
): Promise<Task | null> {
  const row = await db
    .selectFrom('tasks')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .where('series_id', '=', seriesId)
    .where('occurrence', '>', occurrence)
    .orderBy('occurrence')
    .limit(1)
    .executeTakeFirst();
  return row ? toTask(row) : null;
}

/** PostgreSQL's unique_violation, as both pg and PGlite report it. */
export const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';

export async function deleteTask(db: Executor, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .deleteFrom('tasks')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** The rows of `query`'s filters (all but the cursor, the sort and the limit). */
function filtered(db: Executor, userId: string, query: TaskListQuery, calendar: UserCalendar) {
  let select = db.selectFrom('tasks').where('user_id', '=', userId);
  if (query.status) select = select.where('status', '=', query.status);
  if (query.priority?.length) select = select.where('priority', 'in', query.priority);
  if (query.tag) select = select.where(sql<boolean>`tags @> array[${query.tag}]::text[]`);
  // An all-day task's due is midnight UTC of its date: it is compared by that date in the user's
  // zone, so west of UTC "today" holds today's all-day tasks and not tomorrow's.
  if (query.dueBefore) {
    const before = query.dueBefore;
    const allDayBefore = firstLocalDateFrom(before, calendar.timeZone);
    select = select.where(
      sql<boolean>`((not all_day and due_at < ${before}) or (all_day and due_at < ${allDayBefore}))`,
    );
  }
  if (query.dueAfter) {
    const after = query.dueAfter;
    const allDayAfter = firstLocalDateFrom(after, calendar.timeZone);
    select = select.where(
      sql<boolean>`((not all_day and due_at >= ${after}) or (all_day and due_at >= ${allDayAfter}))`,
    );
  }
  if (query.overdue !== undefined) {
    // An all-day task is overdue once its date is past in the user's zone; a timed one once its instant is.
    const overdue = sql<boolean>`(status = 'open' and due_at is not null and
      ((not all_day and due_at < now()) or (all_day and due_at < ${calendar.today.date})))`;
    select = select.where(query.overdue ? overdue : sql<boolean>`not ${overdue}`);
  }
  if (query.list) {
    select =
      query.list === 'inbox' ? select.where('list_id', 'is', null) : select.where('list_id', '=', query.list);
  }
  if (query.parent) {
    select =
      query.parent === 'none'
        ? select.where('parent_id', 'is', null)
        : select.where('parent_id', '=', query.parent);
  }
  if (query.view) {
    // Today: due before tomorrow (the overdue included); Upcoming: from today to its last day.
    const from = query.view === 'upcoming' ? calendar.today : null;
    const until = query.view === 'upcoming' ? calendar.afterUpcoming : calendar.tomorrow;
    const within = (bound: 'start' | 'date') =>
      from ? sql`due_at >= ${from[bound]} and due_at < ${until[bound]}` : sql`due_at < ${until[bound]}`;
    select = select.where(sql<boolean>`(status = 'open' and due_at is not null and
      ((not all_day and ${within('start')}) or (all_day and ${within('date')})))`);
  }
  const tsQuery = query.q ? prefixTsQuery(query.q) : null;
  if (tsQuery) select = select.where(sql<boolean>`search @@ to_tsquery('simple', ${tsQuery})`);
  return select;
}

/** How many of the user's tasks `query`'s filters match. */
export async function countTasks(
  db: Executor,
  userId: string,
  query: TaskListQuery,
  calendar: UserCalendar,
): Promise<number> {
  const { count } = await filtered(db, userId, query, calendar)
    .select(sql<number>`count(*)::int`.as('count'))
    .executeTakeFirstOrThrow();
  return count;
}

/**
 * One page of a user's tasks. Keyset pagination on (sort value, id): stable under concurrent
 * inserts, and as fast on page 100 as on page 1.
 */
export async function listTasks(
  db: Executor,
  userId: string,
  query: TaskListQuery,
  calendar: UserCalendar,
): Promise<{ items: Task[]; nextCursor: string | null }> {
  const key = sortKey(query.sort);
  let select = filtered(db, userId, query, calendar).select(COLUMNS).select(key.expr.as('sort_value'));

  if (query.cursor) {
    const { value, id } = decodeCursor(query.cursor, query.sort);
    const cursorValue = key.kind === 'time' ? sql`${value}::timestamptz` : sql`${value}`;
    select = select.where(
      key.ascending
        ? sql<boolean>`(${key.expr}, tasks.id) > (${cursorValue}, ${id}::uuid)`
        : sql<boolean>`(${key.expr}, tasks.id) < (${cursorValue}, ${id}::uuid)`,
    );
  }
  const direction = key.ascending ? sql`asc` : sql`desc`;
  const ordered = select
    .orderBy(sql`${key.expr} ${direction}`)
    .orderBy(sql`tasks.id ${direction}`)
    .limit(query.limit + 1);
  // The page comes back as one JSON value: on PGlite, decoding twenty fields per row one by one
  // cost more than running the query.
  const { rows } = await db
    .selectFrom(ordered.as('page'))
    .select(
      sql<
        JsonTaskRow[]
      >`coalesce(json_agg(page order by page.sort_value ${direction}, page.id ${direction}), '[]')`.as(
        'rows',
      ),
    )
    .executeTakeFirstOrThrow();

  const page = pageOf(rows, query.limit, (last) =>
    encodeCursor(query.sort, cursorValueOf(last.sort_value, key.kind), last.id),
  );
  return { items: page.items.map((row) => toTask(fromJsonRow(row))), nextCursor: page.nextCursor };
}

type TimeColumn = (typeof TASK_TIME_FIELDS)[number];

/** A task row as `json_agg` renders it: times are text. */
type JsonTaskRow = Omit<TaskRow, TimeColumn> & { [K in TimeColumn]: string | null } & {
  sort_value: string | number;
};

function fromJsonRow(row: JsonTaskRow): TaskRow {
  const times = TASK_TIME_FIELDS.map((column) => {
    const value = row[column];
    return [column, value === null ? null : new Date(value)];
  });
  return { ...row, ...Object.fromEntries(times) } as TaskRow;
}

/**
 * A time sort value arrives as JSON text in the session's offset; the cursor holds it as UTC.
 * 'infinity' (no due date) stays as it is.
 */
function cursorValueOf(value: string | number, kind: 'time' | 'number' | 'text' | 'float'): string | number {
  return kind === 'time' && value !== 'infinity' ? new Date(value).toISOString() : value;
}

/** The user's tags with how many tasks carry each, for suggestions. */
export async function tagCounts(db: Executor, userId: string): Promise<{ tag: string; count: number }[]> {
  const result = await sql<{ tag: string; count: number }>`
    select tag, count(*)::int as count
    from tasks, unnest(tags) as tag
    where user_id = ${userId}
    group by tag order by count desc, tag asc limit 200`.execute(db);
  return result.rows;
}

/** Open and completed subtasks of each of `parentIds` that has any (for a parent's "2/5"). */
export async function subtaskCounts(
  db: Executor,
  userId: string,
  parentIds: string[],
): Promise<Map<string, { total: number; completed: number }>> {
  if (parentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('tasks')
    .select([
      'parent_id',
      sql<number>`count(*)::int`.as('total'),
      sql<number>`(count(*) filter (where status = 'completed'))::int`.as('completed'),
    ])
    .where('user_id', '=', userId)
    .where('parent_id', 'in', parentIds)
    .groupBy('parent_id')
    .execute();
  return new Map(
    rows.map((row) => [row.parent_id as string, { total: row.total, completed: row.completed }]),
  );
}

/** A parent's subtasks, oldest first, locked for the write that changes them with their parent. */
export async function findSubtasks(db: Executor, userId: string, parentId: string): Promise<Task[]> {
  const rows = await db
    .selectFrom('tasks')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .where('parent_id', '=', parentId)
    .orderBy('created_at')
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map(toTask);
}

/** The user's tasks in a list (all of them, subtasks included), locked for moving or deleting them. */
export async function findTasksInList(db: Executor, userId: string, listId: string): Promise<Task[]> {
  const rows = await db
    .selectFrom('tasks')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .where('list_id', '=', listId)
    // Subtasks first, so deleting them before their parents never trips the parent foreign key.
    .orderBy(sql`parent_id is null`)
    .orderBy('created_at')
    .forUpdate()
    .execute();
  return rows.map(toTask);
}

/** All of the user's tasks, top-level ones first, each in the user's order (an export). */
export async function findAllTasks(db: Executor, userId: string): Promise<Task[]> {
  const rows = await db
    .selectFrom('tasks')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .orderBy(sql`parent_id is not null`)
    .orderBy('position')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toTask);
}

/** Which of `ids` are tasks of the user's (one query per thousand). */
export async function findOwnTaskIds(db: Executor, userId: string, ids: string[]): Promise<Set<string>> {
  const own = new Set<string>();
  for (let at = 0; at < ids.length; at += 1000) {
    const rows = await db
      .selectFrom('tasks')
      .select('id')
      .where('user_id', '=', userId)
      .where('id', 'in', ids.slice(at, at + 1000))
      .execute();
    for (const row of rows) own.add(row.id);
  }
  return own;
}
