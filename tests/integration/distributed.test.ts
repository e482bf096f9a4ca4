import { assertValidEvent } from '@todo/contracts';
import { type Db, openDatabase } from '@todo/platform/db/connect';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { SyncClient } from '../support/sync-client.js';
import { consumeAll } from './kcat.js';

const stack = inject('stack');

/**
 * The event-driven scenarios through the real sidecars and the real broker: every service in its
 * own process, events from the outbox to Kafka via daprd and back through Dapr subscriptions.
 */
describe('distributed mode (Dapr + Kafka + PostgreSQL)', () => {
  let user: ApiClient;
  let db: Db;

  beforeAll(async () => {
    user = await new ApiClient(stack.gatewayUrl).signup('Europe/Berlin');
    db = openDatabase({ url: stack.databaseUrl });
  });
  afterAll(() => db?.destroy());

  const series = async (seriesId: string) => {
    const { body } = await user.get('/api/tasks?limit=200&sort=created');
    return body.items.filter((task: { series_id: string | null }) => task.series_id === seriesId);
  };

  it('refuses forged calls of the sidecar-to-app routes and of the sidecar API: no token 401, wrong 403', async () => {
    // Each sidecar lists the routes it delivers to (its metadata API, with the API token).
    const subscriptionRoutes = await Promise.all(
      stack.instances.map(async (service) => {
        const metadata = await fetch(`http://127.0.0.1:${service.daprHttpPort}/v1.0/metadata`, {
          headers: { 'dapr-api-token': stack.daprApiToken },
        });
        const { subscriptions = [] } = (await metadata.json()) as {
          subscriptions?: { rules?: { path: string }[] }[];
        };
        return subscriptions.flatMap((s) => s.rules ?? []).map((rule) => `${service.url}${rule.path}`);
      }),
    );
    expect(subscriptionRoutes.flat().length).toBeGreaterThanOrEqual(stack.instances.length);
    const forged = [
      ...stack.instances.map((service) => ['GET', `${service.url}/dapr/subscribe`] as const),
      ...subscriptionRoutes.flat().map((url) => ['POST', url] as const),
      ['POST', `${stack.apiUrl}/job/reminder-00000000-0000-4000-8000-000000000000-4102444800-pt0s`],
      ['POST', `${stack.apiUrl}/internal/task-writer/create-occurrence`],
      ['GET', `${stack.apiUrl}/internal/dlq`],
    ] as const;
    for (const [method, url] of forged) {
      for (const [token, status] of [
        [undefined, 401],
        ['not-the-token-of-this-app', 403],
        [stack.daprApiToken, 403],
      ] as const) {
        const response = await fetch(url, {
          method,
          headers: { 'content-type': 'application/json', ...(token ? { 'dapr-api-token': token } : {}) },
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        expect(response.status, `${method} ${url} with ${token ?? 'no token'}`).toBe(status);
      }
    }
    // The sidecar's own API: a process on the host without DAPR_API_TOKEN cannot publish or invoke.
    const publish = await fetch(`${stack.apiSidecarUrl}/v1.0/publish/kafka-pubsub/task-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(publish.status).toBe(401);
    // And the gateway does not route the internal paths at all.
    for (const path of ['/internal/dlq', '/job/x', '/dapr/subscribe', '/metrics']) {
      expect((await fetch(`${stack.gatewayUrl}${path}`, { method: 'POST' })).status, path).toBe(404);
    }
  });

  it('completing a recurring task creates the next occurrence exactly once, through Kafka', async () => {
    const { body: first } = await user.post('/api/tasks', {
      title: 'Stretch',
      due_at: '2099-10-24T09:00:00+02:00',
      recurrence: 'FREQ=DAILY',
    });
    const started = Date.now();
    expect((await user.post(`/api/tasks/${first.id}/complete`)).status).toBe(200);
    const [, next] = await eventually(async () => {
      const tasks = await series(first.id);
      expect(tasks).toHaveLength(2);
      return tasks.sort(
        (a: { occurrence: number }, b: { occurrence: number }) => a.occurrence - b.occurrence,
      );
    }, 30_000);
    console.log(`complete → next occurrence through Dapr + Kafka: ${Date.now() - started} ms`);
    expect(next).toMatchObject({ occurrence: 2, series_id: first.id, due_at: '2099-10-25T08:00:00.000Z' });

    // The audit service consumed the same completion from the same topic (another group); by then
    // the recurring-task consumer has long settled, and there is still one next occurrence.
    await eventually(async () => {
      const { body } = await user.get(`/api/audit/logs?task_id=${first.id}`);
      expect(JSON.stringify(body)).toContain('task.completed');
    }, 30_000);
    expect(await series(first.id)).toHaveLength(2);
  });

  it('a reminder is a Dapr job: it fires once and lands in /api/notifications', async () => {
    const dueAt = new Date(Date.now() + 4000);
    const { body: task } = await user.post('/api/tasks', {
      title: 'Call the plumber',
      due_at: dueAt.toISOString(),
      reminders: ['PT1S'],
    });
    const job = await db
      .selectFrom('scheduled_jobs')
      .select(['name'])
      .where('name', 'like', `%${task.id}%`)
      .executeTakeFirstOrThrow();
    // The api's sidecar holds the job in the scheduler until it comes due.
    const scheduled = await fetch(`${stack.apiSidecarUrl}/v1.0-alpha1/jobs/${job.name}`, {
      headers: { 'dapr-api-token': stack.daprApiToken },
    });
    expect(scheduled.status).toBe(200);

    const [notification] = await eventually(async () => {
      const { body } = await user.get('/api/notifications');
      expect(body.items).toHaveLength(1);
      return body.items;
    }, 30_000);
    expect(notification).toMatchObject({ task_id: task.id });

    // Fired once: the row is marked, and a second callback (as a redelivered job would be) is a no-op.
    const fired = await db
      .selectFrom('scheduled_jobs')
      .select('fired_at')
      .where('name', '=', job.name)
      .executeTakeFirstOrThrow();
    expect(fired.fired_at).not.toBeNull();
    // Through the api's sidecar, which adds its app API token as it does to a job callback.
    const again = await fetch(`${stack.apiSidecarUrl}/v1.0/invoke/api-service/method/job/${job.name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'dapr-api-token': stack.daprApiToken },
      body: '{}',
    });
    expect(await again.json()).toEqual({ outcome: 'already_fired' });
    const { body } = await user.get('/api/notifications');
    expect(body.items).toHaveLength(1);
  });

  it('a write reaches an open WebSocket through task-updates and the websocket-sync sidecar', async () => {
    const client = await SyncClient.open(stack.gatewayUrl, user.token as string);
    try {
      const started = Date.now();
      const { body: task } = await user.post('/api/tasks', { title: 'Pushed live' });
      const frame = await eventually(() => {
        const found = client.of('task.sync').find((candidate) => candidate.task_id === task.id);
        expect(found).toBeDefined();
        return found;
      }, 30_000);
      console.log(`write → WebSocket frame through Dapr + Kafka: ${Date.now() - started} ms`);
      expect(frame.task).toMatchObject({ id: task.id, title: 'Pushed live' });
    } finally {
      client.socket.close();
    }
  });

  it('an independent Kafka consumer (kcat) reads task-events: every message matches its schema, keyed by task_id', async () => {
    const { body: task } = await user.post('/api/tasks', { title: 'Read by kcat', tags: ['kafka'] });
    await user.patch(`/api/tasks/${task.id}`, { priority: 'high' });
    await user.post(`/api/tasks/${task.id}/complete`);

    const mine = await eventually(async () => {
      const messages = await consumeAll('task-events');
      const found = messages.filter((message) => message.key === task.id);
      expect(found.map((message) => (message.value as { event_type: string }).event_type)).toEqual([
        'task.created',
        'task.updated',
        'task.completed',
      ]);
      return messages;
    }, 30_000);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    for (const message of mine) {
      assertValidEvent('task-events', message.value);
      expect(message.key).toBe((message.value as { payload: { task: { id: string } } }).payload.task.id);
    }
  });
});
