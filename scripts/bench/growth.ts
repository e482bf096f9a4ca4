/**
 * `npm run bench:growth`: what list, search, tag filter and overdue cost as one user's tasks grow
 * (100 / 10,000 / 100,000), on the embedded default (in-process, its private PostgreSQL server in a
 * temporary directory). Per size: p50/p95 over sequential requests through HTTP, the start-up time
 * on that database, the server's plan of each query (EXPLAIN ANALYZE), and the app's RSS. Prints a
 * table, writes artifacts/bench/growth.json and the plans to artifacts/bench/growth-plans.txt.
 *
 *   npm run bench:growth [-- --sizes 100,10000,100000] [--requests 40]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type TaskListFilter, toListQuery, userCalendar } from '@todo/api/tasks/task-query';
import { listTasks } from '@todo/api/tasks/task-repository';
import { loadConfig } from '@todo/platform/config';
import type { Database } from '@todo/platform/db/schema';
import { Kysely, PostgresDialect, PostgresQueryCompiler, sql } from 'kysely';
import pg from 'pg';
import { type RunningApp, startEmbedded } from '../../runtime/src/embedded.js';
import { ApiClient } from '../../tests/support/client.js';
import { percentiles } from './stats.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,10000,100000' },
    requests: { type: 'string', default: '40' },
  },
});
const sizes = (values.sizes as string).split(',').map(Number);
const requests = Number(values.requests);
if (
  sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 1_000_000) ||
  !(requests >= 1 && requests <= 1000)
) {
  throw new Error('--sizes must be integers 1..1000000, --requests 1..1000');
}

/** The operations measured, as the filters of `GET /api/tasks`. */
const QUERIES: Record<string, TaskListFilter> = {
  'list 50 (by due)': { limit: 50, sort: 'due' },
  'search, common word (10 %)': { limit: 50, q: 'report', sort: 'due' },
  'search, rare word (0.1 %)': { limit: 50, q: 'zebra', sort: 'due' },
  'tag filter (50 %)': { limit: 50, tag: 'work', sort: 'priority' },
  overdue: { limit: 50, overdue: true, sort: 'due' },
};
const queryString = (filter: TaskListFilter) =>
  new URLSearchParams(
    Object.entries(filter).map(([name, value]): [string, string] => [name, String(value)]),
  ).toString();

const dataDir = mkdtempSync(join(tmpdir(), 'todo-bench-growth-'));
const config = loadConfig({
  PORT: '0',
  LOG_LEVEL: 'error',
  DATA_DIR: dataDir,
  LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
});
let app: RunningApp = await startEmbedded(config);
const rows: Record<string, unknown>[] = [];
const plans: string[] = [];
try {
  const user = await new ApiClient(app.url).signup('UTC');
  const { body: me } = await user.get('/api/me');
  const userId = me.id as string;
  let inserted = 0;
  for (const size of sizes) {
    await insertTasks(app, userId, inserted + 1, size);
    inserted = size;

    await app.close();
    const started = performance.now();
    app = await startEmbedded(config);
    const startupMs = performance.now() - started;
    const client = new ApiClient(app.url, user.token);

    for (const [name, filter] of Object.entries(QUERIES)) {
      const query = queryString(filter);
      const latencies: number[] = [];
      for (let i = 0; i < requests + 3; i++) {
        const began = performance.now();
        const { status } = await client.get(`/api/tasks?${query}`);
        if (status !== 200) throw new Error(`${name}: ${status}`);
        // The first few warm the caches and the plan cache: not measured.
        if (i >= 3) latencies.push(performance.now() - began);
      }
      const { p50, p95 } = percentiles(latencies);
      rows.push({ tasks: size, operation: name, p50_ms: round(p50), p95_ms: round(p95) });
      plans.push(`-- ${size} tasks, ${name}: GET /api/tasks?${query}\n${await explain(app, userId, filter)}`);
    }
    const database = await sql<{
      bytes: string;
    }>`select pg_database_size(current_database()) as bytes`.execute(app.db);
    rows.push({
      tasks: size,
      operation: 'start-up, RSS',
      startup_ms: Math.round(startupMs),
      app_rss_mib: Math.round(process.memoryUsage().rss / 2 ** 20),
      database_mib: Math.round(Number(database.rows[0]?.bytes) / 2 ** 20),
    });
  }
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.table(rows);
mkdirSync('artifacts/bench', { recursive: true });
writeFileSync(
  'artifacts/bench/growth.json',
  JSON.stringify({ date: new Date().toISOString(), requests, rows }, null, 2),
);
writeFileSync('artifacts/bench/growth-plans.txt', `${plans.join('\n\n')}\n`);
console.log('written: artifacts/bench/growth.json, artifacts/bench/growth-plans.txt');

function round(ms: number) {
  return Math.round(ms * 10) / 10;
}

/**
 * Tasks `from`..`to` of one user in one statement: every 10th says "report", every 1000th "zebra",
 * half are tagged work (whatever their priority), a fifth completed, due dates spread from the past
 * into the future.
 */
async function insertTasks(running: RunningApp, userId: string, from: number, to: number) {
  await sql`
    insert into tasks (id, user_id, title, tags, priority, due_at, status, completed_at)
    select gen_random_uuid(), ${userId},
      'Task ' || i || case when i % 10 = 0 then ' report' else ' errand' end
        || case when i % 1000 = 0 then ' zebra' else '' end,
      -- Independent of the priority (i % 4): a tag must not pick out the most urgent tasks.
      array[case when (i / 4) % 2 = 0 then 'work' else 'home' end],
      (array['low', 'medium', 'high', 'urgent'])[i % 4 + 1],
      now() + (i % 2000 - 1000) * interval '1 hour',
      case when i % 5 = 0 then 'completed' else 'open' end,
      case when i % 5 = 0 then now() end
    from generate_series(${from}::int, ${to}::int) as i`.execute(running.db);
  await sql`analyze tasks`.execute(running.db);
}

/** The server's plan of the SQL the API runs for this query string, as it ran it. */
async function explain(running: RunningApp, userId: string, filter: TaskListFilter): Promise<string> {
  const captured: { sql: string; parameters: readonly unknown[] }[] = [];
  const pool = new pg.Pool({ connectionString: running.databaseUrl, max: 1 });
  const compiler = new PostgresQueryCompiler();
  const capturing = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [
      {
        transformQuery: ({ node, queryId }) => {
          captured.push(compiler.compileQuery(node, queryId));
          return node;
        },
        transformResult: async ({ result }) => result,
      },
    ],
  });
  try {
    await listTasks(capturing, userId, toListQuery(filter), userCalendar(new Date(), 'UTC'));
    const statement = captured.at(-1) as { sql: string; parameters: readonly unknown[] };
    const plan = await pool.query(`explain (analyze, costs off, buffers off) ${statement.sql}`, [
      ...statement.parameters,
    ]);
    return plan.rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    await capturing.destroy();
  }
}
