import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; maxConnections?: number }
  | { kind: 'pglite'; dir: string };

/** The embedded default is PGlite under the data directory; a URL selects a PostgreSQL server. */
export function databaseTarget(config: {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
}): DatabaseTarget {
  return config.DATABASE_URL
    ? { kind: 'postgres', url: config.DATABASE_URL }
    : { kind: 'pglite', dir: join(config.DATA_DIR, 'pglite') };
}

export function openDatabase(target: DatabaseTarget): Db {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.maxConnections ?? 10 });
    // An idle connection the server closed (restart, failover) is replaced on next use; without
    // a listener, pg would raise it as an uncaught exception and end the process.
    pool.on('error', () => undefined);
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  // The database files are the owner's alone (PGlite creates them with the process umask).
  mkdirSync(target.dir, { recursive: true, mode: 0o700 });
  return new Kysely<Database>({ dialect: new PGliteDialect(new PGlite(target.dir)) });
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
