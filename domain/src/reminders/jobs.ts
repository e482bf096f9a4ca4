import type { Task } from '../tasks/task.js';
import { reminderFireTimes } from './index.js';

/** A reminder as a one-shot job: fire `offset` before the task's due time. */
export interface ReminderJob {
  name: string;
  dueAt: Date;
  data: { task_id: string; user_id: string; offset: string; fire_at: string; due_at: string };
}

/**
 * The reminder jobs an open task with a due date should have right now. Names are derived from
 * task, fire time and offset, so scheduling is idempotent and a changed due date makes new names
 * (the old jobs are cancelled by difference). Reminders whose time has already passed are not
 * scheduled: a reminder never fires for a moment that was in the past when it was set.
 */
export function reminderJobsFor(task: Task | null, timeZone: string, now: Date): ReminderJob[] {
  const dueAt = task?.dueAt;
  if (!task || !dueAt || task.status !== 'open' || task.reminders.length === 0) return [];
  return reminderFireTimes({ dueAt, allDay: task.allDay, timeZone, offsets: task.reminders })
    .filter(({ fireAt }) => fireAt.getTime() > now.getTime())
    .map(({ offset, fireAt }) => ({
      // Dapr job names allow letters, digits and dashes only.
      name: `reminder-${task.id}-${Math.floor(fireAt.getTime() / 1000)}-${offset.toLowerCase()}`,
      dueAt: fireAt,
      data: {
        task_id: task.id,
        user_id: task.userId,
        offset,
        fire_at: fireAt.toISOString(),
        due_at: dueAt.toISOString(),
      },
    }));
}

/** Which jobs to cancel and which to schedule when a task changes from `before` to `after`. */
export function reminderJobChanges(before: ReminderJob[], after: ReminderJob[]) {
  const beforeNames = new Set(before.map((job) => job.name));
  const afterNames = new Set(after.map((job) => job.name));
  return {
    cancel: before.filter((job) => !afterNames.has(job.name)).map((job) => job.name),
    schedule: after.filter((job) => !beforeNames.has(job.name)),
  };
}
