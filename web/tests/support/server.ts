import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../../tests/support/process';
import { ARTIFACTS_DIR, REPO_ROOT } from './paths';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

async function waitForHealth(baseUrl: string, app: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exitCode !== null)
      throw new Error(`the app exited with code ${app.exitCode}; see artifacts/app.log`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${baseUrl}/healthz did not answer within ${timeoutMs / 1000}s; see artifacts/app.log`);
}

/** The environment a person would start the app with: without the test runner's NODE_ENV=test and VITEST*. */
function userEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')),
  );
}

/**
 * Starts the whole product as the README says (`npm start`, which builds the web app first; embedded
 * mode, fresh DATA_DIR) on a free port and waits for /healthz. APP_URL=… tests an app already running there instead (Vitest itself sets BASE_URL).
 */
export default async function setup(project: TestProject) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });

  if (process.env.APP_URL) {
    project.provide('baseUrl', process.env.APP_URL);
    return;
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-browser-tests-'));
  const log = createWriteStream(join(ARTIFACTS_DIR, 'app.log'));
  const app = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    // Metrics on a port of the system's choosing: the default one may be another app's on this host.
    env: { ...userEnvironment(), PORT: String(port), METRICS_PORT: '0', DATA_DIR: dataDir },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.stdout?.pipe(log);
  app.stderr?.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (app.exitCode === null && app.pid) {
      const exited = new Promise((resolve) => app.once('exit', resolve));
      process.kill(-app.pid, 'SIGTERM');
      const timer = setTimeout(() => app.pid && process.kill(-app.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(baseUrl, app, 240_000);
  } catch (error) {
    await stop();
    throw error;
  }
  project.provide('baseUrl', baseUrl);
  return stop;
}
