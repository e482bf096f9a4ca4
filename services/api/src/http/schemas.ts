import { LIMITS, PRIORITIES, RECURRENCE_ANCHORS, TASK_STATUSES } from '@todo/domain';
import { PageOf, pagingQuery } from '@todo/platform/http/schemas';
import { Type } from 'typebox';
import { TASK_SORTS } from '../tasks/task-query.js';

/** Route schemas: they validate requests, shape responses and generate the OpenAPI document. */

const stringEnum = <const T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);

export const TaskJson = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    user_id: Type.String({ format: 'uuid' }),
    title: Type.String(),
    description: Type.String(),
    status: stringEnum(TASK_STATUSES),
    priority: stringEnum(PRIORITIES),
    tags: Type.Array(Type.String()),
    due_at: NullableDateTime,
    all_day: Type.Boolean(),
    reminders: Type.Array(Type.String()),
    recurrence: Type.Union([Type.String(), Type.Null()]),
    recurrence_anchor: stringEnum(RECURRENCE_ANCHORS),
    series_id: Type.Union([Type.String(), Type.Null()]),
    occurrence: Type.Integer(),
    created_at: DateTime,
    updated_at: DateTime,
    completed_at: NullableDateTime,
    version: Type.Integer(),
  },
  { $id: 'Task' },
);

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
};

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
  },
  { $id: 'User' },
);
