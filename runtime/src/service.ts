/**
 * The distributed composition root: `tsx runtime/src/service.ts <service>` runs ONE service in
 * this process, behind its own Dapr sidecar (DAPR_HTTP_PORT), on PostgreSQL. Events leave through
 * the outbox relay to Kafka via the sidecar and arrive through Dapr subscriptions; event-id claims
 * live in Dapr's state store, reminders are Dapr jobs, and the database URL and JWT secret come
 * from the Dapr secret store unless DATABASE_URL / JWT_SECRET are set.
 */
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createApiService } from '@todo/api';
import { llmSettingsFrom } from '@todo/api/assistant/llm-agent';
import { loginLimitsOf } from '@todo/api/http/auth-routes';
import { createAuditService } from '@todo/audit';
import { createNotificationService } from '@todo/notification';
import { type Config, loadConfig, trustProxyOf } from '@todo/platform/config';
import { DeadLetterSink } from '@todo/platform/consumers/dead-letters';
import type { ConsumerRuntime } from '@todo/platform/consumers/runtime';
import { DaprClient } from '@todo/platform/dapr/client';
import { DaprEventBus } from '@todo/platform/dapr/event-bus';
import { DaprIdempotencyStore } from '@todo/platform/dapr/idempotency';
import { DaprJobScheduler } from '@todo/platform/dapr/job-scheduler';
import { DaprSecretStore } from '@todo/platform/dapr/secret-store';
import { type Db, openDatabase } from '@todo/platform/db/connect';
import { authentication } from '@todo/platform/http/authentication';
import { startMetricsServer } from '@todo/platform/http/metrics-server';
import { createHttpServer } from '@todo/platform/http/server';
import type { SessionStore } from '@todo/platform/identity/sessions';
import { processIdentity } from '@todo/platform/identity/token-authenticator';
import type { UserDirectory } from '@todo/platform/identity/user-directory';
import { SqlJobScheduler } from '@todo/platform/jobs/sql-scheduler';
import { OutboxRelay } from '@todo/platform/outbox/relay';
import type { ServiceModule } from '@todo/platform/service';
import { createLogger, type Logger } from '@todo/platform/telemetry/logger';
import { startTracing } from '@todo/platform/telemetry/tracing';
import { createRecurringTaskService } from '@todo/recurring-task';
import { createWebsocketSyncService } from '@todo/websocket-sync';
import { sql } from 'kysely';
import { APP_ID_OF, SERVICE_NAMES, type ServiceName } from './service-names.js';
import { daprTaskWriter, taskWriterRoutes } from './task-writer-service.js';
import { kafkaAdmin, missingTopics } from './topics.js';

const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));
/**
 * A reminder not fired by Dapr this long after its time is fired by the api itself. Dapr retries
 * a failed job callback for a minute (DaprJobScheduler's failure policy): well under this.
 */
const MISSED_JOB_AFTER_MS = 90_000;
/** The sidecar must answer before anything else (secrets come from it). */
const SIDECAR_WAIT_MS = 60_000;

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

/** What every process has, from which its service is built. */
interface ProcessParts {
  db: Db;
  dapr: DaprClient;
  config: Config;
  logger: Logger;
  consumerRuntime: ConsumerRuntime;
  sessions: SessionStore;
  users: UserDirectory;
  /** Wakes the process's outbox relay after a commit (a no-op where it runs none). */
  onCommit: () => void;
}

/**
 * Each process: its service's module, then the modules of which it serves only the routes. The
 * ingress sends every path but /ws to the api, so the api process also answers the notification and
 * audit reads (queries of the shared database; their consumers stay in their own services) and
 * sends the verification e-mails of `POST /api/me/verify-email` (it needs SMTP_URL for that).
 */
const PROCESSES: Record<ServiceName, (parts: ProcessParts) => [ServiceModule, ...ServiceModule[]]> = {
  api: (parts) => [distributedApi(parts), routesOnly(notification(parts)), routesOnly(audit(parts))],
  'recurring-task': (parts) => [
    createRecurringTaskService({
      writer: daprTaskWriter(parts.dapr),
      consumerRuntime: parts.consumerRuntime,
    }),
  ],
  notification: (parts) => [notification(parts)],
  audit: (parts) => [audit(parts)],
  'websocket-sync': (parts) => [createWebsocketSyncService(parts)],
};

const notification = (parts: ProcessParts) => createNotificationService(parts);
const audit = (parts: ProcessParts) => createAuditService(parts);
/** A module's routes without its consumers or background work (mailers connect only to send). */
const routesOnly = ({ name, register }: ServiceModule): ServiceModule => ({
  name,
  ...(register ? { register } : {}),
});

/**
 * The api with what only the distributed mode needs: reminders as Dapr jobs, the api firing those
 * Dapr lost, and the internal task-writer routes the recurring-task service calls through Dapr.
 */
function distributedApi(parts: ProcessParts): ServiceModule {
  const missedJobs = new SqlJobScheduler(parts.db, parts.logger, { overdueAfterMs: MISSED_JOB_AFTER_MS });
  const api = createApiService({
    db: parts.db,
    sessions: parts.sessions,
    users: parts.users,
    loginLimits: loginLimitsOf(parts.config),
    appToken: parts.config.APP_API_TOKEN as string,
    mcpRateLimitPerMinute: parts.config.MCP_RATE_LIMIT_PER_MINUTE,
    chatRateLimitPerMinute: parts.config.CHAT_RATE_LIMIT_PER_MINUTE,
    jobs: new DaprJobScheduler(parts.dapr),
    onCommit: parts.onCommit,
    llm: llmSettingsFrom(parts.config),
    webDist: WEB_DIST,
    publicUrl: parts.config.PUBLIC_URL,
  });
  return {
    ...api.module,
    async register(app) {
      await api.module.register?.(app);
      await app.register(taskWriterRoutes(api, parts.config.APP_API_TOKEN as string));
    },
    async start() {
      missedJobs.start(api.fireReminder);
    },
    async stop() {
      await missedJobs.stop();
    },
  };
}

export async function startService(
  name: ServiceName,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningService> {
  // Before the configuration: the secrets it needs come through the sidecar.
  const dapr = new DaprClient(Number(env.DAPR_HTTP_PORT ?? 3500), env.DAPR_API_TOKEN);
  await waitForSidecar(dapr);
  const secrets = new DaprSecretStore(dapr);
  const config = loadConfig({
    ...env,
    TODO_MODE: 'distributed',
    DATABASE_URL: env.DATABASE_URL ?? (await secrets.get('database-credentials/connectionString')),
    JWT_SECRET: env.JWT_SECRET ?? (await secrets.get('app-secrets/jwtSecret')),
  });
  const logger = createLogger(config.LOG_LEVEL).child({ service: name });
  // Before the database is opened and the server made: both are instrumented when they are created.
  const tracing = config.OTEL_EXPORTER_ZIPKIN_ENDPOINT
    ? startTracing({ serviceName: name, zipkinEndpoint: config.OTEL_EXPORTER_ZIPKIN_ENDPOINT })
    : undefined;
  // Migrations run once before the services start (`npm run migrate`), not in every replica.
  // loadConfig refuses the distributed mode without DATABASE_URL.
  const db = openDatabase({ url: config.DATABASE_URL as string });
  const identity = processIdentity(db, {
    jwtSecret: config.JWT_SECRET as string,
    jwtTtl: config.JWT_TTL,
    cacheUsers: false,
  });
  const consumerRuntime: ConsumerRuntime = {
    idempotency: new DaprIdempotencyStore(dapr, {
      name: env.POD_NAME ?? `${hostname()}/${name}`,
      startedAt: Date.now(),
    }),
    deadLetters: new DeadLetterSink(db),
    logger,
  };
  let relay: OutboxRelay | undefined;
  const [service, ...routeModules] = PROCESSES[name]({
    db,
    dapr,
    config,
    logger,
    consumerRuntime,
    sessions: identity.sessions,
    users: identity.users,
    onCommit: () => relay?.wake(),
  });

  const bus = new DaprEventBus({
    dapr,
    appToken: config.APP_API_TOKEN as string,
    // A broadcasting service needs every event in every process: that component has a group per process.
    ...(service.broadcast ? { pubsubFor: () => 'kafka-pubsub-broadcast' } : {}),
  });
  // Only producers run a relay; it drains the whole shared outbox (DLQ rows of other services
  // included) under an advisory lock, so replicas never interleave a task's events.
  if (service.produces?.length) relay = new OutboxRelay({ db, bus, logger, exclusive: true });

  const admin = kafkaAdmin();
  const app = createHttpServer({
    logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    idleTimeoutMs: config.IDLE_TIMEOUT_MS,
    trustProxy: trustProxyOf(config),
    readiness: [
      { name: 'database', check: async () => void (await sql`select 1`.execute(db)) },
      { name: 'sidecar', check: () => dapr.healthy() },
      {
        name: 'kafka',
        check: async () => {
          await admin.connect();
          const missing = await missingTopics(admin);
          if (missing.length > 0) throw new Error(`topics missing: ${missing.join(', ')}`);
        },
      },
    ],
  });
  await app.register(authentication, { authenticator: identity.authenticator });
  for (const subscription of service.subscriptions ?? []) bus.subscribe(subscription);
  await app.register(bus.routes);
  for (const module of [service, ...routeModules]) await module.register?.(app);
  await service.start?.();
  relay?.start();
  const url = await app.listen({ host: config.HOST, port: config.PORT });
  const metrics = await startMetricsServer(config.HOST, config.METRICS_PORT);
  logger.info({ url, metricsUrl: `${metrics.url}/metrics`, appId: service.name }, 'service listening');
  return {
    url,
    async close() {
      await app.close();
      await metrics.close();
      await relay?.stop();
      await service.stop?.();
      await admin.disconnect();
      await db.destroy();
      const dropped = await tracing?.shutdown();
      if (dropped) logger.warn({ err: dropped }, 'tracing: spans still buffered at stop were dropped');
    },
  };
}

async function waitForSidecar(dapr: DaprClient): Promise<void> {
  const deadline = Date.now() + SIDECAR_WAIT_MS;
  for (;;) {
    try {
      return await dapr.healthy();
    } catch (error) {
      if (Date.now() >= deadline)
        throw new Error(`Dapr sidecar not ready after ${SIDECAR_WAIT_MS / 1000}s: ${error}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const name = process.argv[2] as ServiceName;
  if (!SERVICE_NAMES.includes(name)) {
    console.error(`usage: service.ts ${SERVICE_NAMES.join('|')}`);
    process.exit(2);
  }
  const running = await startService(name);
  console.log(`${APP_ID_OF[name]} listening at ${running.url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void running.close().then(() => process.exit(0)));
  }
}
