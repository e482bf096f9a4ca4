import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { UserService } from '@todo/api/auth/users';
import { type Db, migrateToLatest } from '@todo/platform/db/connect';
import type { Database } from '@todo/platform/db/schema';
import { UserDirectory } from '@todo/platform/identity/user-directory';
import { Kysely, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { afterEach, describe, expect, it } from 'vitest';
import { isRunning } from '../../runtime/src/private-postgres.js';
import { ApiClient } from '../support/client.js';
import { AppProcess, freePort } from '../support/process.js';

const PASSWORD = 'correct horse battery';

/** The pid in the cluster's lock file while a server runs on it, else undefined. */
function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postgres', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

async function login(url: string, email: string): Promise<ApiClient> {
  const { status, body } = await new ApiClient(url).post('/api/auth/login', { email, password: PASSWORD });
  expect(status).toBe(200);
  return new ApiClient(url, body.token);
}

describe('the embedded default on its private PostgreSQL server', () => {
  const dirs: string[] = [];
  const apps: AppProcess[] = [];
  const freshDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'todo-private-pg-'));
    dirs.push(dir);
    return dir;
  };
  const app = async (dataDir: string) => {
    const started = new AppProcess(
      { DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      await freePort(),
      await freePort(),
    );
    apps.push(started);
    return started;
  };
  afterEach(async () => {
    for (const started of apps.splice(0)) await started.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps its data across a stop, a kill -9 of the app, and a kill -9 of app and server', {
    timeout: 300_000,
  }, async () => {
    const dataDir = freshDataDir();
    const todo = await app(dataDir);
    await todo.start();
    const ann = await new ApiClient(todo.url).signup('UTC');
    const created = await ann.post('/api/tasks', { title: 'Survives everything' });
    expect(created.status).toBe(201);

    // The generated password is the owner's alone; as root the cluster belongs to the postgres user.
    expect(statSync(join(dataDir, 'postgres-password')).mode & 0o777).toBe(0o600);
    if (userInfo().uid === 0) {
      const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      expect(statSync(join(dataDir, 'postgres')).uid).toBe(postgresUid);
    }

    // Stopped with the app: SIGTERM leaves no server behind.
    const server = postmasterPid(dataDir) as number;
    expect(isRunning(server)).toBe(true);
    await todo.stop();
    expect(postmasterPid(dataDir)).toBeUndefined();
    expect(isRunning(server)).toBe(false);

    // kill -9 of the app: its server outlives it; the next start shuts that one down and goes on.
    await todo.start();
    const orphan = postmasterPid(dataDir) as number;
    await todo.kill();
    expect(isRunning(orphan)).toBe(true);
    await todo.start();
    expect(isRunning(orphan)).toBe(false);
    expect((await ann.get('/api/tasks')).body.items.map((t: { title: string }) => t.title)).toEqual([
      'Survives everything',
    ]);

    // kill -9 of both (power cut): a stale postmaster.pid names a dead process and must not block.
    const crashed = postmasterPid(dataDir) as number;
    await todo.kill();
    process.kill(crashed, 'SIGKILL');
    while (isRunning(crashed)) await new Promise((done) => setTimeout(done, 50));
    expect(postmasterPid(dataDir)).toBe(crashed);
    await todo.start();
    expect((await ann.get('/api/tasks')).body.items).toHaveLength(1);
  });

  it('imports an earlier release’s PGlite data directory once, keeping it as a backup', {
    timeout: 300_000,
  }, async () => {
    const dataDir = freshDataDir();
    // What an earlier release left in ./data: the same schema and rows, on PGlite.
    const pglite = new Kysely<Database>({ dialect: new PGliteDialect(new PGlite(join(dataDir, 'pglite'))) });
    const email = 'ann@example.test';
    const titles = ['Buy milk', 'Datei prüfen ✓', 'Call Bob'];
    await seedEarlierRelease(pglite, email, titles);
    await pglite.destroy();

    const todo = await app(dataDir);
    await todo.start();
    const ann = await login(todo.url, email);
    const { body } = await ann.get('/api/tasks?sort=title');
    expect(body.items.map((t: { title: string }) => t.title)).toEqual([...titles].sort());
    const milk = body.items.find((t: { title: string }) => t.title === 'Buy milk');
    expect(milk).toMatchObject({ tags: ['home', 'errand'], description: 'two litres\n\\no sugar' });
    // Search runs on the restored generated column and its index.
    expect((await ann.get('/api/tasks?q=litres')).body.items).toHaveLength(1);

    const entries = readdirSync(dataDir);
    expect(entries).not.toContain('pglite');
    const backups = entries.filter((name) => name.startsWith('pglite-backup-'));
    expect(backups).toHaveLength(1);
    expect(existsSync(join(dataDir, backups[0] as string, 'PG_VERSION'))).toBe(true);
    expect(todo.output).toContain('restored 1 users and 3 tasks from PGlite');
    expect(todo.output).toContain(`kept as ${join(dataDir, backups[0] as string)}`);

    // Once: a later start neither imports again nor loses what was written since.
    expect((await ann.post('/api/tasks', { title: 'After the move' })).status).toBe(201);
    await todo.stop();
    const before = todo.output.length;
    await todo.start();
    expect(todo.output.slice(before)).not.toContain('PGlite');
    expect((await ann.get('/api/tasks')).body.items).toHaveLength(4);
  });
});

async function seedEarlierRelease(db: Db, email: string, titles: string[]): Promise<void> {
  await migrateToLatest(db);
  const user = await new UserService(db, new UserDirectory(db)).signup({
    email,
    password: PASSWORD,
    timezone: 'Europe/Berlin',
  });
  for (const title of titles) {
    const milk = title === 'Buy milk';
    // The columns an earlier release wrote; the rest keep the schema's defaults.
    await sql`insert into tasks (id, user_id, title, tags, description)
      values (${crypto.randomUUID()}, ${user.id}, ${title}, ${milk ? ['home', 'errand'] : []},
        ${milk ? 'two litres\n\\no sugar' : ''})`.execute(db);
  }
}
