/**
 * Undo across stateless requests: after executing a command, the endpoint asks
 * `rememberOutcome` for the next PendingState, which carries the commands that revert it.
 * "undo" then returns those commands from `interpret`.
 */
import { inputOf } from '../tasks/fields.js';
import { TASK_INPUT_FIELDS, type Task } from '../tasks/task.js';
import {
  type Command,
  conversationMemory,
  type PendingState,
  type TaskChanges,
  type TaskPayload,
} from './types.js';

/** A task in an Outcome (REST field names), enough to restore, revert or describe it. */
export type OutcomeTask = TaskPayload & {
  id: string;
  status?: 'open' | 'completed';
  completed_at?: string | null;
};

export const outcomeTaskOf = (task: Task): OutcomeTask => ({
  id: task.id,
  status: task.status,
  completed_at: task.completedAt?.toISOString() ?? null,
  ...inputOf(task),
});

/** What happened when the endpoint executed a command. */
export interface Outcome {
  ok: boolean;
  /** Error message for the user when `ok` is false. */
  error?: string;
  /** The task(s) as created/changed (add_task, update_task, complete_task). */
  tasks?: OutcomeTask[];
  /** The task(s) as they were before the change (update_task, complete_task, delete_task). */
  before?: OutcomeTask[];
  /** For list_tasks: the matching tasks. */
  items?: OutcomeTask[];
  /** For complete_task of a recurring task: the next occurrence that was created, if any. */
  next?: OutcomeTask | null;
  /** For a batch: each step's outcome, in order. */
  steps?: Outcome[];
}

const FIELDS: (keyof TaskChanges)[] = [...TASK_INPUT_FIELDS, 'status'];

function restoreFields(before: OutcomeTask, changes: TaskChanges): TaskChanges {
  const previous: TaskChanges = {};
  for (const key of FIELDS) {
    if (key in changes) Object.assign(previous, { [key]: (before as TaskChanges)[key] ?? null });
  }
  return previous;
}

/** A deleted task back as it was: its id, its fields, done if it was done. */
function recreate(task: OutcomeTask): Command {
  const { id, status = 'open', completed_at = null, ...fields } = task;
  return { kind: 'add_task', task: fields, restore: { id, status, completed_at } };
}

/** The inverse of an executed command, or null when it cannot (or need not) be undone. */
export function inverseOf(
  command: Command,
  outcome: Outcome,
): { summary: string; commands: Command[] } | null {
  if (!outcome.ok) return null;
  switch (command.kind) {
    case 'add_task': {
      const created = outcome.tasks?.[0];
      return created
        ? { summary: `added “${created.title}”`, commands: [{ kind: 'delete_task', taskIds: [created.id] }] }
        : null;
    }
    case 'complete_task': {
      const before = outcome.before?.[0];
      const commands: Command[] = [
        { kind: 'update_task', taskId: command.taskId, changes: { status: 'open' } },
      ];
      // Completing a recurring task spawns its next occurrence; reopening should not leave two.
      if (outcome.next) commands.push({ kind: 'delete_task', taskIds: [outcome.next.id] });
      return { summary: `completed “${before?.title ?? 'the task'}”`, commands };
    }
    case 'update_task': {
      const before = outcome.before?.[0];
      if (!before) return null;
      return {
        summary: `changed “${before.title}”`,
        commands: [
          { kind: 'update_task', taskId: command.taskId, changes: restoreFields(before, command.changes) },
        ],
      };
    }
    case 'delete_task': {
      const before = outcome.before ?? [];
      if (before.length === 0) return null;
      const summary =
        before.length === 1 ? `deleted “${before[0]!.title}”` : `deleted ${before.length} tasks`;
      return { summary, commands: before.map(recreate) };
    }
    case 'batch': {
      const commands = command.steps.flatMap((step, i) => {
        const done = outcome.steps?.[i];
        return done ? (inverseOf(step, done)?.commands ?? []) : [];
      });
      const verb = command.steps[0]?.kind === 'complete_task' ? 'completed' : 'changed';
      return commands.length ? { summary: `${verb} ${command.steps.length} tasks`, commands } : null;
    }
    case 'undo':
      return null;
    default:
      return null;
  }
}

/** The task(s) a command was about, for "it" in the next message; null when it names none. */
function subjectOf(command: Command, outcome: Outcome | null): string[] | null {
  switch (command.kind) {
    case 'add_task':
      return outcome?.tasks?.[0] ? [outcome.tasks[0].id] : null;
    case 'complete_task':
    case 'update_task':
      return [command.taskId];
    case 'list_tasks':
      // "when is my dentist appointment?" → "move it to friday"
      return outcome?.items?.length === 1 ? [outcome.items[0]!.id] : null;
    default:
      return null;
  }
}

/**
 * The PendingState to persist after executing `command`: a clarification keeps its question,
 * an executed change becomes the new "last action" (undo) and subject ("it"), an undo clears the
 * undo (no redo), and anything else keeps the previous memory so "undo" still works after a
 * question. Returns null when there is nothing to remember.
 */
export function rememberOutcome(
  command: Command,
  outcome: Outcome | null,
  previous: PendingState | null,
): PendingState | null {
  if (command.kind === 'clarify') return command.pending;
  const memory = conversationMemory(previous);
  if (command.kind === 'undo') delete memory.undo;
  const inverse = outcome ? inverseOf(command, outcome) : null;
  if (inverse) memory.undo = inverse;
  const subject = subjectOf(command, outcome);
  if (subject) memory.lastTaskIds = subject;
  if (command.kind === 'delete_task' && outcome?.ok) delete memory.lastTaskIds;
  return memory.undo || memory.lastTaskIds ? memory : null;
}
