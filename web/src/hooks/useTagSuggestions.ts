import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { TagCount } from '../api/types';

/** The user's tags, most used first, for filters and suggestions; `reload` is debounced. */
export function useTagSuggestions() {
  const [tags, setTags] = useState<TagCount[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = useCallback(() => {
    api.tags().then(
      (answer) => setTags([...answer.items].sort((a, b) => b.count - a.count)),
      () => setTags([]),
    );
  }, []);

  const reload = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(load, 500);
  }, [load]);

  useEffect(() => {
    load();
    return () => clearTimeout(timer.current);
  }, [load]);

  return { tags, reload };
}
