import type { Db } from '@todo/platform/db/connect';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';

const reminderEvents = (db: Db, taskId: string) =>
  db
    .selectFrom('outbox')
    .select(['event'])
    .where('topic', '=', 'reminders')
    .where('partition_key', '=', taskId)
    .execute()
    .then((rows) =>
      rows.map((row) => row.event as { payload: { offset: string; late: boolean; fire_at: string } }),
    );

const pendingJobs = (db: Db, taskId: string) =>
  db
    .selectFrom('scheduled_jobs')
    .select(['name', 'due_at'])
    .where('name', 'like', `reminder-${taskId}-%`)
    .where('fired_at', 'is', null)
    .execute();

describe.each(BACKENDS)('reminders on %s', (backend) => {
  let app: TestApp;
  let user: ApiClient;

  beforeAll(async () => {
    app = await startTestApp(backend);
    user = await new ApiClient(app.url).signup('America/New_York');
  });
  afterAll(() => app?.close());

  it('fires once when due, emitting reminder.due; firing the job again does nothing', async () => {
    const dueAt = new Date(Date.now() + 3_000);
    const { body: task } = await user.post('/api/tasks', {
      title: 'Take the cake out',
      due_at: dueAt.toISOString(),
      reminders: ['PT1S'],
    });
    const [job] = await pendingJobs(app.db, task.id);
    expect(job?.due_at.getTime()).toBe(
      Math.floor((dueAt.getTime() - 1000) / 1000) * 1000 + (dueAt.getTime() % 1000),
    );
    const [event] = await eventually(async () => {
      const events = await reminderEvents(app.db, task.id);
      expect(events).toHaveLength(1);
      return events;
    }, 10_000);
    expect(event?.payload).toMatchObject({ offset: 'PT1S', late: false });
    // Dapr's callback, as the sidecar would call it a second time.
    const again = await new ApiClient(app.url).post(`/job/${job?.name}`);
    expect(again.body).toEqual({ outcome: 'already_fired' });
    expect(await reminderEvents(app.db, task.id)).toHaveLength(1);
  });

  it('reschedules when the due date or offsets change, and cancels on complete and delete', async () => {
    const { body: task } = await user.post('/api/tasks', {
      title: 'Dentist',
      due_at: '2099-01-10T15:00:00Z',
      reminders: ['PT30M', 'P1D'],
    });
    expect((await pendingJobs(app.db, task.id)).map((job) => job.due_at.toISOString()).sort()).toEqual([
      '2099-01-09T15:00:00.000Z',
      '2099-01-10T14:30:00.000Z',
    ]);
    await user.patch(`/api/tasks/${task.id}`, { due_at: '2099-01-11T15:00:00Z', reminders: ['PT1H'] });
    expect((await pendingJobs(app.db, task.id)).map((job) => job.due_at.toISOString())).toEqual([
      '2099-01-11T14:00:00.000Z',
    ]);
    await user.post(`/api/tasks/${task.id}/complete`);
    expect(await pendingJobs(app.db, task.id)).toEqual([]);
    await user.post(`/api/tasks/${task.id}/reopen`);
    expect(await pendingJobs(app.db, task.id)).toHaveLength(1);
    await user.delete(`/api/tasks/${task.id}`);
    expect(await pendingJobs(app.db, task.id)).toEqual([]);
  });

  it('all-day reminders count back from 09:00 in the user zone', async () => {
    const { body: task } = await user.post('/api/tasks', {
      title: 'Bin day',
      due_at: '2099-07-14',
      all_day: true,
      reminders: ['PT0S', 'P1D'],
    });
    expect((await pendingJobs(app.db, task.id)).map((job) => job.due_at.toISOString()).sort()).toEqual([
      '2099-07-13T13:00:00.000Z', // 09:00 EDT the day before
      '2099-07-14T13:00:00.000Z',
    ]);
  });

  it('a reminder missed while down fires once on start-up, marked late; never again after another restart', async () => {
    const { body: task } = await user.post('/api/tasks', {
      title: 'Call the bank',
      due_at: new Date(Date.now() + 3_600_000).toISOString(),
      reminders: ['PT30M'],
    });
    // While the process is down, the reminder's time passes.
    await app.restart(async (db) => {
      await db
        .updateTable('scheduled_jobs')
        .set({ due_at: sql<Date>`now() - interval '5 minutes'` })
        .where('name', 'like', `reminder-${task.id}-%`)
        .execute();
    });
    const [event] = await eventually(async () => {
      const events = await reminderEvents(app.db, task.id);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(event?.payload.late).toBe(true);
    await app.restart();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await reminderEvents(app.db, task.id)).toHaveLength(1);
  });

  it('the job callback refuses malformed names', async () => {
    const response = await new ApiClient(app.url).post(`/job/${encodeURIComponent('../../etc')}`);
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe('name');
  });
});
