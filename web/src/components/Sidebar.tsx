import { type DragEvent, type FormEvent, useState } from 'react';
import type { SavedFilter, TaskList, ViewCounts } from '../api/types';

/** Which tasks the list pane shows. */
export type View =
  | { kind: 'all' }
  | { kind: 'inbox' }
  | { kind: 'today' }
  | { kind: 'upcoming' }
  | { kind: 'list'; id: string }
  | { kind: 'filter'; id: string };

export const sameView = (a: View, b: View) => JSON.stringify(a) === JSON.stringify(b);

/** The MIME type a dragged task row carries: its id. */
export const TASK_DRAG_TYPE = 'application/x-todo-task';

interface SidebarProps {
  view: View;
  lists: TaskList[];
  filters: SavedFilter[];
  counts: ViewCounts;
  onSelect: (view: View) => void;
  onCreateList: (name: string) => Promise<void>;
  onDeleteList: (list: TaskList) => void;
  onDeleteFilter: (filter: SavedFilter) => void;
  /** A task row dropped on a list (null: the Inbox). */
  onDropTask: (taskId: string, listId: string | null) => void;
}

export function Sidebar({
  view,
  lists,
  filters,
  counts,
  onSelect,
  onCreateList,
  onDeleteList,
  onDeleteFilter,
  onDropTask,
}: SidebarProps) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const countOf = (id: string, of: { id: string; count: number }[]) =>
    of.find((c) => c.id === id)?.count ?? 0;
  const listCounts = counts.lists.map((c) => ({ id: c.list_id, count: c.count }));
  const filterCounts = counts.filters.map((c) => ({ id: c.filter_id, count: c.count }));

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    try {
      await onCreateList(name.trim());
      setName('');
      setError(null);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  /** Drop handlers for a target that takes tasks: `listId` null is the Inbox. */
  const dropOn = (key: string, listId: string | null) => ({
    onDragOver: (event: DragEvent) => {
      if (!event.dataTransfer.types.includes(TASK_DRAG_TYPE)) return;
      event.preventDefault();
      setDropTarget(key);
    },
    onDragLeave: () => setDropTarget((current) => (current === key ? null : current)),
    onDrop: (event: DragEvent) => {
      const taskId = event.dataTransfer.getData(TASK_DRAG_TYPE);
      setDropTarget(null);
      if (taskId) {
        event.preventDefault();
        onDropTask(taskId, listId);
      }
    },
  });

  const item = (target: View, label: string, count: number | null, key: string, listId?: string | null) => (
    <li
      key={key}
      className={dropTarget === key ? 'drop-target' : undefined}
      {...(listId !== undefined ? dropOn(key, listId) : {})}
    >
      <button
        type="button"
        className={`sidebar-item${sameView(view, target) ? ' active' : ''}`}
        aria-current={sameView(view, target) ? 'page' : undefined}
        onClick={() => onSelect(target)}
      >
        <span className="sidebar-label">{label}</span>
        {count !== null && <span className="sidebar-count">{count}</span>}
      </button>
    </li>
  );

  return (
    <nav className="sidebar" aria-label="Views and lists">
      <ul className="sidebar-views">
        {item({ kind: 'all' }, 'All tasks', null, 'all')}
        {item({ kind: 'inbox' }, 'Inbox', counts.inbox, 'inbox', null)}
        {item({ kind: 'today' }, 'Today', counts.today, 'today')}
        {item({ kind: 'upcoming' }, 'Upcoming', counts.upcoming, 'upcoming')}
      </ul>
      <h2 className="sidebar-heading">Lists</h2>
      <ul className="sidebar-lists">
        {lists.map((list) => (
          <li
            key={list.id}
            className={`sidebar-list${dropTarget === list.id ? ' drop-target' : ''}`}
            {...dropOn(list.id, list.id)}
          >
            <button
              type="button"
              className={`sidebar-item${sameView(view, { kind: 'list', id: list.id }) ? ' active' : ''}`}
              aria-current={sameView(view, { kind: 'list', id: list.id }) ? 'page' : undefined}
              onClick={() => onSelect({ kind: 'list', id: list.id })}
            >
              <span className="list-dot" style={list.color ? { background: list.color } : undefined} />
              <span className="sidebar-label">{list.name}</span>
              <span className="sidebar-count">{countOf(list.id, listCounts)}</span>
            </button>
            <button
              type="button"
              className="icon-button sidebar-remove"
              aria-label={`Delete list “${list.name}”`}
              onClick={() => onDeleteList(list)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="new-list" onSubmit={(event) => void create(event)}>
        <input
          aria-label="New list name"
          placeholder="New list"
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" aria-label="Add list" disabled={!name.trim()}>
          +
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {filters.length > 0 && (
        <>
          <h2 className="sidebar-heading">Saved filters</h2>
          <ul className="sidebar-filters">
            {filters.map((filter) => (
              <li key={filter.id} className="sidebar-list">
                <button
                  type="button"
                  className={`sidebar-item${sameView(view, { kind: 'filter', id: filter.id }) ? ' active' : ''}`}
                  aria-current={sameView(view, { kind: 'filter', id: filter.id }) ? 'page' : undefined}
                  onClick={() => onSelect({ kind: 'filter', id: filter.id })}
                >
                  <span className="sidebar-label">{filter.name}</span>
                  <span className="sidebar-count">{countOf(filter.id, filterCounts)}</span>
                </button>
                <button
                  type="button"
                  className="icon-button sidebar-remove"
                  aria-label={`Delete filter “${filter.name}”`}
                  onClick={() => onDeleteFilter(filter)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </nav>
  );
}
