import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@todo/platform/config';
import { type Db, openDatabase } from '@todo/platform/db/connect';
import pg from 'pg';
import { inject } from 'vitest';
import { type EmbeddedOptions, startEmbedded } from '../../runtime/src/embedded.js';

export interface TestApp {
  url: string;
  /** The app's own database handle, to act as another service would. */
  db: Db;
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
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'warn',
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
