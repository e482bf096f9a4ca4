import {
  applyTaskInput,
  assertRecurs,
  DomainError,
  FieldError,
  type Task,
  type TaskInput,
} from '@todo/domain';
import type { Database } from '@todo/platform/db/schema';
import type { Transaction } from 'kysely';
import type { Actor, KeptHistory, TaskChange, TaskService } from '../tasks/task-service.js';

/** Bounds of one import: one request, one transaction. */
export const IMPORT_LIMITS = { bytes: 2 * 1024 * 1024, items: 2_000 } as const;

export type ImportKind = 'settings' | 'list' | 'task' | 'filter' | 'note' | 'section' | 'row';
export type ImportStatus = 'created' | 'updated' | 'skipped' | 'refused';

/** One line of the import's report: what became of one item of the file. */
export interface ImportLine {
  /** Where in the file: "line 7" (CSV) or "tasks[3]" (an export document). */
  at: string;
  kind: ImportKind;
  status: ImportStatus;
  /** The item created, or the one already there that it was skipped for. */
  id?: string;
  title?: string;
  /** Why it was skipped or refused; for a refusal, the field of the item at fault. */
  reason?: string;
  field?: string;
}

export interface ImportReport {
  created: number;
  updated: number;
  skipped: number;
  refused: number;
  lines: ImportLine[];
}

export function summarize(lines: ImportLine[]): ImportReport {
  const count = (status: ImportStatus) => lines.filter((line) => line.status === status).length;
  return {
    created: count('created'),
    updated: count('updated'),
    skipped: count('skipped'),
    refused: count('refused'),
    lines,
  };
}

/**
 * One import inside one transaction of the task write path: each created task's events go
 * through the outbox (audit, live sync, reminders) with the write; each item's import key is
 * kept, so a second import of the same file finds it and skips it.
 */
export class ImportRun {
  readonly lines: ImportLine[] = [];
  readonly changes: TaskChange[] = [];

  constructor(
    readonly trx: Transaction<Database>,
    readonly actor: Actor,
    private readonly tasks: TaskService,
  ) {}

  /** What earlier imports made, by import key (loaded by `preload`, then kept up to date). */
  private readonly known = new Map<string, string>();
  private readonly loaded = new Set<string>();
  private readonly fresh: { import_key: string; kind: 'task' | 'list' | 'filter'; item_id: string }[] = [];

  /** Reads in one query which of `keys` earlier imports made. */
  async preload(keys: string[]): Promise<void> {
    for (let at = 0; at < keys.length; at += 1000) {
      const rows = await this.trx
        .selectFrom('imported_items')
        .select(['import_key', 'item_id'])
        .where('user_id', '=', this.actor.userId)
        .where('import_key', 'in', keys.slice(at, at + 1000))
        .execute();
      for (const row of rows) this.known.set(row.import_key, row.item_id);
    }
    for (const key of keys) this.loaded.add(key);
  }

  /** The id of what an earlier import (or this one) made of `key`, if one did. */
  async imported(key: string): Promise<string | null> {
    if (this.known.has(key) || this.loaded.has(key)) return this.known.get(key) ?? null;
    const row = await this.trx
      .selectFrom('imported_items')
      .select('item_id')
      .where('user_id', '=', this.actor.userId)
      .where('import_key', '=', key)
      .executeTakeFirst();
    if (row) this.known.set(key, row.item_id);
    return row?.item_id ?? null;
  }

  /** Keeps what `key` became; written with the rest by `flush`. */
  async remember(key: string, kind: 'task' | 'list' | 'filter', id: string): Promise<void> {
    this.known.set(key, id);
    this.fresh.push({ import_key: key, kind, item_id: id });
  }

  /** Writes the import keys of what this run created, in the run's transaction. */
  async flush(): Promise<void> {
    for (let at = 0; at < this.fresh.length; at += 1000) {
      await this.trx
        .insertInto('imported_items')
        .values(this.fresh.slice(at, at + 1000).map((row) => ({ ...row, user_id: this.actor.userId })))
        .execute();
    }
    this.fresh.length = 0;
  }

  add(line: ImportLine): void {
    this.lines.push(line);
  }

  /** Records a refusal of the write path (a DomainError) for the item at `at`; rethrows others. */
  refuse(at: string, kind: ImportKind, error: unknown, fieldPrefix = ''): void {
    if (!(error instanceof DomainError)) throw error;
    const field = error.field ? `${fieldPrefix}${error.field}` : undefined;
    const reason = error instanceof FieldError ? error.reason : error.message;
    this.add({ at, kind, status: 'refused', reason, ...(field ? { field } : {}) });
  }

  /**
   * Creates a task (unless `key` was imported before): the write path's checks, and its history
   * as `kept` says. Returns the task, or null when it was skipped or refused (reported either way).
   */
  async task(
    at: string,
    key: string,
    input: TaskInput & { title: string },
    kept: KeptHistory = {},
    fieldPrefix = '',
  ): Promise<Task | null> {
    const earlier = await this.imported(key);
    if (earlier) {
      this.add({
        at,
        kind: 'task',
        status: 'skipped',
        id: earlier,
        title: input.title,
        reason: 'imported before',
      });
      return null;
    }
    try {
      const applied = applyTaskInput(input);
      // A later or completed occurrence may be the last of its series, which a new task's rule may not.
      if ((kept.occurrence ?? 1) === 1 && kept.status !== 'completed')
        assertRecurs(applied, this.actor.timeZone);
      const task = await this.tasks.insertIn(this.trx, this.actor, input, applied, kept);
      await this.remember(key, 'task', task.id);
      this.changes.push({ action: 'created', before: null, after: task });
      this.add({ at, kind: 'task', status: 'created', id: task.id, title: task.title });
      return task;
    } catch (error) {
      this.refuse(at, 'task', error, fieldPrefix);
      return null;
    }
  }
}
