import { type FormEvent, useState } from 'react';
import { useAuth } from '../hooks/useAuth';
import { browserTimeZone } from '../lib/time';

export function AuthScreen() {
  const { signIn, signUp } = useAuth();
  const [mode, setMode] = useState<'signin' | 'signup'>('signin');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      if (mode === 'signup') await signUp(email.trim(), password, browserTimeZone());
      else await signIn(email.trim(), password);
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  };

  const signingUp = mode === 'signup';
  return (
    <main className="auth">
      <form className="auth-card" onSubmit={submit} aria-labelledby="auth-title">
        <p className="brand" aria-hidden="true">
          ✓ Todo Chatbot
        </p>
        <h1 id="auth-title">{signingUp ? 'Create your account' : 'Sign in'}</h1>
        <p className="muted">Tasks, reminders and repeating chores — by clicking or just by asking.</p>
        <label>
          Email
          <input
            type="email"
            name="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete={signingUp ? 'new-password' : 'current-password'}
            required
            minLength={signingUp ? 8 : undefined}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {signingUp && <p className="hint">Time zone: {browserTimeZone()} (change it later in Settings)</p>}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Please wait…' : signingUp ? 'Sign up' : 'Sign in'}
        </button>
        <button
          type="button"
          className="link"
          onClick={() => {
            setMode(signingUp ? 'signin' : 'signup');
            setError(null);
          }}
        >
          {signingUp ? 'Have an account? Sign in' : 'New here? Create an account'}
        </button>
      </form>
    </main>
  );
}
