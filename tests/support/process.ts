import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Below Linux's ephemeral range (32768-60999, /proc/sys/net/ipv4/ip_local_port_range): a port found
// free there can be handed out, before the child binds it, as the source port of an outgoing
// connection or to a listener on port 0 (the app's private PostgreSQL took one once, and the app
// failed with EADDRINUSE). 20000-31999 holds none of the stack's fixed ports.
const PICK_FROM = 20_000;
const PICK_SPAN = 12_000;

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A free TCP port on loopback for a child process to listen on, outside the ephemeral range. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = PICK_FROM + Math.floor(Math.random() * PICK_SPAN);
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${PICK_FROM}-${PICK_FROM + PICK_SPAN - 1}`);
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
