/**
 * `npm run bench:chat-hostile`: how long pathological chat messages take, and how long they block
 * everyone else. Starts the embedded app as its own process, signs up a user with a few tasks and
 * one with 250 long-titled tasks, then sends each class of hostile message at about 100, 1,000
 * and 2,000 characters while a second loop polls `/healthz` back to back. Prints, per class and
 * size, the chat request's time, the worst `/healthz` latency seen while it ran, and the server
 * CPU time it took (`process_cpu_seconds_total` from `/metrics`, the polling included): on a
 * loaded machine the wall times stretch, the CPU time does not.
 *
 * A request still running after `--cap-ms` is abandoned: the app is killed and restarted (its
 * event loop would stay blocked), and the row shows "> cap".
 *
 *   npm run bench:chat-hostile [-- --cap-ms 20000] [--sizes 100,1000,2000] [--classes and,hashtags]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiClient } from '../../tests/support/client.js';
import { AppProcess, freePort } from '../../tests/support/process.js';

const { values } = parseArgs({
  options: {
    'cap-ms': { type: 'string', default: '20000' },
    sizes: { type: 'string', default: '100,1000,2000' },
    classes: { type: 'string' },
  },
});
const capMs = Number(values['cap-ms']);
if (!Number.isInteger(capMs) || capMs < 100 || capMs > 600_000)
  throw new Error('--cap-ms must be 100..600000');
const sizes = values.sizes.split(',').map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 10 || n > 2000))
  throw new Error('--sizes must be 10..2000');

/** `unit` repeated after `head` until the message is about `size` characters, then `tail`. */
function repeatTo(size: number, head: string, unit: string, tail = ''): string {
  const count = Math.max(1, Math.floor((size - head.length - tail.length) / unit.length));
  return `${head}${unit.repeat(count)}${tail}`;
}

const LONG_TITLE_WORDS = [
  'quarterly',
  'budget',
  'report',
  'review',
  'marketing',
  'presentation',
  'dentist',
  'appointment',
  'groceries',
  'insurance',
  'renewal',
  'passport',
];

/** A title of ~20 words drawn from a small vocabulary, so references overlap many tasks. */
function longTitle(i: number): string {
  return Array.from(
    { length: 20 },
    (_, k) => LONG_TITLE_WORDS[(i * 7 + k * 5) % LONG_TITLE_WORDS.length],
  ).join(' ');
}

interface HostileClass {
  name: string;
  /** Which user receives it: `busy` has 250 tasks with long titles. */
  user: 'few' | 'busy';
  message(size: number): string;
}

const CLASSES: HostileClass[] = [
  { name: 'and', user: 'few', message: (n) => repeatTo(n, 'add ', 'and ') },
  { name: 'hashtags', user: 'few', message: (n) => repeatTo(n, 'tag x ', '#a', ' y') },
  { name: 'commas', user: 'few', message: (n) => repeatTo(n, 'add ', 'x, ') },
  { name: 'tag-list', user: 'few', message: (n) => repeatTo(n, 'add tags ', 'a and b, ', ' to') },
  {
    name: 'mark-done',
    user: 'busy',
    message: (n) => repeatTo(n, 'mark ', 'quarterly budget reprot dentst apointment ', ' done'),
  },
  {
    name: 'long-words',
    user: 'busy',
    message: (n) => repeatTo(n, 'rename ', `${'supercalifragilistic'.repeat(5)} `, 'to x'),
  },
  { name: 'punctuation', user: 'few', message: (n) => repeatTo(n, 'remind me ', '(!?.,;:-"\' ', 'at 5') },
  { name: 'recurrence', user: 'few', message: (n) => repeatTo(n, 'add gym every ', 'monday and ', 'at 7') },
  { name: 'dates', user: 'few', message: (n) => repeatTo(n, 'add x ', 'tomorrow at 5 on 3 march ', '') },
  {
    name: 'unicode',
    user: 'busy',
    message: (n) => repeatTo(n, 'complete ', 'e\u0301\u4e2d\u0627\u05d0\u00df '),
  },
];
const selected = values.classes
  ? CLASSES.filter((c) => values.classes?.split(',').includes(c.name))
  : CLASSES;

const dataDir = mkdtempSync(join(tmpdir(), 'todo-bench-chat-'));
const app = new AppProcess(
  {
    DATA_DIR: dataDir,
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    // The per-user chat limit is not what is measured here.
    CHAT_RATE_LIMIT_PER_MINUTE: '100000',
  },
  await freePort(),
  await freePort(),
);

/** Polls /healthz back to back until stopped; resolves with the worst latency in ms. */
function pollHealth(): { stop(): Promise<number> } {
  let running = true;
  let worst = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(capMs + 5_000) });
      } catch {
        // The app was killed under a blocked request: the wait so far is what counts.
      }
      worst = Math.max(worst, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return worst;
    },
  };
}

/** The app's CPU seconds so far, from its Prometheus metrics. */
async function cpuSeconds(): Promise<number> {
  const text = await (await fetch(app.metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith('process_cpu_seconds_total '));
  return Number(line?.split(' ')[1]);
}

interface Row {
  name: string;
  size: number;
  chatMs: number | null;
  status: number | string;
  intent: string;
  healthWorstMs: number;
  cpuMs: number | null;
}

try {
  await app.start();
  const anonymous = new ApiClient(app.url);
  const few = await anonymous.signup();
  const busy = await anonymous.signup();
  for (const title of ['Buy milk', 'Dentist appointment', 'Quarterly report', 'Call mom']) {
    await few.post('/api/tasks', { title, tags: ['home'] });
  }
  for (let i = 0; i < 250; i++) {
    const { status } = await busy.post('/api/tasks', { title: `${longTitle(i)} ${i}`, tags: ['work'] });
    if (status !== 201) throw new Error(`seeding failed: ${status}`);
  }
  const users = { few, busy };
  // One warm-up turn per user, so the first measured row does not pay for lazy loading.
  for (const user of Object.values(users)) await user.post('/api/chat', { message: 'what is due today?' });

  const rows: Row[] = [];
  for (const hostile of selected) {
    for (const size of sizes) {
      const message = hostile.message(size);
      const cpuBefore = await cpuSeconds();
      const health = pollHealth();
      const started = performance.now();
      let row: Row;
      try {
        const response = await fetch(`${app.url}/api/chat`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${users[hostile.user].token}`,
          },
          body: JSON.stringify({ message }),
          signal: AbortSignal.timeout(capMs),
        });
        const body = (await response.json()) as { intent?: string; error?: { code: string } };
        row = {
          name: hostile.name,
          size: message.length,
          chatMs: performance.now() - started,
          status: response.status,
          intent: body.intent ?? body.error?.code ?? '',
          healthWorstMs: 0,
          cpuMs: null,
        };
      } catch {
        row = {
          name: hostile.name,
          size: message.length,
          chatMs: null,
          status: 'timeout',
          intent: '',
          healthWorstMs: 0,
          cpuMs: null,
        };
        // The event loop is still busy with the message: only a restart frees the app.
        await app.kill();
      }
      row.healthWorstMs = await health.stop();
      if (row.chatMs === null) await app.start();
      else row.cpuMs = ((await cpuSeconds()) - cpuBefore) * 1000;
      rows.push(row);
      const chat = row.chatMs === null ? `> ${capMs}` : row.chatMs.toFixed(1);
      console.log(
        `${row.name.padEnd(12)} ${String(row.size).padStart(5)} chars  chat ${chat.padStart(9)} ms  ` +
          `worst /healthz ${row.healthWorstMs.toFixed(1).padStart(9)} ms  ` +
          `cpu ${row.cpuMs === null ? '-' : row.cpuMs.toFixed(0)} ms  ${row.status} ${row.intent}`,
      );
    }
  }
  console.log('\n| class | chars | chat ms | worst /healthz ms | server CPU ms |\n|---|---:|---:|---:|---:|');
  for (const row of rows) {
    const chat = row.chatMs === null ? `> ${capMs}` : row.chatMs.toFixed(1);
    const cpu = row.cpuMs === null ? '–' : row.cpuMs.toFixed(0);
    console.log(`| ${row.name} | ${row.size} | ${chat} | ${row.healthWorstMs.toFixed(1)} | ${cpu} |`);
  }
} finally {
  await app.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
