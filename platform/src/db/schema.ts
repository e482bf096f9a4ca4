import type { TaskRecord } from '@todo/domain/tasks/task';
import type { ColumnType, Generated } from 'kysely';

/** Row types of the database, as Kysely sees them (snake_case, like the SQL). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  timezone: string;
  email_notifications: Generated<boolean>;
  /** The address its owner proved to read; verified only while it equals `email`. */
  verified_email: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The task's columns are the contract's fields (TaskRecord); the database computes two more. */
export type TasksTable = Omit<TaskRecord, 'created_at' | 'updated_at'> & {
  created_at: Timestamp;
  updated_at: Timestamp;
  priority_rank: ColumnType<number, never, never>;
  search: ColumnType<string, never, never>;
};

/** A list (project) of tasks; a task's list_id refers to it, null being the Inbox. */
export interface ListsTable {
  id: string;
  user_id: string;
  name: string;
  color: string | null;
  position: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A named listing of tasks: `query` holds the filters of `GET /api/tasks` by their wire names. */
export interface SavedFiltersTable {
  id: string;
  user_id: string;
  name: string;
  query: ColumnType<Record<string, unknown>, string, string>;
  created_at: Timestamp;
}

/** An item `POST /api/import` created, by its import key (one import of each per user). */
export interface ImportedItemsTable {
  user_id: string;
  import_key: string;
  kind: 'task' | 'list' | 'filter';
  item_id: string;
  created_at: Generated<Date>;
}

export interface OutboxTable {
  id: Generated<string>;
  topic: string;
  partition_key: string;
  event_id: string;
  event: ColumnType<unknown, string, never>;
  created_at: Generated<Date>;
  published_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface IdempotencyKeysTable {
  key: string;
  status: 'processing' | 'done';
  claimed_at: Generated<Date>;
  expires_at: Date;
}

export interface DeadLettersTable {
  dlq_id: string;
  original_event_id: string;
  topic: string;
  consumer: string;
  envelope: ColumnType<unknown, string, never>;
  created_at: Generated<Date>;
  replayed_at: Date | null;
}

export interface ScheduledJobsTable {
  name: string;
  due_at: Date;
  data: ColumnType<unknown, string, string>;
  fired_at: Date | null;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  task_id: string;
  job_id: string;
  fire_at: Date;
  title: string;
  body: string;
  created_at: Timestamp;
  read_at: Date | null;
  late: boolean;
  emailed_at: Date | null;
}

/** A column written once: no update type, so code cannot even express an UPDATE of the row. */
type WriteOnce<T, Insert = T> = ColumnType<T, Insert, never>;

/** Append-only: besides the types here, a database trigger rejects UPDATE, DELETE and TRUNCATE. */
export interface AuditLogTable {
  id: WriteOnce<string>;
  seq: ColumnType<string, never, never>;
  event_id: WriteOnce<string>;
  user_id: WriteOnce<string>;
  task_id: WriteOnce<string>;
  action: WriteOnce<string>;
  occurred_at: WriteOnce<Date, Date | string>;
  correlation_id: WriteOnce<string>;
  topic: WriteOnce<string>;
  summary: WriteOnce<string>;
  details: WriteOnce<unknown, string>;
  recorded_at: ColumnType<Date, never, never>;
}

/** Frames websocket-sync pushed, numbered per event for resuming clients (seq is a bigint: string). */
export interface SyncLogTable {
  seq: ColumnType<string, never, never>;
  event_id: string;
  user_id: string;
  frame: ColumnType<unknown, string, never>;
  created_at: Generated<Date>;
}

/** A chat with the assistant; `pending` is the engine's state between turns (PendingState JSON). */
export interface ConversationsTable {
  id: string;
  user_id: string;
  title: string;
  pending: ColumnType<unknown, string | null, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ChatMessagesTable {
  id: string;
  conversation_id: string;
  role: 'user' | 'assistant';
  content: string;
  /** The tool calls the assistant made for this turn: [{ tool, input, result }]. */
  actions: ColumnType<unknown, string, never>;
  created_at: Timestamp;
}

/** Personal access tokens (MCP clients); only the SHA-256 of the token is kept. */
export interface AccessTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date;
  read_only: Generated<boolean>;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Generated<Date>;
  expires_at: Date;
  revoked_at: Date | null;
}

/** Links of verification e-mails: single-use, expiring, only the SHA-256 of the token kept. */
export interface EmailVerificationsTable {
  token_hash: string;
  user_id: string;
  /** The address the link was sent to: using it verifies that address, not a later one. */
  email: string;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
}

/** A user's secret calendar subscription address, as the SHA-256 of its token. */
export interface CalendarFeedsTable {
  user_id: string;
  token_hash: string;
  created_at: Generated<Date>;
}

export interface WsTicketsTable {
  ticket_hash: string;
  session_id: string;
  expires_at: Date;
}

export interface Database {
  idempotency_keys: IdempotencyKeysTable;
  dead_letters: DeadLettersTable;
  scheduled_jobs: ScheduledJobsTable;
  outbox: OutboxTable;
  users: UsersTable;
  tasks: TasksTable;
  lists: ListsTable;
  saved_filters: SavedFiltersTable;
  imported_items: ImportedItemsTable;
  conversations: ConversationsTable;
  chat_messages: ChatMessagesTable;
  access_tokens: AccessTokensTable;
  sessions: SessionsTable;
  ws_tickets: WsTicketsTable;
  email_verifications: EmailVerificationsTable;
  calendar_feeds: CalendarFeedsTable;
  notifications: NotificationsTable;
  audit_log: AuditLogTable;
  sync_log: SyncLogTable;
}
