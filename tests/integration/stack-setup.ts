import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { type Stack, startStack } from '../../scripts/stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: {
      /** The gateway (as the ingress): the web app, the REST API and /ws on one origin. */
      gatewayUrl: string;
      apiUrl: string;
      apiSidecarUrl: string;
      databaseUrl: string;
      kafkaBrokers: string;
    };
  }
}

/** Port base apart from `npm run stack` and `npm start` (3000), so a running app is not in the way. */
const BASE_PORT = 3100;

let stack: Stack | undefined;

/** kcat (Debian's package) is the independent Kafka consumer the tests read topics with. */
function ensureKcat() {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
  } catch {
    console.log('stack: installing kcat from Debian packages');
    execFileSync('apt-get', ['install', '-y', '-qq', 'kcat'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
}

export async function setup(project: TestProject) {
  ensureKcat();
  stack = await startStack({ basePort: BASE_PORT, log: (line) => console.log(`stack: ${line}`) });
  console.log(`stack: ready in ${stack.startSeconds.toFixed(1)}s`);
  project.provide('stack', {
    gatewayUrl: stack.url,
    apiUrl: stack.services.api.url,
    apiSidecarUrl: `http://127.0.0.1:${stack.services.api.daprHttpPort}`,
    databaseUrl: stack.databaseUrl,
    kafkaBrokers: stack.kafkaBrokers,
  });
}

export async function teardown() {
  await stack?.stop();
}
