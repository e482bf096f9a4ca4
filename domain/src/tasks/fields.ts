import type { TaskSnapshot } from '@todo/contracts';
import { upcomingOccurrences, validateRecurrence } from '../recurrence/index.js';
import { validateReminderOffset } from '../reminders/index.js';
import { FieldError } from './errors.js';
import { DOMAIN_NAME, TASK_INPUT_FIELDS, type Task, type TaskInputField } from './task.js';

export const LIMITS = {
  title: 500,
  description: 10_000,
  tags: 20,
  tag: 50,
  reminders: 10,
} as const;

/** The fields a client may set on a task, after normalization. */
export type TaskFields = Pick<Task, (typeof DOMAIN_NAME)[TaskInputField]>;

/** What a client sends (snake_case, as on the wire); absent means "keep" on update, "default" on create. */
export type TaskInput = Partial<Pick<TaskSnapshot, TaskInputField>>;

const DEFAULTS: TaskFields = {
  title: '',
  description: '',
  priority: 'medium',
  tags: [],
  dueAt: null,
  allDay: false,
  reminders: [],
  recurrence: null,
  recurrenceAnchor: 'due',
  listId: null,
  parentId: null,
  // The write path puts a new task last; this is only the base an input is applied to.
  position: 0,
};

export function fieldsOf(task: Task): TaskFields {
  const fields: Partial<Record<keyof TaskFields, unknown>> = {};
  for (const field of TASK_INPUT_FIELDS) fields[DOMAIN_NAME[field]] = task[DOMAIN_NAME[field]];
  return fields as TaskFields;
}

/** A task's settable fields as a client sends them (REST names): what recreating it would send. */
export function inputOf(task: TaskFields): Required<TaskInput> {
  const input: Partial<Record<TaskInputField, unknown>> = {};
  for (const field of TASK_INPUT_FIELDS) {
    const value = task[DOMAIN_NAME[field]];
    input[field] = value instanceof Date ? value.toISOString() : value;
  }
  return input as Required<TaskInput>;
}

/**
 * Applies `input` over `base` (the defaults when creating) and validates the result as a whole, so
 * that a combination no single field shows — reminders without a due date — is refused too.
 * Throws FieldError naming the first offending field.
 */
export function applyTaskInput(input: TaskInput, base: TaskFields = DEFAULTS): TaskFields {
  const next: TaskFields = { ...base };
  if (input.title !== undefined) next.title = normalizeTitle(input.title);
  if (input.description !== undefined) next.description = normalizeDescription(input.description);
  if (input.priority !== undefined) next.priority = input.priority;
  if (input.tags !== undefined) next.tags = normalizeTags(input.tags);
  if (input.all_day !== undefined) next.allDay = input.all_day;
  // Clearing the date of an all-day task leaves it undated (unless all_day: true is said outright).
  if (input.due_at === null && input.all_day === undefined) next.allDay = false;
  if (input.due_at !== undefined) {
    next.dueAt = input.due_at === null ? null : parseDue(input.due_at, next.allDay);
  } else if (input.all_day !== undefined && next.dueAt) {
    // Switching an existing due date to all-day keeps its calendar date.
    next.dueAt = next.allDay ? startOfUtcDay(next.dueAt) : next.dueAt;
  }
  if (input.reminders !== undefined) next.reminders = normalizeReminders(input.reminders);
  if (input.recurrence !== undefined) next.recurrence = normalizeRecurrence(input.recurrence);
  if (input.recurrence_anchor !== undefined) next.recurrenceAnchor = input.recurrence_anchor;
  // Whether the list and the parent exist and are the user's is the write path's to check.
  if (input.list_id !== undefined) next.listId = input.list_id;
  if (input.parent_id !== undefined) next.parentId = input.parent_id;
  if (input.position !== undefined) next.position = normalizePosition(input.position);

  if (!next.title) throw new FieldError('title', 'is required');
  if (next.allDay && !next.dueAt) throw new FieldError('all_day', 'an all-day task needs due_at');
  if (next.reminders.length > 0 && !next.dueAt) {
    throw new FieldError('reminders', 'reminders are offsets before due_at, so they need due_at');
  }
  if (next.recurrence && !next.dueAt) {
    throw new FieldError('recurrence', 'a recurring task needs due_at, the date of its first occurrence');
  }
  if (next.recurrence && next.parentId) {
    throw new FieldError(
      'recurrence',
      "a subtask does not repeat on its own: its recurring parent's next occurrence brings a fresh copy",
    );
  }
  return next;
}

/**
 * Refuses a rule that gives no date after the task's own due date (UNTIL before it, COUNT=1):
 * such a "recurring" task would only fail with `series_ended` when completed or skipped. The
 * dates are counted in the user's zone, as the series computes them.
 */
export function assertRecurs(fields: TaskFields, timeZone: string): void {
  if (!fields.recurrence || !fields.dueAt) return;
  const dates = upcomingOccurrences({
    rule: fields.recurrence,
    timeZone,
    start: fields.dueAt,
    allDay: fields.allDay,
    count: 2,
  });
  if (dates.length < 2) {
    throw new FieldError(
      'recurrence',
      'this rule repeats no date after due_at (is UNTIL before it, or COUNT 1?); drop the rule for a one-off task',
    );
  }
}

function normalizeTitle(title: string): string {
  const value = collapseWhitespace(title);
  if (!value) throw new FieldError('title', 'must not be blank');
  if (value.length > LIMITS.title)
    throw new FieldError('title', `must be at most ${LIMITS.title} characters`);
  return value;
}

function normalizeDescription(description: string): string {
  const value = stripControl(description).trim();
  if (value.length > LIMITS.description) {
    throw new FieldError('description', `must be at most ${LIMITS.description} characters`);
  }
  return value;
}

const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}_\-./]*$/u;

/** Tags are case-insensitive labels: "#Work" and "work" are one tag. */
export function normalizeTags(tags: string[]): string[] {
  if (tags.length > LIMITS.tags) throw new FieldError('tags', `at most ${LIMITS.tags} tags`);
  const seen = new Set<string>();
  tags.forEach((raw, index) => {
    const tag = raw.trim().replace(/^#/, '').toLowerCase();
    if (!tag) throw new FieldError(`tags.${index}`, 'must not be blank');
    if (tag.length > LIMITS.tag)
      throw new FieldError(`tags.${index}`, `must be at most ${LIMITS.tag} characters`);
    if (!TAG_PATTERN.test(tag)) {
      throw new FieldError(
        `tags.${index}`,
        'letters, digits and _ - . / only, starting with a letter or digit',
      );
    }
    seen.add(tag);
  });
  return [...seen];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// RFC 3339 section 5.6: the offset is mandatory, so a time is never read in the server's zone.
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})$/;
const MIN_DUE = Date.UTC(1970, 0, 1);
const MAX_DUE = Date.UTC(9999, 11, 31);

/**
 * A due date is an RFC 3339 date-time with an offset, or — for all-day tasks — a calendar date
 * (stored as midnight UTC of that date, so it never shifts with the viewer's time zone).
 */
function parseDue(value: string, allDay: boolean): Date {
  const dateOnly = DATE_ONLY.test(value);
  if (dateOnly && !allDay) {
    throw new FieldError('due_at', 'a date without a time needs all_day: true (or give a time and offset)');
  }
  const calendarDate = dateOnly ? value : DATE_TIME.exec(value)?.[1];
  const parsed = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  // Date rolls 2026-02-30 over into March; a date that does not exist is an error, not a guess.
  const realDate =
    calendarDate && new Date(`${calendarDate}T00:00:00Z`).toISOString().startsWith(calendarDate);
  if (!realDate || Number.isNaN(parsed.getTime())) {
    throw new FieldError(
      'due_at',
      `"${value}" is not a valid RFC 3339 date-time (e.g. 2026-03-14T09:00:00+01:00)`,
    );
  }
  if (parsed.getTime() < MIN_DUE || parsed.getTime() > MAX_DUE) {
    throw new FieldError('due_at', 'must be between 1970-01-01 and 9999-12-31');
  }
  return allDay ? startOfUtcDay(parsed) : parsed;
}

const startOfUtcDay = (date: Date) =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));

function normalizeReminders(reminders: string[]): string[] {
  if (reminders.length > LIMITS.reminders) {
    throw new FieldError('reminders', `at most ${LIMITS.reminders} reminders`);
  }
  const offsets = reminders.map((offset, index) => {
    const result = validateReminderOffset(offset);
    if (!result.ok) throw new FieldError(`reminders.${index}`, result.reason);
    return result.offset;
  });
  return [...new Set(offsets)];
}

/** Positions are compared as doubles: finite, and within the range where midpoints stay distinct. */
function normalizePosition(position: number): number {
  if (!Number.isFinite(position) || Math.abs(position) > 1e15)
    throw new FieldError('position', 'must be a finite number between -1e15 and 1e15');
  return position;
}

function normalizeRecurrence(rule: string | null): string | null {
  if (rule === null || rule.trim() === '') return null;
  const result = validateRecurrence(rule);
  if (!result.ok) throw new FieldError('recurrence', result.reason);
  return result.rule;
}

// Control characters other than newline and tab never belong in user text (and break terminals, logs).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
const stripControl = (value: string) => value.replace(CONTROL, '');
/** User text on one line: control characters dropped, runs of whitespace one space (titles, names). */
export const collapseWhitespace = (value: string) => stripControl(value).replace(/\s+/g, ' ').trim();
