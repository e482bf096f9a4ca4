/**
 * The routes only the sidecar (or an operator inside the pod) may call — the job callbacks, the
 * DLQ admin API — take the app API token, whatever address a call comes from; the gateway never
 * forwards them from outside; and a job called before its time fires nothing and stays due.
 */
import { fireReminder } from '@todo/api/reminders/reminders';
import { UserDirectory } from '@todo/platform/identity/user-directory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInternalPath, startGateway } from '../../scripts/stack-gateway.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';

const INTERNAL_CALLS = [
  ['POST', '/job/reminder-x', {}],
  ['GET', '/internal/dlq', undefined],
  ['GET', '/internal/dlq/00000000-0000-4000-8000-000000000000', undefined],
  ['POST', '/internal/dlq/00000000-0000-4000-8000-000000000000/replay', {}],
] as const;

describe('internal routes', () => {
  let app: TestApp;
  let gateway: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    app = await startTestApp();
    gateway = await startGateway(0, { api: [app.url], ws: [app.url] });
  });
  afterAll(async () => {
    await gateway?.close();
    await app?.close();
  });

  it.each(INTERNAL_CALLS)(
    '%s %s: 401 without the app token, 403 with another',
    async (method, path, body) => {
      const anyone = new ApiClient(app.url);
      const without = await anyone.request(method, path, body);
      expect(without.status).toBe(401);
      expect(without.body.error.message).toMatch(/dapr-api-token/);
      const wrong = await anyone.request(method, path, body, { 'dapr-api-token': `${app.appToken}x` });
      expect(wrong.status).toBe(403);
      const empty = await anyone.request(method, path, body, { 'dapr-api-token': '' });
      expect(empty.status).toBe(401);
      const right = await app.internal().request(method, path, body);
      expect([401, 403]).not.toContain(right.status);
    },
  );

  it('a user’s bearer token is no app token', async () => {
    const user = await new ApiClient(app.url).signup();
    const response = await user.get('/internal/dlq');
    expect(response.status).toBe(401);
  });

  it.each([
    '/internal/dlq',
    '/job/reminder-x',
    '/dapr/subscribe',
    '/metrics',
    '/JOB/reminder-x',
    '/%6Aob/reminder-x',
    '//internal//dlq',
    '/api/../internal/dlq',
    '/api/%2e%2e/job/x',
    '/job',
    '/metrics?x=1',
    '/%E0%A4%A',
  ])('the gateway does not forward %s from outside', async (path) => {
    expect(isInternalPath(path)).toBe(true);
    const response = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { 'dapr-api-token': app.appToken, 'content-type': 'application/json' },
      body: '{"name":"reminder-x"}',
    });
    expect(response.status).toBe(404);
  });

  it.each(['/api/tasks', '/', '/jobs-board', '/api/internal-notes', '/metricsdashboard'])(
    'the gateway forwards %s',
    (path) => {
      expect(isInternalPath(path)).toBe(false);
    },
  );

  it('a job called before its time fires nothing, and fires when it is due', async () => {
    const user = await new ApiClient(app.url).signup();
    const dueAt = new Date(Date.now() + 4 * 24 * 3600 * 1000);
    const { body: task } = await user.post('/api/tasks', {
      title: 'Pay rent',
      due_at: dueAt.toISOString(),
      reminders: ['PT0S'],
    });
    const users = new UserDirectory(app.db);
    const job = await app.db
      .selectFrom('scheduled_jobs')
      .select(['name', 'due_at'])
      .where('name', 'like', `reminder-${task.id}-%`)
      .executeTakeFirstOrThrow();
    const reminders = () =>
      app.db
        .selectFrom('outbox')
        .select('event')
        .where('topic', '=', 'reminders')
        .where('partition_key', '=', task.id)
        .execute();

    const early = await app.internal().post(`/job/${job.name}`, {});
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('not_due');
    expect(await fireReminder(app.db, users, job.name, new Date(job.due_at.getTime() - 1))).toBe('not_due');
    expect(await reminders()).toHaveLength(0);
    const row = await app.db
      .selectFrom('scheduled_jobs')
      .select('fired_at')
      .where('name', '=', job.name)
      .executeTakeFirstOrThrow();
    expect(row.fired_at).toBeNull();

    // Its time comes: the real call fires it, once.
    expect(await fireReminder(app.db, users, job.name, job.due_at)).toBe('fired');
    expect(await fireReminder(app.db, users, job.name, new Date(job.due_at.getTime() + 1000))).toBe(
      'already_fired',
    );
    expect(await reminders()).toHaveLength(1);
  });
});
