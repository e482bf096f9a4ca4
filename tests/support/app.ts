import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@todo/platform/config';
import { type Db, databaseTarget, openDatabase } from '@todo/platform/db/connect';
import { DAPR_TOKEN_HEADER } from '@todo/platform/http/internal-only';
import pg from 'pg';
import { inject } from 'vitest';
import { type EmbeddedOptions, startEmbedded } from '../../runtime/src/embedded.js';
import { ApiClient } from './client.js';

export const BACKENDS = ['pglite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface TestApp {
  url: string;
  /** The app's own database handle (PGlite allows one per directory), to act as another service would. */
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

/** A fresh database on the given backend: a new PGlite directory, or a new database on the test server. */
async function freshDatabase(
  backend: Backend,
): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-test-'));
  if (backend === 'pglite') {
    return {
      env: { DATA_DIR: dataDir },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const serverUrl = inject('postgresUrl');
  const name = `test_${crypto.randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: serverUrl.replace(/\/[^/]*$/, `/${name}`) },
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
  backend: Backend,
  env: Record<string, string> = {},
  options: EmbeddedOptions = {},
): Promise<TestApp> {
  const database = await freshDatabase(backend);
  const appToken = `test-app-token-${crypto.randomUUID()}`;
  const config = loadConfig({
    PORT: '0',
    METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
    APP_API_TOKEN: appToken,
    ...database.env,
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
        const db = openDatabase(databaseTarget(config));
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
