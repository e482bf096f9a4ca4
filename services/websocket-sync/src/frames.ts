import type { TaskListSnapshot, TaskSnapshot, TaskUpdate } from '@todo/contracts';

type Action = NonNullable<TaskUpdate['payload']['action']>;
type Notification = NonNullable<TaskUpdate['payload']['notification']>;

/** A frame as the sync log stores it; `seq` is the log's number for it, added when it is sent. */
export type LoggedFrame =
  | { type: 'task.sync'; event_type: `task.${Action}`; task: TaskSnapshot | null; task_id: string }
  | { type: 'notification'; notification: Notification }
  /** A list was created, changed (`list`) or deleted (`list` null). */
  | { type: 'list.sync'; event_type: `list.${Action}`; list: TaskListSnapshot | null; list_id: string };

/** What a client receives: logged frames with their number, and the connection's own frames. */
export type ServerFrame =
  | (LoggedFrame & { seq: number })
  /** Caught up: every frame up to `seq` was sent; live frames follow. */
  | { type: 'hello'; seq: number }
  /** Frames were missed that can no longer be sent one by one: refetch, then continue. */
  | { type: 'resync' }
  | { type: 'heartbeat' };

/** The frame a task-updates event becomes, or undefined when it carries nothing for a client. */
export function frameOf(event: TaskUpdate): LoggedFrame | undefined {
  if (event.event_type === 'notification.created') {
    const notification = event.payload.notification;
    return notification ? { type: 'notification', notification } : undefined;
  }
  if (event.event_type === 'list.sync') {
    const list = event.payload.list ?? null;
    const action = event.payload.action ?? (list ? 'updated' : 'deleted');
    return { type: 'list.sync', event_type: `list.${action}`, list, list_id: event.task_id };
  }
  const task = event.payload.task ?? null;
  // The action is optional in the contract; a missing task can only mean it is gone.
  const action = event.payload.action ?? (task ? 'updated' : 'deleted');
  return { type: 'task.sync', event_type: `task.${action}`, task, task_id: event.task_id };
}
