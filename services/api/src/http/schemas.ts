import { contractSchema, type TaskListSnapshot, type TaskSnapshot } from '@todo/contracts';
import { LIMITS, PRIORITIES, RECURRENCE_ANCHORS, TASK_STATUSES, type TaskInputField } from '@todo/domain';
import { PageOf, pagingQuery } from '@todo/platform/http/schemas';
import { type TSchema, Type } from 'typebox';
import { LIST_LIMITS } from '../lists/list-service.js';
import { TASK_SORTS, TASK_VIEWS } from '../tasks/task-query.js';

/** Route schemas: they validate requests, shape responses and generate the OpenAPI document. */

const stringEnum = <const T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

const DateTime = Type.String({ format: 'date-time' });

/** A contract schema as a route schema: under the short id routes refer to it by. */
function resourceSchema(file: 'task.schema.json' | 'list.schema.json', id: string) {
  const { $schema, $id, title, ...schema } = contractSchema(file);
  return { ...schema, $id: id } as { $id: string; properties: Record<string, unknown> };
}

const taskSchema = resourceSchema('task.schema.json', 'Task');

/** A parent's progress: how many subtasks it has, and how many of them are done. */
export interface SubtaskProgress {
  total: number;
  completed: number;
}

/**
 * The task resource: the contract's schema (what events carry), under the id routes refer to,
 * plus what a read computes and events do not carry: a parent's subtask progress.
 */
export const TaskJson = Type.Unsafe<TaskSnapshot & { subtasks?: SubtaskProgress }>({
  ...taskSchema,
  properties: {
    ...taskSchema.properties,
    subtasks: {
      type: 'object',
      description: 'Only on a task that has subtasks: how many, and how many are completed ("2/5")',
      required: ['total', 'completed'],
      properties: { total: { type: 'integer' }, completed: { type: 'integer' } },
    },
  },
});

const Uuid = Type.String({ format: 'uuid' });

// What a client may send for each settable field; the compiler refuses a field of TaskInput left out.
export const taskInputProperties = {
  title: Type.String({ minLength: 1, maxLength: LIMITS.title }),
  description: Type.String({ maxLength: LIMITS.description }),
  priority: stringEnum(PRIORITIES),
  tags: Type.Array(Type.String({ maxLength: LIMITS.tag + 1 }), {
    maxItems: LIMITS.tags,
    description: 'Case-insensitive labels; a leading # is dropped',
  }),
  due_at: Type.Union(
    [
      Type.String({
        maxLength: 40,
        description: 'RFC 3339 date-time with offset, or YYYY-MM-DD when all_day',
      }),
      Type.Null(),
    ],
    {},
  ),
  all_day: Type.Boolean(),
  reminders: Type.Array(Type.String({ maxLength: 40 }), {
    maxItems: LIMITS.reminders,
    description: 'ISO 8601 durations before due_at, e.g. "PT30M", "P1D"',
  }),
  recurrence: Type.Union([Type.String({ maxLength: 500 }), Type.Null()], {
    description: 'RFC 5545 RRULE, e.g. "FREQ=WEEKLY;BYDAY=MO,TH"',
  }),
  recurrence_anchor: stringEnum(RECURRENCE_ANCHORS, 'Repeat from the due date or from the completion date'),
  list_id: Type.Union([Uuid, Type.Null()], {
    description: 'A list of yours (GET /api/lists); null is the Inbox',
  }),
  parent_id: Type.Union([Uuid, Type.Null()], {
    description:
      "Makes the task a subtask of a top-level task of yours (one level); it joins the parent's list",
  }),
  position: Type.Number({
    minimum: -1e15,
    maximum: 1e15,
    description:
      'Your order of tasks (sort=position), e.g. halfway between two neighbours; a new task goes last',
  }),
} satisfies Record<TaskInputField, TSchema>;

export const TaskCreateBody = Type.Object(
  {
    ...Type.Partial(Type.Object(taskInputProperties)).properties,
    title: taskInputProperties.title,
  },
  { additionalProperties: false },
);

export const TaskPatchBody = Type.Partial(Type.Object(taskInputProperties), { additionalProperties: false });

/** The filters of a task listing: the query string of `GET /api/tasks`, and what a saved filter holds. */
const taskFilterProperties = {
  q: Type.Optional(
    Type.String({ maxLength: 200, description: 'Full-text search on title, description, tags' }),
  ),
  status: Type.Optional(stringEnum(TASK_STATUSES)),
  priority: Type.Optional(
    Type.String({
      pattern: `^(${PRIORITIES.join('|')})(,(${PRIORITIES.join('|')}))*$`,
      description: 'One or more, comma-separated',
    }),
  ),
  tag: Type.Optional(Type.String({ maxLength: 51 })),
  due_before: Type.Optional(DateTime),
  due_after: Type.Optional(DateTime),
  overdue: Type.Optional(Type.Boolean()),
  list: Type.Optional(
    Type.String({ maxLength: 36, description: 'A list id, or "inbox" for the tasks in no list' }),
  ),
  parent: Type.Optional(
    Type.String({ maxLength: 36, description: 'A task id: its subtasks; "none": top-level tasks only' }),
  ),
  view: Type.Optional(
    stringEnum(
      TASK_VIEWS,
      'today: open, due today or overdue; upcoming: open, due in the next 7 days (today included), in your zone',
    ),
  ),
  sort: Type.Optional(
    stringEnum(
      TASK_SORTS,
      'due, created, title and position (your order) ascend; priority lists the most important first; "-" reverses',
    ),
  ),
};

export const TaskFilterQuery = Type.Object(taskFilterProperties, { additionalProperties: false });

export const TaskListQuerystring = Type.Object(
  { ...taskFilterProperties, ...pagingQuery },
  { additionalProperties: false },
);

export const CompleteQuerystring = Type.Object(
  {
    subtasks: Type.Optional(
      stringEnum(
        ['complete', 'keep'],
        'Needed when the task has open subtasks: complete them with it, or leave them open',
      ),
    ),
  },
  { additionalProperties: false },
);

export const TaskPage = PageOf(Type.Ref('Task'));

export const TaskIdParams = Type.Object({ id: Uuid });

const ListColor = Type.Union([
  Type.String({ maxLength: 7, description: 'A hex colour, e.g. #3b82f6' }),
  Type.Null(),
]);
const listInputProperties = {
  name: Type.String({ minLength: 1, maxLength: LIST_LIMITS.name + 1 }),
  color: ListColor,
  position: Type.Integer({
    minimum: 0,
    maximum: LIST_LIMITS.position,
    description: 'Sidebar order, ascending',
  }),
};

export const ListCreateBody = Type.Object(
  { ...Type.Partial(Type.Object(listInputProperties)).properties, name: listInputProperties.name },
  { additionalProperties: false },
);
export const ListPatchBody = Type.Partial(Type.Object(listInputProperties), { additionalProperties: false });

export const ListJson = Type.Unsafe<TaskListSnapshot>(resourceSchema('list.schema.json', 'List'));

export const ListDeleteQuerystring = Type.Object(
  {
    tasks: Type.Optional(
      stringEnum(
        ['move', 'delete'],
        'Needed when the list has tasks: move them to the Inbox, or delete them',
      ),
    ),
  },
  { additionalProperties: false },
);

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({ pattern: '^(W/)?"?[0-9]{1,9}"?$', description: 'The task version the edit is based on' }),
  ),
});

export const UserJson = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    timezone: Type.String(),
    email_notifications: Type.Boolean(),
    email_verified: Type.Boolean({
      description:
        'You opened the link of a verification e-mail (POST /api/me/verify-email); reminder e-mails go only to a verified address',
    }),
  },
  { $id: 'User' },
);
