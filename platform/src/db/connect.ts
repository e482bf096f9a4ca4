import { createRequire } from 'node:module';
import { Kysely, PostgresDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** A PostgreSQL server: the embedded default's private one, or DATABASE_URL's. */
export interface DatabaseTarget {
  url: string;
  maxConnections?: number;
}

/**
 * `pg` is required when the first database is opened, not imported with this module: the pg
 * tracing instrumentation (telemetry/tracing.ts) patches it through `require`, and only if it is
 * registered before that require — which a process that traces does right after its configuration.
 */
const require = createRequire(import.meta.url);

export function openDatabase(target: DatabaseTarget): Db {
  const pg: typeof import('pg') = require('pg');
  const pool = new pg.Pool({ connectionString: target.url, max: target.maxConnections ?? 10 });
  // An idle connection the server closed (restart, failover) is replaced on next use; without
  // a listener, pg would raise it as an uncaught exception and end the process.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

function migrator(db: Db): Migrator {
  return new Migrator({ db, provider: migrationProvider, migrationTableName: 'schema_migrations' });
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results = [] } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return results.map((r) => r.migrationName);
}

/** Reverts the most recent migration (the rollback step of the runbook). */
export async function migrateDown(db: Db): Promise<string | undefined> {
  const { error, results = [] } = await migrator(db).migrateDown();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return results[0]?.migrationName;
}
