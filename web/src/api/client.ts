import { isOffline, noteAnswer } from '../lib/offline';
import type {
  AppNotification,
  ChatMessage,
  ChatReply,
  ConversationSummary,
  Me,
  Page,
  SavedFilter,
  TagCount,
  Task,
  TaskDraft,
  TaskList,
  ViewCounts,
} from './types';

/**
 * The app is signed in by an HttpOnly session cookie the server sets at login: no script can read
 * it, so no token sits in storage. Every request carries this header, which the server requires
 * of cookie-authenticated writes (a page of another origin cannot send it).
 */
const CSRF_HEADERS = { 'X-Todo-Csrf': '1' };

/** An error answered by the API (`{ error: { code, message, field? } }`) or a network failure. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; field?: string; current?: Task };
  current?: Task;
}

/** Called when the API answers 401, so the app can return to the sign-in screen. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: HeadersInit = {},
): Promise<T> {
  const allHeaders = new Headers(headers);
  if (body !== undefined) allHeaders.set('Content-Type', 'application/json');
  for (const [name, value] of Object.entries(CSRF_HEADERS)) allHeaders.set(name, value);
  // Offline the app shows its last copy, read-only: a write is refused here, never queued.
  if (method !== 'GET' && isOffline()) {
    throw new ApiError(
      0,
      'offline',
      'You are offline: nothing was changed. Try again once you are back online.',
    );
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: allHeaders,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection.');
  }
  noteAnswer(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (data as ErrorBody | undefined)?.error;
    if (response.status === 401 && !path.startsWith('/api/auth/')) onUnauthorized();
    throw new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? `The server answered ${response.status}.`,
      error?.field,
      data,
    );
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The machine code of an API error (`list_not_empty`, `open_subtasks`, ...), if it is one. */
export function errorCodeOf(error: unknown): string | null {
  return error instanceof ApiError ? error.code : null;
}

/** The server's copy of a task carried by a 409 version_conflict answer. */
export function conflictingTask(error: unknown): Task | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const body = error.body as ErrorBody | undefined;
  return body?.error?.current ?? body?.current ?? null;
}

export interface TaskQuery {
  q?: string;
  status?: string;
  priority?: string;
  tag?: string;
  due_before?: string;
  due_after?: string;
  overdue?: boolean;
  list?: string;
  parent?: string;
  view?: 'today' | 'upcoming';
  sort?: string;
  limit?: number;
  cursor?: string;
}

function queryString(params: object): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '' || value === false) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  signup: (email: string, password: string, timezone: string) =>
    request<{ token: string }>('POST', '/api/auth/signup', { email, password, timezone }),
  login: (email: string, password: string) =>
    request<{ token: string }>('POST', '/api/auth/login', { email, password }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  /** A single-use ticket for opening `/ws` (a WebSocket cannot carry the CSRF header). */
  wsTicket: () => request<{ ticket: string }>('POST', '/api/ws-ticket'),
  me: () => request<Me>('GET', '/api/me'),
  updateMe: (patch: Partial<Pick<Me, 'timezone' | 'email_notifications'>>) =>
    request<Me>('PATCH', '/api/me', patch),
  /** Mails a verification link to the account's address. */
  verifyEmail: () => request<{ sent_to: string; expires_at: string }>('POST', '/api/me/verify-email'),
  calendarFeed: () => request<{ active: boolean; created_at: string | null }>('GET', '/api/calendar-feed'),
  /** A new secret calendar address (shown once; an earlier one stops working). */
  createCalendarFeed: () => request<{ url: string; created_at: string }>('POST', '/api/calendar-feed'),
  revokeCalendarFeed: () => request<void>('DELETE', '/api/calendar-feed'),

  listTasks: (query: TaskQuery) => request<Page<Task>>('GET', `/api/tasks${queryString(query)}`),
  getTask: (id: string) => request<Task>('GET', `/api/tasks/${id}`),
  createTask: (draft: Partial<TaskDraft> & Pick<TaskDraft, 'title'>) =>
    request<Task>('POST', '/api/tasks', draft),
  /** The task a quick-add line would create (nothing is written). */
  parseTask: (text: string) => request<{ task: TaskDraft }>('POST', '/api/tasks/parse', { text }),
  updateTask: (id: string, patch: Partial<TaskDraft & Pick<Task, 'position'>>, version: number) =>
    request<Task>('PATCH', `/api/tasks/${id}`, patch, { 'If-Match': String(version) }),
  deleteTask: (id: string) => request<void>('DELETE', `/api/tasks/${id}`),
  completeTask: (id: string, subtasks?: 'complete' | 'keep') =>
    request<Task>('POST', `/api/tasks/${id}/complete${subtasks ? `?subtasks=${subtasks}` : ''}`),
  reopenTask: (id: string) => request<Task>('POST', `/api/tasks/${id}/reopen`),
  tags: () => request<{ items: TagCount[] }>('GET', '/api/tags'),

  lists: () => request<{ items: TaskList[] }>('GET', '/api/lists'),
  createList: (name: string) => request<TaskList>('POST', '/api/lists', { name }),
  deleteList: (id: string, tasks?: 'move' | 'delete') =>
    request<void>('DELETE', `/api/lists/${id}${tasks ? `?tasks=${tasks}` : ''}`),
  viewCounts: () => request<ViewCounts>('GET', '/api/views/counts'),
  filters: () => request<{ items: SavedFilter[] }>('GET', '/api/filters'),
  saveFilter: (name: string, query: SavedFilter['query']) =>
    request<SavedFilter>('POST', '/api/filters', { name, query }),
  deleteFilter: (id: string) => request<void>('DELETE', `/api/filters/${id}`),

  chat: (message: string, conversationId?: string) =>
    request<ChatReply>('POST', '/api/chat', { conversation_id: conversationId, message }),
  conversations: () => request<Page<ConversationSummary>>('GET', '/api/chat/conversations'),
  conversation: (id: string) =>
    request<ConversationSummary & { messages: ChatMessage[] }>('GET', `/api/chat/conversations/${id}`),
  deleteConversation: (id: string) => request<void>('DELETE', `/api/chat/conversations/${id}`),

  notifications: () => request<Page<AppNotification>>('GET', '/api/notifications'),
  markNotificationRead: (id: string) => request<void>('POST', `/api/notifications/${id}/read`),
  markAllNotificationsRead: () => request<void>('POST', '/api/notifications/read-all'),
};

/** Sends a DELETE that survives the page being closed (used to flush delayed deletions). */
export function deleteTaskOnUnload(id: string): void {
  void fetch(`/api/tasks/${id}`, { method: 'DELETE', keepalive: true, headers: CSRF_HEADERS }).catch(
    () => {},
  );
}
