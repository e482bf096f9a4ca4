import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { SavedFilter, TaskList, ViewCounts } from '../api/types';

const NO_COUNTS: ViewCounts = { today: 0, upcoming: 0, inbox: 0, lists: [], filters: [] };

/**
 * What the sidebar shows: the lists, the saved filters and the counts of each view. Re-read on
 * `reload` (a sync frame: a task or list changed somewhere), coalesced so a burst reads once.
 */
export function useSidebar(enabled: boolean) {
  const [lists, setLists] = useState<TaskList[]>([]);
  const [filters, setFilters] = useState<SavedFilter[]>([]);
  const [counts, setCounts] = useState<ViewCounts>(NO_COUNTS);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const read = useCallback(async () => {
    try {
      const [listPage, filterPage, viewCounts] = await Promise.all([
        api.lists(),
        api.filters(),
        api.viewCounts(),
      ]);
      setLists(listPage.items);
      setFilters(filterPage.items);
      setCounts(viewCounts);
    } catch {
      // The sidebar keeps what it showed; the next change or resync reads again.
    }
  }, []);

  useEffect(() => {
    if (enabled) void read();
  }, [enabled, read]);

  const reload = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void read(), 200);
  }, [read]);

  useEffect(() => () => clearTimeout(timer.current), []);

  return { lists, filters, counts, reload, read };
}
