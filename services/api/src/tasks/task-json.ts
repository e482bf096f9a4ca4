import type { TaskSnapshot } from '@todo/contracts';
import type { Task } from '@todo/domain';

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
