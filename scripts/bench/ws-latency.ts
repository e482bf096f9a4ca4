/**
 * Write → live-frame latency: creates tasks over HTTP at a steady rate and times how long each
 * takes to arrive as a `task.sync` frame on an open `/ws` socket of the same user.
 *
 *   npx tsx scripts/bench/ws-latency.ts [http://127.0.0.1:3000] [--writes 200] [--rate 50]
 *     [--database-url postgres://127.0.0.1/empty_db]
 *
 * Without a URL it starts the embedded app in-process on a fresh PGlite directory (or on the given
 * empty PostgreSQL database). Loopback only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@todo/platform/config';
import WebSocket from 'ws';
import { startEmbedded } from '../../runtime/src/embedded.js';
import { ApiClient } from '../../tests/support/client.js';

/** After the last write, frames still missing this long later are counted as lost. */
const DRAIN_TIMEOUT_MS = 30_000;
const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    writes: { type: 'string', default: '200' },
    rate: { type: 'string', default: '50' },
    'database-url': { type: 'string' },
  },
});
const writes = Number(values.writes);
const rate = Number(values.rate);
if (!(writes > 0 && writes <= 10_000 && rate > 0 && rate <= 1000)) {
  throw new Error('--writes must be 1..10000 and --rate 1..1000 per second');
}
const target = positionals[0];
const databaseUrl = values['database-url'];
for (const url of [target, databaseUrl]) {
  if (url && !LOOPBACK.includes(new URL(url).hostname)) throw new Error(`loopback only: ${url}`);
}

const dataDir = target ? undefined : mkdtempSync(join(tmpdir(), 'ws-bench-'));
const app = dataDir
  ? await startEmbedded(
      loadConfig({
        PORT: '0',
        LOG_LEVEL: 'warn',
        DATA_DIR: dataDir,
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      }),
    )
  : undefined;
const baseUrl = (target ?? app?.url ?? '').replace(/\/$/, '');

const ms = (value: number) => `${value.toFixed(1)} ms`;
function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  return `p50 ${ms(at(0.5))}  p95 ${ms(at(0.95))}  p99 ${ms(at(0.99))}  max ${ms(at(1))}`;
}

try {
  const user = await new ApiClient(baseUrl).signup();
  const arrivals = new Map<string, number>();
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?token=${user.token}`);
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.type === 'task.sync' && frame.event_type === 'task.created') {
      arrivals.set(frame.task_id, performance.now());
    }
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });

  // Open loop: a write starts every 1/rate seconds whether or not the previous one has finished.
  const sent: Promise<{ id: string; startedAt: number; answeredAt: number }>[] = [];
  const start = performance.now();
  for (let i = 0; i < writes; i++) {
    const due = start + (i * 1000) / rate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    const startedAt = performance.now();
    sent.push(
      user.post('/api/tasks', { title: `bench ${i}` }).then(({ status, body }) => {
        if (status !== 201) throw new Error(`write ${i} failed: ${status} ${JSON.stringify(body)}`);
        return { id: body.id as string, startedAt, answeredAt: performance.now() };
      }),
    );
  }
  const written = await Promise.all(sent);
  const elapsedSeconds = (performance.now() - start) / 1000;

  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (written.some(({ id }) => !arrivals.has(id)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  socket.close();

  const latencies = written
    .filter(({ id }) => arrivals.has(id))
    .map(({ id, startedAt }) => (arrivals.get(id) as number) - startedAt);
  const where = app ? ` (in-process, ${databaseUrl ? 'PostgreSQL' : 'PGlite'})` : '';
  console.log(`target        ${baseUrl}${where}`);
  console.log(
    `writes        ${writes} offered at ${rate}/s, completed at ${(writes / elapsedSeconds).toFixed(1)}/s`,
  );
  console.log(`frames        ${latencies.length} received, ${writes - latencies.length} missing`);
  console.log(
    `write→201     ${percentiles(written.map(({ startedAt, answeredAt }) => answeredAt - startedAt))}`,
  );
  console.log(`write→frame   ${percentiles(latencies)}`);
  if (latencies.length < writes) process.exitCode = 1;
} finally {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
