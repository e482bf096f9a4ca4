import { useCallback, useEffect, useRef, useState } from 'react';
import { api, deleteTaskOnUnload } from '../api/client';
import type { Task } from '../api/types';

export const UNDO_WINDOW_MS = 5000;

/**
 * Deletes a task only after the undo window: until then it is merely hidden, so "Undo" just
 * cancels. Deletions still pending when the page is closed are sent on the way out.
 */
export function useDelayedDelete(
  onDeleted: (id: string) => void,
  onFailed: (task: Task, error: Error) => void,
) {
  const pending = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const [hiddenIds, setHiddenIds] = useState<ReadonlySet<string>>(new Set());

  const setHidden = useCallback((id: string, hidden: boolean) => {
    setHiddenIds((current) => {
      const next = new Set(current);
      if (hidden) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  const scheduleDelete = useCallback(
    (task: Task) => {
      setHidden(task.id, true);
      const timer = setTimeout(async () => {
        pending.current.delete(task.id);
        try {
          await api.deleteTask(task.id);
          onDeleted(task.id);
        } catch (error) {
          onFailed(task, error as Error);
        } finally {
          setHidden(task.id, false);
        }
      }, UNDO_WINDOW_MS);
      pending.current.set(task.id, timer);
    },
    [onDeleted, onFailed, setHidden],
  );

  const undoDelete = useCallback(
    (id: string) => {
      clearTimeout(pending.current.get(id));
      pending.current.delete(id);
      setHidden(id, false);
    },
    [setHidden],
  );

  useEffect(() => {
    const flush = () => {
      for (const [id, timer] of pending.current) {
        clearTimeout(timer);
        deleteTaskOnUnload(id);
      }
      pending.current.clear();
    };
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, []);

  return { hiddenIds, scheduleDelete, undoDelete };
}
