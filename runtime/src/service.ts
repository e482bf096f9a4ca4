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
import { ErrorBody, TaskJson, UserJson } from '@todo/api/http/schemas';
import { webApp } from '@todo/api/http/web-app';
import { createAuditService } from '@todo/audit';
import { auditRoutes } from '@todo/audit/http/audit-routes';
import { createNotificationService } from '@todo/notification';
import { notificationRoutes } from '@todo/notification/http/notification-routes';
import { loadConfig } from '@todo/platform/config';
import { DeadLetterSink } from '@todo/platform/consumers/dead-letters';
import type { ConsumerRuntime } from '@todo/platform/consumers/runtime';
import { DaprClient } from '@todo/platform/dapr/client';
import { DaprEventBus } from '@todo/platform/dapr/event-bus';
import { DaprIdempotencyStore } from '@todo/platform/dapr/idempotency';
import { DaprJobScheduler } from '@todo/platform/dapr/job-scheduler';
import { DaprSecretStore } from '@todo/platform/dapr/secret-store';
import { databaseTarget, openDatabase } from '@todo/platform/db/connect';
import { createHttpServer } from '@todo/platform/http/server';
import { SqlJobScheduler } from '@todo/platform/jobs/sql-scheduler';
import { OutboxRelay } from '@todo/platform/outbox/relay';
import type { ServiceModule } from '@todo/platform/service';
import { createLogger } from '@todo/platform/telemetry/logger';
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

export async function startService(
  name: ServiceName,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningService> {
  const dapr = new DaprClient(Number(env.DAPR_HTTP_PORT ?? 3500));
  await waitForSidecar(dapr);
  const secrets = new DaprSecretStore(dapr);
  const config = loadConfig({
    ...env,
    TODO_MODE: 'distributed',
    DATABASE_URL: env.DATABASE_URL ?? (await secrets.get('database-credentials/connectionString')),
    JWT_SECRET: env.JWT_SECRET ?? (await secrets.get('app-secrets/jwtSecret')),
  });
  const logger = createLogger(config.LOG_LEVEL).child({ service: name });
  // Migrations run once before the services start (`npm run migrate`), not in every replica.
  const db = openDatabase(databaseTarget(config));

  const bus = new DaprEventBus({
    dapr,
    // websocket-sync needs every update in every process: its component has a group per process.
    ...(name === 'websocket-sync' ? { pubsubFor: () => 'kafka-pubsub-broadcast' } : {}),
  });
  // Only the producers run a relay; it drains the whole shared outbox (DLQ rows of other services
  // included) under an advisory lock, so replicas never interleave a task's events.
  const relay =
    name === 'api' || name === 'notification'
      ? new OutboxRelay({ db, bus, logger, exclusive: true })
      : undefined;
  const onCommit = () => relay?.wake();
  const consumerRuntime: ConsumerRuntime = {
    idempotency: new DaprIdempotencyStore(dapr, {
      name: env.POD_NAME ?? `${hostname()}/${name}`,
      startedAt: Date.now(),
    }),
    deadLetters: new DeadLetterSink(db),
    logger,
  };
  // Dapr fires reminders; this fires those it lost (see SqlJobSchedulerOptions), in the api only.
  const missedJobs = new SqlJobScheduler(db, logger, { overdueAfterMs: MISSED_JOB_AFTER_MS });
  const api = createApiService({
    db,
    jwtSecret: config.JWT_SECRET as string,
    jwtTtl: config.JWT_TTL,
    loginRateLimitPerMinute: config.LOGIN_RATE_LIMIT_PER_MINUTE,
    chatRateLimitPerMinute: config.CHAT_RATE_LIMIT_PER_MINUTE,
    jobs: new DaprJobScheduler(dapr, missedJobs),
    onCommit,
    llm: llmSettingsFrom(config),
  });

  const modules: Record<ServiceName, () => ServiceModule> = {
    api: () => api.module,
    'recurring-task': () => createRecurringTaskService({ writer: daprTaskWriter(dapr), consumerRuntime }),
    notification: () => createNotificationService({ db, consumerRuntime, api, config, onCommit }),
    audit: () => createAuditService({ db, consumerRuntime, api }),
    'websocket-sync': () => createWebsocketSyncService({ db, consumerRuntime, logger, config, api }),
  };
  const service = modules[name]();

  const admin = kafkaAdmin();
  const app = createHttpServer({
    logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
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
  for (const subscription of service.subscriptions ?? []) bus.subscribe(subscription);
  await app.register(bus.routes);
  // The api module adds the shared response schemas; other services' routes refer to them too.
  if (name !== 'api') for (const schema of [ErrorBody, TaskJson, UserJson]) app.addSchema(schema);
  await service.register?.(app);
  if (name === 'api') {
    await app.register(taskWriterRoutes(api));
    // The ingress sends every path but /ws to the api: it serves the notification and audit reads
    // too (queries of the shared database; the consumers stay in their own services).
    await app.register(notificationRoutes, { db, api });
    await app.register(auditRoutes, { db, api });
    await app.register(webApp, { distDir: WEB_DIST });
  }
  await service.start?.();
  relay?.start();
  if (name === 'api') missedJobs.start((job) => api.fireReminder(job.name).then(() => undefined));
  const url = await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ url, appId: service.name }, 'service listening');
  return {
    url,
    async close() {
      await app.close();
      await relay?.stop();
      await missedJobs.stop();
      await service.stop?.();
      await admin.disconnect();
      await db.destroy();
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
