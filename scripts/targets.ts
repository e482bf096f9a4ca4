import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PUBSUB_NAME } from '@todo/contracts/dapr';
import { AppProcess, freePort } from '../tests/support/process.js';
import { type StackOptions, startStack } from './stack.js';

const run = promisify(execFile);
const KAFKA = fileURLToPath(new URL('infra/kafka.sh', import.meta.url));

export type Mode = 'embedded' | 'distributed';

/** A running system under test: where to send requests and which OS processes it is made of. */
export interface Target {
  mode: Mode;
  /** The one origin users talk to (the app, or the stack's gateway). */
  url: string;
  /** Every process that serves requests or events, for /metrics (events consumed). */
  serviceUrls: string[];
  /** The OS processes of the system, labelled, for their resident memory. */
  processes(): Promise<{ label: string; pids: number[] }[]>;
  /** Faults to inject: kill -9 a service process (embedded: the one process) and start it again. */
  kill(service: string): Promise<void>;
  /** Resolves with the seconds until the restarted process answered ready. */
  restart(service: string): Promise<number>;
  /** Stop and start the Kafka broker (distributed mode only). */
  broker?: { stop(): Promise<void>; start(): Promise<void> };
  /** The PostgreSQL the services share (distributed mode only). */
  databaseUrl?: string;
  /** Puts raw bytes on a topic through the api's sidecar, as a foreign producer would (distributed mode only). */
  publishRaw?(topic: string, key: string, body: string): Promise<void>;
  stop(): Promise<void>;
}

/** The embedded default as `npm start` runs it: one process, a fresh PGlite directory. */
export async function startEmbeddedTarget(env: Record<string, string> = {}): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-bench-'));
  // Every benchmark user signs in once; the login limit is not what is measured.
  const app = new AppProcess(
    {
      ...env,
      DATA_DIR: dataDir,
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      CHAT_RATE_LIMIT_PER_MINUTE: '100000',
    },
    await freePort(),
  );
  await app.start();
  return {
    mode: 'embedded',
    url: app.url,
    serviceUrls: [app.url],
    processes: async () => [{ label: 'todo-chatbot (all services, PGlite)', pids: app.pid ? [app.pid] : [] }],
    kill: () => app.kill(),
    restart: async () => {
      const started = Date.now();
      await app.start();
      return (Date.now() - started) / 1000;
    },
    stop: async () => {
      await app.kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The distributed stack (`npm run stack`) on its own ports: every service behind its own daprd. */
export async function startDistributedTarget(options: StackOptions = {}): Promise<Target> {
  const stack = await startStack({
    basePort: 3200,
    ...options,
    log: (line) => console.error(`stack: ${line}`),
  });
  return {
    mode: 'distributed',
    url: stack.url,
    serviceUrls: stack.instances.map((instance) => instance.url),
    processes: async () => {
      const table = await processTable();
      const matching = (test: (args: string) => boolean) =>
        table.filter(({ args }) => test(args)).map(({ pid }) => pid);
      const present = (pid: number | undefined) => (pid === undefined ? [] : [pid]);
      return [
        ...stack.instances.flatMap(({ instance, appId }) => {
          const { service, sidecar } = stack.pids(instance);
          return [
            { label: instance, pids: present(service) },
            { label: `daprd ${appId}${instance.match(/-\d+$/)?.[0] ?? ''}`, pids: present(sidecar) },
          ];
        }),
        { label: 'dapr scheduler', pids: matching((args) => args.includes('.infra/bin/scheduler')) },
        { label: 'kafka (KRaft, JVM)', pids: matching((args) => args.includes('kafka.Kafka')) },
        {
          label: 'postgresql (postmaster + backends)',
          pids: matching((args) => /^postgres(:|\s|$)|\/postgresql\/\d+\/bin\/postgres/.test(args)),
        },
      ];
    },
    kill: (service) => stack.kill(service),
    restart: (service) => stack.restart(service),
    databaseUrl: stack.databaseUrl,
    publishRaw: async (topic, key, body) => {
      const sidecar = `http://127.0.0.1:${stack.services.api.daprHttpPort}`;
      const response = await fetch(
        `${sidecar}/v1.0/publish/${PUBSUB_NAME}/${topic}?metadata.rawPayload=true&metadata.partitionKey=${key}`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body },
      );
      if (!response.ok) throw new Error(`publish to ${topic}: ${response.status} ${await response.text()}`);
    },
    broker: {
      stop: () => run('bash', [KAFKA, 'stop']).then(() => undefined),
      start: () => run('bash', [KAFKA, 'start']).then(() => undefined),
    },
    stop: () => stack.stop(),
  };
}

async function processTable(): Promise<{ pid: number; args: string }[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,args='], { maxBuffer: 8 * 1024 * 1024 });
  return stdout
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
    .filter((match): match is RegExpMatchArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), args: match[2] as string }));
}
