import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@todo/platform/config';
import { type Db, openDatabase } from '@todo/platform/db/connect';
import { DAPR_TOKEN_HEADER } from '@todo/platform/http/internal-only';
import pg from 'pg';
import { inject } from 'vitest';
import { type EmbeddedOptions, startEmbedded } from '../../runtime/src/embedded.js';
import { ApiClient } from './client.js';

export interface TestApp {
  url: string;
  /** The app's own database handle, to act as another service would. */
  db: Db;
  /** `GET` it for the app's Prometheus metrics (its own listener, not the public port). */
  metricsUrl: string;
  /** APP_API_TOKEN: what the sidecar (or `npm run dlq`) presents on internal routes. */
  appToken: string;
  /** A client of the internal routes, presenting the app API token as the sidecar does. */
  internal(): ApiClient;
  /**
   * Stops the process's services and starts them again on the same database, as after a crash;
   * `whileDown` runs in between with its own database handle (time passing while it was down).
   */
  restart(whileDown?: (db: Db) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** A fresh database on the suite's server (and a data directory for the app's other files). */
async function freshDatabase(): Promise<{ dataDir: string; url: string; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-test-'));
  const serverUrl = inject('postgresUrl');
  const name = `test_${crypto.randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    dataDir,
    url: serverUrl.replace(/\/[^/]*$/, `/${name}`),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The app as `npm start` runs it (embedded mode), on a free loopback port and a fresh database. */
export async function startTestApp(
  env: Record<string, string> = {},
  options: EmbeddedOptions = {},
): Promise<TestApp> {
  const database = await freshDatabase();
  const appToken = `test-app-token-${crypto.randomUUID()}`;
  const config = loadConfig({
    PORT: '0',
    METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
    APP_API_TOKEN: appToken,
    DATA_DIR: database.dataDir,
    DATABASE_URL: database.url,
    ...env,
  });
  let app = await startEmbedded(config, options);
  return {
    get url() {
      return app.url;
    },
    get db() {
      return app.db;
    },
    get metricsUrl() {
      return app.metricsUrl;
    },
    appToken: config.APP_API_TOKEN ?? appToken,
    internal() {
      return new ApiClient(app.url, undefined, { [DAPR_TOKEN_HEADER]: config.APP_API_TOKEN ?? appToken });
    },
    async restart(whileDown) {
      await app.close();
      if (whileDown) {
        const db = openDatabase({ url: database.url });
        await whileDown(db).finally(() => db.destroy());
      }
      app = await startEmbedded(config, options);
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
