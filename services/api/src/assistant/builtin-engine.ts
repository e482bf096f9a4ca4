/**
 * The built-in language engine (no LLM configured): `interpret` turns the message into a Command,
 * which is executed with the assistant's tools, and `renderReply` phrases the outcome. The engine's
 * state between turns (a question, how to undo) comes in and goes out as a PendingState.
 */
import {
  type Command,
  interpret,
  type Outcome,
  type PendingState,
  rememberOutcome,
  renderReply,
  type TaskRef,
  type TaskSnapshot,
  toTaskJson,
} from '@todo/domain';
import type { Actor, TaskService } from '../tasks/task-service.js';
import type { ChatAction } from './conversations.js';
import { runTool, type TaskJson } from './tools.js';

export interface EngineTurn {
  reply: string;
  actions: ChatAction[];
  pending: PendingState | null;
  /** What the engine understood (the command kind), for clients and the evaluation. */
  intent: Command['kind'];
}

/** Enough tasks to resolve "the dentist one" for anyone with a usable list; more are found by search. */
const CONTEXT_OPEN_TASKS = 200;
const CONTEXT_COMPLETED_TASKS = 50;

export class BuiltinEngine {
  constructor(
    private readonly tasks: TaskService,
    private readonly clock: () => Date,
  ) {}

  async respond(actor: Actor, message: string, pending: PendingState | null): Promise<EngineTurn> {
    const now = this.clock();
    const context = { now, timeZone: actor.timeZone, tasks: await this.contextTasks(actor) };
    const command = interpret(message, { ...context, pending });
    const executor = new CommandExecutor(this.tasks, actor);
    const outcome = await executor.execute(command);
    return {
      reply: renderReply(command, outcome, context),
      actions: executor.actions,
      pending: rememberOutcome(command, outcome, pending),
      intent: command.kind,
    };
  }

  private async contextTasks(actor: Actor): Promise<TaskRef[]> {
    const [open, completed] = await Promise.all([
      this.tasks.list(actor, { status: 'open', sort: 'due', limit: CONTEXT_OPEN_TASKS }),
      this.tasks.list(actor, { status: 'completed', sort: '-created', limit: CONTEXT_COMPLETED_TASKS }),
    ]);
    return [...open.items, ...completed.items].map((task) => ({
      id: task.id,
      title: task.title,
      tags: task.tags,
      dueAt: task.dueAt,
      allDay: task.allDay,
      priority: task.priority,
      status: task.status,
      recurrence: task.recurrence,
      reminders: task.reminders,
    }));
  }
}

/** The fields undo needs to restore or revert a task. */
function snapshot(task: TaskJson): TaskSnapshot {
  return {
    id: task.id,
    status: task.status,
    title: task.title,
    description: task.description,
    priority: task.priority,
    tags: task.tags,
    due_at: task.due_at,
    all_day: task.all_day,
    reminders: task.reminders,
    recurrence: task.recurrence,
    recurrence_anchor: task.recurrence_anchor,
  };
}

/** Executes one command through the tools, recording every call as an action of the turn. */
class CommandExecutor {
  readonly actions: ChatAction[] = [];

  constructor(
    private readonly tasks: TaskService,
    private readonly actor: Actor,
  ) {}

  async execute(command: Command): Promise<Outcome | null> {
    switch (command.kind) {
      case 'add_task': {
        const added = await this.call('add_task', command.task);
        return added.ok ? { ok: true, tasks: [snapshot(added.result.task as TaskJson)] } : added.outcome;
      }
      case 'list_tasks': {
        const listed = await this.call('list_tasks', command.filter);
        return listed.ok
          ? { ok: true, items: (listed.result.items as TaskJson[]).map(snapshot) }
          : listed.outcome;
      }
      case 'complete_task':
        return this.change(command.taskId, { status: 'completed' });
      case 'update_task':
        return this.change(command.taskId, command.changes);
      case 'delete_task': {
        const before: TaskSnapshot[] = [];
        for (const taskId of command.taskIds) {
          const deleted = await this.call('delete_task', { task_id: taskId });
          if (!deleted.ok) return deleted.outcome;
          before.push(snapshot(deleted.result.deleted as TaskJson));
        }
        return { ok: true, before };
      }
      case 'undo': {
        for (const step of command.commands) {
          const outcome = await this.execute(step);
          if (outcome && !outcome.ok) return outcome;
        }
        return { ok: true };
      }
      default:
        return null;
    }
  }

  /** An update; a status change goes through complete/reopen like a click on the checkbox would. */
  private async change(taskId: string, changes: Record<string, unknown>): Promise<Outcome> {
    const { status, ...fields } = changes;
    const before = await this.tasks.get(this.actor, taskId).catch(() => null);
    let after: TaskJson | null = null;
    if (Object.keys(fields).length > 0) {
      const updated = await this.call('update_task', { task_id: taskId, ...fields });
      if (!updated.ok) return updated.outcome;
      after = updated.result.task as TaskJson;
    }
    if (status === 'completed' || status === 'open') {
      const toggled = await this.call(status === 'completed' ? 'complete_task' : 'reopen_task', {
        task_id: taskId,
      });
      if (!toggled.ok) return toggled.outcome;
      after = toggled.result.task as TaskJson;
    }
    return {
      ok: true,
      tasks: after ? [snapshot(after)] : [],
      before: before ? [snapshot(toTaskJson(before))] : [],
      // The recurring-task service makes the next occurrence asynchronously, after this reply.
      next: null,
    };
  }

  private async call(tool: string, input: unknown) {
    const outcome = await runTool(this.tasks, this.actor, tool, input);
    this.actions.push({ tool, input, result: outcome.ok ? outcome.result : { error: outcome.error } });
    return outcome.ok
      ? { ok: true as const, result: outcome.result }
      : { ok: false as const, outcome: { ok: false, error: outcome.error.message } satisfies Outcome };
  }
}
