import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, setUnauthorizedHandler } from '../api/client';
import type { Me } from '../api/types';
import { dropOfflineCopies } from '../lib/offline';

/** Whether the session cookie (which scripts cannot read) names a live session: known once /api/me answered. */
type SessionState = 'checking' | 'signed-in' | 'signed-out';

interface AuthState {
  session: SessionState;
  me: Me | null;
  signIn: (email: string, password: string) => Promise<void>;
  signUp: (email: string, password: string, timezone: string) => Promise<void>;
  /** Ends the session on the server (the cookie and every copy of its token stop working). */
  signOut: () => Promise<void>;
  updateMe: (patch: Partial<Pick<Me, 'timezone' | 'email_notifications'>>) => Promise<void>;
  meError: string | null;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>('checking');
  const [me, setMe] = useState<Me | null>(null);
  const [meError, setMeError] = useState<string | null>(null);

  const signedOut = useCallback(() => {
    setSession('signed-out');
    setMe(null);
    void dropOfflineCopies();
  }, []);

  useEffect(() => setUnauthorizedHandler(signedOut), [signedOut]);

  useEffect(() => {
    if (session === 'signed-out') return;
    let cancelled = false;
    setMeError(null);
    api.me().then(
      (loaded) => {
        if (cancelled) return;
        setMe(loaded);
        setSession('signed-in');
      },
      (error: Error & { status?: number }) => {
        if (cancelled) return;
        if (error.status === 401) signedOut();
        else setMeError(error.message);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [session, signedOut]);

  const value = useMemo<AuthState>(
    () => ({
      session,
      me,
      meError,
      signOut: async () => {
        // Signed out here even if the server cannot be reached; its session then ends by expiry.
        await api.logout().catch(() => undefined);
        signedOut();
      },
      signIn: async (email, password) => {
        await api.login(email, password);
        setSession('checking');
      },
      signUp: async (email, password, timezone) => {
        await api.signup(email, password, timezone);
        setSession('checking');
      },
      updateMe: async (patch) => setMe(await api.updateMe(patch)),
    }),
    [session, me, meError, signedOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
