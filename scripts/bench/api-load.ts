/**
 * Load check of the embedded default: create and list throughput with latency percentiles.
 * Runs the app as its own process (fresh PGlite, loopback, free port) and autocannon against it,
 * each phase bounded in time. Usage: npm run bench:api [-- --seconds 10 --connections 10]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { ApiClient } from '../../tests/support/client.js';
import { AppProcess, freePort } from '../../tests/support/process.js';
import { percentiles } from './stats.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' } },
});
const duration = Math.min(Number(values.seconds), 120);
const connections = Math.min(Number(values.connections), 100);

const dataDir = mkdtempSync(join(tmpdir(), 'todo-bench-'));
const app = new AppProcess({ DATA_DIR: dataDir, LOGIN_RATE_LIMIT_PER_MINUTE: '1000' }, await freePort());
await app.start();

try {
  const user = await new ApiClient(app.url).signup('Europe/Berlin');
  const headers = { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' };
  for (let i = 0; i < 200; i++) {
    await user.post('/api/tasks', {
      title: `Seed task ${i} ${i % 3 === 0 ? 'report' : 'errand'}`,
      tags: [i % 2 ? 'work' : 'home'],
      priority: ['low', 'medium', 'high', 'urgent'][i % 4],
      due_at: new Date(Date.now() + i * 3_600_000).toISOString(),
    });
  }

  const phases = [
    {
      name: 'create',
      method: 'POST' as const,
      path: '/api/tasks',
      body: JSON.stringify({
        title: 'Benchmark task',
        priority: 'high',
        tags: ['bench'],
        due_at: '2099-01-01T09:00:00Z',
        reminders: ['PT30M'],
      }),
    },
    {
      name: 'list 50 (filter + search)',
      method: 'GET' as const,
      path: '/api/tasks?limit=50&tag=work&q=report&sort=due',
    },
    { name: 'list 50', method: 'GET' as const, path: '/api/tasks?limit=50&sort=priority' },
  ];

  const results = [];
  for (const phase of phases) {
    // Every response's latency, so the percentiles are exact (autocannon's summary has no p95).
    const latencies: number[] = [];
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const options = {
        url: `${app.url}${phase.path}`,
        method: phase.method,
        headers,
        ...(phase.body ? { body: phase.body } : {}),
        connections,
        duration,
      };
      const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
      instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
    });
    results.push({
      phase: phase.name,
      requests_per_second: Math.round(result.requests.average),
      ...Object.fromEntries(
        Object.entries(percentiles(latencies)).map(([key, value]) => [`${key}_ms`, value]),
      ),
      responses: latencies.length,
      non_2xx: result.non2xx,
      errors: result.errors,
    });
  }
  console.table(results);
  mkdirSync('artifacts/bench', { recursive: true });
  writeFileSync(
    'artifacts/bench/api-load.json',
    JSON.stringify({ date: new Date().toISOString(), duration, connections, results }, null, 2),
  );
} finally {
  await app.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
