import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';

interface Toast {
  id: number;
  message: string;
  detail?: string;
  tone: 'info' | 'error' | 'reminder';
  action?: { label: string; run: () => void };
}

interface ToastApi {
  toasts: Toast[];
  showToast: (toast: Omit<Toast, 'id' | 'tone'> & { tone?: Toast['tone']; durationMs?: number }) => number;
  dismissToast: (id: number) => void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismissToast = useCallback((id: number) => {
    setToasts((current) => current.filter((toast) => toast.id !== id));
  }, []);

  const showToast = useCallback<ToastApi['showToast']>(
    ({ durationMs = 5000, tone = 'info', ...toast }) => {
      const id = nextId.current++;
      setToasts((current) => [...current.slice(-4), { ...toast, tone, id }]);
      if (durationMs > 0) setTimeout(() => dismissToast(id), durationMs);
      return id;
    },
    [dismissToast],
  );

  const value = useMemo(() => ({ toasts, showToast, dismissToast }), [toasts, showToast, dismissToast]);
  return <ToastContext.Provider value={value}>{children}</ToastContext.Provider>;
}

export function useToasts(): ToastApi {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error('useToasts outside ToastProvider');
  return toasts;
}
