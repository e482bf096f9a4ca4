/** Wire types of the HTTP API (snake_case, times RFC 3339 UTC). */
import type { TaskSnapshot } from '@todo/contracts/generated';

/** The task resource, exactly as the API's event contract defines it. */
export type Task = TaskSnapshot;
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
>;

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
  /** Caught up to `seq`; live frames follow. */
  | { type: 'hello'; seq: number }
  /** Frames were missed that the server can no longer replay: re-read everything. */
  | { type: 'resync' }
  | { type: 'heartbeat' };
