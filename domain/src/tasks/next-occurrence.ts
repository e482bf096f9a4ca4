import { nextOccurrence } from '../recurrence/index.js';
import { inputOf, type TaskInput } from './fields.js';
import type { Task } from './task.js';

/** The next task of a series, as input to the ordinary write path, and its place in the series. */
export interface NextOccurrenceTask {
  input: TaskInput;
  seriesId: string;
  occurrence: number;
  /** The occurrence it follows: its subtasks come along as fresh copies. */
  previousId: string;
}

/**
 * What completing (or skipping) `task` at `completedAt` makes next: the same task one step later
 * in its series — or null when it does not recur or its series is over (COUNT/UNTIL).
 */
export function nextOccurrenceTask(
  task: Task,
  timeZone: string,
  completedAt: Date,
  now: Date,
): NextOccurrenceTask | null {
  if (!task.recurrence || !task.dueAt) return null;
  const next = nextOccurrence({
    rule: task.recurrence,
    anchor: task.recurrenceAnchor,
    timeZone,
    dueAt: task.dueAt,
    allDay: task.allDay,
    occurrence: task.occurrence,
    completedAt,
    now,
  });
  if (!next) return null;
  return {
    seriesId: task.seriesId ?? task.id,
    occurrence: next.occurrence,
    previousId: task.id,
    input: {
      ...inputOf(task),
      due_at: task.allDay ? next.dueAt.toISOString().slice(0, 10) : next.dueAt.toISOString(),
      // The rule carries what the next step needs (e.g. the month day a Jan 31 series started on).
      recurrence: next.rule,
    },
  };
}
