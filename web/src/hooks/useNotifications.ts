import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { AppNotification } from '../api/types';

/** The notification centre: recent notifications, unread count, marking read. */
export function useNotifications() {
  const [items, setItems] = useState<AppNotification[]>([]);
  const [phase, setPhase] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const page = await api.notifications();
      setItems(page.items);
      setPhase('ready');
      setError(null);
    } catch (failure) {
      setPhase('error');
      setError((failure as Error).message);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const add = useCallback((notification: AppNotification) => {
    setItems((current) =>
      current.some((item) => item.id === notification.id) ? current : [notification, ...current],
    );
  }, []);

  const markRead = useCallback(async (id: string) => {
    const readAt = new Date().toISOString();
    setItems((current) => current.map((item) => (item.id === id ? { ...item, read_at: readAt } : item)));
    try {
      await api.markNotificationRead(id);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, []);

  const markAllRead = useCallback(async () => {
    const readAt = new Date().toISOString();
    setItems((current) => current.map((item) => ({ ...item, read_at: item.read_at ?? readAt })));
    try {
      await api.markAllNotificationsRead();
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, []);

  const unreadCount = items.filter((item) => !item.read_at).length;
  return { items, phase, error, unreadCount, reload, add, markRead, markAllRead };
}

/** Shows a system notification when the user has allowed them. */
export function showBrowserNotification(notification: AppNotification): void {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  try {
    new Notification(notification.title, { body: notification.body, tag: notification.id });
  } catch {
    // Some browsers only allow notifications from a service worker; the in-app toast still shows.
  }
}
