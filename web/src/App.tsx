import { AuthScreen } from './components/AuthScreen';
import { Workspace } from './components/Workspace';
import { AuthProvider, useAuth } from './hooks/useAuth';
import { ToastProvider } from './hooks/useToasts';

function Screens() {
  const { session, me, meError, signOut } = useAuth();
  if (session === 'signed-out') return <AuthScreen />;
  if (!me) {
    return (
      <main className="splash" role="status">
        {meError ? (
          <>
            <p>Could not load your account: {meError}</p>
            <button type="button" onClick={signOut}>
              Sign in again
            </button>
          </>
        ) : (
          <p>Loading…</p>
        )}
      </main>
    );
  }
  return <Workspace />;
}

export function App() {
  return (
    <AuthProvider>
      <ToastProvider>
        <Screens />
      </ToastProvider>
    </AuthProvider>
  );
}
