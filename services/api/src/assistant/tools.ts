/**
 * The assistant's tools: each is a JSON-schema'd input and a function over the TaskService, the
 * same write path as the REST API (validation, events, outbox, audit), answering in domain tasks.
 * A ToolExecutor runs them for one caller: the MCP server for MCP clients, the LLM agent for the
 * model, the built-in engine for its commands — each call recorded as an action of the turn.
 */
import {
  DomainError,
  NotFoundError,
  PRIORITIES,
  RECURRENCE_ANCHORS,
  TASK_STATUSES,
  type Task,
  type TaskInput,
  type TaskInputField,
  toTaskJson,
} from '@todo/domain';
import * as z from 'zod';
import type { ListRecord } from '../lists/list-repository.js';
import { ListService, toListJson } from '../lists/list-service.js';
import { TASK_SORTS, TASK_VIEWS, toListQuery } from '../tasks/task-query.js';
import { type Actor, type Revision, SUBTASK_CHOICES, type TaskService } from '../tasks/task-service.js';
import type { ChatAction } from './conversations.js';

const taskId = z.string().describe('The task id (a UUID, as returned by add_task or list_tasks)');

const dueAt = z
  .string()
  .nullable()
  .describe(
    'When the task is due: an RFC 3339 date-time with offset, e.g. "2026-12-04T17:00:00-08:00" ' +
      '(resolve phrases like "tomorrow at 5pm" in the user\'s time zone), or "YYYY-MM-DD" with all_day true; ' +
      'null removes the due date',
  );

const list = z
  .string()
  .max(100)
  .nullable()
  .describe('The list, by its name (e.g. "Shopping") or id; "inbox" or null: the Inbox (no list)');

// Every settable field, described for a model; the compiler refuses a field of TaskInput left out
// (the list is named by `list`, which the tools resolve to its id).
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
  parent_id: z
    .string()
    .nullable()
    .describe(
      "Makes it a subtask of this top-level task (its id); it joins the parent's list. null: top-level",
    ),
  position: z.number().describe('Order among the tasks (sort=position), ascending; new tasks go last'),
} satisfies Record<Exclude<TaskInputField, 'title' | 'list_id'>, z.ZodType>;

const AddTaskInput = z.object({
  title: z.string().describe('What to do, short, without the date words'),
  ...z.object({ ...fields, list }).partial().shape,
});
const UpdateTaskInput = z.object({
  task_id: taskId,
  title: z.string().optional().describe('New title'),
  ...z.object({ ...fields, list }).partial().shape,
});
const TaskIdInput = z.object({ task_id: taskId });
const CompleteTaskInput = z.object({
  task_id: taskId,
  subtasks: z
    .enum(SUBTASK_CHOICES)
    .optional()
    .describe('Needed when the task has open subtasks: "complete" them too, or "keep" them open'),
});
const CreateListInput = z.object({
  name: z.string().describe('The list\'s name, e.g. "Work"'),
  color: z.string().nullable().optional().describe('A hex colour such as "#3b82f6"'),
});
const ListTasksInput = z
  .object({
    q: z.string().describe('Words to search in title, description and tags (prefix match)'),
    status: z.enum(TASK_STATUSES).describe('open or completed; both when omitted'),
    priority: z.string().describe('One priority or several comma-separated: "high,urgent"'),
    tag: z.string().describe('Only tasks with this tag'),
    due_before: z.string().describe('RFC 3339 date-time: due strictly before'),
    due_after: z.string().describe('RFC 3339 date-time: due at or after'),
    overdue: z.boolean().describe('true: open tasks whose due time has passed'),
    list: z.string().max(100).describe('Only the tasks of this list (name or id); "inbox": those in no list'),
    parent: z.string().describe('A task id: only its subtasks; "none": only top-level tasks'),
    view: z
      .enum(TASK_VIEWS)
      .describe('"today": open and due today or overdue; "upcoming": open and due in the next 7 days'),
    sort: z
      .enum(TASK_SORTS)
      .describe('Order: due (default), priority, created, title, position (the user\'s order); "-" reverses'),
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

export type ToolOutcome<Result> = { ok: true; result: Result } | { ok: false; error: ToolError };

/** What each tool answers, in domain tasks; `json` renders it for MCP clients, the model and the turn's actions. */
export interface ToolResults {
  add_task: { task: Task };
  list_tasks: { items: Task[]; nextCursor: string | null };
  update_task: Revision;
  complete_task: Revision;
  reopen_task: Revision;
  delete_task: { deleted: Task };
  list_lists: { lists: ListRecord[] };
  create_list: { list: ListRecord };
}
export type ToolName = keyof ToolResults;

/** A tool with its input schema; `execute` validates untrusted input against it before running. */
interface Tool<Result> {
  name: ToolName;
  title: string;
  description: string;
  input: z.ZodObject;
  /** Changes nothing: a read-only access token may call it. */
  readOnly?: true;
  execute(tasks: TaskService, actor: Actor, input: unknown): Promise<ToolOutcome<Result>>;
  json(result: Result): Record<string, unknown>;
}

function tool<Input extends z.ZodObject, Result>(definition: {
  name: ToolName;
  title: string;
  description: string;
  input: Input;
  /** Changes nothing: a read-only access token may call it. */
  readOnly?: true;
  run(tasks: TaskService, actor: Actor, input: z.infer<Input>): Promise<Result>;
  json(result: Result): Record<string, unknown>;
}): Tool<Result> {
  const { run, ...described } = definition;
  return {
    ...described,
    async execute(tasks, actor, input) {
      const parsed = definition.input.safeParse(input ?? {});
      if (!parsed.success) return { ok: false, error: fromZod(parsed.error) };
      return answered(() => run(tasks, actor, parsed.data));
    },
  };
}

/**
 * Domain errors (a bad field, an unknown task) come back as a ToolError naming the field, so a
 * caller can show them; anything else is a bug and is thrown.
 */
async function answered<Result>(run: () => Promise<Result>): Promise<ToolOutcome<Result>> {
  try {
    return { ok: true, result: await run() };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return {
      ok: false,
      error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
    };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that is not even a UUID names no task: 404 like any other unknown id. */
function existing(id: string): string {
  if (!UUID.test(id)) throw new NotFoundError('task');
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

const revisedTask = ({ after }: Revision) => ({ task: toTaskJson(after) });

/** A tool's `list` (a name, an id, "inbox" or null) as the task's list_id; absent stays absent. */
async function withListId<Input extends { list?: string | null | undefined }>(
  tasks: TaskService,
  actor: Actor,
  { list: named, ...input }: Input,
): Promise<Omit<Input, 'list'> & { list_id?: string | null }> {
  if (named === undefined) return input;
  const resolved = named === null ? null : await new ListService(tasks).resolve(actor, named);
  return { ...input, list_id: resolved?.id ?? null };
}

const TOOLS: { [Name in ToolName]: Tool<ToolResults[Name]> } = {
  add_task: tool({
    name: 'add_task',
    title: 'Add a task',
    description:
      "Create a task. Give the due time with its offset in the user's zone; reminders and recurrence " +
      'need a due time. Returns the created task.',
    input: AddTaskInput,
    run: async (tasks, actor, input) => ({
      task: await tasks.create(actor, await withListId(tasks, actor, input)),
    }),
    json: ({ task }) => ({ task: toTaskJson(task) }),
  }),
  list_tasks: tool({
    name: 'list_tasks',
    title: 'List or search tasks',
    description:
      'List the user\'s tasks, filtered and sorted. Use it to answer questions ("what is due this week?") ' +
      'and to find the id of a task before changing it.',
    input: ListTasksInput,
    readOnly: true,
    run: async (tasks, actor, { list: named, ...input }) => {
      const resolved = named === undefined ? undefined : await new ListService(tasks).resolve(actor, named);
      const query = toListQuery({
        ...input,
        ...(resolved === undefined ? {} : { list: resolved?.id ?? 'inbox' }),
      });
      const page = await tasks.list(actor, query);
      const fitting = countWithin(page.items.map(toTaskJson), LIST_RESULT_MAX_BYTES);
      if (fitting === page.items.length) return page;
      // Asked again for fewer, so that the cursor is the listing's own, after the last task shown.
      return tasks.list(actor, { ...query, limit: fitting });
    },
    json: ({ items, nextCursor }) => ({ items: items.map(toTaskJson), next_cursor: nextCursor }),
  }),
  update_task: tool({
    name: 'update_task',
    title: 'Change a task',
    description:
      'Change some fields of a task (rename, reschedule, re-prioritize, set reminders or a repeat rule); ' +
      'omitted fields stay as they are. Returns the task as changed.',
    input: UpdateTaskInput,
    run: async (tasks, actor, { task_id, ...changes }) =>
      tasks.update(actor, existing(task_id), await withListId(tasks, actor, changes)),
    json: revisedTask,
  }),
  complete_task: tool({
    name: 'complete_task',
    title: 'Mark a task done',
    description:
      'Mark a task done. A recurring task then gets its next occurrence. A task with open subtasks ' +
      'needs subtasks: "complete" or "keep" (ask the user which).',
    input: CompleteTaskInput,
    run: (tasks, actor, { task_id, subtasks }) =>
      tasks.complete(actor, existing(task_id), undefined, subtasks),
    json: revisedTask,
  }),
  reopen_task: tool({
    name: 'reopen_task',
    title: 'Reopen a task',
    description: 'Mark a completed task open again (undo a completion).',
    input: TaskIdInput,
    run: (tasks, actor, { task_id }) => tasks.reopen(actor, existing(task_id)),
    json: revisedTask,
  }),
  delete_task: tool({
    name: 'delete_task',
    title: 'Delete a task',
    description: 'Delete a task for good. Returns the deleted task.',
    input: TaskIdInput,
    run: async (tasks, actor, { task_id }) => ({ deleted: await tasks.remove(actor, existing(task_id)) }),
    json: ({ deleted }) => ({ deleted: toTaskJson(deleted) }),
  }),
  list_lists: tool({
    name: 'list_lists',
    title: 'List the lists',
    description: "The user's lists (projects), in sidebar order; tasks in none are in the Inbox.",
    input: z.object({}),
    readOnly: true,
    run: async (tasks, actor) => ({ lists: await new ListService(tasks).all(actor) }),
    json: ({ lists }) => ({ lists: lists.map(toListJson) }),
  }),
  create_list: tool({
    name: 'create_list',
    title: 'Create a list',
    description: 'Create a list (project) to put tasks in; names are unique per user.',
    input: CreateListInput,
    run: async (tasks, actor, input) => ({ list: await new ListService(tasks).create(actor, input) }),
    json: ({ list }) => ({ list: toListJson(list) }),
  }),
};

const TOOL_NAMES = Object.keys(TOOLS) as ToolName[];
const isToolName = (name: string): name is ToolName => (TOOL_NAMES as string[]).includes(name);

/** Every tool, for the MCP server and the model to list. */
export const TOOL_LIST = TOOL_NAMES.map((name) => TOOLS[name]);

/**
 * Runs the tools for one caller and keeps every call as an action of the turn (`{ tool, input,
 * result }`, the result as JSON). The built-in engine calls a tool by its name and reads the
 * domain result; the model and MCP clients name one at run time and read its JSON.
 */
export class ToolExecutor {
  readonly actions: ChatAction[] = [];

  constructor(
    private readonly tasks: TaskService,
    private readonly actor: Actor,
  ) {}

  async call<Name extends ToolName>(name: Name, input: unknown): Promise<ToolOutcome<ToolResults[Name]>> {
    return (await this.run(name, input)).outcome;
  }

  /** A tool named at run time; the answer is its JSON, or the error. */
  async callByName(name: string, input: unknown): Promise<ToolOutcome<Record<string, unknown>>> {
    if (!isToolName(name)) return this.refuse(name, input, 'unknown_tool', `no tool named ${name}`);
    const { outcome, json } = await this.run(name, input);
    return outcome.ok ? { ok: true, result: json } : outcome;
  }

  /**
   * The built-in engine's undo of a delete: the same task back, id and status. Not a tool offered to
   * MCP clients or the model; its input is the engine's own record of what it deleted.
   */
  async restore(
    id: string,
    input: TaskInput,
    status: Task['status'],
    completedAt: Date | null,
  ): Promise<ToolOutcome<{ task: Task }>> {
    const outcome = await answered(async () => ({
      task: await this.tasks.restore(this.actor, id, input, status, completedAt),
    }));
    const result = outcome.ok ? { task: toTaskJson(outcome.result.task) } : { error: outcome.error };
    this.actions.push({ tool: 'restore_task', input: { task_id: id, ...input, status }, result });
    return outcome;
  }

  /** A call that never reached a tool (no such tool, arguments that are not JSON), kept as an action too. */
  refuse(name: string, input: unknown, code: string, message: string): ToolOutcome<never> {
    const error = { code, message };
    this.actions.push({ tool: name, input, result: { error } });
    return { ok: false, error };
  }

  private async run<Name extends ToolName>(name: Name, input: unknown) {
    const definition: Tool<ToolResults[Name]> = TOOLS[name];
    const outcome = await definition.execute(this.tasks, this.actor, input);
    const json = outcome.ok ? definition.json(outcome.result) : { error: outcome.error };
    this.actions.push({ tool: name, input, result: json });
    return { outcome, json };
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
