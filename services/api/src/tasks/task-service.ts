import { newEnvelope } from '@todo/contracts';
import {
  applyTaskInput,
  assertRecurs,
  ConflictError,
  DomainError,
  FieldError,
  fieldsOf,
  inputOf,
  localDateOf,
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
import type { TaskListQuery } from './task-query.js';
import {
  deleteTask,
  findFollowingOccurrence,
  findTask,
  insertTask,
  isUniqueViolation,
  listTasks,
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
  private readonly db: Db;
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
    return listTasks(this.db, actor.userId, query, localDateOf(this.clock(), actor.timeZone), actor.timeZone);
  }

  tags(actor: Actor) {
    return tagCounts(this.db, actor.userId);
  }

  async create(actor: Actor, input: TaskInput, position?: SeriesPosition): Promise<Task> {
    const fields = applyTaskInput(input);
    // A later occurrence carries its series' rule, whose last date may be this one.
    if (!position) assertRecurs(fields, actor.timeZone);
    const id = crypto.randomUUID();
    return this.insert(actor, {
      id,
      ...fields,
      status: 'open',
      seriesId: position?.seriesId ?? (fields.recurrence ? id : null),
      occurrence: position?.occurrence ?? 1,
      completedAt: null,
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
    const fields = applyTaskInput(input);
    try {
      return await this.insert(actor, {
        id,
        ...fields,
        status,
        seriesId: fields.recurrence ? id : null,
        occurrence: 1,
        completedAt: status === 'completed' ? (completedAt ?? this.clock()) : null,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('task_exists', 'the task is back already');
      throw error;
    }
  }

  private async insert(
    actor: Actor,
    fields: Omit<Task, 'userId' | 'createdAt' | 'updatedAt' | 'version'>,
  ): Promise<Task> {
    const now = this.clock();
    const task: Task = { ...fields, userId: actor.userId, createdAt: now, updatedAt: now, version: 1 };
    const change = await this.write(actor, async (trx) => ({
      action: 'created',
      before: null,
      after: await insertTask(trx, task),
    }));
    return change?.after ?? task;
  }

  /**
   * What the quick-add box would create from `text`: the chat's own reading of a new task, on the
   * server's clock in the user's zone, validated as a create is, and not written.
   */
  preview(actor: Actor, text: string): Required<TaskInput> {
    const context = { now: this.clock(), timeZone: actor.timeZone, tasks: [], pending: null };
    const payload = readNewTask(text, context);
    if (!payload) throw new FieldError('text', 'names no task: write what to do, e.g. “buy milk tomorrow”');
    const fields = applyTaskInput(payload);
    assertRecurs(fields, actor.timeZone);
    return inputOf(fields);
  }

  /**
   * The next occurrence of a series, made by the recurring-task service. Idempotent: the unique
   * (series, occurrence) index refuses a second one, whichever delivery or replica comes second.
   */
  async createOccurrence(actor: Actor, next: NextOccurrenceTask): Promise<Task | null> {
    try {
      return await this.create(actor, next.input, { seriesId: next.seriesId, occurrence: next.occurrence });
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
    return this.modify(actor, id, expectedVersion, (current) => {
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
    return this.modify(actor, id, expectedVersion, (current) => {
      const fields = applyTaskInput(input, fieldsOf(current));
      if (sameFields(fields, fieldsOf(current))) return null;
      // Checked when the rule is set: moving the last occurrence of a series keeps its rule.
      if (input.recurrence !== undefined) assertRecurs(fields, actor.timeZone);
      return {
        action: 'updated',
        next: {
          ...current,
          ...fields,
          // A task that gains a rule starts a series of its own.
          seriesId: current.seriesId ?? (fields.recurrence ? current.id : null),
        },
      };
    });
  }

  complete(actor: Actor, id: string, expectedVersion?: number): Promise<Revision> {
    return this.modify(actor, id, expectedVersion, (current) =>
      current.status === 'completed'
        ? null
        : { action: 'completed', next: { ...current, status: 'completed', completedAt: this.clock() } },
    );
  }

  reopen(actor: Actor, id: string, expectedVersion?: number): Promise<Revision> {
    return this.modify(actor, id, expectedVersion, (current) =>
      current.status === 'open'
        ? null
        : { action: 'reopened', next: { ...current, status: 'open', completedAt: null } },
    );
  }

  /** Deletes the task; returns it as it was. */
  async remove(actor: Actor, id: string, expectedVersion?: number): Promise<Task> {
    let current: Task | undefined;
    await this.write(actor, async (trx) => {
      current = (await findTask(trx, actor.userId, id, true)) ?? throwNotFound();
      assertVersion(current, expectedVersion);
      await deleteTask(trx, actor.userId, id);
      return { action: 'deleted', before: current, after: null };
    });
    return current as Task;
  }

  /** Read-modify-write under a row lock; `decide` returns null when nothing changes (no event, no bump). */
  private async modify(
    actor: Actor,
    id: string,
    expectedVersion: number | undefined,
    decide: (current: Task) => { action: TaskAction; next: Task } | null,
  ): Promise<Revision> {
    let current: Task | undefined;
    const change = await this.write(actor, async (trx) => {
      current = (await findTask(trx, actor.userId, id, true)) ?? throwNotFound();
      assertVersion(current, expectedVersion);
      const decision = decide(current);
      if (!decision) return null;
      const next = { ...decision.next, updatedAt: this.clock(), version: current.version + 1 };
      const after = await updateTask(trx, next, current.version);
      if (!after) throw versionConflict(current);
      return { action: decision.action, before: current, after };
    });
    const before = current as Task;
    return { before, after: change?.after ?? before };
  }

  private async write(
    actor: Actor,
    change: (trx: Transaction<Database>) => Promise<TaskChange | null>,
  ): Promise<TaskChange | null> {
    const result = await this.db.transaction().execute(async (trx) => {
      const result = await change(trx);
      if (!result) return null;
      await appendToOutbox(trx, taskEvents(result, actor));
      for (const participant of this.participants) await participant(trx, result, actor);
      return result;
    });
    if (result) this.onCommit();
    return result;
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
