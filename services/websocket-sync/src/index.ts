import { hostname } from 'node:os';
import websocket from '@fastify/websocket';
import type { ApiService } from '@todo/api';
import { requireUser } from '@todo/api';
import { APP_IDS } from '@todo/contracts';
import type { Config } from '@todo/platform/config';
import { type ConsumerRuntime, createConsumer } from '@todo/platform/consumers/runtime';
import type { Db } from '@todo/platform/db/connect';
import type { HttpServer } from '@todo/platform/http/server';
import type { ServiceModule } from '@todo/platform/service';
import type { Logger } from '@todo/platform/telemetry/logger';
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
  config: Pick<Config, 'WS_HEARTBEAT_MS' | 'WS_MAX_PER_USER'>;
  api: Pick<ApiService, 'tokens' | 'users'>;
}

const WsQuerystring = Type.Object(
  {
    token: Type.Optional(Type.String()),
    since: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/**
 * Live push of task changes and notifications to each user's open clients at `GET /ws`. Every
 * process needs every update to reach its own sockets, so its consumer group is its own.
 */
export function createWebsocketSyncService(options: WebsocketSyncOptions): ServiceModule {
  const { db, logger, config, api } = options;
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
        await hub.publish(event.user_id);
      },
    },
    options.consumerRuntime,
  );

  const routes = async (app: HttpServer) => {
    await app.register(websocket, { options: { maxPayload: 4096 } });
    // Runs before the upgrade: a missing or bad token is answered 401 and no socket is opened.
    requireUser(app, api.tokens, api.users);
    app.get('/ws', { websocket: true, schema: { querystring: WsQuerystring } }, (socket, request) => {
      // Clients have nothing to say; anything they send is ignored.
      hub.connect(request.actor.userId, socket, request.query.since).catch((error: unknown) => {
        request.log.error({ err: error }, 'live-sync connect failed');
        socket.close(1011, 'internal error');
      });
    });
  };

  return {
    name: APP_IDS.websocketSync,
    subscriptions: [subscription],
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
