import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, errorCodeOf, type TaskQuery } from '../api/client';
import type { SavedFilter, SyncFrame, Task, TaskList as TaskListResource } from '../api/types';
import { useAuth } from '../hooks/useAuth';
import { UNDO_WINDOW_MS, useDelayedDelete } from '../hooks/useDelayedDelete';
import { useLiveSync } from '../hooks/useLiveSync';
import { showBrowserNotification, useNotifications } from '../hooks/useNotifications';
import { useShortcuts } from '../hooks/useShortcuts';
import { useSidebar } from '../hooks/useSidebar';
import { useTagSuggestions } from '../hooks/useTagSuggestions';
import { DEFAULT_FILTERS, type TaskFilters, toQuery, useTaskList } from '../hooks/useTaskList';
import { useToasts } from '../hooks/useToasts';
import { browserTimeZone } from '../lib/time';
import { ChatPanel } from './ChatPanel';
import { Header } from './Header';
import { Modal } from './Modal';
import { OfflineBanner } from './OfflineBanner';
import { QuickAdd } from './QuickAdd';
import { SettingsDialog } from './SettingsDialog';
import { Sidebar, type View } from './Sidebar';
import { TaskDialog } from './TaskDialog';
import { TaskList } from './TaskList';
import { TaskToolbar } from './TaskToolbar';
import { Toasts } from './Toasts';

/** What the task dialog shows: closed, a new task, or an existing one. */
type Editing = { task: Task | null } | null;

const wideScreen = () => window.matchMedia('(min-width: 900px)').matches;

/** A question the app must ask before acting: what becomes of a parent's subtasks, or a list's tasks. */
type Question = { kind: 'complete'; task: Task } | { kind: 'delete-list'; list: TaskListResource } | null;

/** The parameters of GET /api/tasks that a view adds to the toolbar's; subtasks show under their parent. */
function scopeOf(view: View, filters: SavedFilter[]): TaskQuery {
  switch (view.kind) {
    case 'all':
      return { parent: 'none' };
    case 'inbox':
      return { list: 'inbox', parent: 'none' };
    case 'today':
      return { view: 'today' };
    case 'upcoming':
      return { view: 'upcoming', sort: 'due' };
    case 'list':
      return { list: view.id, parent: 'none' };
    case 'filter':
      return (filters.find((filter) => filter.id === view.id)?.query ?? {}) as TaskQuery;
  }
}

function titleOf(view: View, lists: TaskListResource[], filters: SavedFilter[]): string {
  switch (view.kind) {
    case 'all':
      return 'All tasks';
    case 'inbox':
      return 'Inbox';
    case 'today':
      return 'Today';
    case 'upcoming':
      return 'Upcoming';
    case 'list':
      return lists.find((list) => list.id === view.id)?.name ?? 'List';
    case 'filter':
      return filters.find((filter) => filter.id === view.id)?.name ?? 'Filter';
  }
}

export function Workspace() {
  const { session, me } = useAuth();
  const { showToast } = useToasts();
  const timeZone = me?.timezone ?? browserTimeZone();
  const [filters, setFilters] = useState<TaskFilters>(DEFAULT_FILTERS);
  const [view, setView] = useState<View>({ kind: 'all' });
  const sidebar = useSidebar(session === 'signed-in');
  const scopeKey = JSON.stringify(scopeOf(view, sidebar.filters));
  const scope = useMemo(() => JSON.parse(scopeKey) as TaskQuery, [scopeKey]);
  const list = useTaskList(filters, timeZone, scope);
  const [expandedIds, setExpandedIds] = useState<ReadonlySet<string>>(new Set());
  const [syncTick, setSyncTick] = useState(0);
  const [question, setQuestion] = useState<Question>(null);
  const [savingFilter, setSavingFilter] = useState(false);
  const tags = useTagSuggestions();
  const notifications = useNotifications();
  const [editing, setEditing] = useState<Editing>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [chatOpen, setChatOpen] = useState(wideScreen);
  const searchInput = useRef<HTMLInputElement>(null);

  const onDeleted = useCallback((id: string) => list.removeTask(id), [list.removeTask]);
  const onDeleteFailed = useCallback(
    (task: Task, error: Error) =>
      showToast({ tone: 'error', message: `Could not delete “${task.title}”`, detail: error.message }),
    [showToast],
  );
  const { hiddenIds, scheduleDelete, undoDelete } = useDelayedDelete(onDeleted, onDeleteFailed);

  const openTaskById = useCallback(
    async (id: string) => {
      try {
        setEditing({ task: await api.getTask(id) });
      } catch (error) {
        showToast({ tone: 'error', message: 'Could not open the task', detail: (error as Error).message });
      }
    },
    [showToast],
  );
  const rereadAll = useCallback(() => {
    list.refresh();
    sidebar.reload();
    void notifications.reload();
  }, [list.refresh, sidebar.reload, notifications.reload]);
  const onFrame = useCallback(
    (frame: SyncFrame) => {
      if (frame.type === 'task.sync') {
        if (frame.event_type === 'task.deleted' || !frame.task) list.removeTask(frame.task_id);
        else list.patchTask(frame.task);
        tags.reload();
        sidebar.reload();
        setSyncTick((tick) => tick + 1);
      } else if (frame.type === 'list.sync') {
        sidebar.reload();
        if (!frame.list)
          setView((current) =>
            current.kind === 'list' && current.id === frame.list_id ? { kind: 'all' } : current,
          );
      } else if (frame.type === 'notification') {
        const { notification } = frame;
        notifications.add(notification);
        const taskId = notification.task_id;
        showToast({
          tone: 'reminder',
          message: notification.title,
          detail: notification.body,
          durationMs: 12_000,
          action: taskId ? { label: 'Open', run: () => void openTaskById(taskId) } : undefined,
        });
        showBrowserNotification(notification);
      } else if (frame.type === 'resync') {
        rereadAll();
      }
    },
    [
      list.removeTask,
      list.patchTask,
      tags.reload,
      sidebar.reload,
      notifications.add,
      showToast,
      rereadAll,
      openTaskById,
    ],
  );
  const connection = useLiveSync(session === 'signed-in', onFrame, rereadAll);

  const toggleComplete = async (task: Task, subtasks?: 'complete' | 'keep') => {
    const completing = task.status === 'open';
    const openSubtasks = task.subtasks ? task.subtasks.total - task.subtasks.completed : 0;
    // Completing a parent with open subtasks asks first what becomes of them.
    if (completing && openSubtasks > 0 && subtasks === undefined)
      return setQuestion({ kind: 'complete', task });
    list.patchTask({ ...task, status: completing ? 'completed' : 'open' });
    try {
      const updated = completing ? await api.completeTask(task.id, subtasks) : await api.reopenTask(task.id);
      if (subtasks === 'complete') setSyncTick((tick) => tick + 1);
      list.patchTask(updated);
      if (completing) {
        showToast({
          message: `Completed “${task.title}”`,
          detail: task.recurrence ? 'The next one will appear shortly.' : undefined,
          action: { label: 'Undo', run: () => void toggleComplete(updated) },
        });
      }
    } catch (error) {
      list.patchTask(task);
      // Subtasks added elsewhere meanwhile: ask, as if they had been known.
      if (errorCodeOf(error) === 'open_subtasks') return setQuestion({ kind: 'complete', task });
      showToast({
        tone: 'error',
        message: `Could not update “${task.title}”`,
        detail: (error as Error).message,
      });
    }
  };

  const deleteTask = (task: Task) => {
    setEditing(null);
    scheduleDelete(task);
    showToast({
      message: `Deleted “${task.title}”`,
      durationMs: UNDO_WINDOW_MS,
      action: { label: 'Undo', run: () => undoDelete(task.id) },
    });
  };

  useEffect(() => {
    document.title =
      notifications.unreadCount > 0 ? `(${notifications.unreadCount}) Todo Chatbot` : 'Todo Chatbot';
  }, [notifications.unreadCount]);

  const deleteList = async (target: TaskListResource, tasks?: 'move' | 'delete') => {
    setQuestion(null);
    try {
      await api.deleteList(target.id, tasks);
      if (view.kind === 'list' && view.id === target.id) setView({ kind: 'all' });
      sidebar.reload();
      list.refresh();
    } catch (error) {
      if (errorCodeOf(error) === 'list_not_empty') return setQuestion({ kind: 'delete-list', list: target });
      showToast({
        tone: 'error',
        message: `Could not delete “${target.name}”`,
        detail: (error as Error).message,
      });
    }
  };

  /** Moves a dragged task to a list (null: the Inbox). */
  const moveTask = async (taskId: string, listId: string | null) => {
    const task = list.items.find((item) => item.id === taskId);
    if (!task || (task.list_id ?? null) === listId) return;
    try {
      list.patchTask(await api.updateTask(task.id, { list_id: listId }, task.version));
      sidebar.reload();
    } catch (error) {
      showToast({
        tone: 'error',
        message: `Could not move “${task.title}”`,
        detail: (error as Error).message,
      });
    }
  };

  /** The toolbar's filters within the current view, as a saved filter keeps them (dates relative). */
  const currentQuery = (): SavedFilter['query'] => {
    const { due_after, due_before, limit, cursor, ...query } = { ...toQuery(filters, timeZone), ...scope };
    const relative =
      filters.due === 'today' ? { view: 'today' } : filters.due === 'week' ? { view: 'upcoming' } : {};
    return Object.fromEntries(
      Object.entries({ ...query, ...relative }).filter(([, value]) => value !== '' && value !== undefined),
    ) as SavedFilter['query'];
  };

  useShortcuts({
    n: () => setEditing({ task: null }),
    '/': () => searchInput.current?.focus(),
  });

  const visibleTasks = useMemo(
    () => list.items.filter((task) => !hiddenIds.has(task.id)),
    [list.items, hiddenIds],
  );
  /** Puts `task` between `before` and `after` in the user's order (either may be missing: an end). */
  const place = async (task: Task, before: Task | undefined, after: Task | undefined) => {
    if (!before && !after) return;
    // A task written before positions existed has none: it counts as 0.
    const at = (neighbour: Task) => neighbour.position ?? 0;
    const position =
      before && after ? (at(before) + at(after)) / 2 : before ? at(before) + 1000 : at(after as Task) - 1000;
    try {
      list.patchTask(await api.updateTask(task.id, { position }, task.version));
    } catch (error) {
      showToast({
        tone: 'error',
        message: `Could not move “${task.title}”`,
        detail: (error as Error).message,
      });
    }
  };
  const reorder =
    filters.sort === 'position'
      ? {
          onMove: (task: Task, by: -1 | 1) => {
            const others = visibleTasks.filter((item) => item.id !== task.id);
            const index = visibleTasks.findIndex((item) => item.id === task.id) + by;
            if (index < 0 || index > others.length) return;
            void place(task, others[index - 1], others[index]);
          },
          onDropBefore: (draggedId: string, target: Task) => {
            const dragged = visibleTasks.find((item) => item.id === draggedId);
            if (!dragged) return;
            const others = visibleTasks.filter((item) => item.id !== draggedId);
            const index = others.findIndex((item) => item.id === target.id);
            void place(dragged, others[index - 1], target);
          },
        }
      : undefined;

  const filtered =
    JSON.stringify({ ...filters, sort: '' }) !== JSON.stringify({ ...DEFAULT_FILTERS, sort: '' });

  return (
    <div className={`app${chatOpen ? ' chat-open' : ''}`}>
      <Header
        connection={connection}
        chatOpen={chatOpen}
        onNewTask={() => setEditing({ task: null })}
        onToggleChat={() => setChatOpen(!chatOpen)}
        onOpenSettings={() => setSettingsOpen(true)}
        notifications={notifications}
        onOpenTask={(id) => void openTaskById(id)}
      />
      <OfflineBanner />
      <div className="workspace">
        <Sidebar
          view={view}
          lists={sidebar.lists}
          filters={sidebar.filters}
          counts={sidebar.counts}
          onSelect={(next) => {
            setView(next);
            // A list opens in the user's order, where its tasks can be moved (unless sorted otherwise).
            if ((next.kind === 'list' || next.kind === 'inbox') && filters.sort === DEFAULT_FILTERS.sort)
              setFilters({ ...filters, sort: 'position' });
          }}
          onCreateList={async (name) => {
            const created = await api.createList(name);
            sidebar.reload();
            setView({ kind: 'list', id: created.id });
          }}
          onDeleteList={(target) => void deleteList(target)}
          onDeleteFilter={async (filter) => {
            await api.deleteFilter(filter.id);
            if (view.kind === 'filter' && view.id === filter.id) setView({ kind: 'all' });
            sidebar.reload();
          }}
          onDropTask={(taskId, listId) => void moveTask(taskId, listId)}
        />
        <main className="tasks-pane">
          <div className="pane-heading">
            <h1>{titleOf(view, sidebar.lists, sidebar.filters)}</h1>
            {view.kind !== 'filter' && (
              <button type="button" className="link" onClick={() => setSavingFilter(true)}>
                Save as filter
              </button>
            )}
          </div>
          <TaskToolbar filters={filters} onChange={setFilters} tags={tags.tags} searchInput={searchInput} />
          <QuickAdd
            timeZone={timeZone}
            onCreated={(task) => {
              list.patchTask(task, true);
              tags.reload();
              showToast({ message: `Added “${task.title}”` });
            }}
          />
          <TaskList
            tasks={visibleTasks}
            phase={list.phase}
            error={list.error}
            hasMore={list.nextCursor !== null}
            loadingMore={list.loadingMore}
            filtered={filtered}
            timeZone={timeZone}
            onLoadMore={() => void list.loadMore()}
            onRetry={list.refresh}
            onOpen={(task) => setEditing({ task })}
            onToggleComplete={(task) => void toggleComplete(task)}
            onDelete={deleteTask}
            groupByDay={view.kind === 'upcoming'}
            expandedIds={expandedIds}
            onToggleExpanded={(task) =>
              setExpandedIds((current) => {
                const next = new Set(current);
                if (!next.delete(task.id)) next.add(task.id);
                return next;
              })
            }
            syncTick={syncTick}
            reorder={reorder}
            onSubtasksChanged={() => {
              list.refresh();
              sidebar.reload();
            }}
          />
        </main>
        {chatOpen && <ChatPanel onTasksChanged={list.refresh} onClose={() => setChatOpen(false)} />}
      </div>
      {editing && (
        <TaskDialog
          task={editing.task}
          timeZone={timeZone}
          tagSuggestions={tags.tags}
          lists={sidebar.lists}
          defaultListId={view.kind === 'list' ? view.id : null}
          onSaved={(task) => {
            list.patchTask(task, true);
            tags.reload();
            sidebar.reload();
          }}
          onToggleComplete={(task) => {
            setEditing(null);
            void toggleComplete(task);
          }}
          onDelete={deleteTask}
          onClose={() => setEditing(null)}
        />
      )}
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
      {question?.kind === 'complete' && (
        <Modal title="Complete its subtasks too?" onClose={() => setQuestion(null)}>
          <p>“{question.task.title}” has open subtasks. Complete them with it, or leave them open?</p>
          <footer className="actions">
            <button type="button" onClick={() => setQuestion(null)}>
              Cancel
            </button>
            <span className="spacer" />
            <button
              type="button"
              onClick={() => {
                setQuestion(null);
                void toggleComplete(question.task, 'keep');
              }}
            >
              Only this task
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => {
                setQuestion(null);
                void toggleComplete(question.task, 'complete');
              }}
            >
              Complete all
            </button>
          </footer>
        </Modal>
      )}
      {question?.kind === 'delete-list' && (
        <Modal title={`Delete “${question.list.name}”?`} onClose={() => setQuestion(null)}>
          <p>This list has tasks. Move them to the Inbox, or delete them with the list?</p>
          <footer className="actions">
            <button type="button" onClick={() => setQuestion(null)}>
              Cancel
            </button>
            <span className="spacer" />
            <button type="button" onClick={() => void deleteList(question.list, 'move')}>
              Move to Inbox
            </button>
            <button type="button" className="danger" onClick={() => void deleteList(question.list, 'delete')}>
              Delete tasks
            </button>
          </footer>
        </Modal>
      )}
      {savingFilter && (
        <SaveFilterDialog
          onSave={async (name) => {
            const saved = await api.saveFilter(name, currentQuery());
            setSavingFilter(false);
            sidebar.reload();
            setFilters(DEFAULT_FILTERS);
            setView({ kind: 'filter', id: saved.id });
          }}
          onClose={() => setSavingFilter(false)}
        />
      )}
      <Toasts />
    </div>
  );
}

function SaveFilterDialog({
  onSave,
  onClose,
}: {
  onSave: (name: string) => Promise<void>;
  onClose: () => void;
}) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal title="Save as filter" onClose={onClose}>
      <form
        className="task-form"
        onSubmit={(event) => {
          event.preventDefault();
          onSave(name).catch((failure: Error) => setError(failure.message));
        }}
      >
        <label>
          Name
          <input
            // biome-ignore lint/a11y/noAutofocus: the dialog exists to type a name
            autoFocus
            required
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <footer className="actions">
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!name.trim()}>
            Save
          </button>
        </footer>
      </form>
    </Modal>
  );
}
