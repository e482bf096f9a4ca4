import {
  FieldError,
  fromWallClock,
  LIMITS,
  localDateOf,
  PRIORITIES,
  type Priority,
  type TaskStatus,
} from '@todo/domain';
import { type CursorField, cursorFields, keysetCursor } from '@todo/platform/http/cursor';
import { type Expression, type SqlBool, sql } from 'kysely';

/** The list filters of `GET /api/tasks`, already validated. */
export interface TaskListQuery {
  q?: string;
  status?: TaskStatus;
  priority?: Priority[];
  tag?: string;
  dueBefore?: Date;
  dueAfter?: Date;
  overdue?: boolean;
  /** A list's id, or 'inbox': the tasks in no list. */
  list?: string;
  /** A task's id: its subtasks; 'none': only top-level tasks. */
  parent?: string;
  view?: TaskView;
  sort: TaskSort;
  limit: number;
  cursor?: string;
}

/**
 * today: open tasks due today or overdue; upcoming: open tasks due from today through the sixth
 * day after it — both by the calendar of the user's zone.
 */
export const TASK_VIEWS = ['today', 'upcoming'] as const;
export type TaskView = (typeof TASK_VIEWS)[number];

/** How many days Upcoming shows, today included. */
export const UPCOMING_DAYS = 7;

/** A day of the user's calendar, as each kind of due date compares with it. */
export interface CalendarDay {
  /** Midnight UTC of the date: what an all-day task's due_at holds. */
  date: Date;
  /** The instant the day starts in the user's zone: what a timed due_at is compared with. */
  start: Date;
}

/** The days of the user's calendar that the views and the overdue filter need. */
export interface UserCalendar {
  timeZone: string;
  today: CalendarDay;
  tomorrow: CalendarDay;
  /** The day after the last day of Upcoming. */
  afterUpcoming: CalendarDay;
}

export function userCalendar(now: Date, timeZone: string): UserCalendar {
  const todayDate = localDateOf(now, timeZone);
  const day = (offset: number): CalendarDay => {
    const date = new Date(todayDate.getTime() + offset * 86_400_000);
    return { date, start: fromWallClock(date, timeZone).instant };
  };
  return { timeZone, today: day(0), tomorrow: day(1), afterUpcoming: day(UPCOMING_DAYS) };
}

export const TASK_SORTS = [
  'due',
  '-due',
  'priority',
  '-priority',
  'created',
  '-created',
  'title',
  '-title',
  'position',
  '-position',
] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

/**
 * How each sort orders rows. `priority` means most important first, the order people want;
 * every other key is ascending; a leading "-" reverses. The id breaks ties, so pages never overlap.
 */
const SORT_KEYS = {
  due: { expr: sql`coalesce(tasks.due_at, 'infinity'::timestamptz)`, ascending: true, kind: 'time' },
  priority: { expr: sql`tasks.priority_rank`, ascending: false, kind: 'number' },
  created: { expr: sql`tasks.created_at`, ascending: true, kind: 'time' },
  title: { expr: sql`lower(tasks.title)`, ascending: true, kind: 'text' },
  position: { expr: sql`tasks.position`, ascending: true, kind: 'float' },
} as const;

export function sortKey(sort: TaskSort) {
  const key = SORT_KEYS[sort.replace('-', '') as keyof typeof SORT_KEYS];
  return { ...key, ascending: sort.startsWith('-') ? !key.ascending : key.ascending };
}

/**
 * What a sort value may be in a cursor, by the kind of its column: a time (or 'infinity', a
 * missing due date) for the date sorts, a rank for priority, a title for title.
 */
const CURSOR_VALUE = {
  time: cursorFields.timeOrInfinity,
  number: cursorFields.integer(0, PRIORITIES.length - 1),
  // Lower-casing can lengthen a title (İ → i̇), so the bound leaves room.
  text: cursorFields.text(4 * LIMITS.title),
  float: cursorFields.finite(-1e15, 1e15),
} as const;

function cursorOf(sort: TaskSort) {
  return keysetCursor(
    [
      cursorFields.literal(sort),
      CURSOR_VALUE[sortKey(sort).kind] as CursorField<string | number>,
      cursorFields.uuid,
    ],
    'is not a cursor of this listing (was the sort changed?)',
  );
}

/** An opaque position: the sort value and id of the last row of the previous page. */
export function encodeCursor(sort: TaskSort, value: string | number, id: string): string {
  return cursorOf(sort).encode(sort, value, id);
}

export function decodeCursor(cursor: string, sort: TaskSort): { value: string | number; id: string } {
  const [, value, id] = cursorOf(sort).decode(cursor);
  return { value, id };
}

/** A full-text query matching word prefixes, so "dent" finds "dentist"; only letters and digits count. */
export function prefixTsQuery(q: string): string | null {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words
    .slice(0, 10)
    .map((word) => `${word}:*`)
    .join(' & ');
}

export const isPriority = (value: string): value is Priority =>
  (PRIORITIES as readonly string[]).includes(value);

/** The filters of `GET /api/tasks` by their wire names, as the REST route and the `list_tasks` tool take them. */
export interface TaskListFilter {
  q?: string;
  status?: TaskStatus;
  /** One priority or several, comma-separated. */
  priority?: string;
  tag?: string;
  /** RFC 3339 date-times. */
  due_before?: string;
  due_after?: string;
  overdue?: boolean;
  list?: string;
  parent?: string;
  view?: TaskView;
  sort?: TaskSort;
  limit?: number;
  cursor?: string;
}

export function toListQuery(filter: TaskListFilter): TaskListQuery {
  return {
    sort: filter.sort ?? 'due',
    limit: filter.limit ?? 50,
    ...(filter.q ? { q: filter.q } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.priority
      ? {
          priority: filter.priority
            .split(',')
            .map((p) => p.trim())
            .filter(isPriority),
        }
      : {}),
    ...(filter.tag ? { tag: filter.tag.replace(/^#/, '').toLowerCase() } : {}),
    ...(filter.due_before ? { dueBefore: instant('due_before', filter.due_before) } : {}),
    ...(filter.due_after ? { dueAfter: instant('due_after', filter.due_after) } : {}),
    ...(filter.overdue === undefined ? {} : { overdue: filter.overdue }),
    ...(filter.list ? { list: idOrWord('list', filter.list, 'inbox') } : {}),
    ...(filter.parent ? { parent: idOrWord('parent', filter.parent, 'none') } : {}),
    ...(filter.view ? { view: filter.view } : {}),
    ...(filter.cursor ? { cursor: filter.cursor } : {}),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A filter that takes an id, or its one word for "none" ('inbox', 'none'). */
function idOrWord(field: string, value: string, word: string): string {
  if (value === word || UUID.test(value)) return value.toLowerCase();
  throw new FieldError(field, `must be an id (a UUID) or "${word}"`);
}

function instant(field: string, value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new FieldError(field, `"${value}" is not an RFC 3339 date-time`);
  return date;
}

export type SqlCondition = Expression<SqlBool>;
