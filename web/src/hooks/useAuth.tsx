import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, setUnauthorizedHandler, tokenStore } from '../api/client';
import type { Me } from '../api/types';

interface AuthState {
  token: string | null;
  me: Me | null;
  signIn: (email: string, password: string) => Promise<void>;
  signUp: (email: string, password: string, timezone: string) => Promise<void>;
  signOut: () => void;
  updateMe: (patch: Partial<Pick<Me, 'timezone' | 'email_notifications'>>) => Promise<void>;
  meError: string | null;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState(tokenStore.get);
  const [me, setMe] = useState<Me | null>(null);
  const [meError, setMeError] = useState<string | null>(null);

  const signOut = useCallback(() => {
    tokenStore.clear();
    setToken(null);
    setMe(null);
  }, []);

  useEffect(() => setUnauthorizedHandler(signOut), [signOut]);

  // Another tab signing in or out changes the stored token.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === null || event.key === 'todo.token') setToken(tokenStore.get());
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    setMeError(null);
    api.me().then(
      (loaded) => !cancelled && setMe(loaded),
      (error: Error) => !cancelled && setMeError(error.message),
    );
    return () => {
      cancelled = true;
    };
  }, [token]);

  const value = useMemo<AuthState>(
    () => ({
      token,
      me,
      meError,
      signOut,
      signIn: async (email, password) => {
        const { token: issued } = await api.login(email, password);
        tokenStore.set(issued);
        setToken(issued);
      },
      signUp: async (email, password, timezone) => {
        const { token: issued } = await api.signup(email, password, timezone);
        tokenStore.set(issued);
        setToken(issued);
      },
      updateMe: async (patch) => setMe(await api.updateMe(patch)),
    }),
    [token, me, meError, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
