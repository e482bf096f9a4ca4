import { hostname } from 'node:os';
import websocket from '@fastify/websocket';
import { APP_IDS } from '@todo/contracts';
import type { Config } from '@todo/platform/config';
import { type ConsumerRuntime, createConsumer } from '@todo/platform/consumers/runtime';
import type { Db } from '@todo/platform/db/connect';
import { requireUser } from '@todo/platform/http/authentication';
import { HttpError } from '@todo/platform/http/errors';
import type { HttpServer } from '@todo/platform/http/server';
import type { ServiceModule } from '@todo/platform/service';
import type { Logger } from '@todo/platform/telemetry/logger';
import { inSpan } from '@todo/platform/telemetry/tracing';
import { Type } from 'typebox';
import { frameOf } from './frames.js';
import { SyncHub } from './hub.js';
import { SyncLog } from './sync-log.js';

/** Frames are kept as long as the topics keep events: a client away longer refetches anyway. */
const RETENTION_SECONDS = 7 * 24 * 3600;
const PRUNE_INTERVAL_MS = 3600 * 1000;

export interface WebsocketSyncOptions {
  db: Db;
  consumerRuntime: ConsumerRuntime;
  logger: Logger;
  config: Pick<Config, 'WS_HEARTBEAT_MS' | 'WS_MAX_PER_USER' | 'WS_ALLOWED_ORIGINS' | 'PUBLIC_URL'>;
}

const WsQuerystring = Type.Object(
  {
    ticket: Type.Optional(
      Type.String({ maxLength: 100, description: 'From POST /api/ws-ticket (browsers)' }),
    ),
    token: Type.Optional(Type.String({ maxLength: 2000, description: 'A bearer token (programs)' })),
    since: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/**
 * Live push of task changes and notifications to each user's open clients at `GET /ws`. Every
 * process needs every update to reach its own sockets, so its consumer group is its own.
 */
export function createWebsocketSyncService(options: WebsocketSyncOptions): ServiceModule {
  const { db, logger, config } = options;
  const log = new SyncLog(db);
  const hub = new SyncHub(log, logger.child({ service: APP_IDS.websocketSync }), config.WS_MAX_PER_USER);
  let pruneTimer: NodeJS.Timeout | undefined;
  let pruning: Promise<void> = Promise.resolve();

  const subscription = createConsumer(
    {
      service: APP_IDS.websocketSync,
      topic: 'task-updates',
      group: `${APP_IDS.websocketSync}-${process.env.POD_NAME ?? `${hostname()}-${process.pid}`}`,
      // A frame is logged once per event id (unique); sending catches clients up from the log, so a
      // second delivery sends nothing new.
      deduplicatesItself: true,
      async handle(event) {
        const frame = frameOf(event);
        if (!frame) return;
        await log.record(event.event_id, event.user_id, frame);
        await inSpan(
          'websocket push',
          { attributes: { 'websocket.connections': hub.connectionsOf(event.user_id) } },
          () => hub.publish(event.user_id),
        );
      },
    },
    options.consumerRuntime,
  );

  const routes = async (app: HttpServer) => {
    await app.register(websocket, { options: { maxPayload: 4096 } });
    // Both run before the upgrade: a page of another origin gets 403, a missing or bad credential
    // 401, and no socket is opened.
    const allowed = allowedOrigins(config);
    app.addHook('onRequest', async (request) => {
      const origin = request.headers.origin;
      // Same host as the page's own (the scheme may differ where an ingress terminates TLS).
      if (origin === undefined || URL.parse(origin)?.host === request.headers.host) return;
      if (!allowed.has(origin))
        throw new HttpError(403, 'origin_not_allowed', `pages of ${origin} may not open /ws`);
    });
    requireUser(app);
    app.get(
      '/ws',
      { websocket: true, schema: { querystring: WsQuerystring }, config: { queryCredential: true } },
      (socket, request) => {
        // Clients have nothing to say; anything they send is ignored.
        hub.connect(request.actor.userId, socket, request.query.since).catch((error: unknown) => {
          request.log.error({ err: error }, 'live-sync connect failed');
          socket.close(1011, 'internal error');
        });
      },
    );
  };

  return {
    name: APP_IDS.websocketSync,
    subscriptions: [subscription],
    broadcast: true,
    async register(app) {
      await app.register(routes);
    },
    async start() {
      hub.startHeartbeat(config.WS_HEARTBEAT_MS);
      pruneTimer = setInterval(() => {
        pruning = log.prune(RETENTION_SECONDS).then(
          () => undefined,
          (error: unknown) => logger.warn({ err: error }, 'sync log prune failed'),
        );
      }, PRUNE_INTERVAL_MS);
      pruneTimer.unref();
    },
    async stop() {
      clearInterval(pruneTimer);
      await pruning;
      await hub.stop();
    },
  };
}

function allowedOrigins(config: Pick<Config, 'WS_ALLOWED_ORIGINS' | 'PUBLIC_URL'>): Set<string> {
  const listed = config.WS_ALLOWED_ORIGINS.split(',').map((origin) => origin.trim());
  const origins = new Set(listed.filter((origin) => origin !== ''));
  if (config.PUBLIC_URL) origins.add(new URL(config.PUBLIC_URL).origin);
  return origins;
}
