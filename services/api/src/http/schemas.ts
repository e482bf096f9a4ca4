import { contractSchema, type TaskSnapshot } from '@todo/contracts';
import { LIMITS, PRIORITIES, RECURRENCE_ANCHORS, TASK_STATUSES, type TaskInputField } from '@todo/domain';
import { PageOf, pagingQuery } from '@todo/platform/http/schemas';
import { type TSchema, Type } from 'typebox';
import { TASK_SORTS } from '../tasks/task-query.js';

/** Route schemas: they validate requests, shape responses and generate the OpenAPI document. */

const stringEnum = <const T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

const DateTime = Type.String({ format: 'date-time' });

const { $schema, $id, title, ...taskSchema } = contractSchema('task.schema.json');

/** The task resource: the contract's schema itself (what events carry), under the id routes refer to. */
export const TaskJson = Type.Unsafe<TaskSnapshot>({ ...taskSchema, $id: 'Task' });

// What a client may send for each settable field; the compiler refuses a field of TaskInput left out.
const taskInputProperties = {
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
} satisfies Record<TaskInputField, TSchema>;

export const TaskCreateBody = Type.Object(
  {
    ...Type.Partial(Type.Object(taskInputProperties)).properties,
    title: taskInputProperties.title,
  },
  { additionalProperties: false },
);

export const TaskPatchBody = Type.Partial(Type.Object(taskInputProperties), { additionalProperties: false });

export const TaskListQuerystring = Type.Object(
  {
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
    sort: Type.Optional(
      stringEnum(
        TASK_SORTS,
        'due, created and title ascend; priority lists the most important first; "-" reverses',
      ),
    ),
    ...pagingQuery,
  },
  { additionalProperties: false },
);

export const TaskPage = PageOf(Type.Ref('Task'));

export const TaskIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

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
