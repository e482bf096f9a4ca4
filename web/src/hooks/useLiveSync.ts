import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { SyncFrame } from '../api/types';

export type ConnectionState = 'connecting' | 'live' | 'offline';

const MAX_BACKOFF_MS = 30_000;
/** The server sends heartbeats; silence for this long means the socket is dead. */
const SILENCE_LIMIT_MS = 70_000;

/**
 * Keeps one WebSocket to `/ws` open while signed in. Reconnects with jittered exponential backoff
 * and resumes after the last sequence number seen, so missed frames are replayed. `onConnected`
 * runs on every open, so whatever changed before the first frame (or across a gap the server no
 * longer remembers) is re-read. Each connection asks for a single-use ticket first: the session
 * cookie alone does not open `/ws`, and no token appears in a URL.
 */
export function useLiveSync(
  signedIn: boolean,
  onFrame: (frame: SyncFrame) => void,
  onConnected: () => void,
): ConnectionState {
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const handlers = useRef({ onFrame, onConnected });
  handlers.current = { onFrame, onConnected };

  useEffect(() => {
    if (!signedIn) return;
    let socket: WebSocket | null = null;
    let lastSeq: number | null = null;
    let attempt = 0;
    let stopped = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    /** A retry is scheduled (the socket closed, or no ticket could be had, e.g. offline). */
    let waiting = false;
    let silenceTimer: ReturnType<typeof setTimeout> | undefined;

    const watchSilence = () => {
      clearTimeout(silenceTimer);
      silenceTimer = setTimeout(() => socket?.close(), SILENCE_LIMIT_MS);
    };

    const retryLater = () => {
      setConnection('offline');
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt++;
      waiting = true;
      retryTimer = setTimeout(connect, delay);
    };

    const connect = async () => {
      waiting = false;
      setConnection('connecting');
      let ticket: string;
      try {
        ({ ticket } = await api.wsTicket());
      } catch {
        if (!stopped) retryLater();
        return;
      }
      if (stopped) return;
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      const since = lastSeq === null ? '' : `&since=${lastSeq}`;
      socket = new WebSocket(`${scheme}://${location.host}/ws?ticket=${encodeURIComponent(ticket)}${since}`);
      socket.onopen = () => {
        attempt = 0;
        setConnection('live');
        watchSilence();
        handlers.current.onConnected();
      };
      socket.onmessage = (message) => {
        watchSilence();
        let frame: SyncFrame;
        try {
          frame = JSON.parse(String(message.data)) as SyncFrame;
        } catch {
          return;
        }
        if ('seq' in frame && typeof frame.seq === 'number') {
          if (lastSeq !== null && frame.seq <= lastSeq) return;
          lastSeq = frame.seq;
        }
        handlers.current.onFrame(frame);
      };
      socket.onclose = () => {
        clearTimeout(silenceTimer);
        if (stopped) return;
        retryLater();
      };
    };

    // Coming back online or to the tab: retry at once instead of waiting out the backoff.
    const retryNow = () => {
      if (waiting && !stopped) {
        clearTimeout(retryTimer);
        attempt = 0;
        void connect();
      }
    };

    void connect();
    window.addEventListener('online', retryNow);
    document.addEventListener('visibilitychange', retryNow);
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      clearTimeout(silenceTimer);
      window.removeEventListener('online', retryNow);
      document.removeEventListener('visibilitychange', retryNow);
      if (socket?.readyState === WebSocket.CONNECTING) {
        // Closing a socket still connecting logs a browser warning; close it once it opens.
        const connecting = socket;
        connecting.onmessage = null;
        connecting.onopen = () => connecting.close();
      } else {
        socket?.close();
      }
    };
  }, [signedIn]);

  return connection;
}
