import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** The embedded app as its own OS process, as `npm start` runs it, so a test can kill -9 it. */
export class AppProcess {
  private child: ChildProcess | undefined;
  readonly url: string;
  /** Everything the app wrote to stdout (its log) over all its starts. */
  output = '';
  /** Its `/metrics` listener (METRICS_PORT), apart from the public port. */
  readonly metricsUrl: string;

  constructor(
    private readonly env: Record<string, string>,
    readonly port: number,
    metricsPort: number,
    /** Options for node itself (the benchmark's `--cpu-prof`, which NODE_OPTIONS refuses). */
    private readonly nodeArgs: string[] = [],
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, [...this.nodeArgs, '--import', 'tsx', 'runtime/src/embedded.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: 'error',
        ...this.env,
        PORT: String(this.port),
        METRICS_PORT: new URL(this.metricsUrl).port,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.output += chunk;
    });
    await eventually(async () => {
      const response = await fetch(`${this.url}/healthz`);
      if (!response.ok) throw new Error(`not healthy: ${response.status}`);
    }, 90_000);
  }

  /** The OS process id while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** SIGTERM, as an operator stops it: the app shuts down its services and its database server. */
  async stop(): Promise<number | null> {
    return this.signal('SIGTERM');
  }

  /** SIGKILL: no shutdown hooks, no flushing — a crash. Its database server outlives it. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Sends the signal and resolves with the exit code once the process has exited. */
  private async signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }
}
