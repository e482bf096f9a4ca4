import type { TaskInput } from '../tasks/fields.js';
import type { Priority, TaskStatus } from '../tasks/task.js';

/**
 * What the assistant needs to know about one of the user's tasks to refer to it
 * ("the dentist one") and to reschedule it relative to its current due time.
 */
export interface TaskRef {
  id: string;
  title: string;
  tags: string[];
  /** The due instant; for an all-day task, midnight UTC of the due calendar date (as on Task). */
  dueAt: Date | null;
  allDay: boolean;
  priority: Priority;
  status: TaskStatus;
  recurrence: string | null;
  /** ISO 8601 offsets before due; optional because a caller may not have them at hand. */
  reminders?: string[];
}

/** A task known by id and title only (a choice offered earlier), every other field at its default. */
export const taskRefOf = (id: string, title: string, extra: Partial<TaskRef> = {}): TaskRef => ({
  id,
  title,
  tags: [],
  dueAt: null,
  allDay: false,
  priority: 'medium',
  status: 'open',
  recurrence: null,
  ...extra,
});

/**
 * Everything `interpret` depends on. The engine is pure: the clock, the user's zone and
 * their tasks are inputs, so the same message in the same context always gives the same command.
 */
/** One of the user's lists, as chat names it ("my shopping list"). */
export interface ListRef {
  id: string;
  name: string;
}

export interface AssistantContext {
  now: Date;
  /** IANA zone of the user, e.g. "America/Los_Angeles"; wall-clock phrases are resolved in it. */
  timeZone: string;
  /** The user's tasks (open ones are the candidates for "mark the dentist one done"). */
  tasks: TaskRef[];
  /** What the previous turn left behind (a question awaiting an answer, the last undoable action). */
  pending: PendingState | null;
  /** The user's lists, for "add milk to my shopping list"; absent: no list phrases. */
  lists?: ListRef[];
}

/** A new task as the write path takes it (TaskInput, the REST names), with its title. */
export type TaskPayload = TaskInput & { title: string };

/** A partial update; `status` lets undo reopen a task completed by mistake. */
export type TaskChanges = Partial<TaskPayload> & { status?: TaskStatus };

/** The filters of `GET /api/tasks` (ARCHITECTURE.md), with the same names. */
export interface ListFilter {
  status?: TaskStatus;
  priority?: Priority;
  tag?: string;
  /** RFC 3339 UTC, exclusive upper bound on due_at. */
  due_before?: string;
  /** RFC 3339 UTC, inclusive lower bound on due_at. */
  due_after?: string;
  overdue?: boolean;
  q?: string;
  /** A list's id, or "inbox". */
  list?: string;
  sort?: 'due' | 'priority' | 'created' | 'title';
  limit?: number;
}

/** A numbered choice the user was asked to make between similar tasks. */
export interface AwaitingChoice {
  type: 'choose_task';
  /**
   * The tasks offered, in the numbered order, each with the command to run if picked (computed
   * per task: "move it to 7" keeps each candidate's own date).
   */
  candidates: { id: string; title: string; dueAt: string | null; allDay: boolean; action: TaskAction }[];
}

/** A yes/no question before acting on several tasks at once (deleting, completing, rescheduling). */
export interface AwaitingConfirmation {
  type: 'confirm';
  action: DeleteTaskCommand | BatchCommand;
}

/** "remind me to call the landlord" said no when: the task waits for the answer ("next tuesday evening"). */
export interface AwaitingWhen {
  type: 'ask_when';
  task: TaskPayload;
}

/**
 * The conversation state carried between requests (the server keeps no memory): a question the
 * user must answer, and how to undo the last action. Produced by `interpret` (questions) and by
 * `rememberOutcome` after the endpoint executed a command (undo).
 */
export interface PendingState {
  awaiting?: AwaitingChoice | AwaitingConfirmation | AwaitingWhen;
  /** Commands that revert the last executed action, and a phrase for the reply ("added “Milk”"). */
  undo?: { summary: string; commands: Command[] };
  /** The task(s) the last action or answer was about, so "make it urgent" can refer to them. */
  lastTaskIds?: string[];
}

/** What a new question keeps from the previous state: the undo and "it", not the old question. */
export function conversationMemory(pending: PendingState | null): PendingState {
  const memory: PendingState = {};
  if (pending?.undo) memory.undo = pending.undo;
  if (pending?.lastTaskIds?.length) memory.lastTaskIds = pending.lastTaskIds;
  return memory;
}

export interface AddTaskCommand {
  kind: 'add_task';
  task: TaskPayload;
  /** The undo of a delete: the task comes back under its own id, done if it was done. */
  restore?: { id: string; status: TaskStatus; completed_at: string | null };
}
export interface ListTasksCommand {
  kind: 'list_tasks';
  filter: ListFilter;
  /** Human phrase for the reply, e.g. "due this week". */
  description: string;
}
export interface CompleteTaskCommand {
  kind: 'complete_task';
  taskId: string;
}
export interface UpdateTaskCommand {
  kind: 'update_task';
  taskId: string;
  changes: TaskChanges;
}
export interface DeleteTaskCommand {
  kind: 'delete_task';
  taskIds: string[];
}
/** Commands that act on existing tasks and may need the user to pick which one. */
export type TaskAction = CompleteTaskCommand | UpdateTaskCommand | DeleteTaskCommand;

/**
 * Several completions or updates confirmed at once ("finish everything tagged #home" → "yes"),
 * each task with its own change ("push today's tasks to monday" keeps each one's time); one undo
 * reverts them all. Its intent is the kind of its steps.
 */
export interface BatchCommand {
  kind: 'batch';
  steps: CompleteTaskCommand[] | UpdateTaskCommand[];
}

/** The tasks a confirmation would act on. */
export function confirmedTaskIds(action: DeleteTaskCommand | BatchCommand): string[] {
  return action.kind === 'batch' ? action.steps.map((step) => step.taskId) : action.taskIds;
}

/** The intent a command reports: a batch reports what its steps do. */
export function intentOf(command: Command): CommandKind {
  return command.kind === 'batch' ? (command.steps[0]?.kind ?? 'update_task') : command.kind;
}

export type Command =
  | AddTaskCommand
  | ListTasksCommand
  | CompleteTaskCommand
  | UpdateTaskCommand
  | DeleteTaskCommand
  | BatchCommand
  /** Run `commands` (the inverse of the last action); empty when there is nothing to undo. */
  | { kind: 'undo'; commands: Command[]; summary: string | null }
  /** Ask the user something; persist `pending` and pass it back with their answer. */
  | { kind: 'clarify'; question: string; pending: PendingState }
  /** The user declined a confirmation or dropped a question; nothing to execute. */
  | { kind: 'cancelled'; reply: string }
  /** Help, small talk, or "I did not understand" with examples. */
  | { kind: 'help'; reply: string };

export type CommandKind = Command['kind'];

/** Every command kind, listed once; a kind added to Command must be added here to compile. */
const COMMAND_KIND_SET: Record<CommandKind, true> = {
  add_task: true,
  list_tasks: true,
  complete_task: true,
  update_task: true,
  delete_task: true,
  batch: true,
  undo: true,
  clarify: true,
  cancelled: true,
  help: true,
};
export const COMMAND_KINDS = Object.keys(COMMAND_KIND_SET) as CommandKind[];
