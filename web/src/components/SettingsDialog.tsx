import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import { useAuth } from '../hooks/useAuth';
import { browserTimeZone, isValidTimeZone } from '../lib/time';
import { CalendarFeedSettings } from './CalendarFeedSettings';
import { Modal } from './Modal';

const TIME_ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const { me, updateMe } = useAuth();
  const [timezone, setTimezone] = useState(me?.timezone ?? browserTimeZone());
  const [emailNotifications, setEmailNotifications] = useState(me?.email_notifications ?? true);
  const [permission, setPermission] = useState(() =>
    'Notification' in window ? Notification.permission : 'denied',
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [verification, setVerification] = useState<string | null>(null);

  const sendVerification = async () => {
    setVerification('Sending…');
    try {
      const { sent_to } = await api.verifyEmail();
      setVerification(`We sent a link to ${sent_to}: open it within 24 hours.`);
    } catch (failure) {
      setVerification((failure as Error).message);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!isValidTimeZone(timezone)) {
      setError(`“${timezone}” is not a time zone.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await updateMe({ timezone, email_notifications: emailNotifications });
      onClose();
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  };

  return (
    <Modal title="Settings" onClose={onClose}>
      <form onSubmit={submit} className="settings-form">
        <p className="muted">Signed in as {me?.email}</p>
        <label>
          Time zone
          <input list="time-zones" value={timezone} onChange={(event) => setTimezone(event.target.value)} />
          <datalist id="time-zones">
            {TIME_ZONES.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </label>
        {timezone !== browserTimeZone() && (
          <button type="button" className="link" onClick={() => setTimezone(browserTimeZone())}>
            Use this device’s zone ({browserTimeZone()})
          </button>
        )}
        <label className="choice">
          <input
            type="checkbox"
            checked={emailNotifications}
            onChange={(event) => setEmailNotifications(event.target.checked)}
          />
          Email me my reminders
        </label>
        {me && !me.email_verified && (
          <div className="field" data-testid="email-unverified">
            <span>
              {me.email} is not verified yet: reminders arrive here in the app, but no e-mail is sent until
              you open the link we mail you.
            </span>
            <button type="button" onClick={() => void sendVerification()}>
              Send verification e-mail
            </button>
            {verification && <span role="status">{verification}</span>}
          </div>
        )}
        <CalendarFeedSettings />
        <div className="field">
          <span>
            Desktop notifications:{' '}
            {permission === 'granted' ? 'on' : permission === 'denied' ? 'blocked' : 'off'}
          </span>
          {permission === 'default' && (
            <button type="button" onClick={() => void Notification.requestPermission().then(setPermission)}>
              Enable desktop notifications
            </button>
          )}
        </div>
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
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </footer>
      </form>
    </Modal>
  );
}
