import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Task } from '../api/types';

interface SubtaskListProps {
  parent: Task;
  /** Changes whenever a task changed somewhere (a sync frame): the subtasks are read again. */
  syncTick: number;
  /** A subtask was added, completed or reopened here: the parent's progress is read again. */
  onChanged: () => void;
  onOpen: (task: Task) => void;
}

/** A parent's subtasks, inline under its row: tick them off, add one. */
export function SubtaskList({ parent, syncTick, onChanged, onOpen }: SubtaskListProps) {
  const [subtasks, setSubtasks] = useState<Task[] | null>(null);
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);

  const read = useCallback(async () => {
    try {
      const page = await api.listTasks({ parent: parent.id, sort: 'created', limit: 200 });
      setSubtasks(page.items);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, [parent.id]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: syncTick is the signal to read again
  useEffect(() => {
    void read();
  }, [read, syncTick]);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      await read();
      onChanged();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  const add = (event: FormEvent) => {
    event.preventDefault();
    const text = title.trim();
    if (!text) return;
    setTitle('');
    void act(() => api.createTask({ title: text, parent_id: parent.id }));
  };

  return (
    <div className="subtasks">
      {subtasks === null ? (
        <p className="hint">Loading subtasks…</p>
      ) : (
        <ul aria-label={`Subtasks of “${parent.title}”`}>
          {subtasks.map((subtask) => {
            const done = subtask.status === 'completed';
            return (
              <li key={subtask.id} className={`subtask${done ? ' completed' : ''}`} data-task-id={subtask.id}>
                <input
                  type="checkbox"
                  checked={done}
                  aria-label={done ? `Reopen “${subtask.title}”` : `Complete “${subtask.title}”`}
                  onChange={() =>
                    void act(() => (done ? api.reopenTask(subtask.id) : api.completeTask(subtask.id)))
                  }
                />
                <button type="button" className="link subtask-title" onClick={() => onOpen(subtask)}>
                  {subtask.title}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <form className="add-subtask" onSubmit={add}>
        <input
          aria-label={`Add a subtask to “${parent.title}”`}
          placeholder="Add a subtask"
          maxLength={500}
          value={title}
          onChange={(event) => setTitle(event.target.value)}
        />
        <button type="submit" disabled={!title.trim()}>
          Add
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
