import { createHash } from 'node:crypto';
import { FieldError, isValidTimeZone, type Priority, type TaskInput } from '@todo/domain';
import { parseTaskText } from '@todo/domain/assistant/add-task';
import { CsvError, parse } from 'csv-parse/sync';
import type { ListService } from '../lists/list-service.js';
import { IMPORT_LIMITS, type ImportRun } from './import-run.js';

/**
 * Todoist's CSV export (one project a file): TYPE, CONTENT, DESCRIPTION, PRIORITY, INDENT,
 * AUTHOR, RESPONSIBLE, DATE, DATE_LANG, TIMEZONE, DURATION, DURATION_UNIT. TYPE is task, section
 * or note; INDENT 2 (or deeper) is a subtask of the task above; PRIORITY 4 is Todoist's p1.
 */
interface TodoistRow {
  line: number;
  type: string;
  content: string;
  description: string;
  priority: string;
  indent: number;
  date: string;
  timezone: string;
}

const REQUIRED_COLUMNS = ['TYPE', 'CONTENT'] as const;
/** A date phrase is short ("every other monday at 9am"); the reading of one is bounded with it. */
const DATE_LIMIT = 100;

/** Todoist's PRIORITY 4 is its p1, the most urgent; 1 (p4) is its default, "no priority". */
const PRIORITY: Record<string, Priority> = { '4': 'urgent', '3': 'high', '2': 'medium', '1': 'low' };

/** "@errands" in Todoist's CONTENT is a label. */
const LABEL = /(?:^|\s)@([\p{L}\p{N}_-]{1,50})(?=\s|$)/gu;

/** Reads the file's rows; a file that is not CSV, or not Todoist's, is refused whole (400 naming `body`). */
export function readTodoistCsv(text: string): TodoistRow[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      columns: (header: string[]) => header.map((name) => name.trim().toUpperCase()),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      to: IMPORT_LIMITS.items + 1,
    });
  } catch (error) {
    if (error instanceof CsvError) throw new FieldError('body', `is not valid CSV: ${error.message}`);
    throw error;
  }
  if (records.length > IMPORT_LIMITS.items)
    throw new FieldError('body', `has more than ${IMPORT_LIMITS.items} rows: split the file`);
  const first = records[0]?.record ?? {};
  for (const column of REQUIRED_COLUMNS) {
    if (records.length > 0 && !(column in first))
      throw new FieldError('body', `is not a Todoist CSV export: it has no ${column} column`);
  }
  return records.map(({ record, info }) => ({
    line: info.lines,
    type: (record.TYPE ?? '').trim().toLowerCase(),
    content: (record.CONTENT ?? '').trim(),
    description: (record.DESCRIPTION ?? '').trim(),
    priority: (record.PRIORITY ?? '').trim(),
    indent: Number.parseInt(record.INDENT ?? '1', 10) || 1,
    date: (record.DATE ?? '').trim(),
    timezone: (record.TIMEZONE ?? '').trim(),
  }));
}

/** A task row with the notes under it and what it was made into. */
interface Planned {
  row: TodoistRow;
  parent: Planned | null;
  notes: TodoistRow[];
  key: string;
  done?: { id: string | null; status: 'created' | 'skipped' | 'refused' };
}

/**
 * Imports the rows into `listName`'s list (made if the user has none of that name; the Inbox
 * without one). Each task's import key is a hash of its row and its parent's, so the same file
 * imported again is skipped row by row, while two equal rows of one file are both imported.
 */
export async function importTodoist(
  run: ImportRun,
  lists: ListService,
  rows: TodoistRow[],
  listName: string | undefined,
): Promise<void> {
  const { actor, trx } = run;
  let listId: string | null = null;
  if (listName !== undefined) {
    const key = `todoist:list:${listName.trim().toLowerCase()}`;
    const existing = (await lists.named(trx, actor, listName)) ?? null;
    if (existing) listId = existing.id;
    else {
      const created = await lists.createIn(trx, actor, { name: listName });
      await run.remember(key, 'list', created.id);
      listId = created.id;
      run.add({ at: 'list', kind: 'list', status: 'created', id: created.id, title: created.name });
    }
  }

  const planned: Planned[] = [];
  const seen = new Map<string, number>();
  let topLevel: Planned | null = null;
  let last: Planned | null = null;
  for (const row of rows) {
    const at = `line ${row.line}`;
    if (row.type === 'task') {
      const parent = row.indent > 1 ? topLevel : null;
      if (row.indent > 1 && !parent) {
        run.add({
          at,
          kind: 'task',
          status: 'refused',
          field: 'INDENT',
          reason: 'a subtask with no task above it',
        });
        last = null;
        continue;
      }
      const base = hash([
        row.content,
        row.description,
        row.priority,
        String(Math.min(row.indent, 2)),
        row.date,
        row.timezone,
        parent?.key ?? '',
        listId ?? 'inbox',
      ]);
      const ordinal = (seen.get(base) ?? 0) + 1;
      seen.set(base, ordinal);
      const item: Planned = { row, parent, notes: [], key: `todoist:task:${base}:${ordinal}` };
      planned.push(item);
      last = item;
      if (!parent) topLevel = item;
    } else if (row.type === 'note') {
      if (last) last.notes.push(row);
      else
        run.add({ at, kind: 'note', status: 'skipped', reason: 'a comment on the project, not on a task' });
    } else if (row.type === 'section') {
      topLevel = null;
      last = null;
      run.add({
        at,
        kind: 'section',
        status: 'skipped',
        title: row.content,
        reason: 'sections have no counterpart here: its tasks are imported into the list',
      });
    } else {
      run.add({
        at,
        kind: 'row',
        status: 'skipped',
        reason: `TYPE "${row.type.slice(0, 20)}" is not task, section or note`,
      });
    }
  }

  await run.preload(planned.map((item) => item.key));
  for (const item of planned) {
    const at = `line ${item.row.line}`;
    const earlier = await run.imported(item.key);
    if (earlier) {
      item.done = { id: earlier, status: 'skipped' };
      run.add({
        at,
        kind: 'task',
        status: 'skipped',
        id: earlier,
        title: item.row.content,
        reason: 'imported before',
      });
      notesOf(run, item);
      continue;
    }
    if (item.parent && item.parent.done?.status === 'refused') {
      item.done = { id: null, status: 'refused' };
      run.add({
        at,
        kind: 'task',
        status: 'refused',
        field: 'INDENT',
        reason: 'its parent task was refused',
      });
      continue;
    }
    const input = toInput(item, run);
    if (input instanceof FieldError) {
      item.done = { id: null, status: 'refused' };
      run.add({ at, kind: 'task', status: 'refused', field: input.field, reason: input.reason });
      continue;
    }
    const parentId = item.parent?.done?.id;
    if (parentId) input.parent_id = parentId;
    else if (listId) input.list_id = listId;
    const before = run.lines.length;
    const task = await run.task(at, item.key, input);
    const outcome = run.lines[before];
    item.done = { id: task?.id ?? null, status: task ? 'created' : 'refused' };
    if (item.row.indent > 2 && outcome)
      outcome.reason = 'subtasks are one level deep: made a subtask of the task above';
    notesOf(run, item);
  }
}

/** The report's lines for a task's notes: they went where the task went. */
function notesOf(run: ImportRun, item: Planned): void {
  for (const note of item.notes) {
    run.add({
      at: `line ${note.line}`,
      kind: 'note',
      status: item.done?.status ?? 'refused',
      ...(item.done?.id ? { id: item.done.id } : {}),
      reason: `in the description of the task on line ${item.row.line}`,
    });
  }
}

/** A task row as the write path's input; a FieldError naming the column it cannot read. */
function toInput(item: Planned, run: ImportRun): (TaskInput & { title: string }) | FieldError {
  const { row } = item;
  const tags: string[] = [];
  const title = row.content
    .replace(LABEL, (_match, label: string) => {
      tags.push(label);
      return ' ';
    })
    .trim();
  if (!title) return new FieldError('CONTENT', 'is empty');
  const description = [row.description, ...item.notes.map((note) => note.content)]
    .filter(Boolean)
    .join('\n\n');
  const input: TaskInput & { title: string } = { title };
  if (description) input.description = description;
  if (tags.length > 0) input.tags = tags;
  if (row.priority) {
    const priority = PRIORITY[row.priority];
    if (!priority) return new FieldError('PRIORITY', 'must be 1, 2, 3 or 4 (4 is the most urgent)');
    input.priority = priority;
  }
  if (row.date.length > DATE_LIMIT) return new FieldError('DATE', `must be at most ${DATE_LIMIT} characters`);
  if (row.date) {
    const timeZone = row.timezone && isValidTimeZone(row.timezone) ? row.timezone : run.actor.timeZone;
    const parsed = parseTaskText(row.date, { now: new Date(), timeZone, tasks: [], pending: null }, false);
    // Every word of DATE must be read as the date or its rule: a half-read date would be a wrong one.
    if (!parsed.fields.due_at || parsed.title.trim() !== '')
      return new FieldError('DATE', `"${row.date.slice(0, 60)}" is not a date this app reads`);
    input.due_at = parsed.fields.due_at;
    input.all_day = parsed.fields.all_day ?? false;
    if (parsed.fields.recurrence) input.recurrence = parsed.fields.recurrence;
    if (parsed.fields.recurrence_anchor) input.recurrence_anchor = parsed.fields.recurrence_anchor;
  }
  return input;
}

const hash = (parts: string[]) =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
