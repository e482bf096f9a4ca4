/**
 * The task: one definition, the contract's JSON Schema (contracts/schemas/task.schema.json), whose
 * generated type TaskSnapshot is the wire form. Everything else is derived from it here: the
 * domain's Task (camelCase, times as Dates), the row of the `tasks` table (TaskRecord: the wire's
 * names, times as Dates) and the client's input (TaskInput, fields.ts).
 */
import type { TaskSnapshot } from '@todo/contracts';

export const TASK_STATUSES = ['open', 'completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const RECURRENCE_ANCHORS = ['due', 'completion'] as const;
export type RecurrenceAnchor = (typeof RECURRENCE_ANCHORS)[number];

export type TaskField = keyof TaskSnapshot;

/** An array of T's keys that the compiler refuses unless it names every one. */
const everyKeyOf =
  <T>() =>
  <const Keys extends readonly (keyof T)[]>(
    keys: Keys &
      ([Exclude<keyof T, Keys[number]>] extends [never]
        ? unknown
        : { missing: Exclude<keyof T, Keys[number]> }),
  ): Keys =>
    keys;

/** The fields a client sets; the write path keeps the others (ids, status, series, times, version). */
export const TASK_INPUT_FIELDS = [
  'title',
  'description',
  'priority',
  'tags',
  'due_at',
  'all_day',
  'reminders',
  'recurrence',
  'recurrence_anchor',
  'list_id',
  'parent_id',
  'position',
] as const satisfies readonly TaskField[];
export type TaskInputField = (typeof TASK_INPUT_FIELDS)[number];

/** Every field of the contract's task (the order of a task's JSON). */
export const TASK_FIELDS = everyKeyOf<TaskSnapshot>()([
  'id',
  'user_id',
  ...TASK_INPUT_FIELDS,
  'status',
  'series_id',
  'occurrence',
  'created_at',
  'updated_at',
  'completed_at',
  'version',
]);

/** The fields that are RFC 3339 text on the wire and Dates in the domain and the database. */
export const TASK_TIME_FIELDS = [
  'due_at',
  'created_at',
  'updated_at',
  'completed_at',
] as const satisfies readonly TaskField[];
type TimeField = (typeof TASK_TIME_FIELDS)[number];

/** "due_at" → "dueAt", in types. */
type Camel<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

/**
 * A wire field's value with a time as a Date (nullable where the wire's is). A field added after
 * 1.0 is optional on the wire and null when absent, so the domain and the table always have it.
 */
type Valued<K extends TaskField> = K extends TimeField
  ? null extends TaskSnapshot[K]
    ? Date | null
    : Date
  : Exclude<TaskSnapshot[K], undefined>;

/** A task as a row of the `tasks` table holds it: the wire's names, times as Dates. */
export type TaskRecord = { [K in TaskField]: Valued<K> };

/**
 * The task as the domain sees it. An all-day task's `dueAt` is midnight UTC of its due calendar
 * date; the field meanings are the schema's descriptions.
 */
export type Task = { [K in TaskField as Camel<K>]: Valued<K> };

/** The domain name of each wire field ("due_at" → "dueAt"). */
export const DOMAIN_NAME = Object.fromEntries(
  TASK_FIELDS.map((field) => [
    field,
    field.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()),
  ]),
) as { [K in TaskField]: Camel<K> };
