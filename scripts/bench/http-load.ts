import autocannon from 'autocannon';
import type { ApiClient } from '../../tests/support/client.js';
import { percentiles } from './stats.js';

export interface LoadOptions {
  seconds: number;
  connections: number;
}

export interface LoadRow {
  phase: string;
  requests_per_second: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
  responses: number;
  non_2xx: number;
  errors: number;
}

interface Phase {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** A fixed path, or one per request (each task id once). */
  path: string | (() => string);
  body?: string;
  /** Stop after this many requests even if time is left (there are only so many tasks to complete). */
  amount?: number;
  onBody?: (body: string) => void;
}

/** Seed data for the list phases: 200 tasks with tags, priorities, due dates and searchable titles. */
export async function seedTasks(user: ApiClient): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { status } = await user.post('/api/tasks', {
      title: `Seed task ${i} ${i % 3 === 0 ? 'report' : 'errand'}`,
      tags: [i % 2 ? 'work' : 'home'],
      priority: ['low', 'medium', 'high', 'urgent'][i % 4],
      due_at: new Date(Date.now() + i * 3_600_000).toISOString(),
    });
    if (status !== 201) throw new Error(`seeding failed: ${status}`);
  }
}

/**
 * Closed-loop HTTP load (autocannon, `connections` requests in flight) for each user operation:
 * create, list 50 with filter + search, list 50 sorted, update and complete of the tasks the
 * create phase made. Every response's latency is kept, so the percentiles are exact.
 */
export async function runHttpLoad(
  baseUrl: string,
  user: ApiClient,
  options: LoadOptions,
): Promise<LoadRow[]> {
  const created: string[] = [];
  const nextOf = (ids: string[]) => {
    let i = 0;
    return () => ids[i++ % ids.length] as string;
  };
  const phases: (() => Phase)[] = [
    () => ({
      name: 'create',
      method: 'POST',
      path: '/api/tasks',
      body: JSON.stringify({
        title: 'Benchmark task',
        priority: 'high',
        tags: ['bench'],
        due_at: '2099-01-01T09:00:00Z',
        reminders: ['PT30M'],
      }),
      onBody: (body) => created.push(JSON.parse(body).id),
    }),
    () => ({
      name: 'list 50 (tag filter + search)',
      method: 'GET',
      path: '/api/tasks?limit=50&tag=work&q=report&sort=due',
    }),
    () => ({
      name: 'list 50 (sorted by priority)',
      method: 'GET',
      path: '/api/tasks?limit=50&sort=priority',
    }),
    () => {
      const next = nextOf(created);
      return {
        name: 'update',
        method: 'PATCH',
        path: () => `/api/tasks/${next()}`,
        body: JSON.stringify({ priority: 'low', description: 'moved by the benchmark' }),
      };
    },
    () => {
      const next = nextOf(created);
      return {
        name: 'complete',
        method: 'POST',
        path: () => `/api/tasks/${next()}/complete`,
        body: '{}',
        amount: created.length,
      };
    },
  ];

  const rows: LoadRow[] = [];
  for (const makePhase of phases) {
    const phase = makePhase();
    const latencies: number[] = [];
    const path = phase.path;
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: baseUrl,
          connections: options.connections,
          duration: options.seconds,
          ...(phase.amount ? { amount: phase.amount } : {}),
          headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
          requests: [
            {
              method: phase.method,
              path: typeof path === 'string' ? path : '/',
              ...(phase.body ? { body: phase.body } : {}),
              ...(typeof path === 'function'
                ? { setupRequest: (request) => ({ ...request, path: path() }) }
                : {}),
              ...(phase.onBody
                ? {
                    onResponse: (status: number, body: string) => {
                      if (status < 300) phase.onBody?.(body);
                    },
                  }
                : {}),
            },
          ],
        },
        (error, done) => (error ? reject(error) : resolve(done)),
      );
      instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
    });
    const stats = percentiles(latencies);
    rows.push({
      phase: phase.name,
      requests_per_second: Math.round(latencies.length / (result.duration || options.seconds)),
      p50_ms: stats.p50,
      p95_ms: stats.p95,
      p99_ms: stats.p99,
      max_ms: stats.max,
      responses: latencies.length,
      non_2xx: result.non2xx,
      errors: result.errors,
    });
  }
  return rows;
}
