import WebSocket from 'ws';
import { eventually } from './eventually.js';

/** A frame as received; the tests' assertions check its shape. */
export type Frame = any;

/** The answer to an upgrade the server refused: its status and JSON body. */
export interface Refusal {
  status: number;
  body: Frame;
}

const wsUrl = (baseUrl: string, query: Record<string, string | number | undefined>) => {
  const url = new URL('/ws', baseUrl.replace(/^http/, 'ws'));
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url.toString();
};

/** A live-sync client as the web app opens it: `/ws?token=…&since=…`, recording every frame. */
export class SyncClient {
  readonly frames: Frame[] = [];
  private closed: Promise<void>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.frames.push(JSON.parse(String(data))));
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static open(
    baseUrl: string,
    token: string,
    options: { since?: number; autoPong?: boolean } = {},
  ): Promise<SyncClient> {
    return SyncClient.openWith(baseUrl, { token, since: options.since }, options);
  }

  /** Opens a socket with the given credential (`token` or `ticket`), as a page of `origin` if given. */
  static openWith(
    baseUrl: string,
    query: Record<string, string | number | undefined>,
    options: { autoPong?: boolean; origin?: string } = {},
  ): Promise<SyncClient> {
    const socket = new WebSocket(wsUrl(baseUrl, query), {
      autoPong: options.autoPong ?? true,
      ...(options.origin ? { origin: options.origin } : {}),
    });
    const client = new SyncClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  /** Tries to open a socket that the server should refuse; resolves with how it was refused. */
  static refusal(
    baseUrl: string,
    query: Record<string, string | undefined>,
    options: { origin?: string } = {},
  ): Promise<Refusal> {
    const socket = new WebSocket(wsUrl(baseUrl, query), options.origin ? { origin: options.origin } : {});
    return new Promise((resolve, reject) => {
      socket.once('upgrade', () => reject(new Error('the server upgraded the connection')));
      socket.once('unexpected-response', (_request, response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      });
      socket.once('error', (error) => reject(error));
    });
  }

  /** Frames of the given type, in arrival order. */
  of(type: string): Frame[] {
    return this.frames.filter((frame) => frame.type === type);
  }

  /** Waits until a frame matching `predicate` has arrived and returns it. */
  waitFor(predicate: (frame: Frame) => boolean, timeoutMs = 30_000): Promise<Frame> {
    return eventually(() => {
      const found = this.frames.find(predicate);
      if (!found) throw new Error(`no matching frame among ${JSON.stringify(this.frames)}`);
      return found;
    }, timeoutMs);
  }

  /** Resolves when the server has closed the socket (or the client did). */
  whenClosed(): Promise<void> {
    return this.closed;
  }

  async close(): Promise<void> {
    this.socket.close();
    await this.closed;
  }
}
