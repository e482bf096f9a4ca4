import type { TaskSnapshot } from '@todo/contracts';
import type { Task } from './task.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** The wire form of a task: snake_case, RFC 3339 UTC. Events carry the same form. */
export function toTaskJson(task: Task): TaskSnapshot {
  return {
    id: task.id,
    user_id: task.userId,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    tags: task.tags,
    due_at: iso(task.dueAt),
    all_day: task.allDay,
    reminders: task.reminders,
    recurrence: task.recurrence,
    recurrence_anchor: task.recurrenceAnchor,
    series_id: task.seriesId,
    occurrence: task.occurrence,
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
    completed_at: iso(task.completedAt),
    version: task.version,
  };
}

/** The inverse of toTaskJson, for consumers that receive a task in an event. */
export function fromTaskJson(snapshot: TaskSnapshot): Task {
  const date = (value: string | null) => (value ? new Date(value) : null);
  return {
    id: snapshot.id,
    userId: snapshot.user_id,
    title: snapshot.title,
    description: snapshot.description,
    status: snapshot.status,
    priority: snapshot.priority,
    tags: snapshot.tags,
    dueAt: date(snapshot.due_at),
    allDay: snapshot.all_day,
    reminders: snapshot.reminders,
    recurrence: snapshot.recurrence,
    recurrenceAnchor: snapshot.recurrence_anchor,
    seriesId: snapshot.series_id,
    occurrence: snapshot.occurrence,
    createdAt: new Date(snapshot.created_at),
    updatedAt: new Date(snapshot.updated_at),
    completedAt: date(snapshot.completed_at),
    version: snapshot.version,
  };
}
