import { newEnvelope, type TaskEvent, type TaskSnapshot } from '@todo/contracts';
import { DeadLetterSink } from '@todo/platform/consumers/dead-letters';
import { SqlIdempotencyStore } from '@todo/platform/consumers/sql-idempotency';
import { processIdentity } from '@todo/platform/identity/token-authenticator';
import { createLogger } from '@todo/platform/telemetry/logger';
import { createRecurringTaskService } from '@todo/recurring-task';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlJobScheduler } from '../../platform/src/jobs/sql-scheduler.js';
import { inProcessTaskWriter } from '../../runtime/src/task-writer.js';
import { createApiService } from '../../services/api/src/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { publishViaOutbox } from '../support/outbox.js';

describe('recurring tasks', () => {
  let app: TestApp;
  let user: ApiClient;

  beforeAll(async () => {
    app = await startTestApp();
    user = await new ApiClient(app.url).signup('Europe/Berlin');
  });
  afterAll(() => app?.close());

  const series = async (seriesId: string) => {
    const { body } = await user.get('/api/tasks?limit=200&sort=created');
    return body.items
      .filter((task: { series_id: string | null }) => task.series_id === seriesId)
      .sort((a: { occurrence: number }, b: { occurrence: number }) => a.occurrence - b.occurrence);
  };

  const completedEventOf = async (taskId: string): Promise<TaskEvent> => {
    const row = await app.db
      .selectFrom('outbox')
      .select('event')
      .where('topic', '=', 'task-events')
      .where('partition_key', '=', taskId)
      .where(sql<string>`event->>'event_type'`, '=', 'task.completed')
      .executeTakeFirstOrThrow();
    return row.event as TaskEvent;
  };

  it('completing an occurrence creates exactly the next one, at the same local time', async () => {
    // Daily at 09:00 Berlin, across the end of summer time (Oct 25, 2026): stays 09:00 local.
    const { body: first } = await user.post('/api/tasks', {
      title: 'Stretch',
      due_at: '2099-10-24T09:00:00+02:00',
      recurrence: 'FREQ=DAILY',
      reminders: ['PT10M'],
      tags: ['health'],
    });
    await user.post(`/api/tasks/${first.id}/complete`);
    const [, next] = await eventually(async () => {
      const tasks = await series(first.id);
      expect(tasks).toHaveLength(2);
      return tasks;
    });
    expect(next).toMatchObject({
      title: 'Stretch',
      status: 'open',
      occurrence: 2,
      series_id: first.id,
      due_at: '2099-10-25T08:00:00.000Z', // 09:00 CET, no longer CEST
      reminders: ['PT10M'],
      tags: ['health'],
      recurrence: 'FREQ=DAILY',
    });
  });

  it('a redelivered completion, and the same completion under a new event id, make no second occurrence', async () => {
    const { body: task } = await user.post('/api/tasks', {
      title: 'Water plants',
      due_at: '2099-03-01T18:00:00Z',
      recurrence: 'FREQ=WEEKLY',
    });
    await user.post(`/api/tasks/${task.id}/complete`);
    await eventually(async () => expect(await series(task.id)).toHaveLength(2));
    const completed = await completedEventOf(task.id);
    await publishViaOutbox(app.db, 'task-events', completed);
    await publishViaOutbox(app.db, 'task-events', { ...completed, event_id: crypto.randomUUID() });
    expect(await series(task.id)).toHaveLength(2);
  });

  it('two replicas racing on the same completion create one occurrence', async () => {
    const { body: task } = await user.post('/api/tasks', {
      title: 'Pay rent',
      due_at: '2099-01-31T09:00:00Z',
      recurrence: 'FREQ=MONTHLY',
    });
    // A completion only these two replicas receive (the app's own consumer never sees it), so the
    // one next occurrence can only come from their race, not from an earlier delivery. The task is
    // completed in the database as the write path would (consumers read it back from there).
    const completedAt = new Date().toISOString();
    await app.db
      .updateTable('tasks')
      .set({ status: 'completed', completed_at: new Date(completedAt), version: 2 })
      .where('id', '=', task.id)
      .execute();
    const completed: TaskEvent = {
      ...newEnvelope({
        eventType: 'task.completed',
        userId: task.user_id,
        taskId: task.id,
        correlationId: 'race',
      }),
      payload: { task: { ...task, status: 'completed', completed_at: completedAt, version: 2 } },
    };
    const logger = createLogger('silent');
    const replica = () => {
      const identity = processIdentity(app.db, {
        jwtSecret: 'x'.repeat(32),
        jwtTtl: '1h',
        cacheUsers: false,
      });
      const api = createApiService({
        db: app.db,
        sessions: identity.sessions,
        users: identity.users,
        loginLimits: { perClientPerMinute: 10, perAccountPerHour: 100 },
        mcpRateLimitPerMinute: 120,
        appToken: 'x'.repeat(32),
        chatRateLimitPerMinute: 30,
        jobs: new SqlJobScheduler(app.db, logger),
      });
      const runtime = {
        idempotency: new SqlIdempotencyStore(app.db),
        deadLetters: new DeadLetterSink(app.db),
        logger,
      };
      const service = createRecurringTaskService({
        writer: inProcessTaskWriter(api),
        consumerRuntime: runtime,
      });
      return service.subscriptions?.[0];
    };
    const [a, b] = [replica(), replica()];
    const outcomes = await Promise.all([
      a?.handle({ ...completed, event_id: crypto.randomUUID() }),
      b?.handle({ ...completed, event_id: crypto.randomUUID() }),
    ]);
    expect(outcomes).toEqual(['success', 'success']);
    const tasks = await series(task.id);
    expect(tasks.map((t: { occurrence: number }) => t.occurrence)).toEqual([1, 2]);
    // Monthly from Jan 31 lands on the last day of February, not in March.
    expect(tasks[1].due_at).toBe('2099-02-28T09:00:00.000Z');
  });

  it('takes the completion and what the next occurrence copies from the database, not from the event', async () => {
    const { body: task } = await user.post('/api/tasks', {
      title: 'Stored title',
      due_at: '2099-04-06T07:00:00Z',
      recurrence: 'FREQ=WEEKLY',
    });
    const mallory = (await new ApiClient(app.url).signup().then((client) => client.get('/api/me'))).body;
    const claimed = (overrides: Partial<TaskEvent>, task: TaskSnapshot): TaskEvent => ({
      ...newEnvelope({
        eventType: 'task.completed',
        userId: task.user_id,
        taskId: task.id,
        correlationId: 'forged',
      }),
      ...overrides,
      payload: { task },
    });
    const completion: TaskSnapshot = {
      ...task,
      title: 'Title from the event',
      recurrence: 'FREQ=DAILY',
      status: 'completed',
      completed_at: new Date().toISOString(),
      version: 2,
    };
    // The task is still open in the database: no completion happened, whatever the event says.
    await publishViaOutbox(app.db, 'task-events', claimed({}, completion));
    // Nor does naming another user make it that user's.
    await publishViaOutbox(
      app.db,
      'task-events',
      claimed({ user_id: mallory.id }, { ...completion, user_id: mallory.id }),
    );
    expect(await series(task.id)).toHaveLength(1);

    // Completed for real: the next occurrence follows the stored task (weekly, its own title).
    await user.post(`/api/tasks/${task.id}/complete`);
    const [, next] = await eventually(async () => {
      const tasks = await series(task.id);
      expect(tasks).toHaveLength(2);
      return tasks;
    });
    expect(next).toMatchObject({
      title: 'Stored title',
      recurrence: 'FREQ=WEEKLY',
      due_at: '2099-04-13T07:00:00.000Z',
    });
  });

  it('undoing a completion removes the occurrence it created', async () => {
    const { body: task } = await user.post('/api/tasks', {
      title: 'Standup notes',
      due_at: '2099-05-04T08:00:00Z',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH',
    });
    await user.post(`/api/tasks/${task.id}/complete`);
    await eventually(async () => expect(await series(task.id)).toHaveLength(2));
    await user.post(`/api/tasks/${task.id}/reopen`);
    await eventually(async () => expect(await series(task.id)).toHaveLength(1));
    expect((await user.get(`/api/tasks/${task.id}`)).body.status).toBe('open');
  });

  it('a series with COUNT ends, and skipping moves an occurrence to the next date', async () => {
    const { body: task } = await user.post('/api/tasks', {
      title: 'Course session',
      due_at: '2099-06-01T17:00:00Z',
      recurrence: 'FREQ=DAILY;COUNT=2',
    });
    const skipped = await user.post(`/api/tasks/${task.id}/skip`);
    expect(skipped.body).toMatchObject({ occurrence: 2, due_at: '2099-06-02T17:00:00.000Z' });
    const last = await user.post(`/api/tasks/${task.id}/skip`);
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('series_ended');
    await user.post(`/api/tasks/${task.id}/complete`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await series(task.id)).toHaveLength(1);
  });
});
