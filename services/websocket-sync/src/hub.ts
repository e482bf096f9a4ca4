import type { Logger } from '@todo/platform/telemetry/logger';
import { websocketConnections } from '@todo/platform/telemetry/metrics';
import type { WebSocket } from 'ws';
import type { ServerFrame } from './frames.js';
import type { SyncLog } from './sync-log.js';

/** At most this many missed frames are replayed one by one; beyond it the client refetches. */
export const BACKLOG_LIMIT = 1000;
/** A client that lets this much unsent data pile up is dropped; it resumes when it reconnects. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** The close code of a socket over its account's limit (RFC 6455: policy violation). */
export const TOO_MANY_SOCKETS = 1008;

interface Client {
  socket: WebSocket;
  /** The highest number sent to this client: it is owed every frame above it. */
  lastSent: number;
  alive: boolean;
}

/**
 * The open sockets of this process, by user. Every send goes through the sync log: a user's
 * clients are brought up to date by reading the frames numbered above what each was sent, one
 * read at a time per user, so a client receives each frame once and in order — whether it is
 * resuming after a reconnect or live.
 */
export class SyncHub {
  private readonly clients = new Map<string, Set<Client>>();
  /** The per-user queue of catch-up work: one read-and-send at a time per user. */
  private readonly queues = new Map<string, Promise<void>>();
  /** Open sockets per user, counted from the upgrade (a client joins `clients` only once caught up). */
  private readonly open = new Map<string, number>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: SyncLog,
    private readonly logger: Logger,
    /** Sockets one user may hold open in this process: each costs memory and a share of every push. */
    private readonly maxPerUser: number,
  ) {}

  /**
   * Adds a socket of `userId`. With `since` (the last number the client saw) it first receives the
   * frames after it; then `hello` with the number it is caught up to, then live frames.
   */
  connect(userId: string, socket: WebSocket, since: number | undefined): Promise<void> {
    const open = this.open.get(userId) ?? 0;
    if (open >= this.maxPerUser) {
      socket.close(TOO_MANY_SOCKETS, `too many live connections: at most ${this.maxPerUser} per account`);
      return Promise.resolve();
    }
    this.open.set(userId, open + 1);
    websocketConnections.inc();
    const client: Client = { socket, lastSent: 0, alive: true };
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('close', () => {
      websocketConnections.dec();
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left === 0) this.open.delete(userId);
      else this.open.set(userId, left);
      const own = this.clients.get(userId);
      own?.delete(client);
      if (own?.size === 0) this.clients.delete(userId);
    });
    return this.enqueue(userId, async () => {
      const latest = await this.log.latest(userId);
      // Closed while waiting: its close handler has run, so it must not be added now.
      if (socket.readyState !== socket.OPEN) return;
      // A number beyond the user's latest was not handed out by this log (reset, or pruned away).
      const resumable = since !== undefined && since <= latest;
      if (since !== undefined && !resumable) this.send(client, { type: 'resync' });
      client.lastSent = resumable ? since : latest;
      const own = this.clients.get(userId) ?? new Set();
      this.clients.set(userId, own.add(client));
      await this.catchUp(userId);
      this.send(client, { type: 'hello', seq: client.lastSent });
    });
  }

  /** How many sockets the user has open in this process. */
  connectionsOf(userId: string): number {
    return this.clients.get(userId)?.size ?? 0;
  }

  /** Sends the user's clients what was recorded since their last frame (after a new record). */
  publish(userId: string): Promise<void> {
    if (!this.clients.has(userId)) return Promise.resolve();
    return this.enqueue(userId, () => this.catchUp(userId));
  }

  /** Heartbeat frames keep proxies and the client's silence check happy; pings find dead peers. */
  startHeartbeat(intervalMs: number): void {
    this.heartbeat = setInterval(() => {
      for (const own of this.clients.values()) {
        for (const client of own) {
          if (!client.alive) {
            client.socket.terminate();
            continue;
          }
          client.alive = false;
          client.socket.ping();
          this.send(client, { type: 'heartbeat' });
        }
      }
    }, intervalMs);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const own of this.clients.values()) {
      for (const client of own) client.socket.close(1001, 'server shutting down');
    }
    await Promise.allSettled(this.queues.values());
  }

  private async catchUp(userId: string): Promise<void> {
    for (;;) {
      const own = [...(this.clients.get(userId) ?? [])];
      if (own.length === 0) return;
      const from = Math.min(...own.map((client) => client.lastSent));
      const rows = await this.log.after(userId, from, BACKLOG_LIMIT + 1);
      if (rows.length <= BACKLOG_LIMIT) {
        for (const client of own) {
          for (const { seq, frame } of rows) {
            if (seq <= client.lastSent) continue;
            this.send(client, { ...frame, seq });
            client.lastSent = seq;
          }
        }
        return;
      }
      // The clients furthest behind missed too much: they refetch and continue from the latest.
      const latest = await this.log.latest(userId);
      for (const client of own.filter((c) => c.lastSent === from)) {
        this.send(client, { type: 'resync' });
        client.lastSent = latest;
      }
    }
  }

  private send(client: Client, frame: ServerFrame): void {
    const { socket } = client;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.logger.warn({ buffered: socket.bufferedAmount }, 'dropping a live-sync client that does not read');
      socket.terminate();
      return;
    }
    socket.send(JSON.stringify(frame));
  }

  private enqueue(userId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(userId) ?? Promise.resolve();
    // A failed step must not stall the user's queue; its caller sees the failure.
    const next = previous.catch(() => undefined).then(work);
    this.queues.set(userId, next);
    const forget = () => {
      if (this.queues.get(userId) === next) this.queues.delete(userId);
    };
    next.then(forget, forget);
    return next;
  }
}
