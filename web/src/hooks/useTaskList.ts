import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type TaskQuery } from '../api/client';
import type { Priority, Task, TaskStatus } from '../api/types';
import { daysLeftInWeek, startOfDay } from '../lib/time';

export type DueFilter = '' | 'today' | 'week' | 'overdue';
export type SortKey =
  | 'due'
  | '-due'
  | 'priority'
  | '-priority'
  | 'created'
  | '-created'
  | 'title'
  | '-title'
  | 'position';

export interface TaskFilters {
  q: string;
  status: TaskStatus | '';
  priority: Priority | '';
  tag: string;
  due: DueFilter;
  sort: SortKey;
}

export const DEFAULT_FILTERS: TaskFilters = {
  q: '',
  status: 'open',
  priority: '',
  tag: '',
  due: '',
  sort: 'due',
};

const PAGE_SIZE = 30;
const MAX_PAGE_SIZE = 100;

export function toQuery(filters: TaskFilters, timeZone: string, now = new Date()): TaskQuery {
  const query: TaskQuery = {
    q: filters.q.trim(),
    status: filters.status,
    priority: filters.priority,
    tag: filters.tag,
    sort: filters.sort,
  };
  if (filters.due === 'overdue') query.overdue = true;
  if (filters.due === 'today' || filters.due === 'week') {
    query.due_after = startOfDay(now, timeZone).toISOString();
    query.due_before = startOfDay(
      now,
      timeZone,
      filters.due === 'today' ? 1 : daysLeftInWeek(now, timeZone),
    ).toISOString();
  }
  return query;
}

interface ListState {
  items: Task[];
  nextCursor: string | null;
  phase: 'loading' | 'ready' | 'error';
  error: string | null;
  loadingMore: boolean;
}

const INITIAL: ListState = { items: [], nextCursor: null, phase: 'loading', error: null, loadingMore: false };

/**
 * The task list for the given filters within `scope` (the view: a list, Today, a saved filter —
 * its parameters win over the toolbar's), with cursor paging and live patches from sync events.
 */
export function useTaskList(filters: TaskFilters, timeZone: string, scope: TaskQuery) {
  const [state, setState] = useState<ListState>(INITIAL);
  const generation = useRef(0);
  const itemCount = useRef(0);
  itemCount.current = state.items.length;
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const fetchFirstPage = useCallback(
    async (limit: number, quiet: boolean) => {
      const current = ++generation.current;
      if (!quiet) setState((previous) => ({ ...previous, phase: 'loading', error: null }));
      try {
        const page = await api.listTasks({ ...toQuery(filters, timeZone), ...scope, limit });
        if (current !== generation.current) return;
        setState({
          items: page.items,
          nextCursor: page.next_cursor,
          phase: 'ready',
          error: null,
          loadingMore: false,
        });
      } catch (error) {
        if (current !== generation.current) return;
        setState((previous) => ({ ...previous, phase: 'error', error: (error as Error).message }));
      }
    },
    [filters, timeZone, scope],
  );

  useEffect(() => {
    void fetchFirstPage(PAGE_SIZE, false);
  }, [fetchFirstPage]);

  /** Re-reads what is shown (as many rows as are loaded) without a loading flash. */
  const refresh = useCallback(() => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => {
      void fetchFirstPage(Math.min(MAX_PAGE_SIZE, Math.max(PAGE_SIZE, itemCount.current)), true);
    }, 250);
  }, [fetchFirstPage]);

  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  const loadMore = useCallback(async () => {
    const cursor = state.nextCursor;
    if (!cursor || state.loadingMore) return;
    const current = generation.current;
    setState((previous) => ({ ...previous, loadingMore: true, error: null }));
    try {
      const page = await api.listTasks({ ...toQuery(filters, timeZone), ...scope, limit: PAGE_SIZE, cursor });
      if (current !== generation.current) return;
      setState((previous) => {
        const known = new Set(previous.items.map((task) => task.id));
        return {
          ...previous,
          items: [...previous.items, ...page.items.filter((task) => !known.has(task.id))],
          nextCursor: page.next_cursor,
          loadingMore: false,
        };
      });
    } catch (error) {
      if (current !== generation.current) return;
      setState((previous) => ({ ...previous, loadingMore: false, error: (error as Error).message }));
    }
  }, [filters, timeZone, scope, state.nextCursor, state.loadingMore]);

  /**
   * Shows a task's new state at once; the list is re-read from the server right after, which also
   * drops it if it no longer matches the filters. A task not shown yet is added only when
   * `insertIfMissing` (the user just created it here).
   */
  const patchTask = useCallback(
    (task: Task, insertIfMissing = false) => {
      generation.current++; // a read already in flight predates this change: drop its answer
      setState((previous) => {
        const index = previous.items.findIndex((item) => item.id === task.id);
        if (index === -1)
          return insertIfMissing ? { ...previous, items: [task, ...previous.items] } : previous;
        const existing = previous.items[index]!;
        if (existing.version > task.version) return previous;
        const items = [...previous.items];
        items[index] = task;
        return { ...previous, items };
      });
      refresh();
    },
    [refresh],
  );

  const removeTask = useCallback(
    (id: string) => {
      generation.current++;
      setState((previous) => ({ ...previous, items: previous.items.filter((item) => item.id !== id) }));
      refresh();
    },
    [refresh],
  );

  return { ...state, loadMore, refresh, patchTask, removeTask };
}
