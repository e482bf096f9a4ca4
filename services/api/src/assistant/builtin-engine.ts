/**
 * The built-in language engine (no LLM configured): `interpret` turns the message into a Command,
 * which is executed with the assistant's tools (a ToolExecutor, as the LLM agent uses), and
 * `renderReply` phrases the outcome. The engine's
 * state between turns (a question, how to undo) comes in and goes out as a PendingState.
 */
import {
  type Command,
  intentOf,
  interpret,
  type Outcome,
  type OutcomeTask,
  outcomeTaskOf,
  rememberOutcome,
  renderReply,
  type TaskChanges,
  type TaskRef,
} from '@todo/domain';
import { ListService } from '../lists/list-service.js';
import type { Actor, Revision, TaskService } from '../tasks/task-service.js';
import type { ChatEngine, ChatTurn, EngineTurn } from './chat-engine.js';
import { ToolExecutor } from './tools.js';

/** Enough tasks to resolve "the dentist one" for anyone with a usable list; more are found by search. */
const CONTEXT_OPEN_TASKS = 200;
const CONTEXT_COMPLETED_TASKS = 50;

export class BuiltinEngine implements ChatEngine {
  constructor(
    private readonly tasks: TaskService,
    private readonly clock: () => Date,
  ) {}

  async respond({ actor, message, pending }: ChatTurn): Promise<EngineTurn> {
    const now = this.clock();
    const [tasks, lists] = await Promise.all([
      this.contextTasks(actor),
      new ListService(this.tasks).all(actor),
    ]);
    const context = {
      now,
      timeZone: actor.timeZone,
      tasks,
      lists: lists.map(({ id, name }) => ({ id, name })),
    };
    const command = interpret(message, { ...context, pending });
    const tools = new ToolExecutor(this.tasks, actor);
    const outcome = await new CommandExecutor(tools).execute(command);
    return {
      reply: renderReply(command, outcome, context),
      actions: tools.actions,
      pending: rememberOutcome(command, outcome, pending),
      intent: intentOf(command),
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

/** The tools name a task's list `list` (an id works as well as a name); the engine's fields say list_id. */
function byListName<T extends { list_id?: string | null }>({ list_id, ...rest }: T) {
  return list_id === undefined ? rest : { ...rest, list: list_id };
}

const failed = ({ error }: { error: { message: string } }): Outcome => ({ ok: false, error: error.message });

/** Executes one command through the tools; the Outcome carries the tasks they answered. */
class CommandExecutor {
  constructor(private readonly tools: ToolExecutor) {}

  async execute(command: Command): Promise<Outcome | null> {
    switch (command.kind) {
      case 'add_task': {
        const { restore } = command;
        const added = restore
          ? await this.tools.restore(
              restore.id,
              command.task,
              restore.status,
              restore.completed_at ? new Date(restore.completed_at) : null,
            )
          : await this.tools.call('add_task', byListName(command.task));
        return added.ok ? { ok: true, tasks: [outcomeTaskOf(added.result.task)] } : failed(added);
      }
      case 'list_tasks': {
        const listed = await this.tools.call('list_tasks', command.filter);
        return listed.ok ? { ok: true, items: listed.result.items.map(outcomeTaskOf) } : failed(listed);
      }
      case 'complete_task':
        return this.change(command.taskId, { status: 'completed' });
      case 'update_task':
        return this.change(command.taskId, command.changes);
      case 'delete_task': {
        const before: OutcomeTask[] = [];
        for (const taskId of command.taskIds) {
          const deleted = await this.tools.call('delete_task', { task_id: taskId });
          if (!deleted.ok) return failed(deleted);
          before.push(outcomeTaskOf(deleted.result.deleted));
        }
        return { ok: true, before };
      }
      case 'batch': {
        const steps: Outcome[] = [];
        for (const step of command.steps) {
          const outcome = await this.execute(step);
          if (!outcome?.ok) return outcome;
          steps.push(outcome);
        }
        return { ok: true, steps, before: steps.flatMap((s) => s.before ?? []) };
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

  /**
   * An update; a status change goes through complete/reopen like a click on the checkbox would.
   * "Before" is the task as the first tool found it, "after" as the last one left it.
   */
  private async change(taskId: string, changes: TaskChanges): Promise<Outcome> {
    const { status, ...fields } = changes;
    let revision: Revision | null = null;
    if (Object.keys(fields).length > 0) {
      const updated = await this.tools.call('update_task', { task_id: taskId, ...byListName(fields) });
      if (!updated.ok) return failed(updated);
      revision = updated.result;
    }
    if (status === 'completed' || status === 'open') {
      const toggled = await this.tools.call(status === 'completed' ? 'complete_task' : 'reopen_task', {
        task_id: taskId,
      });
      if (!toggled.ok) return failed(toggled);
      revision = { before: revision?.before ?? toggled.result.before, after: toggled.result.after };
    }
    return {
      ok: true,
      tasks: revision ? [outcomeTaskOf(revision.after)] : [],
      before: revision ? [outcomeTaskOf(revision.before)] : [],
      // The recurring-task service makes the next occurrence asynchronously, after this reply.
      next: null,
    };
  }
}
