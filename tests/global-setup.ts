import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/**
 * Starts the real PostgreSQL server the API suite runs against (installed from Debian packages by
 * the project's script when missing). It stays up after the run: starting it is the slow part.
 */
export default function setup(project: TestProject) {
  const script = new URL('../scripts/infra/postgres.sh', import.meta.url).pathname;
  execFileSync('bash', [script, 'start'], { stdio: 'inherit' });
  const url = execFileSync('bash', [script, 'url'], { encoding: 'utf8' }).trim();
  project.provide('postgresUrl', url);
}
