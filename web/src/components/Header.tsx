import { useAuth } from '../hooks/useAuth';
import type { ConnectionState } from '../hooks/useLiveSync';
import type { useNotifications } from '../hooks/useNotifications';
import { Icon } from './Icon';
import { NotificationBell } from './NotificationBell';

interface HeaderProps {
  connection: ConnectionState;
  chatOpen: boolean;
  notifications: ReturnType<typeof useNotifications>;
  onNewTask: () => void;
  onToggleChat: () => void;
  onOpenSettings: () => void;
  onOpenTask: (taskId: string) => void;
}

const CONNECTION_LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Offline — reconnecting',
};

export function Header({
  connection,
  chatOpen,
  notifications,
  onNewTask,
  onToggleChat,
  onOpenSettings,
  onOpenTask,
}: HeaderProps) {
  const { signOut } = useAuth();
  return (
    <header className="topbar">
      <h1 className="brand">✓ Todo Chatbot</h1>
      <span className={`connection ${connection}`} role="status" title={CONNECTION_LABELS[connection]}>
        <span className="dot" aria-hidden="true" />
        <span className="connection-label">{CONNECTION_LABELS[connection]}</span>
      </span>
      <span className="spacer" />
      <button type="button" className="primary" onClick={onNewTask} aria-keyshortcuts="n">
        + New task
      </button>
      <button
        type="button"
        className="icon-button"
        aria-pressed={chatOpen}
        aria-label="Assistant"
        onClick={onToggleChat}
      >
        <Icon name="chat" />
      </button>
      <NotificationBell
        items={notifications.items}
        unreadCount={notifications.unreadCount}
        phase={notifications.phase}
        error={notifications.error}
        onMarkRead={(id) => void notifications.markRead(id)}
        onMarkAllRead={() => void notifications.markAllRead()}
        onOpenTask={onOpenTask}
      />
      <button type="button" className="icon-button" aria-label="Settings" onClick={onOpenSettings}>
        <Icon name="settings" />
      </button>
      <button type="button" className="link" onClick={signOut}>
        Sign out
      </button>
    </header>
  );
}
