import { fileURLToPath } from 'node:url';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createApiService } from '@todo/api';
import { llmSettingsFrom } from '@todo/api/assistant/llm-agent';
import { loginLimitsOf } from '@todo/api/http/auth-routes';
import { createAuditService } from '@todo/audit';
import { createNotificationService } from '@todo/notification';
import { type Config, loadConfig, trustProxyOf } from '@todo/platform/config';
import { DeadLetterSink } from '@todo/platform/consumers/dead-letters';
import type { ConsumerRuntime, RetryPolicy } from '@todo/platform/consumers/runtime';
import { SqlIdempotencyStore } from '@todo/platform/consumers/sql-idempotency';
import { type Db, migrateToLatest, openDatabase } from '@todo/platform/db/connect';
import { LocalEventBus } from '@todo/platform/events/local-bus';
import { authentication } from '@todo/platform/http/authentication';
import { startMetricsServer } from '@todo/platform/http/metrics-server';
import { createHttpServer } from '@todo/platform/http/server';
import { processIdentity } from '@todo/platform/identity/token-authenticator';
import { SqlJobScheduler } from '@todo/platform/jobs/sql-scheduler';
import { OutboxRelay } from '@todo/platform/outbox/relay';
import type { ServiceModule } from '@todo/platform/service';
import { createLogger } from '@todo/platform/telemetry/logger';
import { startTracing } from '@todo/platform/telemetry/tracing';
import { createRecurringTaskService } from '@todo/recurring-task';
import { createWebsocketSyncService } from '@todo/websocket-sync';
import { sql } from 'kysely';
import { appDatabase } from './private-postgres.js';
import { ensureDataDir, generatedSecret } from './secrets.js';
import { inProcessTaskWriter } from './task-writer.js';

/** Every service in one process: one name for its spans and log lines. */
const EMBEDDED_SERVICE_NAME = 'todo-chatbot';
const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface RunningApp {
  url: string;
  /** `GET` it for the Prometheus metrics (METRICS_PORT). */
  metricsUrl: string;
  /** The app's database, for tools and tests that act as another part of the system would. */
  db: Db;
  /** Where that database is, for tools that open their own connections (the benchmarks' EXPLAIN). */
  databaseUrl: string;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Consumer retry policy; tests shorten the backoff. */
  retry?: RetryPolicy;
  /** The clock of the write path and the assistant; the chat evaluation pins it to its cases' `now`. */
  clock?: () => Date;
  /** More services on the same bus and server (tests add a consumer they can break and mend). */
  extraServices?: (runtime: ConsumerRuntime) => ServiceModule[];
  /** Traces to this exporter (tests read the spans back) rather than to OTEL_EXPORTER_ZIPKIN_ENDPOINT. */
  spanExporter?: SpanExporter;
}

/**
 * The embedded default: every service in one process on one database (a private PostgreSQL server
 * under DATA_DIR, or the server of DATABASE_URL when set); events go from the outbox to the
 * in-process bus.
 */
export async function startEmbedded(config: Config, options: EmbeddedOptions = {}): Promise<RunningApp> {
  const logger = createLogger(config.LOG_LEVEL).child({ service: EMBEDDED_SERVICE_NAME });
  // Off unless configured (docs/benchmarks.md measures its cost); before the database and server exist.
  const tracing =
    options.spanExporter || config.OTEL_EXPORTER_ZIPKIN_ENDPOINT
      ? startTracing({
          serviceName: EMBEDDED_SERVICE_NAME,
          ...(options.spanExporter ? { exporter: options.spanExporter } : {}),
          ...(config.OTEL_EXPORTER_ZIPKIN_ENDPOINT
            ? { zipkinEndpoint: config.OTEL_EXPORTER_ZIPKIN_ENDPOINT }
            : {}),
        })
      : undefined;
  ensureDataDir(config.DATA_DIR);
  const database = await appDatabase(config, logger.child({ component: 'postgres' }));
  const db = openDatabase({ url: database.url });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    await database.stop();
    throw error;
  }

  const bus = new LocalEventBus();
  // On its private server this process is the only relay; a shared server may have other ones.
  const relay = new OutboxRelay({ db, bus, logger, exclusive: Boolean(config.DATABASE_URL) });
  const idempotency = new SqlIdempotencyStore(db);
  // One process is the only consumer here: any claim still 'processing' belongs to a crashed run.
  await idempotency.releaseAbandoned();
  const consumerRuntime: ConsumerRuntime = {
    idempotency,
    deadLetters: new DeadLetterSink(db),
    logger,
    ...(options.retry ? { retry: options.retry } : {}),
  };

  const identity = processIdentity(db, {
    jwtSecret: config.JWT_SECRET ?? generatedSecret(config.DATA_DIR, 'jwt-secret'),
    jwtTtl: config.JWT_TTL,
    // The private server is this process's alone: every change to a user passes here.
    cacheUsers: !config.DATABASE_URL,
  });
  const jobs = new SqlJobScheduler(db, logger);
  const api = createApiService({
    db,
    sessions: identity.sessions,
    users: identity.users,
    loginLimits: loginLimitsOf(config),
    appToken: config.APP_API_TOKEN ?? generatedSecret(config.DATA_DIR, 'app-api-token'),
    mcpRateLimitPerMinute: config.MCP_RATE_LIMIT_PER_MINUTE,
    chatRateLimitPerMinute: config.CHAT_RATE_LIMIT_PER_MINUTE,
    jobs,
    onCommit: () => relay.wake(),
    llm: llmSettingsFrom(config),
    webDist: WEB_DIST,
    publicUrl: config.PUBLIC_URL,
    ...(options.clock ? { clock: options.clock } : {}),
  });

  const services: ServiceModule[] = [
    api.module,
    createRecurringTaskService({ writer: inProcessTaskWriter(api), consumerRuntime }),
    createWebsocketSyncService({ db, consumerRuntime, logger, config }),
    createNotificationService({
      db,
      consumerRuntime,
      users: identity.users,
      config,
      onCommit: () => relay.wake(),
    }),
    createAuditService({ db, consumerRuntime }),
    ...(options.extraServices?.(consumerRuntime) ?? []),
  ];

  const app = createHttpServer({
    logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    idleTimeoutMs: config.IDLE_TIMEOUT_MS,
    trustProxy: trustProxyOf(config),
    readiness: [{ name: 'database', check: async () => void (await sql`select 1`.execute(db)) }],
  });
  await app.register(authentication, { authenticator: identity.authenticator });
  for (const service of services) {
    for (const subscription of service.subscriptions ?? []) bus.subscribe(subscription);
    await service.register?.(app);
  }
  for (const service of services) await service.start?.();
  relay.start();
  jobs.start(api.fireReminder);
  const url = await app.listen({ host: config.HOST, port: config.PORT });
  const metrics = await startMetricsServer(config.HOST, config.METRICS_PORT);
  return {
    url,
    metricsUrl: `${metrics.url}/metrics`,
    db,
    databaseUrl: database.url,
    async close() {
      await app.close();
      await metrics.close();
      await jobs.stop();
      await relay.stop();
      for (const service of services.toReversed()) await service.stop?.();
      await db.destroy();
      await database.stop();
      const dropped = await tracing?.shutdown();
      if (dropped) logger.warn({ err: dropped }, 'tracing: spans still buffered at stop were dropped');
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = (() => {
    try {
      return loadConfig();
    } catch (error) {
      // A configuration mistake is the operator's to fix: say which variable, without a stack trace.
      console.error(`Todo Chatbot cannot start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  })();
  const running = await startEmbedded(config);
  console.log(`Todo Chatbot is running at ${running.url.replace('127.0.0.1', 'localhost')}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void running.close().then(() => process.exit(0)));
  }
}
