import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/client';
import type { SyncFrame, Task } from '../api/types';
import { useAuth } from '../hooks/useAuth';
import { UNDO_WINDOW_MS, useDelayedDelete } from '../hooks/useDelayedDelete';
import { useLiveSync } from '../hooks/useLiveSync';
import { showBrowserNotification, useNotifications } from '../hooks/useNotifications';
import { useShortcuts } from '../hooks/useShortcuts';
import { useTagSuggestions } from '../hooks/useTagSuggestions';
import { DEFAULT_FILTERS, type TaskFilters, useTaskList } from '../hooks/useTaskList';
import { useToasts } from '../hooks/useToasts';
import { browserTimeZone } from '../lib/time';
import { ChatPanel } from './ChatPanel';
import { Header } from './Header';
import { OfflineBanner } from './OfflineBanner';
import { QuickAdd } from './QuickAdd';
import { SettingsDialog } from './SettingsDialog';
import { TaskDialog } from './TaskDialog';
import { TaskList } from './TaskList';
import { TaskToolbar } from './TaskToolbar';
import { Toasts } from './Toasts';

/** What the task dialog shows: closed, a new task, or an existing one. */
type Editing = { task: Task | null } | null;

const wideScreen = () => window.matchMedia('(min-width: 900px)').matches;

export function Workspace() {
  const { session, me } = useAuth();
  const { showToast } = useToasts();
  const timeZone = me?.timezone ?? browserTimeZone();
  const [filters, setFilters] = useState<TaskFilters>(DEFAULT_FILTERS);
  const list = useTaskList(filters, timeZone);
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
    void notifications.reload();
  }, [list.refresh, notifications.reload]);
  const onFrame = useCallback(
    (frame: SyncFrame) => {
      if (frame.type === 'task.sync') {
        if (frame.event_type === 'task.deleted' || !frame.task) list.removeTask(frame.task_id);
        else list.patchTask(frame.task);
        tags.reload();
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
    [list.removeTask, list.patchTask, tags.reload, notifications.add, showToast, rereadAll, openTaskById],
  );
  const connection = useLiveSync(session === 'signed-in', onFrame, rereadAll);

  const toggleComplete = async (task: Task) => {
    const completing = task.status === 'open';
    list.patchTask({ ...task, status: completing ? 'completed' : 'open' });
    try {
      const updated = completing ? await api.completeTask(task.id) : await api.reopenTask(task.id);
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

  useShortcuts({
    n: () => setEditing({ task: null }),
    '/': () => searchInput.current?.focus(),
  });

  const visibleTasks = useMemo(
    () => list.items.filter((task) => !hiddenIds.has(task.id)),
    [list.items, hiddenIds],
  );
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
        <main className="tasks-pane">
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
          />
        </main>
        {chatOpen && <ChatPanel onTasksChanged={list.refresh} onClose={() => setChatOpen(false)} />}
      </div>
      {editing && (
        <TaskDialog
          task={editing.task}
          timeZone={timeZone}
          tagSuggestions={tags.tags}
          onSaved={(task) => {
            list.patchTask(task, true);
            tags.reload();
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
      <Toasts />
    </div>
  );
}
