import { useSyncExternalStore } from 'react';

/**
 * The installable app's offline copy: the service worker (src/sw.ts) keeps the last answer of
 * each read that draws the workspace, and serves it, marked with OFFLINE_COPY_HEADER, when the
 * network is gone. Writes are never queued: offline the app is read-only, and says so.
 */
export const OFFLINE_CACHE = 'todo-api-reads';
export const OFFLINE_COPY_HEADER = 'X-Todo-Offline-Copy';
/**
 * The reads kept for offline use (each a path prefix): the account, the task list, tags,
 * notifications, and the sidebar's lists, saved filters and views (Upcoming, counts).
 */
export const OFFLINE_READS = [
  '/api/me',
  '/api/tasks',
  '/api/tags',
  '/api/notifications',
  '/api/lists',
  '/api/filters',
  '/api/views',
];

export interface Connectivity {
  online: boolean;
  /** When the copy on screen was fetched (the cached answer's Date), while one is shown. */
  copyFrom: string | null;
}

let state: Connectivity = { online: typeof navigator === 'undefined' || navigator.onLine, copyFrom: null };
const listeners = new Set<() => void>();

function update(next: Partial<Connectivity>): void {
  if (Object.entries(next).every(([key, value]) => state[key as keyof Connectivity] === value)) return;
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => update({ online: true, copyFrom: null }));
  window.addEventListener('offline', () => update({ online: false }));
}

/** Called by the API client for every answer: a fresh one ends the "copy" state. */
export function noteAnswer(response: Response): void {
  const copyFrom = response.headers.get(OFFLINE_COPY_HEADER);
  update(copyFrom ? { copyFrom } : { copyFrom: null, online: true });
}

export const isOffline = (): boolean => !state.online;

export function useConnectivity(): Connectivity {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

/** Another account must never see this one's copy: dropped on sign-out and on a refused session. */
export async function dropOfflineCopies(): Promise<void> {
  if (typeof caches !== 'undefined') await caches.delete(OFFLINE_CACHE);
}
