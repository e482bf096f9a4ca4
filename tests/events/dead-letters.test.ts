import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { newEnvelope, type TaskEvent } from '@todo/contracts';
import { DeadLetterSink } from '@todo/platform/consumers/dead-letters';
import { createConsumer } from '@todo/platform/consumers/runtime';
import { DependencyUnavailable } from '@todo/platform/dependency-unavailable';
import { createLogger } from '@todo/platform/telemetry/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';

const run = promisify(execFile);

describe('dead-letter queue (embedded)', () => {
  let app: TestApp;
  let broken = true;
  const handled: string[] = [];
  let attempts = 0;

  beforeAll(async () => {
    app = await startTestApp(
      { LOG_LEVEL: 'fatal' },
      {
        retry: { attempts: 5, baseDelayMs: 5 },
        // A consumer the test can break and mend, running on the real bus with the real runtime.
        extraServices: (runtime) => [
          {
            name: 'flaky-service',
            subscriptions: [
              createConsumer(
                {
                  service: 'flaky-service',
                  topic: 'task-events',
                  handle: async (event: TaskEvent) => {
                    if (event.payload.task.title !== 'poison') return;
                    attempts++;
                    if (broken) throw new Error('flaky-service cannot handle poison');
                    handled.push(event.event_id);
                  },
                },
                runtime,
              ),
            ],
          },
        ],
      },
    );
  });
  afterAll(() => app?.close());

  const metric = async (name: string) => {
    const { body } = await new ApiClient(app.metricsUrl).get('');
    return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(body)?.[1] ?? 0);
  };

  const dlq = (...args: string[]) =>
    run('npx', ['tsx', 'runtime/src/dlq.ts', ...args], {
      env: { ...process.env, DLQ_API_URL: app.url, APP_API_TOKEN: app.appToken },
    }).then(({ stdout }) => stdout);

  it('after 5 failed attempts the event goes to the DLQ, is counted, and the partition moves on', {
    timeout: 90_000,
  }, async () => {
    const user = await new ApiClient(app.url).signup();
    const { body: poison } = await user.post('/api/tasks', { title: 'poison' });
    const { body: after } = await user.post('/api/tasks', { title: 'after the poison' });

    const [letter] = await eventually(async () => {
      const { items } = (await app.internal().get('/internal/dlq')).body;
      expect(items).toHaveLength(1);
      return items;
    });
    expect(attempts).toBe(5);
    expect(letter).toMatchObject({ topic: 'task-events', consumer: 'flaky-service' });
    expect(await metric('dlq_events_total\\{topic="task-events"\\}')).toBe(1);

    const envelope = (await app.internal().get(`/internal/dlq/${letter.dlq_id}`)).body;
    expect(envelope.original_event.task_id).toBe(poison.id);
    expect(envelope.error_context).toMatchObject({
      error_message: 'flaky-service cannot handle poison',
      retry_count: 5,
      consumer_service: 'flaky-service',
    });
    expect(envelope.error_context.stack_trace).toContain('Error: flaky-service cannot handle poison');
    // The envelope also went to the dlq-events topic, and the next event was not held up.
    const dlqRows = await app.db
      .selectFrom('outbox')
      .select('event')
      .where('topic', '=', 'dlq-events')
      .execute();
    expect(dlqRows.map((row) => (row.event as { dlq_id: string }).dlq_id)).toEqual([letter.dlq_id]);
    await eventually(async () => {
      const published = await app.db
        .selectFrom('outbox')
        .select('published_at')
        .where('partition_key', '=', after.id)
        .execute();
      expect(published.every((row) => row.published_at !== null)).toBe(true);
    });

    // The `dlq` command lists and shows it; after the fix, replay delivers it to the mended consumer once.
    expect(await dlq('list')).toContain(letter.dlq_id);
    expect(JSON.parse(await dlq('show', letter.dlq_id)).original_event_id).toBe(envelope.original_event_id);
    broken = false;
    await dlq('replay', letter.dlq_id);
    await eventually(() => expect(handled).toEqual([envelope.original_event_id]));
    expect(await dlq('list')).toContain('replayed');
  });

  it('malformed events — not JSON, wrong schema version, unknown type — go straight to the DLQ', async () => {
    const before = (await app.internal().get('/internal/dlq')).body.items.length;
    const subscription = createConsumer(
      { service: 'strict-service', topic: 'task-events', handle: async () => undefined },
      {
        idempotency: {
          claim: async () => 'acquired',
          complete: async () => undefined,
          release: async () => undefined,
        },
        deadLetters: new DeadLetterSink(app.db),
        logger: createLogger('silent'),
      },
    );
    const valid = {
      ...newEnvelope({
        eventType: 'task.deleted',
        userId: crypto.randomUUID(),
        taskId: crypto.randomUUID(),
        correlationId: 'c',
      }),
      payload: {},
    };
    const outcomes = await Promise.all([
      subscription.handle('{not json'),
      subscription.handle({ ...valid, schema_version: '2.0' }),
      subscription.handle({ ...valid, event_type: 'task.exploded' }),
    ]);
    expect(outcomes).toEqual(['success', 'success', 'success']);
    const { items } = (await app.internal().get('/internal/dlq')).body;
    expect(items).toHaveLength(before + 3);
    // The three were dead-lettered concurrently: newest first, in no particular order among them.
    const newest = await Promise.all(
      items
        .slice(0, 3)
        .map(
          async (item: { dlq_id: string }) => (await app.internal().get(`/internal/dlq/${item.dlq_id}`)).body,
        ),
    );
    const notJson = newest.filter((item) => item.original_event === '{not json');
    expect(notJson).toHaveLength(1);
    const replay = await app.internal().post(`/internal/dlq/${notJson[0].dlq_id}/replay`);
    expect(replay.status).toBe(409);
  });

  it('an event that failed only because a service it needs is down is handed back, not dead-lettered', async () => {
    const before = (await app.internal().get('/internal/dlq')).body.items.length;
    const released: string[] = [];
    let apiDown = true;
    const subscription = createConsumer(
      {
        service: 'dependent-service',
        topic: 'task-events',
        handle: async () => {
          if (apiDown) throw new DependencyUnavailable('api-service: connection refused');
        },
      },
      {
        idempotency: {
          claim: async () => 'acquired',
          complete: async () => undefined,
          release: async (key) => void released.push(key),
        },
        deadLetters: new DeadLetterSink(app.db),
        logger: createLogger('silent'),
        retry: { attempts: 3, baseDelayMs: 1 },
      },
    );
    const user = await new ApiClient(app.url).signup();
    const { body: task } = await user.post('/api/tasks', { title: 'needs the api' });
    const { event } = await app.db
      .selectFrom('outbox')
      .select('event')
      .where('partition_key', '=', task.id)
      .where('topic', '=', 'task-events')
      .executeTakeFirstOrThrow();
    expect(await subscription.handle(event)).toBe('retry');
    // The claim is released so that the redelivery is processed, and nothing went to the DLQ.
    expect(released).toEqual([`dependent-service:${(event as TaskEvent).event_id}`]);
    expect((await app.internal().get('/internal/dlq')).body.items).toHaveLength(before);
    apiDown = false;
    expect(await subscription.handle(event)).toBe('success');
  });
});
