/**
 * `npm run stack`: the distributed mode on this machine — PostgreSQL, Kafka (KRaft), the Dapr
 * scheduler, the topics, the migrations, and every service as its own process behind its own
 * daprd sidecar, all on loopback. Ctrl-C stops what it started (infrastructure that was already
 * running is left running). The integration tests start the same stack through `startStack`.
 *
 * A run owns what it starts on any exit, not only Ctrl-C: every process it starts is recorded in
 * .infra/stack/runs/<pid>-<n>/ (pid + start time), and a watchdog in its own session
 * (scripts/stack-reaper.sh) stops them when the owning process is gone — crashed, SIGKILLed or
 * exited without stop(). Runs whose owner died before its watchdog could act are reaped before
 * the next start.
 *
 * Env: STACK_PORT (3000: the gateway — /ws to websocket-sync, the rest to the api, which serves
 * the web app — as the cluster's ingress does; the service processes take the next ports, their
 * /metrics listeners those from STACK_PORT + 30), STACK_REPLICAS (`recurring-task=2,websocket-sync=2`:
 * processes per service, 1 by default),
 * STACK_READY_TIMEOUT_MS (180000), SMTP_URL (mail for reminders, off when unset), STACK_TRACING
 * (`off`: no Zipkin, no spans; on by default, Zipkin at ZIPKIN_PORT, 9411), STACK_DATABASE_URL
 * (the application database; default the `postgres` database of scripts/infra/postgres.sh).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { migrateToLatest, openDatabase } from '@todo/platform/db/connect';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { APP_ID_OF, SERVICE_NAMES, type ServiceName } from '../runtime/src/service-names.js';
import { kafkaAdmin, provisionTopics } from '../runtime/src/topics.js';
import { startGateway } from './stack-gateway.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INFRA = join(ROOT, 'scripts/infra');
const LOGS = join(ROOT, '.infra/stack');
/** One directory per run with the pid files of what it started (see scripts/stack-reaper.sh). */
const RUNS = join(LOGS, 'runs');
const REAPER = join(ROOT, 'scripts/stack-reaper.sh');
/** Where scripts/infra/dapr.sh keeps its pid files (its DAPR_STATE_DIR default). */
const DAPR_STATE = process.env.DAPR_STATE_DIR ?? join(ROOT, '.infra/dapr');
/** Where scripts/infra/kafka.sh keeps its pid file (its KAFKA_STATE_DIR default). */
const KAFKA_STATE = process.env.KAFKA_STATE_DIR ?? join(ROOT, '.infra/kafka');
/** The local sidecars' Configuration (tracedDaprConfig adds the run's Zipkin to it). */
const DAPR_CONFIG = 'deploy/dapr/local/config/config.yaml';
/** Where scripts/infra/zipkin.sh keeps its pid file (its ZIPKIN_STATE_DIR default). */
const ZIPKIN_STATE = process.env.ZIPKIN_STATE_DIR ?? join(ROOT, '.infra/zipkin');
/** PostgreSQL's data directory as scripts/infra/postgres.sh sets it up (its PG_DIR default). */
const PG_DATA = join(process.env.PG_DIR ?? '/var/tmp/todo-chatbot/postgres', 'data');
const run = promisify(execFile);

export interface StackService {
  name: ServiceName;
  /** `api`, `recurring-task-2`: names the process, its sidecar and their log files. */
  instance: string;
  appId: string;
  url: string;
  /** Its `/metrics` (METRICS_PORT): a listener of its own, which the gateway never forwards to. */
  metricsUrl: string;
  daprHttpPort: number;
}

export interface Stack {
  /** The gateway: one origin for the web app, the REST API and /ws. */
  url: string;
  /** The first replica of each service. */
  services: Record<ServiceName, StackService>;
  /** Every replica of every service. */
  instances: StackService[];
  databaseUrl: string;
  kafkaBrokers: string;
  /** Zipkin's API and UI (`/zipkin/`) when the run traces, where every service and sidecar sends its spans. */
  zipkinUrl?: string;
  /** DAPR_API_TOKEN of every sidecar of this run: tools that call a sidecar's API send it. */
  daprApiToken: string;
  /** Seconds from start to every service ready. */
  startSeconds: number;
  /** SIGKILL a service process; its sidecar stays up, as when a pod's app container crashes. */
  kill(instance: string): Promise<void>;
  /** Starts a killed service process again; resolves with the seconds until it was ready. */
  restart(instance: string): Promise<number>;
  /** The OS process ids of an instance: its service process and its daprd (while they run). */
  pids(instance: string): { service?: number; sidecar?: number };
  /** Where this run records the processes it started (removed by stop()). */
  runDir: string;
  /** Stops and starts the Kafka broker (scripts/infra/kafka.sh); the new broker is owned by this run. */
  restartBroker: { stop(): Promise<void>; start(): Promise<void> };
  stop(): Promise<void>;
}

export interface StackOptions {
  basePort?: number;
  readyTimeoutMs?: number;
  /** Processes per service (1 each by default); env STACK_REPLICAS, e.g. `recurring-task=2,websocket-sync=2`. */
  replicas?: Partial<Record<ServiceName, number>>;
  env?: Record<string, string>;
  log?: (line: string) => void;
  /**
   * How a service process is started: the executable and its arguments before the service name.
   * Default: this Node with tsx on the TypeScript sources (what development runs).
   */
  serviceCommand?: readonly string[];
  /**
   * Trace every service and sidecar into Zipkin (scripts/infra/zipkin.sh, started with the run).
   * Default on; env STACK_TRACING=off turns it off (the benchmarks compare both).
   */
  tracing?: boolean;
}

const TSX_SERVICE_COMMAND = [process.execPath, '--import', 'tsx', 'runtime/src/service.ts'] as const;

/** `recurring-task=2,websocket-sync=2` → { 'recurring-task': 2, 'websocket-sync': 2 }. */
export function parseReplicas(spec = ''): Partial<Record<ServiceName, number>> {
  const replicas: Partial<Record<ServiceName, number>> = {};
  for (const part of spec.split(',').filter(Boolean)) {
    const [name, count] = part.split('=');
    if (!SERVICE_NAMES.includes(name as ServiceName) || !/^[1-4]$/.test(count ?? '')) {
      throw new Error(
        `STACK_REPLICAS: "${part}" is not <service>=<1-4> (services: ${SERVICE_NAMES.join(', ')})`,
      );
    }
    replicas[name as ServiceName] = Number(count);
  }
  return replicas;
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

/** Field 22 of /proc/<pid>/stat: with the pid, names one process even after the pid is reused. */
function startTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[19] ?? '';
}

let runsStarted = 0;

/** The pid files of one run and the watchdog that reaps them when this process is gone. */
export class RunRecord {
  readonly dir = join(RUNS, `${process.pid}-${++runsStarted}`);
  private readonly watchdog: ChildProcess;

  constructor() {
    mkdirSync(this.dir, { recursive: true });
    this.own('owner', process.pid);
    // Its own session: neither Ctrl-C in the terminal nor a kill of our process group reaches it.
    this.watchdog = spawn('bash', [REAPER, 'watch', this.dir], { detached: true, stdio: 'ignore' });
    this.watchdog.unref();
  }

  /** Records a process this run started; `signal` is how it is asked to stop. */
  own(label: string, pid: number, signal: 'TERM' | 'INT' = 'TERM'): void {
    writeFileSync(join(this.dir, `${label}.pid`), `${pid} ${startTime(pid)} ${signal}\n`);
  }

  /** Records the process whose pid a pid file (first line) holds — again after it was restarted. */
  ownPidFile(label: string, pidFile: string, signal: 'TERM' | 'INT' = 'TERM'): void {
    this.own(label, Number(readFileSync(pidFile, 'utf8').split('\n')[0]), signal);
  }

  /** After a clean stop: nothing is left to reap. */
  close(): void {
    this.watchdog.kill('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A new run record for processes started outside `startStack` (the embedded bench target), after
 * reaping what runs whose owner died left behind.
 */
export async function startRunRecord(): Promise<RunRecord> {
  await run('bash', [REAPER, 'reap-stale', RUNS]);
  return new RunRecord();
}

/**
 * Zipkin (scripts/infra/zipkin.sh) for a run: started and owned by `record`, or, when one is
 * already up, used and never stopped. `spansUrl` is where OTEL_EXPORTER_ZIPKIN_ENDPOINT points.
 */
export async function startZipkin(record: RunRecord): Promise<{ spansUrl: string; stop(): Promise<void> }> {
  const wasUp = await succeeds('zipkin.sh', 'status');
  await script('zipkin.sh', 'start');
  if (!wasUp) record.ownPidFile('zipkin', join(ZIPKIN_STATE, 'zipkin.pid'));
  return {
    spansUrl: await script('zipkin.sh', 'url'),
    stop: async () => {
      if (!wasUp) await script('zipkin.sh', 'stop');
    },
  };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const started = Date.now();
  const log = options.log ?? ((line: string) => console.log(`stack: ${line}`));
  const basePort = options.basePort ?? Number(process.env.STACK_PORT ?? 3000);
  const readyTimeoutMs = options.readyTimeoutMs ?? Number(process.env.STACK_READY_TIMEOUT_MS ?? 180_000);
  const cleanups: (() => Promise<unknown>)[] = [];
  const record = await startRunRecord();
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => log(`stop: ${String(error)}`));
    }
    record.close();
  };

  try {
    // Infrastructure that was already up is someone else's: used, never stopped.
    const tracing = options.tracing ?? process.env.STACK_TRACING !== 'off';
    const [postgresUp, kafkaUp, schedulerUp] = await Promise.all([
      succeeds('postgres.sh', 'status'),
      succeeds('kafka.sh', 'status'),
      succeeds('dapr.sh', 'status'),
    ]);
    log(`starting PostgreSQL, Kafka and the Dapr scheduler${tracing ? ' and Zipkin' : ''}`);
    // allSettled: when one fails, the others still finish starting and register their cleanup
    // before stop() runs (Promise.all would stop first and leave a late starter running, unowned).
    const infrastructure = await Promise.allSettled([
      script('postgres.sh', 'start').then(() => {
        if (postgresUp) return;
        // INT: PostgreSQL's fast shutdown (TERM would wait for every client to leave).
        record.ownPidFile('postgres', join(PG_DATA, 'postmaster.pid'), 'INT');
        cleanups.push(() => script('postgres.sh', 'stop'));
      }),
      script('kafka.sh', 'start').then(() => {
        if (kafkaUp) return;
        record.ownPidFile('kafka', join(KAFKA_STATE, 'kafka.pid'));
        cleanups.push(() => script('kafka.sh', 'stop'));
      }),
      script('dapr.sh', 'start-scheduler').then(() => {
        if (schedulerUp) return;
        record.ownPidFile('scheduler', join(DAPR_STATE, 'scheduler.pid'));
        cleanups.push(() => script('dapr.sh', 'stop'));
      }),
      tracing
        ? startZipkin(record).then((zipkin) => {
            cleanups.push(zipkin.stop);
            return zipkin;
          })
        : undefined,
    ]);
    const failed = infrastructure.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const zipkin = infrastructure[3].status === 'fulfilled' ? infrastructure[3].value : undefined;
    const zipkinSpans = zipkin?.spansUrl;
    // STACK_DATABASE_URL: another database on the server, for a checkout whose migrations differ
    // from those another checkout's stack applied to the default one.
    const databaseUrl = process.env.STACK_DATABASE_URL ?? (await script('postgres.sh', 'url'));
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
    const db = openDatabase({ url: databaseUrl });
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
    const replicas = { ...parseReplicas(process.env.STACK_REPLICAS), ...options.replicas };
    const instances = SERVICE_NAMES.flatMap((name) =>
      Array.from({ length: replicas[name] ?? 1 }, (_, replica) => ({
        name,
        instance: replica === 0 ? name : `${name}-${replica + 1}`,
        appId: APP_ID_OF[name],
      })),
    ).map(
      (service, i): StackService => ({
        ...service,
        url: `http://127.0.0.1:${basePort + 1 + i}`,
        // Past the service ports of the most replicas STACK_REPLICAS allows (5 services × 4).
        metricsUrl: `http://127.0.0.1:${basePort + 30 + i}/metrics`,
        daprHttpPort: 3500 + i,
      }),
    );
    // Secrets of this run only, never a published value: distributed mode refuses those.
    const tokens = {
      APP_API_TOKEN: randomBytes(32).toString('base64url'),
      DAPR_API_TOKEN: randomBytes(32).toString('base64url'),
    };
    // The gateway in front of the services is on loopback and appends X-Forwarded-For.
    const env = {
      TRUST_PROXY: 'loopback',
      JWT_SECRET: randomBytes(48).toString('base64url'),
      ...options.env,
      ...tokens,
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: kafkaBrokers,
      ...(zipkinSpans ? { OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkinSpans } : {}),
    };
    const daprConfig = zipkinSpans ? tracedDaprConfig(zipkinSpans) : DAPR_CONFIG;
    const processes = new Map<string, ServiceProcess>();
    await Promise.all(
      instances.map(async (service, i) => {
        await startSidecar(service, i, tokens, cleanups, daprConfig);
        record.ownPidFile(`daprd-${service.instance}`, join(DAPR_STATE, `daprd-${service.instance}.pid`));
        const child = new ServiceProcess(service, env, record, options.serviceCommand ?? TSX_SERVICE_COMMAND);
        processes.set(service.instance, child);
        cleanups.push(() => child.stop());
      }),
    );
    log(`waiting for ${instances.length} service processes to be ready (logs: ${LOGS})`);
    await Promise.all([...processes.values()].map((child) => child.ready(readyTimeoutMs)));
    const replicasOf = (name: ServiceName) =>
      instances.filter((service) => service.name === name).map((service) => service.url);
    const gateway = await startGateway(basePort, {
      ws: replicasOf('websocket-sync'),
      api: replicasOf('api'),
    });
    cleanups.push(() => gateway.close());
    const processOf = (instance: string) => {
      const child = processes.get(instance);
      if (!child)
        throw new Error(`no service instance "${instance}" (have: ${[...processes.keys()].join(', ')})`);
      return child;
    };
    return {
      url: `http://127.0.0.1:${basePort}`,
      services: Object.fromEntries(
        SERVICE_NAMES.map((name) => [name, instances.find((service) => service.name === name)]),
      ) as Record<ServiceName, StackService>,
      instances,
      databaseUrl,
      kafkaBrokers,
      daprApiToken: tokens.DAPR_API_TOKEN,
      ...(zipkinSpans ? { zipkinUrl: new URL(zipkinSpans).origin } : {}),
      startSeconds: (Date.now() - started) / 1000,
      runDir: record.dir,
      restartBroker: {
        stop: () => script('kafka.sh', 'stop').then(() => undefined),
        start: async () => {
          await script('kafka.sh', 'start');
          record.ownPidFile('kafka', join(KAFKA_STATE, 'kafka.pid'));
        },
      },
      kill: (instance) => processOf(instance).kill('SIGKILL'),
      pids: (instance) => ({ service: processOf(instance).pid, sidecar: sidecarPid(instance) }),
      restart: async (instance) => {
        const started = Date.now();
        const child = processOf(instance);
        child.spawn();
        await child.ready(readyTimeoutMs);
        return (Date.now() - started) / 1000;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * daprd reads both tokens from its environment: it sends APP_API_TOKEN to the app on every call
 * (pub/sub deliveries, job callbacks, invocations) and requires DAPR_API_TOKEN on every call of
 * its own API but the health checks.
 */
async function startSidecar(
  service: StackService,
  i: number,
  tokens: { APP_API_TOKEN: string; DAPR_API_TOKEN: string },
  cleanups: (() => Promise<unknown>)[],
  daprConfig: string,
) {
  const env = {
    ...process.env,
    ...tokens,
    DAPR_RESOURCES_PATH: 'deploy/dapr/local',
    DAPR_CONFIG: daprConfig,
    DAPR_INSTANCE: service.instance,
    DAPR_HTTP_PORT: String(service.daprHttpPort),
    DAPR_GRPC_PORT: String(17_001 + 10 * i),
    DAPR_INTERNAL_GRPC_PORT: String(17_002 + 10 * i),
    DAPR_METRICS_PORT: String(9091 + i),
    APP_PORT: new URL(service.url).port,
    DAPR_LOG_LEVEL: process.env.DAPR_LOG_LEVEL ?? 'warn',
  };
  try {
    await run('bash', [join(INFRA, 'dapr.sh'), 'start-daprd', service.appId], { cwd: ROOT, env });
  } catch (error) {
    throw new Error(
      `daprd ${service.instance} did not start:\n${(error as { stderr?: string }).stderr ?? error}`,
    );
  }
  cleanups.push(() => script('dapr.sh', 'stop-daprd', service.instance));
}

/**
 * The local Dapr Configuration with its spans exported to this run's Zipkin (written next to the
 * logs): the sidecars' spans join the services' in one trace.
 */
function tracedDaprConfig(zipkinSpans: string): string {
  const configuration = parseYaml(readFileSync(join(ROOT, DAPR_CONFIG), 'utf8'));
  configuration.spec.tracing.zipkin = { endpointAddress: zipkinSpans };
  const file = join(LOGS, 'dapr-config-traced.yaml');
  writeFileSync(
    file,
    `# Generated by scripts/stack.ts from ${DAPR_CONFIG}.\n${stringifyYaml(configuration)}`,
  );
  return file;
}

/** The pid dapr.sh recorded for an instance's sidecar. */
function sidecarPid(instance: string): number | undefined {
  const file = join(DAPR_STATE, `daprd-${instance}.pid`);
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined;
}

/** One service's Node process (`runtime/src/service.ts <name>` by default), logging to .infra/stack/<instance>.log. */
class ServiceProcess {
  private child: ChildProcess | undefined;
  private readonly logFile: string;

  constructor(
    private readonly service: StackService,
    private readonly env: Record<string, string>,
    private readonly record: RunRecord,
    private readonly command: readonly string[],
  ) {
    this.logFile = join(LOGS, `${service.instance}.log`);
    this.spawn();
  }

  spawn(): void {
    if (this.running) throw new Error(`${this.service.instance} is already running`);
    const out = openSync(this.logFile, 'a');
    const [executable = process.execPath, ...args] = this.command;
    this.child = spawn(executable, [...args, this.service.name], {
      cwd: ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        ...this.env,
        // As Kubernetes names a pod: stable across restarts of the process, unique per replica.
        POD_NAME: this.service.instance,
        PORT: new URL(this.service.url).port,
        METRICS_PORT: new URL(this.service.metricsUrl).port,
        DAPR_HTTP_PORT: String(this.service.daprHttpPort),
      },
      stdio: ['ignore', out, out],
    });
    if (this.child.pid !== undefined) this.record.own(this.service.instance, this.child.pid);
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  private get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  async stop(): Promise<void> {
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 10_000);
    await this.kill('SIGTERM');
    clearTimeout(timer);
  }

  async ready(timeoutMs: number): Promise<void> {
    const { instance, url } = this.service;
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!this.running)
        throw new Error(`${instance} exited (code ${this.child?.exitCode}); see ${this.logFile}`);
      try {
        const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
        if (response.ok) return;
        last = `${response.status} ${await response.text()}`;
      } catch (error) {
        last = String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`${instance} not ready at ${url}/readyz after ${timeoutMs / 1000}s: ${last}`);
  }
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
    for (const service of stack.instances) {
      console.log(
        `  ${service.instance.padEnd(18)} ${service.url}  (daprd ${service.appId}, http ${service.daprHttpPort})`,
      );
    }
    if (stack.zipkinUrl) console.log(`  traces             ${stack.zipkinUrl}/zipkin/`);
    console.log(`Open ${stack.url.replace('127.0.0.1', 'localhost')} — Ctrl-C stops everything.`);
  } catch (error) {
    console.error(`stack: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
