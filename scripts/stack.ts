/**
 * `npm run stack`: the distributed mode on this machine — PostgreSQL, Kafka (KRaft), the Dapr
 * scheduler, the topics, the migrations, and every service as its own process behind its own
 * daprd sidecar, all on loopback. Ctrl-C stops what it started (infrastructure that was already
 * running is left running). The integration tests start the same stack through `startStack`.
 *
 * Env: STACK_PORT (3000: the gateway — /ws to websocket-sync, the rest to the api, which serves
 * the web app — as the cluster's ingress does; the services take the next five ports), STACK_READY_TIMEOUT_MS (180000), SMTP_URL (mail for reminders, off when unset).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { databaseTarget, migrateToLatest, openDatabase } from '@todo/platform/db/connect';
import { APP_ID_OF, SERVICE_NAMES, type ServiceName } from '../runtime/src/service-names.js';
import { kafkaAdmin, provisionTopics } from '../runtime/src/topics.js';
import { startGateway } from './stack-gateway.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INFRA = join(ROOT, 'scripts/infra');
const LOGS = join(ROOT, '.infra/stack');
const run = promisify(execFile);

export interface StackService {
  name: ServiceName;
  appId: string;
  url: string;
  daprHttpPort: number;
}

export interface Stack {
  /** The gateway: one origin for the web app, the REST API and /ws. */
  url: string;
  services: Record<ServiceName, StackService>;
  databaseUrl: string;
  kafkaBrokers: string;
  /** Seconds from start to every service ready. */
  startSeconds: number;
  stop(): Promise<void>;
}

export interface StackOptions {
  basePort?: number;
  readyTimeoutMs?: number;
  env?: Record<string, string>;
  log?: (line: string) => void;
}

async function script(name: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('bash', [join(INFRA, name), ...args], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${name} ${args.join(' ')} failed:\n${stderr || stdout || String(error)}`);
  }
}

const succeeds = (name: string, ...args: string[]) =>
  script(name, ...args).then(
    () => true,
    () => false,
  );

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const started = Date.now();
  const log = options.log ?? ((line: string) => console.log(`stack: ${line}`));
  const basePort = options.basePort ?? Number(process.env.STACK_PORT ?? 3000);
  const readyTimeoutMs = options.readyTimeoutMs ?? Number(process.env.STACK_READY_TIMEOUT_MS ?? 180_000);
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => log(`stop: ${String(error)}`));
    }
  };

  try {
    // Infrastructure that was already up is someone else's: used, never stopped.
    const [postgresUp, kafkaUp, schedulerUp] = await Promise.all([
      succeeds('postgres.sh', 'status'),
      succeeds('kafka.sh', 'status'),
      succeeds('dapr.sh', 'status'),
    ]);
    log('starting PostgreSQL, Kafka and the Dapr scheduler');
    await Promise.all([
      script('postgres.sh', 'start').then(() => {
        if (!postgresUp) cleanups.push(() => script('postgres.sh', 'stop'));
      }),
      script('kafka.sh', 'start').then(() => {
        if (!kafkaUp) cleanups.push(() => script('kafka.sh', 'stop'));
      }),
      script('dapr.sh', 'start-scheduler').then(() => {
        if (!schedulerUp) cleanups.push(() => script('dapr.sh', 'stop'));
      }),
    ]);
    const databaseUrl = await script('postgres.sh', 'url');
    const kafkaBrokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:19092';

    log('provisioning topics and migrating the database');
    const admin = kafkaAdmin(kafkaBrokers);
    await admin.connect();
    try {
      const report = await provisionTopics(admin);
      for (const line of report.drift) log(`topic drift: ${line}`);
    } finally {
      await admin.disconnect();
    }
    const db = openDatabase(databaseTarget({ DATABASE_URL: databaseUrl, DATA_DIR: '' }));
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }

    if (!existsSync(join(ROOT, 'web/dist/index.html'))) {
      log('building the web app');
      await run('npm', ['run', 'build', '--silent', '-w', 'web'], { cwd: ROOT });
    }

    mkdirSync(LOGS, { recursive: true });
    const services = {} as Record<ServiceName, StackService>;
    await Promise.all(
      SERVICE_NAMES.map(async (name, i) => {
        const service: StackService = {
          name,
          appId: APP_ID_OF[name],
          url: `http://127.0.0.1:${basePort + 1 + i}`,
          daprHttpPort: 3500 + i,
        };
        services[name] = service;
        await startSidecar(service, i, cleanups);
        startProcess(
          service,
          { ...options.env, DATABASE_URL: databaseUrl, KAFKA_BROKERS: kafkaBrokers },
          cleanups,
        );
      }),
    );
    log(`waiting for ${SERVICE_NAMES.length} services to be ready (logs: ${LOGS})`);
    await Promise.all(SERVICE_NAMES.map((name) => waitReady(services[name], readyTimeoutMs)));
    const gateway = await startGateway(basePort, {
      ws: services['websocket-sync'].url,
      api: services.api.url,
    });
    cleanups.push(() => gateway.close());
    return {
      url: `http://127.0.0.1:${basePort}`,
      services,
      databaseUrl,
      kafkaBrokers,
      startSeconds: (Date.now() - started) / 1000,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startSidecar(service: StackService, i: number, cleanups: (() => Promise<unknown>)[]) {
  const env = {
    ...process.env,
    DAPR_RESOURCES_PATH: 'deploy/dapr/local',
    DAPR_CONFIG: 'deploy/dapr/local/config/config.yaml',
    DAPR_HTTP_PORT: String(service.daprHttpPort),
    DAPR_GRPC_PORT: String(50_001 + 10 * i),
    DAPR_INTERNAL_GRPC_PORT: String(50_002 + 10 * i),
    DAPR_METRICS_PORT: String(9091 + i),
    APP_PORT: new URL(service.url).port,
    DAPR_LOG_LEVEL: process.env.DAPR_LOG_LEVEL ?? 'warn',
  };
  try {
    await run('bash', [join(INFRA, 'dapr.sh'), 'start-daprd', service.appId], { cwd: ROOT, env });
  } catch (error) {
    throw new Error(
      `daprd for ${service.appId} did not start:\n${(error as { stderr?: string }).stderr ?? error}`,
    );
  }
  cleanups.push(() => script('dapr.sh', 'stop-daprd', service.appId));
}

function startProcess(
  service: StackService,
  env: Record<string, string>,
  cleanups: (() => Promise<unknown>)[],
) {
  const out = openSync(join(LOGS, `${service.name}.log`), 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'runtime/src/service.ts', service.name],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        ...env,
        PORT: new URL(service.url).port,
        DAPR_HTTP_PORT: String(service.daprHttpPort),
      },
      stdio: ['ignore', out, out],
    },
  );
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  });
  (service as StackService & { process?: ChildProcess }).process = child;
}

async function waitReady(service: StackService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const child = (service as StackService & { process?: ChildProcess }).process;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(
        `${service.name} exited (code ${child.exitCode}); see ${join(LOGS, `${service.name}.log`)}`,
      );
    }
    try {
      const response = await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${service.name} not ready at ${service.url}/readyz after ${timeoutMs / 1000}s: ${last}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let stack: Stack | undefined;
  const shutdown = async () => {
    console.log('\nstack: stopping');
    await stack?.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  try {
    stack = await startStack();
    console.log(`stack: ready in ${stack.startSeconds.toFixed(1)}s`);
    for (const service of Object.values(stack.services)) {
      console.log(`  ${service.appId.padEnd(24)} ${service.url}  (sidecar http ${service.daprHttpPort})`);
    }
    console.log(`Open ${stack.url.replace('127.0.0.1', 'localhost')} — Ctrl-C stops everything.`);
  } catch (error) {
    console.error(`stack: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
