import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PUBSUB_NAME } from '@todo/contracts/dapr';
import { AppProcess, freePort } from '../tests/support/process.js';
import { type StackOptions, startRunRecord, startStack, startZipkin } from './stack.js';

const run = promisify(execFile);

export type Mode = 'embedded' | 'distributed';

/** A running system under test: where to send requests and which OS processes it is made of. */
export interface Target {
  mode: Mode;
  /** The one origin users talk to (the app, or the stack's gateway). */
  url: string;
  /** Every process that serves requests or events (for /readyz). */
  serviceUrls: string[];
  /** The `/metrics` of each of those processes (events consumed), on their metrics listeners. */
  metricsUrls: string[];
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
  /** Each service process: its app id, instance name and `/metrics` (distributed mode only). */
  instances?: { appId: string; instance: string; metricsUrl: string }[];
  /** Puts raw bytes on a topic through the api's sidecar, as a foreign producer would (distributed mode only). */
  publishRaw?(topic: string, key: string, body: string): Promise<void>;
  stop(): Promise<void>;
}

/** The embedded default as `npm start` runs it: one process and its private PostgreSQL server, a fresh data directory. */
export async function startEmbeddedTarget(
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
  /** Traces into a Zipkin of the run's own (scripts/infra/zipkin.sh). */
  tracing = false,
): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-bench-'));
  // The app process outlives a killed bench unless a run record owns it (see scripts/stack.ts).
  const record = await startRunRecord();
  const zipkin = tracing ? await startZipkin(record) : undefined;
  // Every benchmark user signs in once; the login limit is not what is measured.
  const app = new AppProcess(
    {
      ...env,
      DATA_DIR: dataDir,
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      CHAT_RATE_LIMIT_PER_MINUTE: '100000',
      ...(zipkin ? { OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.spansUrl } : {}),
    },
    await freePort(),
    await freePort(),
    nodeArgs,
  );
  const start = async () => {
    await app.start();
    if (app.pid !== undefined) record.own('embedded', app.pid);
  };
  await start();
  return {
    mode: 'embedded',
    url: app.url,
    serviceUrls: [app.url],
    metricsUrls: [app.metricsUrl],
    processes: async () => {
      const postmaster = Number(
        (await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0],
      );
      const table = await processTable();
      return [
        { label: 'todo-chatbot (all services)', pids: app.pid ? [app.pid] : [] },
        {
          label: 'its postgresql (postmaster + backends)',
          pids: postmaster
            ? [postmaster, ...table.filter((row) => row.ppid === postmaster).map((row) => row.pid)]
            : [],
        },
      ];
    },
    kill: () => app.kill(),
    restart: async () => {
      const started = Date.now();
      await start();
      return (Date.now() - started) / 1000;
    },
    stop: async () => {
      await app.stop();
      await zipkin?.stop();
      record.close();
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
    metricsUrls: stack.instances.map((instance) => instance.metricsUrl),
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
    instances: stack.instances,
    publishRaw: async (topic, key, body) => {
      const sidecar = `http://127.0.0.1:${stack.services.api.daprHttpPort}`;
      const response = await fetch(
        `${sidecar}/v1.0/publish/${PUBSUB_NAME}/${topic}?metadata.rawPayload=true&metadata.partitionKey=${key}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'dapr-api-token': stack.daprApiToken },
          body,
        },
      );
      if (!response.ok) throw new Error(`publish to ${topic}: ${response.status} ${await response.text()}`);
    },
    broker: stack.restartBroker,
    stop: () => stack.stop(),
  };
}

async function processTable(): Promise<{ pid: number; ppid: number; args: string }[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,ppid=,args='], { maxBuffer: 8 * 1024 * 1024 });
  return stdout
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((match): match is RegExpMatchArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), args: match[3] as string }));
}
