import { FieldError, TASK_INPUT_FIELDS, TASK_STATUSES, type TaskInput, toTaskJson } from '@todo/domain';
import { type Static, type TSchema, Type } from 'typebox';
import { Value } from 'typebox/value';
import type { SavedFilters, SavedQuery } from '../filters/saved-filters.js';
import { TaskFilterQuery, taskInputProperties } from '../http/schemas.js';
import type { ListService } from '../lists/list-service.js';
import { findAllTasks, findOwnTaskIds } from '../tasks/task-repository.js';
import type { Actor, TaskService } from '../tasks/task-service.js';
import { IMPORT_LIMITS, type ImportRun } from './import-run.js';

/**
 * The export document (`GET /api/export`): everything a user owns, in one versioned JSON file
 * that `POST /api/import` takes back. A later version adds fields; an importer of version 1
 * ignores what it does not know.
 */
export const EXPORT_FORMAT = 'todo-chatbot-export';
export const EXPORT_VERSION = 1;

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });

export const ExportedSettings = Type.Object({
  timezone: Type.String({ maxLength: 100 }),
  email_notifications: Type.Boolean(),
});

export const ExportedList = Type.Object({
  id: Uuid,
  name: Type.String({ maxLength: 200 }),
  color: Type.Union([Type.String({ maxLength: 7 }), Type.Null()]),
  position: Type.Integer({ minimum: 0 }),
});

export const ExportedFilter = Type.Object({
  id: Uuid,
  name: Type.String({ maxLength: 200 }),
  query: TaskFilterQuery,
});

/** A task as exported: its settable fields, and the history an import keeps. */
export const ExportedTask = Type.Object({
  ...Type.Partial(Type.Object(taskInputProperties)).properties,
  title: taskInputProperties.title,
  id: Uuid,
  status: Type.Unsafe<(typeof TASK_STATUSES)[number]>({ type: 'string', enum: [...TASK_STATUSES] }),
  series_id: Type.Optional(Type.Union([Uuid, Type.Null()])),
  occurrence: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  created_at: Type.Optional(DateTime),
  completed_at: Type.Optional(Type.Union([DateTime, Type.Null()])),
});

const items = (schema: TSchema) => Type.Array(schema, { maxItems: IMPORT_LIMITS.items });

export const ExportDocument = Type.Object({
  format: Type.Literal(EXPORT_FORMAT),
  version: Type.Integer({ minimum: 1 }),
  exported_at: DateTime,
  settings: ExportedSettings,
  lists: items(ExportedList),
  saved_filters: items(ExportedFilter),
  tasks: items(ExportedTask),
});
export type ExportDocument = Static<typeof ExportDocument>;

/** What an import checks of the document as a whole; each item is checked on its own. */
export const ImportEnvelope = Type.Object({
  format: Type.Literal(EXPORT_FORMAT),
  version: Type.Integer({ minimum: 1, maximum: EXPORT_VERSION }),
  settings: Type.Optional(Type.Unknown()),
  lists: Type.Optional(items(Type.Unknown())),
  saved_filters: Type.Optional(items(Type.Unknown())),
  tasks: Type.Optional(items(Type.Unknown())),
});

export interface TransferDeps {
  tasks: TaskService;
  lists: ListService;
  filters: SavedFilters;
}

export async function exportDocument(
  { tasks, lists, filters }: TransferDeps,
  actor: Actor,
  settings: Static<typeof ExportedSettings>,
): Promise<ExportDocument> {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exported_at: new Date().toISOString(),
    settings,
    lists: (await lists.all(actor)).map(({ id, name, color, position }) => ({ id, name, color, position })),
    saved_filters: (await filters.all(actor)).map(({ id, name, query }) => ({ id, name, query })),
    tasks: (await findAllTasks(tasks.db, actor.userId)).map((task) => {
      const { user_id, updated_at, version, ...json } = toTaskJson(task);
      return json;
    }),
  };
}

/** The first problem of `value` against `schema`, named as a field under `prefix`. */
function problemOf(schema: TSchema, value: unknown, prefix: string): FieldError | null {
  const [first] = Value.Errors(schema, value);
  if (!first) return null;
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const missing = (first.params as { requiredProperties?: string[] } | undefined)?.requiredProperties?.[0];
  const field = [prefix, path, missing].filter(Boolean).join('.');
  return new FieldError(field || 'body', missing ? 'is required' : first.message);
}

/**
 * Imports an export document: settings, lists (one already named so is used, not doubled), tasks
 * (parents before subtasks, each with its list, parent and series mapped to the new ids) and
 * saved filters. An item imported before, or one of the user's own, is skipped.
 */
export async function importDocument(
  run: ImportRun,
  deps: TransferDeps,
  body: Record<string, unknown>,
): Promise<Static<typeof ExportedSettings> | null> {
  const { actor, trx } = run;
  const idsOf = (kind: string, items: unknown) =>
    ((Array.isArray(items) ? items : []) as { id?: unknown }[]).flatMap((item) =>
      typeof item?.id === 'string' ? [`export:${kind}:${item.id}`] : [],
    );
  await run.preload([
    ...idsOf('list', body.lists),
    ...idsOf('task', body.tasks),
    ...idsOf('filter', body.saved_filters),
  ]);
  const listIds = new Map<string, string>();
  const taskIds = new Map<string, string>();

  let settings: Static<typeof ExportedSettings> | null = null;
  if (body.settings !== undefined) {
    const problem = problemOf(ExportedSettings, body.settings, 'settings');
    if (problem) run.refuse('settings', 'settings', problem);
    else settings = body.settings as Static<typeof ExportedSettings>;
  }

  for (const [index, item] of ((body.lists ?? []) as unknown[]).entries()) {
    const at = `lists[${index}]`;
    const problem = problemOf(ExportedList, item, at);
    if (problem) {
      run.refuse(at, 'list', problem);
      continue;
    }
    const list = item as Static<typeof ExportedList>;
    const key = `export:list:${list.id}`;
    try {
      const earlier = (await run.imported(key)) ?? (await deps.lists.named(trx, actor, list.name))?.id;
      if (earlier) {
        listIds.set(list.id, earlier);
        run.add({
          at,
          kind: 'list',
          status: 'skipped',
          id: earlier,
          title: list.name,
          reason: 'you have this list',
        });
        continue;
      }
      const created = await deps.lists.createIn(trx, actor, list);
      await run.remember(key, 'list', created.id);
      listIds.set(list.id, created.id);
      run.add({ at, kind: 'list', status: 'created', id: created.id, title: created.name });
    } catch (error) {
      run.refuse(at, 'list', error, `${at}.`);
    }
  }

  const seriesIds = new Map<string, string>();
  const occurrences = new Set<string>();
  const entries = ((body.tasks ?? []) as unknown[]).map((item, index) => ({ item, at: `tasks[${index}]` }));
  // The document's tasks that are the user's own already (importing one's own export).
  const ownIds = await findOwnTaskIds(
    trx,
    actor.userId,
    entries.flatMap(({ item }) => {
      const id = (item as { id?: unknown } | null)?.id;
      return typeof id === 'string' && Value.Check(Uuid, id) ? [id] : [];
    }),
  );
  // Each task's new id, known before any is written: a series is named by its first task's id.
  const newIds = new Map<string, string>();
  for (const { item } of entries) {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id === 'string') newIds.set(id, crypto.randomUUID());
  }
  // Parents first, whatever the document's order.
  const isSubtask = ({ item }: { item: unknown }) =>
    typeof (item as { parent_id?: unknown } | null)?.parent_id === 'string';
  for (const { item, at } of [...entries.filter((e) => !isSubtask(e)), ...entries.filter(isSubtask)]) {
    const problem = problemOf(ExportedTask, item, at);
    if (problem) {
      run.refuse(at, 'task', problem);
      continue;
    }
    const task = item as Static<typeof ExportedTask>;
    if (ownIds.has(task.id)) {
      taskIds.set(task.id, task.id);
      run.add({
        at,
        kind: 'task',
        status: 'skipped',
        id: task.id,
        title: task.title,
        reason: 'this task is yours',
      });
      continue;
    }
    const input: TaskInput & { title: string } = { title: task.title };
    for (const field of TASK_INPUT_FIELDS) {
      if (task[field] !== undefined) Object.assign(input, { [field]: task[field] });
    }
    // The new ids of its list and parent, and of its series (one occurrence number once).
    const refusal = mapReferences(task, input, listIds, taskIds);
    let seriesId: string | undefined;
    if (!refusal && task.series_id) {
      seriesId = seriesIds.get(task.series_id) ?? newIds.get(task.series_id) ?? crypto.randomUUID();
      seriesIds.set(task.series_id, seriesId);
    }
    const occurrence = seriesId ? `${seriesId}#${task.occurrence ?? 1}` : null;
    const unplaced =
      refusal ??
      (occurrence && occurrences.has(occurrence)
        ? { field: 'occurrence', reason: 'a second task for this occurrence of its series' }
        : null);
    if (unplaced) {
      run.add({
        at,
        kind: 'task',
        status: 'refused',
        field: `${at}.${unplaced.field}`,
        reason: unplaced.reason,
      });
      continue;
    }
    if (occurrence) occurrences.add(occurrence);
    const created = await run.task(
      at,
      `export:task:${task.id}`,
      input,
      {
        status: task.status,
        ...(newIds.has(task.id) ? { id: newIds.get(task.id) as string } : {}),
        ...(seriesId ? { seriesId } : {}),
        ...(task.occurrence ? { occurrence: task.occurrence } : {}),
        ...(task.created_at ? { createdAt: new Date(task.created_at) } : {}),
        ...(task.completed_at ? { completedAt: new Date(task.completed_at) } : {}),
      },
      `${at}.`,
    );
    if (created) taskIds.set(task.id, created.id);
    else {
      const earlier = await run.imported(`export:task:${task.id}`);
      if (earlier) taskIds.set(task.id, earlier);
    }
  }

  for (const [index, item] of ((body.saved_filters ?? []) as unknown[]).entries()) {
    const at = `saved_filters[${index}]`;
    const problem = problemOf(ExportedFilter, item, at);
    if (problem) {
      run.refuse(at, 'filter', problem);
      continue;
    }
    const filter = item as Static<typeof ExportedFilter>;
    const key = `export:filter:${filter.id}`;
    const own = await trx
      .selectFrom('saved_filters')
      .select('id')
      .where('id', '=', filter.id)
      .where('user_id', '=', actor.userId)
      .executeTakeFirst();
    const earlier = own?.id ?? (await run.imported(key));
    if (earlier) {
      run.add({
        at,
        kind: 'filter',
        status: 'skipped',
        id: earlier,
        title: filter.name,
        reason: own ? 'this filter is yours' : 'imported before',
      });
      continue;
    }
    const query: SavedQuery = { ...filter.query };
    if (query.list && listIds.has(query.list)) query.list = listIds.get(query.list);
    try {
      const created = await deps.filters.createIn(trx, actor, filter.name, query);
      await run.remember(key, 'filter', created.id);
      run.add({ at, kind: 'filter', status: 'created', id: created.id, title: created.name });
    } catch (error) {
      run.refuse(at, 'filter', error, `${at}.`);
    }
  }
  return settings;
}

/** Points `input` at the new ids of the task's list and parent; what is missing, if one is. */
function mapReferences(
  task: Static<typeof ExportedTask>,
  input: TaskInput,
  listIds: Map<string, string>,
  taskIds: Map<string, string>,
): { field: string; reason: string } | null {
  if (task.list_id) {
    const listId = listIds.get(task.list_id);
    if (!listId) return { field: 'list_id', reason: 'its list was not imported' };
    input.list_id = listId;
  }
  if (task.parent_id) {
    const parentId = taskIds.get(task.parent_id);
    if (!parentId) return { field: 'parent_id', reason: 'its parent was not imported' };
    input.parent_id = parentId;
  }
  return null;
}
