import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { type Stack, type StackService, startStack } from '../../scripts/stack.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp.js';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: {
      /** The gateway (as the ingress): the web app, the REST API and /ws on one origin. */
      gatewayUrl: string;
      apiUrl: string;
      apiSidecarUrl: string;
      /** The sidecars' DAPR_API_TOKEN: a call of a sidecar's API without it is refused. */
      daprApiToken: string;
      databaseUrl: string;
      kafkaBrokers: string;
      /** Every service process; recurring-task, notification and websocket-sync run two each. */
      instances: StackService[];
      /** The stack control of this global setup (tests/integration/control.ts talks to it). */
      controlUrl: string;
      /** When this run began (ms since the epoch): messages on the topics from before are not its own. */
      startedAt: number;
      /** The trace backend's API (Zipkin), where every service and sidecar sends its spans. */
      zipkinUrl?: string;
    };
  }
}

/** Port base apart from `npm run stack` and `npm start` (3000), so a running app is not in the way. */
const BASE_PORT = 3100;

let stack: Stack | undefined;
let smtp: SmtpSink | undefined;
let control: Server | undefined;

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

/**
 * The stack and the SMTP server live in this process, the tests in workers: a loopback HTTP
 * endpoint lets a test read the mail and kill or restart a service process.
 */
function startControl(running: Stack, mail: SmtpSink): Promise<string> {
  const server = createServer(async (request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    try {
      const [, resource, instance, action] = (request.url ?? '').split('/');
      if (request.method === 'GET' && resource === 'mail') {
        const messages = await mail.messages();
        return answer(
          200,
          messages.map(({ to, parsed }) => ({ to, subject: parsed.subject, text: parsed.text })),
        );
      }
      if (request.method === 'POST' && resource === 'instances' && instance && action === 'kill') {
        await running.kill(instance);
        return answer(200, {});
      }
      if (request.method === 'POST' && resource === 'instances' && instance && action === 'restart') {
        return answer(200, { seconds: await running.restart(instance) });
      }
      answer(404, { error: `no control route ${request.method} ${request.url}` });
    } catch (error) {
      answer(500, { error: String(error) });
    }
  });
  control = server;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

export async function setup(project: TestProject) {
  const startedAt = Date.now();
  ensureKcat();
  smtp = await startSmtpSink();
  stack = await startStack({
    basePort: BASE_PORT,
    replicas: { 'recurring-task': 2, notification: 2, 'websocket-sync': 2 },
    // Whatever STACK_TRACING says: tracing.test.ts reads a trace back from this run's Zipkin
    // (scripts/infra/zipkin.sh fetches its jar from Maven Central on a machine's first run).
    tracing: true,
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Todo <reminders@todo.test>' },
    log: (line) => console.log(`stack: ${line}`),
  });
  console.log(`stack: ready in ${stack.startSeconds.toFixed(1)}s`);
  project.provide('stack', {
    gatewayUrl: stack.url,
    apiUrl: stack.services.api.url,
    apiSidecarUrl: `http://127.0.0.1:${stack.services.api.daprHttpPort}`,
    daprApiToken: stack.daprApiToken,
    databaseUrl: stack.databaseUrl,
    kafkaBrokers: stack.kafkaBrokers,
    instances: stack.instances,
    controlUrl: await startControl(stack, smtp),
    startedAt,
    ...(stack.zipkinUrl ? { zipkinUrl: stack.zipkinUrl } : {}),
  });
}

export async function teardown() {
  control?.close();
  await stack?.stop();
  await smtp?.close();
}
