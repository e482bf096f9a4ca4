import autocannon from 'autocannon';
import WebSocket from 'ws';
import { ApiClient } from '../../tests/support/client.js';
import { percentiles } from './stats.js';

/** After the last write, frames or effects still missing this long later are counted as lost. */
const DRAIN_TIMEOUT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface LatencyRow {
  path: string;
  samples: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
  missing: number;
  note: string;
}

const latencyRow = (path: string, samples: number[], expected: number, note: string): LatencyRow => {
  const stats = percentiles(samples);
  return {
    path,
    samples: samples.length,
    p50_ms: stats.p50,
    p95_ms: stats.p95,
    p99_ms: stats.p99,
    max_ms: stats.max,
    missing: expected - samples.length,
    note,
  };
};

/** Polls `check` every few ms until it returns a value or `timeoutMs` passed; undefined on timeout. */
async function poll<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 5,
): Promise<T | undefined> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const found = await check();
    if (found !== undefined) return found;
    await sleep(everyMs);
  }
  return undefined;
}

/**
 * Write → live frame: creates tasks at a steady offered rate (open loop: a write starts every
 * 1/rate s whether or not the previous one answered) and times each until its `task.sync` frame
 * arrives on an open `/ws` socket of the same user.
 */
export async function measureWriteToFrame(
  baseUrl: string,
  options: { writes: number; rate: number },
): Promise<LatencyRow> {
  const user = await new ApiClient(baseUrl).signup();
  const arrivals = new Map<string, number>();
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?token=${user.token}`);
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.type === 'task.sync' && frame.event_type === 'task.created')
      arrivals.set(frame.task_id, performance.now());
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  try {
    const sent: Promise<{ id: string; startedAt: number }>[] = [];
    const start = performance.now();
    for (let i = 0; i < options.writes; i++) {
      await sleep(Math.max(0, start + (i * 1000) / options.rate - performance.now()));
      const startedAt = performance.now();
      sent.push(
        user.post('/api/tasks', { title: `bench ${i}` }).then(({ status, body }) => {
          if (status !== 201) throw new Error(`write ${i} failed: ${status} ${JSON.stringify(body)}`);
          return { id: body.id as string, startedAt };
        }),
      );
    }
    const written = await Promise.all(sent);
    const achieved = options.writes / ((performance.now() - start) / 1000);
    await poll(
      async () => (written.every(({ id }) => arrivals.has(id)) ? true : undefined),
      DRAIN_TIMEOUT_MS,
      20,
    );
    const latencies = written
      .filter(({ id }) => arrivals.has(id))
      .map(({ id, startedAt }) => (arrivals.get(id) as number) - startedAt);
    return latencyRow(
      `write → WebSocket frame at ${options.rate} writes/s`,
      latencies,
      options.writes,
      `${achieved.toFixed(1)} writes/s completed`,
    );
  } finally {
    socket.close();
  }
}

/** Completing a recurring task → its next occurrence readable through the API, one at a time. */
export async function measureNextOccurrence(baseUrl: string, samples: number): Promise<LatencyRow> {
  const user = await new ApiClient(baseUrl).signup();
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const { body: task } = await user.post('/api/tasks', {
      title: `Daily ${i}`,
      due_at: '2099-01-01T09:00:00Z',
      recurrence: 'FREQ=DAILY',
    });
    const started = performance.now();
    await user.post(`/api/tasks/${task.id}/complete`);
    const seenAt = await poll(async () => {
      const { body } = await user.get(`/api/tasks?q=${encodeURIComponent(`Daily ${i}`)}&status=open`);
      const next = body.items.find(
        (t: { series_id: string; occurrence: number }) => t.series_id === task.id && t.occurrence === 2,
      );
      return next ? performance.now() : undefined;
    }, DRAIN_TIMEOUT_MS);
    if (seenAt !== undefined) latencies.push(seenAt - started);
  }
  return latencyRow('complete → next occurrence visible', latencies, samples, 'one completion at a time');
}

/**
 * `count` reminders all due at the same second: creates the tasks (10 at a time) with a fire time
 * far enough ahead for all of them to exist by then, then reads every in-app notification and
 * compares its time with the fire time. Early is a bug; late is the scheduler and consumers'
 * throughput.
 */
export async function measureReminderBurst(baseUrl: string, count: number): Promise<LatencyRow> {
  const user = await new ApiClient(baseUrl).signup();
  /** Creates `total` tasks with one reminder each, 10 requests in flight; resolves with the creates per ms. */
  const createAll = async (total: number, dueAt: string, fireAt: number) => {
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const { status } = await user.post('/api/tasks', {
          title: `Burst ${i}`,
          due_at: dueAt,
          reminders: ['PT1M'],
        });
        if (status !== 201) throw new Error(`burst task ${i}: ${status}`);
        if (Date.now() > fireAt - 1000) createdLate++;
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));
    return total / (performance.now() - started);
  };
  let createdLate = 0;
  // Probe the create rate the same way (their reminders fire a day later) to place the fire time
  // so that the creations are all done before it.
  const perMs = await createAll(
    50,
    new Date(Date.now() + 86_400_000).toISOString(),
    Number.POSITIVE_INFINITY,
  );
  const fireAt = Math.ceil((Date.now() + 10_000 + (count / perMs) * 1.5) / 1000) * 1000;
  await createAll(count, new Date(fireAt + 60_000).toISOString(), fireAt);
  const createdAllAt = Date.now();

  const delays = await poll(
    async () => {
      const times = await notificationTimes(user);
      return times.length >= count ? times.map((time) => time - fireAt) : undefined;
    },
    fireAt - Date.now() + 120_000,
    500,
  );
  const found = delays ?? (await notificationTimes(user)).map((time) => time - fireAt);
  const early = found.filter((delay) => delay < 0).length;
  return latencyRow(
    `reminder fire time → notification, ${count} due at once`,
    found,
    count,
    `${early} early, ${createdLate} created <1 s before firing; all created ${((fireAt - createdAllAt) / 1000).toFixed(1)} s before`,
  );
}

async function notificationTimes(user: ApiClient): Promise<number[]> {
  const items = await user.getAll<{ created_at: string }>('/api/notifications?limit=200');
  return items.map((item) => Date.parse(item.created_at));
}

export interface ThroughputRow {
  creates_acknowledged_per_second: number;
  events_published: number;
  deliveries: number;
  events_per_second_to_every_consumer: number;
  deliveries_per_second: number;
  drain_seconds_after_load: number;
}

/** Sum of a counter over every service process's /metrics. */
async function counterTotal(metricsUrls: string[], name: string): Promise<number> {
  let total = 0;
  for (const url of metricsUrls) {
    const text = await (await fetch(url)).text();
    for (const line of text.split('\n')) {
      if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) total += Number(line.split(' ').at(-1));
    }
  }
  return total;
}

/**
 * Events sustained end to end: creates as fast as `connections` clients can for `seconds`, then
 * waits until every consumer has caught up (the consumed counters stop moving). The rate is the
 * events published over the time from the first write to the last consumer's last delivery.
 */
export async function measureEventThroughput(
  baseUrl: string,
  metricsUrls: string[],
  options: { seconds: number; connections: number },
): Promise<ThroughputRow> {
  const user = await new ApiClient(baseUrl).signup();
  const publishedBefore = await counterTotal(metricsUrls, 'events_published_total');
  const consumedBefore = await counterTotal(metricsUrls, 'events_consumed_total');
  const started = performance.now();
  const result = await autocannon({
    url: `${baseUrl}/api/tasks`,
    method: 'POST',
    connections: options.connections,
    duration: options.seconds,
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Throughput task', tags: ['bench'] }),
  });
  const loadEnded = performance.now();
  let consumed = await counterTotal(metricsUrls, 'events_consumed_total');
  let lastChange = performance.now();
  // Caught up = no delivery for 3 s (bounded: at most 5 minutes of draining).
  while (performance.now() - lastChange < 3000 && performance.now() - loadEnded < 300_000) {
    await sleep(250);
    const now = await counterTotal(metricsUrls, 'events_consumed_total');
    if (now !== consumed) {
      consumed = now;
      lastChange = performance.now();
    }
  }
  const published = (await counterTotal(metricsUrls, 'events_published_total')) - publishedBefore;
  const deliveries = consumed - consumedBefore;
  const windowSeconds = (Math.max(lastChange, loadEnded) - started) / 1000;
  return {
    creates_acknowledged_per_second: Math.round(result['2xx'] / result.duration),
    events_published: published,
    deliveries,
    events_per_second_to_every_consumer: Math.round(published / windowSeconds),
    deliveries_per_second: Math.round(deliveries / windowSeconds),
    drain_seconds_after_load: Math.round((Math.max(lastChange, loadEnded) - loadEnded) / 100) / 10,
  };
}
