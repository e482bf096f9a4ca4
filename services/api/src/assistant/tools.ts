/**
 * The assistant's tools: each is a JSON-schema'd input and a function over the TaskService, the
 * same write path as the REST API (validation, events, outbox, audit). The MCP server exposes them
 * to MCP clients, the LLM agent to the model, and the built-in engine executes its commands with them.
 */
import { FieldError, PRIORITIES, RECURRENCE_ANCHORS, TASK_STATUSES, toTaskJson } from '@todo/domain';
import { HttpError, notFound } from '@todo/platform/http/errors';
import * as z from 'zod';
import { TASK_SORTS, toListQuery } from '../tasks/task-query.js';
import type { Actor, TaskService } from '../tasks/task-service.js';

export type TaskJson = ReturnType<typeof toTaskJson>;

const taskId = z.string().describe('The task id (a UUID, as returned by add_task or list_tasks)');

const dueAt = z
  .string()
  .nullable()
  .describe(
    'When the task is due: an RFC 3339 date-time with offset, e.g. "2026-12-04T17:00:00-08:00" ' +
      '(resolve phrases like "tomorrow at 5pm" in the user\'s time zone), or "YYYY-MM-DD" with all_day true; ' +
      'null removes the due date',
  );

const fields = {
  description: z.string().describe('Longer notes'),
  priority: z.enum(PRIORITIES).describe('Defaults to medium'),
  tags: z.array(z.string()).describe('Labels such as "work"; a leading # is dropped'),
  due_at: dueAt,
  all_day: z.boolean().describe('true when the task is due on a date without a time'),
  reminders: z
    .array(z.string())
    .describe(
      'When to remind, as ISO 8601 durations BEFORE due_at: "PT0M" at the due time, "PT30M" 30 minutes before, ' +
        '"PT2H" two hours before, "P1D" one day before. Needs due_at',
    ),
  recurrence: z
    .string()
    .nullable()
    .describe(
      'Repeat rule, an RFC 5545 RRULE without the "RRULE:" prefix: "FREQ=DAILY", "FREQ=WEEKLY;BYDAY=SU", ' +
        '"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "FREQ=MONTHLY;BYMONTHDAY=1", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3", ' +
        '"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" (weekdays). due_at is the first occurrence; null stops repeating',
    ),
  recurrence_anchor: z
    .enum(RECURRENCE_ANCHORS)
    .describe(
      '"due" (default): the next occurrence follows the due date; "completion": it counts from when done',
    ),
};

const AddTaskInput = z.object({
  title: z.string().describe('What to do, short, without the date words'),
  ...z.object(fields).partial().shape,
});
const UpdateTaskInput = z.object({
  task_id: taskId,
  title: z.string().optional().describe('New title'),
  ...z.object(fields).partial().shape,
});
const TaskIdInput = z.object({ task_id: taskId });
const ListTasksInput = z
  .object({
    q: z.string().describe('Words to search in title, description and tags (prefix match)'),
    status: z.enum(TASK_STATUSES).describe('open or completed; both when omitted'),
    priority: z.string().describe('One priority or several comma-separated: "high,urgent"'),
    tag: z.string().describe('Only tasks with this tag'),
    due_before: z.string().describe('RFC 3339 date-time: due strictly before'),
    due_after: z.string().describe('RFC 3339 date-time: due at or after'),
    overdue: z.boolean().describe('true: open tasks whose due time has passed'),
    sort: z.enum(TASK_SORTS).describe('Order: due (default), priority, created, title; "-" reverses'),
    limit: z.number().int().min(1).max(200).describe('At most this many tasks (default 50)'),
    cursor: z.string().max(500).describe('The next_cursor of a previous answer: the tasks after it'),
  })
  .partial();

/** What a tool answers when it fails: the same shape as the REST error body. */
export interface ToolError {
  code: string;
  message: string;
  field?: string;
}

export type ToolOutcome = { ok: true; result: Record<string, unknown> } | { ok: false; error: ToolError };

interface ToolDefinition<Input extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: Input;
  /** Changes nothing: a read-only access token may call it. */
  readOnly?: true;
  run(tasks: TaskService, actor: Actor, input: z.infer<Input>): Promise<Record<string, unknown>>;
}

const tool = <Input extends z.ZodObject>(definition: ToolDefinition<Input>) =>
  definition as unknown as ToolDefinition<z.ZodObject>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that is not even a UUID names no task: 404 like any other unknown id. */
function existing(id: string): string {
  if (!UUID.test(id)) throw notFound('task');
  return id;
}

/**
 * The most the tasks of one `list_tasks` result may weigh as JSON. A page of large tasks (long
 * descriptions, escaped characters) is cut short instead, and its cursor continues after the last
 * task shown: an MCP batch or an LLM turn can ask for many lists, and each answer stays bounded.
 */
export const LIST_RESULT_MAX_BYTES = 128 * 1024;

/** How many of `items`, from the first, fit in `budget` bytes of JSON (at least one). */
function countWithin(items: unknown[], budget: number): number {
  let used = 0;
  for (const [i, item] of items.entries()) {
    used += Buffer.byteLength(JSON.stringify(item));
    if (used > budget) return Math.max(1, i);
  }
  return items.length;
}

export const TOOLS = [
  tool({
    name: 'add_task',
    title: 'Add a task',
    description:
      "Create a task. Give the due time with its offset in the user's zone; reminders and recurrence " +
      'need a due time. Returns the created task.',
    input: AddTaskInput,
    run: async (tasks, actor, input) => ({ task: toTaskJson(await tasks.create(actor, input)) }),
  }),
  tool({
    name: 'list_tasks',
    title: 'List or search tasks',
    description:
      'List the user\'s tasks, filtered and sorted. Use it to answer questions ("what is due this week?") ' +
      'and to find the id of a task before changing it.',
    input: ListTasksInput,
    readOnly: true,
    run: async (tasks, actor, input) => {
      const query = toListQuery(input);
      const page = await tasks.list(actor, query);
      const items = page.items.map(toTaskJson);
      const fitting = countWithin(items, LIST_RESULT_MAX_BYTES);
      if (fitting === items.length) return { items, next_cursor: page.nextCursor };
      // Asked again for fewer, so that the cursor is the listing's own, after the last task shown.
      const shorter = await tasks.list(actor, { ...query, limit: fitting });
      return { items: shorter.items.map(toTaskJson), next_cursor: shorter.nextCursor };
    },
  }),
  tool({
    name: 'update_task',
    title: 'Change a task',
    description:
      'Change some fields of a task (rename, reschedule, re-prioritize, set reminders or a repeat rule); ' +
      'omitted fields stay as they are. Returns the task as changed.',
    input: UpdateTaskInput,
    run: async (tasks, actor, { task_id, ...changes }) => ({
      task: toTaskJson(await tasks.update(actor, existing(task_id), changes)),
    }),
  }),
  tool({
    name: 'complete_task',
    title: 'Mark a task done',
    description: 'Mark a task done. A recurring task then gets its next occurrence.',
    input: TaskIdInput,
    run: async (tasks, actor, { task_id }) => ({
      task: toTaskJson(await tasks.complete(actor, existing(task_id))),
    }),
  }),
  tool({
    name: 'reopen_task',
    title: 'Reopen a task',
    description: 'Mark a completed task open again (undo a completion).',
    input: TaskIdInput,
    run: async (tasks, actor, { task_id }) => ({
      task: toTaskJson(await tasks.reopen(actor, existing(task_id))),
    }),
  }),
  tool({
    name: 'delete_task',
    title: 'Delete a task',
    description: 'Delete a task for good. Returns the deleted task.',
    input: TaskIdInput,
    run: async (tasks, actor, { task_id }) => {
      const before = await tasks.get(actor, existing(task_id));
      await tasks.remove(actor, before.id);
      return { deleted: toTaskJson(before) };
    },
  }),
];

function toolNamed(name: string) {
  return TOOLS.find((definition) => definition.name === name);
}

/**
 * Validates `input` against the tool's schema and runs it. Domain errors (a bad field, an unknown
 * task) come back as a ToolError naming the field, so a caller can show them; anything else is a bug
 * and is thrown.
 */
export async function runTool(
  tasks: TaskService,
  actor: Actor,
  name: string,
  input: unknown,
): Promise<ToolOutcome> {
  const definition = toolNamed(name);
  if (!definition) return { ok: false, error: { code: 'unknown_tool', message: `no tool named ${name}` } };
  const parsed = definition.input.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: fromZod(parsed.error) };
  try {
    return { ok: true, result: await definition.run(tasks, actor, parsed.data) };
  } catch (error) {
    const toolError = asToolError(error);
    if (!toolError) throw error;
    return { ok: false, error: toolError };
  }
}

function fromZod(error: z.ZodError): ToolError {
  const issue = error.issues[0];
  const field = issue?.path.join('.') || undefined;
  return {
    code: 'invalid_input',
    message: field ? `${field}: ${issue?.message}` : (issue?.message ?? 'invalid input'),
    ...(field ? { field } : {}),
  };
}

function asToolError(error: unknown): ToolError | null {
  if (error instanceof FieldError) return { code: error.code, message: error.message, field: error.field };
  if (error instanceof HttpError) {
    return { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) };
  }
  return null;
}
