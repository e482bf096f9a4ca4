/** Wire types of the HTTP API (snake_case, times RFC 3339 UTC). */
import type { TaskListSnapshot, TaskSnapshot } from '@todo/contracts/generated';

/** The task resource as the API's event contract defines it, plus a parent's subtask progress. */
export type Task = TaskSnapshot & { subtasks?: { total: number; completed: number } };
export type TaskList = TaskListSnapshot;
export type TaskStatus = Task['status'];
export type Priority = Task['priority'];
export type RecurrenceAnchor = Task['recurrence_anchor'];
export const PRIORITIES: readonly Priority[] = ['urgent', 'high', 'medium', 'low'];

/** The fields a client may write when creating or editing a task. */
export type TaskDraft = Pick<
  Task,
  | 'title'
  | 'description'
  | 'priority'
  | 'tags'
  | 'due_at'
  | 'all_day'
  | 'reminders'
  | 'recurrence'
  | 'recurrence_anchor'
  | 'list_id'
  | 'parent_id'
>;

/** What GET /api/views/counts answers: the sidebar's numbers. */
export interface ViewCounts {
  today: number;
  upcoming: number;
  inbox: number;
  lists: { list_id: string; count: number }[];
  filters: { filter_id: string; count: number }[];
}

/** A saved filter: a name for query parameters of GET /api/tasks. */
export interface SavedFilter {
  id: string;
  name: string;
  query: Record<string, string | boolean>;
  created_at: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Me {
  id: string;
  email: string;
  timezone: string;
  email_notifications: boolean;
  /** Reminder e-mails go only to a verified address. */
  email_verified: boolean;
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface AppNotification {
  id: string;
  task_id: string | null;
  title: string;
  body: string;
  created_at: string;
  read_at: string | null;
  late: boolean;
}

export interface ChatAction {
  tool: string;
  input: Record<string, unknown>;
  result: unknown;
}

export interface ChatReply {
  conversation_id: string;
  reply: string;
  actions: ChatAction[];
}

export interface ChatMessage {
  id?: string;
  role: 'user' | 'assistant';
  content: string;
  actions?: ChatAction[];
  created_at?: string;
}

export interface ConversationSummary {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
}

export type SyncFrame =
  | { type: 'task.sync'; seq: number; event_type: string; task: Task | null; task_id: string }
  | { type: 'notification'; seq: number; notification: AppNotification }
  | { type: 'list.sync'; seq: number; event_type: string; list: TaskList | null; list_id: string }
  /** Caught up to `seq`; live frames follow. */
  | { type: 'hello'; seq: number }
  /** Frames were missed that the server can no longer replay: re-read everything. */
  | { type: 'resync' }
  | { type: 'heartbeat' };
