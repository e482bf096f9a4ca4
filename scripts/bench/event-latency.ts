/**
 * End-to-end latency of the event path on the embedded default (app in its own process, fresh
 * PGlite, loopback): completing a recurring task → its next occurrence visible through the API,
 * and reminder firing delay → the in-app notification, measured against the scheduled fire time.
 * Bounded: a fixed number of samples, each with a deadline. Usage: npm run bench:events [-- --samples 30]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiClient } from '../../tests/support/client.js';
import { AppProcess, freePort } from '../../tests/support/process.js';
import { percentiles } from './stats.js';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '30' } } });
const samples = Math.min(Number(values.samples), 500);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value, at most `timeoutMs`; returns when it did. */
async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if ((await check()) !== undefined) return performance.now();
    await sleep(2);
  }
  throw new Error('timed out waiting for an effect');
}

const dataDir = mkdtempSync(join(tmpdir(), 'todo-bench-'));
const app = new AppProcess({ DATA_DIR: dataDir }, await freePort());
await app.start();
try {
  const user = await new ApiClient(app.url).signup('Europe/Berlin');

  const nextOccurrence: number[] = [];
  for (let i = 0; i < samples; i++) {
    const { body: task } = await user.post('/api/tasks', {
      title: `Daily ${i}`,
      due_at: '2099-01-01T09:00:00Z',
      recurrence: 'FREQ=DAILY',
    });
    const started = performance.now();
    await user.post(`/api/tasks/${task.id}/complete`);
    const seen = await waitFor(async () => {
      const { body } = await user.get(`/api/tasks?q=${encodeURIComponent(`Daily ${i}`)}&status=open`);
      return body.items.find(
        (t: { series_id: string; occurrence: number }) => t.series_id === task.id && t.occurrence === 2,
      );
    });
    nextOccurrence.push(seen - started);
  }

  // Reminders spread over a few seconds; each delay is notification time minus scheduled fire time.
  const base = Date.now() + 3_000;
  const fireTimes = new Map<string, number>();
  for (let i = 0; i < samples; i++) {
    const fireAt = base + i * 100;
    const { body } = await user.post('/api/tasks', {
      title: `Reminder ${i}`,
      due_at: new Date(fireAt + 1_000).toISOString(),
      reminders: ['PT1S'],
    });
    fireTimes.set(body.id, fireAt);
  }
  const reminderDelay: number[] = [];
  await waitFor(
    async () => {
      const { body } = await user.get('/api/notifications?limit=200');
      if (body.items.length < samples) return undefined;
      for (const item of body.items)
        reminderDelay.push(Date.parse(item.created_at) - (fireTimes.get(item.task_id) ?? NaN));
      return true;
    },
    30_000 + samples * 100,
  );

  const results = [
    { path: 'complete → next occurrence visible', samples, ...percentiles(nextOccurrence) },
    { path: 'reminder fire time → notification stored', samples, ...percentiles(reminderDelay) },
  ];
  console.table(results);
  console.log(`early reminders: ${reminderDelay.filter((delay) => delay < 0).length}`);
  mkdirSync('artifacts/bench', { recursive: true });
  writeFileSync(
    'artifacts/bench/event-latency.json',
    JSON.stringify({ date: new Date().toISOString(), results }, null, 2),
  );
} finally {
  await app.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
