import { newEnvelope, type TaskListSnapshot } from '@todo/contracts';
import { ConflictError, collapseWhitespace, FieldError, NotFoundError } from '@todo/domain';
import type { Db } from '@todo/platform/db/connect';
import type { Database } from '@todo/platform/db/schema';
import { appendToOutbox } from '@todo/platform/outbox/append';
import type { Transaction } from 'kysely';
import { findTasksInList, isUniqueViolation } from '../tasks/task-repository.js';
import type { Actor, TaskChange, TaskService } from '../tasks/task-service.js';
import {
  countLists,
  deleteList,
  findList,
  findListNamed,
  insertList,
  type ListRecord,
  listLists,
  updateList,
} from './list-repository.js';

export const LIST_LIMITS = { name: 100, lists: 200, position: 1_000_000 } as const;

/** What a client sends for a list (wire names); absent means "keep" on update. */
export interface ListInput {
  name?: string;
  color?: string | null;
  position?: number;
}

/** What deleting a list with tasks does to them: to the Inbox, or deleted with it. */
export const LIST_TASK_CHOICES = ['move', 'delete'] as const;
export type ListTaskChoice = (typeof LIST_TASK_CHOICES)[number];

export type ListAction = 'created' | 'updated' | 'deleted';

export const toListJson = (list: ListRecord): TaskListSnapshot => ({
  ...list,
  created_at: list.created_at.toISOString(),
  updated_at: list.updated_at.toISOString(),
});

/** Deleting a list that has tasks needs the client's choice of what becomes of them. */
class ListNotEmptyError extends ConflictError {
  override readonly field = 'tasks';

  constructor(count: number) {
    super(
      'list_not_empty',
      `this list has ${count} task${count === 1 ? '' : 's'}: move them to the Inbox (tasks=move) or delete them (tasks=delete)`,
      { tasks: count },
    );
  }
}

/**
 * Lists (projects): a user's tasks grouped, a task's list_id pointing here (null is the Inbox).
 * Every change goes through the task write path's transaction, so a list deleted with its tasks
 * emits each task's events too, and open clients learn of the list itself from a list.sync event.
 */
export class ListService {
  constructor(private readonly tasks: TaskService) {}

  all(actor: Actor): Promise<ListRecord[]> {
    return listLists(this.tasks.db, actor.userId);
  }

  async get(actor: Actor, id: string): Promise<ListRecord> {
    return (await findList(this.tasks.db, actor.userId, id)) ?? throwNotFound();
  }

  /** The user's list with this id or (case-insensitive) name; "inbox" is null, the Inbox. */
  async resolve(actor: Actor, idOrName: string, db: Db = this.tasks.db): Promise<ListRecord | null> {
    if (idOrName.trim().toLowerCase() === 'inbox') return null;
    if (UUID.test(idOrName)) {
      const list = await findList(db, actor.userId, idOrName);
      if (!list) throw new FieldError('list', 'no such list');
      return list;
    }
    const list = await findListNamed(db, actor.userId, normalizeName(idOrName));
    if (!list) throw new FieldError('list', `you have no list named "${idOrName.slice(0, 100)}"`);
    return list;
  }

  async create(actor: Actor, input: ListInput & { name: string }): Promise<ListRecord> {
    let created: ListRecord | undefined;
    await uniqueName(() =>
      this.tasks.write(
        actor,
        async (trx) => {
          created = await this.createIn(trx, actor, input);
          return [];
        },
        { appendsEvents: true },
      ),
    );
    return created as ListRecord;
  }

  /** A new list in `trx`, with its live-sync event, for a write of the task service (an import). */
  async createIn(
    trx: Transaction<Database>,
    actor: Actor,
    input: ListInput & { name: string },
  ): Promise<ListRecord> {
    const name = normalizeName(input.name);
    const color = normalizeColor(input.color ?? null);
    const count = await countLists(trx, actor.userId);
    if (count >= LIST_LIMITS.lists) throw new FieldError('name', `at most ${LIST_LIMITS.lists} lists`);
    const now = new Date();
    const created = await insertList(trx, {
      id: crypto.randomUUID(),
      user_id: actor.userId,
      name,
      color,
      position: input.position ?? count,
      created_at: now,
      updated_at: now,
    });
    await appendToOutbox(trx, [listEvent(actor, 'created', created)]);
    return created;
  }

  /** The user's list of this name (case-insensitive), in `trx`. */
  named(trx: Transaction<Database>, actor: Actor, name: string): Promise<ListRecord | null> {
    return findListNamed(trx, actor.userId, normalizeName(name));
  }

  async update(actor: Actor, id: string, input: ListInput): Promise<ListRecord> {
    let updated: ListRecord | undefined;
    await this.writeList(actor, 'updated', async (trx) => {
      const current = (await findList(trx, actor.userId, id, true)) ?? throwNotFound();
      updated = await updateList(trx, {
        ...current,
        ...(input.name !== undefined ? { name: normalizeName(input.name) } : {}),
        ...(input.color !== undefined ? { color: normalizeColor(input.color) } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        updated_at: new Date(),
      });
      return { list: updated, changes: [] };
    });
    return updated as ListRecord;
  }

  /** Deletes the list; its tasks (with their subtasks) move to the Inbox or go with it, as `choice` says. */
  async remove(actor: Actor, id: string, choice?: ListTaskChoice): Promise<void> {
    await this.writeList(actor, 'deleted', async (trx) => {
      const list = (await findList(trx, actor.userId, id, true)) ?? throwNotFound();
      const inList = await findTasksInList(trx, actor.userId, id);
      if (inList.length > 0 && choice === undefined) throw new ListNotEmptyError(inList.length);
      const changes =
        choice === 'delete'
          ? await this.tasks.deleteIn(trx, inList)
          : await this.tasks.moveToInboxIn(trx, inList);
      await deleteList(trx, actor.userId, id);
      return { list, changes };
    });
  }

  /** One transaction of the task write path, with the list's own live-sync event. */
  private async writeList(
    actor: Actor,
    action: ListAction,
    work: (trx: Transaction<Database>) => Promise<{ list: ListRecord; changes: TaskChange[] }>,
  ): Promise<void> {
    await uniqueName(() =>
      this.tasks.write(
        actor,
        async (trx) => {
          const { list, changes } = await work(trx);
          await appendToOutbox(trx, [listEvent(actor, action, list)]);
          return changes;
        },
        { appendsEvents: true },
      ),
    );
  }
}

/** Runs a list write, answering the unique name index's refusal as a conflict. */
async function uniqueName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError('list_exists', 'you already have a list of that name');
    throw error;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A list's change for the user's open clients (task-updates; the list's id is the partition key). */
function listEvent(actor: Actor, action: ListAction, list: ListRecord) {
  return {
    topic: 'task-updates' as const,
    event: {
      ...newEnvelope({
        eventType: 'list.sync' as const,
        userId: actor.userId,
        taskId: list.id,
        correlationId: actor.correlationId,
      }),
      payload: { action, list: action === 'deleted' ? null : toListJson(list) },
    },
  };
}

function normalizeName(name: string): string {
  const value = collapseWhitespace(name);
  if (!value) throw new FieldError('name', 'must not be blank');
  if (value.length > LIST_LIMITS.name)
    throw new FieldError('name', `must be at most ${LIST_LIMITS.name} characters`);
  return value;
}

const COLOR = /^#[0-9a-f]{6}$/i;

function normalizeColor(color: string | null): string | null {
  if (color === null) return null;
  if (!COLOR.test(color)) throw new FieldError('color', 'must be a hex colour like #3b82f6, or null');
  return color.toLowerCase();
}

function throwNotFound(): never {
  throw new NotFoundError('list');
}
