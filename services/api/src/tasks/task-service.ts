import { newEnvelope } from '@todo/contracts';
import {
  applyTaskInput,
  assertRecurs,
  ConflictError,
  DomainError,
  FieldError,
  fieldsOf,
  inputOf,
  type NextOccurrenceTask,
  NotFoundError,
  nextOccurrenceTask,
  readNewTask,
  type Task,
  type TaskFields,
  type TaskInput,
  toTaskJson,
} from '@todo/domain';
import type { Db } from '@todo/platform/db/connect';
import type { Database } from '@todo/platform/db/schema';
import { appendToOutbox } from '@todo/platform/outbox/append';
import type { Transaction } from 'kysely';
import { findList } from '../lists/list-repository.js';
import { type TaskListQuery, userCalendar } from './task-query.js';
import {
  countTasks,
  deleteTask,
  findFollowingOccurrence,
  findSubtasks,
  findTask,
  insertTask,
  isUniqueViolation,
  listTasks,
  subtaskCounts,
  tagCounts,
  updateTask,
} from './task-repository.js';

/** Who is acting, in which zone, and the id that ties the resulting events together. */
export interface Actor {
  userId: string;
  timeZone: string;
  correlationId: string;
}

export type TaskAction = 'created' | 'updated' | 'completed' | 'reopened' | 'deleted';

export interface TaskChange {
  action: TaskAction;
  before: Task | null;
  after: Task | null;
}

/** A task before and after an edit (the same task twice when the edit changed nothing). */
export interface Revision {
  before: Task;
  after: Task;
}

/**
 * Something else that must happen in the same transaction as a task write — scheduling its
 * reminders, say — so it commits or rolls back with it.
 */
export type WriteParticipant = (
  trx: Transaction<Database>,
  change: TaskChange,
  actor: Actor,
) => Promise<void>;

/** Where a new task sits in a recurring series (for the next occurrence the recurring-task service makes). */
export interface SeriesPosition {
  seriesId: string;
  occurrence: number;
  /** The occurrence before it, whose subtasks the new one gets fresh copies of. */
  previousId?: string;
}

/** What a task brought in by an import keeps of its past (absent: as a new task). */
export interface KeptHistory {
  id?: string;
  status?: Task['status'];
  seriesId?: string;
  occurrence?: number;
  createdAt?: Date;
  completedAt?: Date | null;
}

/**
 * What completing a parent does to its open subtasks: the client must say (the web app asks),
 * since completing them is not undone by reopening the parent.
 */
export const SUBTASK_CHOICES = ['complete', 'keep'] as const;
export type SubtaskChoice = (typeof SUBTASK_CHOICES)[number];

/** A decision of `modify`: the task's next state, and the changes to other tasks that go with it. */
interface Decision {
  action: TaskAction;
  next: Task;
  /** Its subtasks' changes, written in the same transaction (completed with it, moved with it). */
  alongside?: { current: Task; action: TaskAction; next: Task }[];
}

/** Completing a parent whose subtasks are open needs the client's choice. */
class OpenSubtasksError extends ConflictError {
  override readonly field = 'subtasks';

  constructor(open: number) {
    super(
      'open_subtasks',
      `this task has ${open} open subtask${open === 1 ? '' : 's'}: complete them with it (subtasks=complete) or leave them open (subtasks=keep)`,
      { open_subtasks: open },
    );
  }
}

/**
 * The one write path for tasks — REST, chat, MCP and the recurring-task service all come here — so
 * every change validates the same way and emits its events through the outbox.
 */
export interface TaskServiceOptions {
  db: Db;
  participants?: WriteParticipant[];
  /** Called after each commit that wrote events, so the outbox relay sends them at once. */
  onCommit?: () => void;
  clock?: () => Date;
}

export class TaskService {
  /** The database the write path writes to (the list service shares its transactions). */
  readonly db: Db;
  private readonly participants: WriteParticipant[];
  private readonly onCommit: () => void;
  private readonly clock: () => Date;

  constructor(options: TaskServiceOptions) {
    this.db = options.db;
    this.participants = options.participants ?? [];
    this.onCommit = options.onCommit ?? (() => undefined);
    this.clock = options.clock ?? (() => new Date());
  }

  async get(actor: Actor, id: string): Promise<Task> {
    return (await findTask(this.db, actor.userId, id)) ?? throwNotFound();
  }

  list(actor: Actor, query: TaskListQuery) {
    return listTasks(this.db, actor.userId, query, this.calendarOf(actor));
  }

  count(actor: Actor, query: TaskListQuery) {
    return countTasks(this.db, actor.userId, query, this.calendarOf(actor));
  }

  /** The days of the actor's calendar now (for Today and Upcoming). */
  calendarOf(actor: Actor) {
    return userCalendar(this.clock(), actor.timeZone);
  }

  /** Each of `tasks` that has subtasks, with how many and how many are done (a parent's "2/5"). */
  progressOf(actor: Actor, tasks: Task[]) {
    return subtaskCounts(
      this.db,
      actor.userId,
      tasks.filter((task) => task.parentId === null).map((task) => task.id),
    );
  }

  tags(actor: Actor) {
    return tagCounts(this.db, actor.userId);
  }

  async create(actor: Actor, input: TaskInput, position?: SeriesPosition): Promise<Task> {
    const applied = applyTaskInput(input);
    // A later occurrence carries its series' rule, whose last date may be this one.
    if (!position) assertRecurs(applied, actor.timeZone);
    const [change] = await this.write(actor, async (trx) => {
      const task = await this.insertIn(trx, actor, input, applied, {
        ...(position ? { seriesId: position.seriesId, occurrence: position.occurrence } : {}),
      });
      const created: TaskChange = { action: 'created', before: null, after: task };
      const copies = position?.previousId
        ? await this.copySubtasks(trx, actor, position.previousId, task)
        : [];
      return [created, ...copies];
    });
    return change?.after as Task;
  }

  /**
   * A new task in `trx`, for a write of this service (an import keeps the history `kept` gives:
   * its status, series and creation time); the caller returns its change to `write`.
   */
  async insertIn(
    trx: Transaction<Database>,
    actor: Actor,
    input: TaskInput,
    applied: TaskFields,
    kept: KeptHistory = {},
  ): Promise<Task> {
    const now = this.clock();
    const id = kept.id ?? crypto.randomUUID();
    const fields = await this.placed(trx, actor, null, input, applied);
    const status = kept.status ?? 'open';
    return insertTask(trx, {
      id,
      userId: actor.userId,
      ...fields,
      // Last in the user's order: creation order, until the user moves it.
      position: input.position === undefined ? now.getTime() : fields.position,
      status,
      seriesId: kept.seriesId ?? (fields.recurrence ? id : null),
      occurrence: kept.occurrence ?? 1,
      createdAt: kept.createdAt ?? now,
      updatedAt: now,
      completedAt: status === 'completed' ? (kept.completedAt ?? now) : null,
      version: 1,
    });
  }

  /**
   * The undo of a delete: the task back under its own id and status. Its rule is not re-checked (it
   * comes back as it was); it starts a series of its own, its old place in one went with it.
   */
  async restore(
    actor: Actor,
    id: string,
    input: TaskInput,
    status: Task['status'],
    completedAt: Date | null,
  ): Promise<Task> {
    const applied = applyTaskInput(input);
    try {
      const [change] = await this.write(actor, async (trx) => [
        {
          action: 'created',
          before: null,
          after: await this.insertIn(trx, actor, input, applied, { id, status, completedAt }),
        },
      ]);
      return change?.after as Task;
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('task_exists', 'the task is back already');
      throw error;
    }
  }

  /**
   * Fresh copies (open) of the subtasks of a recurring parent's previous occurrence, under its
   * next one; their due dates move as far as the parent's did.
   */
  private async copySubtasks(
    trx: Transaction<Database>,
    actor: Actor,
    previousId: string,
    parent: Task,
  ): Promise<TaskChange[]> {
    const previous = await findTask(trx, actor.userId, previousId);
    if (!previous) return [];
    const shift = previous.dueAt && parent.dueAt ? parent.dueAt.getTime() - previous.dueAt.getTime() : 0;
    const changes: TaskChange[] = [];
    for (const subtask of await findSubtasks(trx, actor.userId, previousId)) {
      const now = this.clock();
      const copy: Task = {
        ...subtask,
        id: crypto.randomUUID(),
        parentId: parent.id,
        listId: parent.listId,
        dueAt: subtask.dueAt ? new Date(subtask.dueAt.getTime() + shift) : null,
        status: 'open',
        seriesId: null,
        occurrence: 1,
        createdAt: now,
        updatedAt: now,
        completedAt: null,
        version: 1,
      };
      changes.push({ action: 'created', before: null, after: await insertTask(trx, copy) });
    }
    return changes;
  }

  /**
   * Checks where `fields` put the task (`current`, or a new one when null): its list must be the
   * user's, its parent a top-level task of the user's; a subtask is in its parent's list.
   */
  private async placed(
    trx: Transaction<Database>,
    actor: Actor,
    current: Task | null,
    input: TaskInput,
    fields: TaskFields,
  ): Promise<TaskFields> {
    if (fields.parentId !== null) {
      // One level deep: a parent shows its progress, and completing or deleting it acts on its
      // subtasks; deeper trees would need the same rules recursively, and no view shows them.
      if (current && fields.parentId === current.id)
        throw new FieldError('parent_id', 'a task cannot be its own subtask');
      const parent = await findTask(trx, actor.userId, fields.parentId);
      if (!parent) throw new FieldError('parent_id', 'no such task');
      if (parent.parentId !== null)
        throw new FieldError('parent_id', 'that task is a subtask itself: subtasks are one level deep');
      if (current && (await findSubtasks(trx, actor.userId, current.id)).length > 0)
        throw new FieldError('parent_id', 'this task has subtasks: subtasks are one level deep');
      if (input.list_id === undefined) return { ...fields, listId: parent.listId };
      if (fields.listId !== parent.listId)
        throw new FieldError('list_id', "a subtask is in its parent's list: move the parent");
      return fields;
    }
    if (fields.listId !== null && !(await findList(trx, actor.userId, fields.listId)))
      throw new FieldError('list_id', 'no such list');
    return fields;
  }

  /**
   * What the quick-add box would create from `text`: the chat's own reading of a new task, on the
   * server's clock in the user's zone, validated as a create is, and not written.
   */
  preview(actor: Actor, text: string): Omit<Required<TaskInput>, 'position'> {
    const context = { now: this.clock(), timeZone: actor.timeZone, tasks: [], pending: null };
    const payload = readNewTask(text, context);
    if (!payload) throw new FieldError('text', 'names no task: write what to do, e.g. “buy milk tomorrow”');
    const fields = applyTaskInput(payload);
    assertRecurs(fields, actor.timeZone);
    // No position: created from this, the task goes last in the user's order, as any new one.
    const { position: _, ...input } = inputOf(fields);
    return input;
  }

  /**
   * The next occurrence of a series, made by the recurring-task service. Idempotent: the unique
   * (series, occurrence) index refuses a second one, whichever delivery or replica comes second.
   */
  async createOccurrence(actor: Actor, next: NextOccurrenceTask): Promise<Task | null> {
    // The list may have been deleted since the occurrence was completed: the next one goes to the Inbox.
    const listId = next.input.list_id ?? null;
    const listGone = listId !== null && !(await findList(this.db, actor.userId, listId));
    try {
      return await this.create(actor, listGone ? { ...next.input, list_id: null } : next.input, {
        seriesId: next.seriesId,
        occurrence: next.occurrence,
        ...(next.previousId ? { previousId: next.previousId } : {}),
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Undo of a completion: removes the occurrence it made, unless the user has touched it since. */
  async removeFollowingOccurrence(actor: Actor, seriesId: string, occurrence: number): Promise<void> {
    const following = await findFollowingOccurrence(this.db, actor.userId, seriesId, occurrence);
    if (following && following.status === 'open' && following.version === 1) {
      await this.remove(actor, following.id, following.version).catch((error) => {
        // Edited or deleted meanwhile: the user's change wins.
        if (!(error instanceof DomainError)) throw error;
      });
    }
  }

  /** Skips this occurrence of a series: it moves to the next date of its rule instead of being done. */
  skip(actor: Actor, id: string, expectedVersion?: number): Promise<Revision> {
    return this.modify(actor, id, expectedVersion, async (current) => {
      if (current.status !== 'open')
        throw new ConflictError('not_open', 'only an open occurrence can be skipped');
      const now = this.clock();
      const next = nextOccurrenceTask(current, actor.timeZone, now, now);
      if (!current.recurrence)
        throw new ConflictError('not_recurring', 'only an occurrence of a recurring task can be skipped');
      if (!next)
        throw new ConflictError(
          'series_ended',
          'this was the last occurrence of its series; complete or delete it',
        );
      const fields = applyTaskInput(next.input, fieldsOf(current));
      return { action: 'updated', next: { ...current, ...fields, occurrence: next.occurrence } };
    });
  }

  async update(actor: Actor, id: string, input: TaskInput, expectedVersion?: number): Promise<Revision> {
    return this.modify(actor, id, expectedVersion, async (current, trx) => {
      const applied = applyTaskInput(input, fieldsOf(current));
      if (sameFields(applied, fieldsOf(current))) return null;
      // Checked when the rule is set: moving the last occurrence of a series keeps its rule.
      if (input.recurrence !== undefined) assertRecurs(applied, actor.timeZone);
      const fields =
        input.list_id !== undefined || input.parent_id !== undefined
          ? await this.placed(trx, actor, current, input, applied)
          : applied;
      // A parent that moves to another list takes its subtasks along.
      const moved = fields.listId === current.listId ? [] : await findSubtasks(trx, actor.userId, current.id);
      return {
        action: 'updated',
        next: {
          ...current,
          ...fields,
          // A task that gains a rule starts a series of its own.
          seriesId: current.seriesId ?? (fields.recurrence ? current.id : null),
        },
        alongside: moved.map((subtask) => ({
          current: subtask,
          action: 'updated' as const,
          next: { ...subtask, listId: fields.listId },
        })),
      };
    });
  }

  /**
   * Marks the task done. A parent with open subtasks needs `subtasks`: 'complete' completes them in
   * the same write, 'keep' leaves them open; without it the answer is a conflict naming them.
   * Completing the last open subtask leaves its parent as it is: that is the user's call.
   */
  complete(actor: Actor, id: string, expectedVersion?: number, subtasks?: SubtaskChoice): Promise<Revision> {
    return this.modify(actor, id, expectedVersion, async (current, trx) => {
      if (current.status === 'completed') return null;
      const completedAt = this.clock();
      const open = (await findSubtasks(trx, actor.userId, current.id)).filter((s) => s.status === 'open');
      if (open.length > 0 && subtasks === undefined) throw new OpenSubtasksError(open.length);
      return {
        action: 'completed',
        next: { ...current, status: 'completed', completedAt },
        alongside:
          subtasks === 'complete'
            ? open.map((subtask) => ({
                current: subtask,
                action: 'completed' as const,
                next: { ...subtask, status: 'completed' as const, completedAt },
              }))
            : [],
      };
    });
  }

  reopen(actor: Actor, id: string, expectedVersion?: number): Promise<Revision> {
    return this.modify(actor, id, expectedVersion, async (current) =>
      current.status === 'open'
        ? null
        : { action: 'reopened', next: { ...current, status: 'open', completedAt: null } },
    );
  }

  /** Deletes the task, and its subtasks with it; returns it as it was. */
  async remove(actor: Actor, id: string, expectedVersion?: number): Promise<Task> {
    let current: Task | undefined;
    await this.write(actor, async (trx) => {
      current = (await findTask(trx, actor.userId, id, true)) ?? throwNotFound();
      assertVersion(current, expectedVersion);
      const subtasks = await findSubtasks(trx, actor.userId, id);
      return this.deleteIn(trx, [...subtasks, current]);
    });
    return current as Task;
  }

  /** Deletes `tasks` in `trx` (subtasks before their parents), for a write of this service. */
  async deleteIn(trx: Transaction<Database>, tasks: Task[]): Promise<TaskChange[]> {
    for (const task of tasks) await deleteTask(trx, task.userId, task.id);
    return tasks.map((task) => ({ action: 'deleted', before: task, after: null }));
  }

  /** Moves `tasks` to the Inbox in `trx`, for a write of this service (a list being deleted). */
  async moveToInboxIn(trx: Transaction<Database>, tasks: Task[]): Promise<TaskChange[]> {
    const changes: TaskChange[] = [];
    for (const task of tasks)
      changes.push(await this.revise(trx, task, 'updated', { ...task, listId: null }));
    return changes;
  }

  /** Read-modify-write under a row lock; `decide` returns null when nothing changes (no event, no bump). */
  private async modify(
    actor: Actor,
    id: string,
    expectedVersion: number | undefined,
    decide: (current: Task, trx: Transaction<Database>) => Promise<Decision | null>,
  ): Promise<Revision> {
    let current: Task | undefined;
    const [change] = await this.write(actor, async (trx) => {
      current = (await findTask(trx, actor.userId, id, true)) ?? throwNotFound();
      assertVersion(current, expectedVersion);
      const decision = await decide(current, trx);
      if (!decision) return [];
      const changes = [await this.revise(trx, current, decision.action, decision.next)];
      for (const other of decision.alongside ?? [])
        changes.push(await this.revise(trx, other.current, other.action, other.next));
      return changes;
    });
    const before = current as Task;
    return { before, after: change?.after ?? before };
  }

  /** Writes `next` over `current` (a new version), or fails when someone else changed it first. */
  private async revise(
    trx: Transaction<Database>,
    current: Task,
    action: TaskAction,
    next: Task,
  ): Promise<TaskChange> {
    const after = await updateTask(
      trx,
      { ...next, updatedAt: this.clock(), version: current.version + 1 },
      current.version,
    );
    if (!after) throw versionConflict(current);
    return { action, before: current, after };
  }

  /**
   * Runs `change` in one transaction; each task change it returns gets its events in the outbox
   * and goes through the participants, so a write of many tasks commits or fails as one.
   */
  async write(
    actor: Actor,
    change: (trx: Transaction<Database>) => Promise<TaskChange[]>,
    /** `change` appends events of its own: the relay is woken even when no task changed. */
    { appendsEvents = false } = {},
  ): Promise<TaskChange[]> {
    const changes = await this.db.transaction().execute(async (trx) => {
      const changes = await change(trx);
      await appendToOutbox(
        trx,
        changes.flatMap((one) => taskEvents(one, actor)),
      );
      for (const one of changes)
        for (const participant of this.participants) await participant(trx, one, actor);
      return changes;
    });
    if (changes.length > 0 || appendsEvents) this.onCommit();
    return changes;
  }
}

/** Each change becomes a domain event (task-events) and a sync message for open clients (task-updates). */
function taskEvents(change: TaskChange, actor: Actor) {
  const task = (change.after ?? change.before) as Task;
  const subject = { userId: task.userId, taskId: task.id, correlationId: actor.correlationId };
  const snapshot = toTaskJson(task);
  return [
    {
      topic: 'task-events' as const,
      event: {
        ...newEnvelope({ ...subject, eventType: `task.${change.action}` as const }),
        payload: {
          task: snapshot,
          ...(change.before && change.after ? { changed_fields: diff(change) } : {}),
        },
      },
    },
    {
      topic: 'task-updates' as const,
      event: {
        ...newEnvelope({ ...subject, eventType: 'task.sync' as const }),
        payload: { action: change.action, task: change.after ? snapshot : null },
      },
    },
  ];
}

function diff({ before, after }: TaskChange): string[] {
  if (!before || !after) return [];
  const a: Record<string, unknown> = { ...toTaskJson(before) };
  const b: Record<string, unknown> = { ...toTaskJson(after) };
  return Object.keys(b).filter(
    (key) => !['updated_at', 'version'].includes(key) && JSON.stringify(a[key]) !== JSON.stringify(b[key]),
  );
}

const sameFields = (a: TaskFields, b: TaskFields) => JSON.stringify(a) === JSON.stringify(b);

function assertVersion(current: Task, expectedVersion: number | undefined) {
  if (expectedVersion !== undefined && expectedVersion !== current.version) throw versionConflict(current);
}

const versionConflict = (current: Task) =>
  new ConflictError(
    'version_conflict',
    `the task changed since version you edited (now version ${current.version})`,
    {
      current: toTaskJson(current),
    },
  );

function throwNotFound(): never {
  throw new NotFoundError('task');
}
