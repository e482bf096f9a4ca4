import type { Priority, RecurrenceAnchor, Task, TaskDraft } from '../api/types';
import { emptyRecurrenceForm, fromRRule, type RecurrenceForm, toRRule } from './recurrence';
import {
  allDayDate,
  dateInputValue,
  parseDateInput,
  parseTimeInput,
  timeInputValue,
  type WallClock,
  wallClockIn,
  wallClockToInstant,
} from './time';

/** What the task dialog edits; due date and time are wall-clock values in the user's time zone. */
export interface TaskForm {
  title: string;
  description: string;
  priority: Priority;
  tags: string[];
  dueDate: string;
  dueTime: string;
  allDay: boolean;
  reminders: string[];
  recurrence: RecurrenceForm;
  recurrenceAnchor: RecurrenceAnchor;
  /** The list (null: the Inbox); a subtask's is its parent's. */
  listId: string | null;
  parentId: string | null;
}

const DEFAULT_TIME = '09:00';

export function newTaskForm(listId: string | null = null): TaskForm {
  return {
    title: '',
    description: '',
    priority: 'medium',
    tags: [],
    dueDate: '',
    dueTime: DEFAULT_TIME,
    allDay: false,
    reminders: [],
    recurrence: emptyRecurrenceForm(null),
    recurrenceAnchor: 'due',
    listId,
    parentId: null,
  };
}

export function taskToForm(task: Task, timeZone: string): TaskForm {
  const due = task.due_at
    ? task.all_day
      ? allDayDate(task.due_at)
      : wallClockIn(new Date(task.due_at), timeZone)
    : null;
  return {
    title: task.title,
    description: task.description,
    priority: task.priority,
    tags: task.tags,
    dueDate: due ? dateInputValue(due) : '',
    dueTime: due && !task.all_day ? timeInputValue(due) : DEFAULT_TIME,
    allDay: task.all_day,
    reminders: task.reminders,
    recurrence: fromRRule(task.recurrence, due),
    recurrenceAnchor: task.recurrence_anchor,
    listId: task.list_id ?? null,
    parentId: task.parent_id ?? null,
  };
}

/** The due wall clock the form describes, or null without a due date. */
export function formDue(form: TaskForm): WallClock | null {
  const date = parseDateInput(form.dueDate);
  if (!date) return null;
  const time = form.allDay
    ? { hour: 0, minute: 0 }
    : (parseTimeInput(form.dueTime) ?? { hour: 9, minute: 0 });
  return { ...date, ...time };
}

export function formToDraft(form: TaskForm, timeZone: string): TaskDraft {
  const due = formDue(form);
  let dueAt: string | null = null;
  if (due) {
    dueAt = form.allDay
      ? new Date(Date.UTC(due.year, due.month - 1, due.day)).toISOString()
      : wallClockToInstant(due, timeZone).toISOString();
  }
  return {
    title: form.title.trim(),
    description: form.description.trim(),
    priority: form.priority,
    tags: form.tags,
    due_at: dueAt,
    all_day: due ? form.allDay : false,
    reminders: due ? form.reminders : [],
    recurrence: due ? toRRule(form.recurrence) : null,
    recurrence_anchor: form.recurrenceAnchor,
    list_id: form.listId,
    parent_id: form.parentId,
  };
}

/** Whether two values of a task field mean the same (due times compare to the minute, as the form edits them). */
export function sameFieldValue(key: keyof TaskDraft, a: unknown, b: unknown): boolean {
  if (key === 'due_at' && typeof a === 'string' && typeof b === 'string') {
    return Math.floor(Date.parse(a) / 60_000) === Math.floor(Date.parse(b) / 60_000);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The draft fields that differ from `task` (so an edit only sends what the user changed). */
export function changedFields(task: Task, draft: TaskDraft): Partial<TaskDraft> {
  const changes: Partial<TaskDraft> = {};
  for (const key of Object.keys(draft) as (keyof TaskDraft)[]) {
    // A field a 1.0 server leaves out is null.
    if (!sameFieldValue(key, draft[key], task[key] ?? null)) Object.assign(changes, { [key]: draft[key] });
  }
  return changes;
}
