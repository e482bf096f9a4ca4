import type { ReminderEvent, TaskEvent, TaskUpdate } from '@todo/contracts';

/** The events the audit log records: every task event, list changes, new notifications, fired reminders. */
export type AuditedEvent =
  | TaskEvent
  | (TaskUpdate & { event_type: 'notification.created' | 'list.sync' })
  | ReminderEvent;

export const AUDITED_ACTIONS = [
  'task.created',
  'task.updated',
  'task.completed',
  'task.reopened',
  'task.deleted',
  'notification.created',
  'list.sync',
  'reminder.due',
] as const satisfies readonly AuditedEvent['event_type'][];

const MAX_TITLE = 80;

/** A title as a summary quotes it: on one line, and cut short when long. */
function quoted(title: string): string {
  const line = title.replace(/\s+/g, ' ').trim();
  return `"${line.length > MAX_TITLE ? `${line.slice(0, MAX_TITLE - 1)}…` : line}"`;
}

/** One line a person reads in the log, e.g. `completed "Pay rent"`. */
export function summarize(event: AuditedEvent): string {
  switch (event.event_type) {
    case 'task.updated': {
      const fields = event.payload.changed_fields ?? [];
      const title = quoted(event.payload.task.title);
      return fields.length > 0 ? `updated ${title}: ${fields.join(', ')}` : `updated ${title}`;
    }
    case 'task.created':
    case 'task.completed':
    case 'task.reopened':
    case 'task.deleted':
      return `${event.event_type.slice('task.'.length)} ${quoted(event.payload.task.title)}`;
    case 'notification.created':
      return `notified ${quoted(event.payload.notification?.title ?? '')}`;
    case 'list.sync': {
      const { action, list } = event.payload;
      return list ? `${action ?? 'updated'} list ${quoted(list.name)}` : 'deleted a list';
    }
    case 'reminder.due': {
      const { task_title, offset, late } = event.payload;
      return `reminder due for ${quoted(task_title)} (${offset} before due${late ? ', late' : ''})`;
    }
  }
}
