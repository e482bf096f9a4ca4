import { useEffect, useState } from 'react';
import { api } from '../api/client';

/**
 * The calendar subscription: make a secret address (shown once, to copy into a calendar app),
 * replace it, or revoke it.
 */
export function CalendarFeedSettings() {
  const [active, setActive] = useState<boolean | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    void api.calendarFeed().then(
      (status) => setActive(status.active),
      (failure: Error) => setMessage(failure.message),
    );
  }, []);

  const act = async (action: () => Promise<void>) => {
    setMessage(null);
    try {
      await action();
    } catch (failure) {
      setMessage((failure as Error).message);
    }
  };
  const create = () =>
    act(async () => {
      const made = await api.createCalendarFeed();
      setUrl(made.url);
      setActive(true);
    });
  const revoke = () =>
    act(async () => {
      await api.revokeCalendarFeed();
      setUrl(null);
      setActive(false);
      setMessage('Calendar address revoked: calendars subscribed to it get nothing more.');
    });
  const copy = () =>
    act(async () => {
      if (!url) return;
      await navigator.clipboard.writeText(url);
      setMessage('Copied.');
    });

  return (
    <div className="field" data-testid="calendar-feed">
      <span>
        Calendar: your open tasks with a due date, in any calendar app that subscribes to an address
        (Thunderbird, Apple Calendar, Google Calendar).
      </span>
      {url && (
        <>
          <input
            readOnly
            value={url}
            aria-label="Calendar address"
            onFocus={(event) => event.target.select()}
          />
          <span className="muted">Shown once: anyone with this address can read these tasks.</span>
          <button type="button" onClick={() => void copy()}>
            Copy address
          </button>
        </>
      )}
      {active !== null && (
        <button type="button" onClick={() => void create()}>
          {active ? 'Make a new calendar address (the old one stops working)' : 'Make a calendar address'}
        </button>
      )}
      {active && (
        <button type="button" onClick={() => void revoke()}>
          Revoke the calendar address
        </button>
      )}
      {message && <span role="status">{message}</span>}
    </div>
  );
}
