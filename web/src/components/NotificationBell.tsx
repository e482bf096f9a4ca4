import { useEffect, useRef, useState } from 'react';
import type { AppNotification } from '../api/types';
import { Icon } from './Icon';

interface NotificationBellProps {
  items: AppNotification[];
  unreadCount: number;
  phase: 'loading' | 'ready' | 'error';
  error: string | null;
  onMarkRead: (id: string) => void;
  onMarkAllRead: () => void;
  onOpenTask: (taskId: string) => void;
}

export function NotificationBell({
  items,
  unreadCount,
  phase,
  error,
  onMarkRead,
  onMarkAllRead,
  onOpenTask,
}: NotificationBellProps) {
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!panel.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="bell" ref={panel}>
      <button
        type="button"
        className="icon-button"
        aria-label={`Notifications, ${unreadCount} unread`}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <Icon name="bell" />
        {unreadCount > 0 && <span className="count">{unreadCount > 99 ? '99+' : unreadCount}</span>}
      </button>
      {open && (
        <section className="bell-panel" aria-label="Notification centre">
          <header>
            <h2>Notifications</h2>
            <button type="button" className="link" onClick={onMarkAllRead} disabled={unreadCount === 0}>
              Mark all read
            </button>
          </header>
          {phase === 'loading' && <p className="muted">Loading…</p>}
          {error && <p className="form-error">{error}</p>}
          {phase === 'ready' && items.length === 0 && <p className="muted">No reminders yet.</p>}
          <ul>
            {items.map((item) => (
              <li key={item.id} className={item.read_at ? 'read' : 'unread'}>
                <button
                  type="button"
                  className="notification"
                  onClick={() => {
                    onMarkRead(item.id);
                    if (item.task_id) onOpenTask(item.task_id);
                    setOpen(false);
                  }}
                >
                  <strong>{item.title}</strong>
                  {item.body && <span>{item.body}</span>}
                  <time dateTime={item.created_at}>
                    {new Date(item.created_at).toLocaleString(undefined, {
                      dateStyle: 'medium',
                      timeStyle: 'short',
                    })}
                    {item.late ? ' · late' : ''}
                  </time>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
