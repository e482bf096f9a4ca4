import { fileURLToPath } from 'node:url';
import { createApiService } from '@todo/api';
import { webApp } from '@todo/api/http/web-app';
import { type Config, loadConfig } from '@todo/platform/config';
import { databaseTarget, migrateToLatest, openDatabase } from '@todo/platform/db/connect';
import { createHttpServer } from '@todo/platform/http/server';
import { createLogger } from '@todo/platform/telemetry/logger';
import { sql } from 'kysely';
import { embeddedJwtSecret } from './secrets.js';

const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

/**
 * The embedded default: every service in one process on one database (PGlite under DATA_DIR, or
 * PostgreSQL when DATABASE_URL is set), events dispatched in-process from the outbox.
 */
export async function startEmbedded(config: Config): Promise<RunningApp> {
  const logger = createLogger(config.LOG_LEVEL);
  const db = openDatabase(databaseTarget(config));
  await migrateToLatest(db);

  const api = createApiService({
    db,
    jwtSecret: config.JWT_SECRET ?? embeddedJwtSecret(config.DATA_DIR),
    jwtTtl: config.JWT_TTL,
    loginRateLimitPerMinute: config.LOGIN_RATE_LIMIT_PER_MINUTE,
  });

  const app = createHttpServer({
    logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    readiness: [{ name: 'database', check: async () => void (await sql`select 1`.execute(db)) }],
  });
  await api.register(app);
  await app.register(webApp, { distDir: WEB_DIST });
  const url = await app.listen({ host: config.HOST, port: config.PORT });
  return {
    url,
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = loadConfig();
  const running = await startEmbedded(config);
  console.log(`Todo Chatbot is running at ${running.url.replace('127.0.0.1', 'localhost')}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void running.close().then(() => process.exit(0)));
  }
}
