import { newEnvelope, type ReminderEvent, type TaskEvent } from '@todo/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { publishViaOutbox } from '../support/outbox.js';

interface Entry {
  id: string;
  event_id: string;
  action: string;
  task_id: string;
  occurred_at: string;
  correlation_id: string;
  summary: string;
  details: Record<string, any>;
}

describe.each(BACKENDS)('audit service on %s', (backend) => {
  let app: TestApp;
  let ann: ApiClient;
  let taskId: string;
  /** Ann's task's entries, newest first, once all four task events are recorded. */
  let history: Entry[];

  const logs = async (client: ApiClient, query = '') => {
    const { status, body } = await client.get(`/api/audit/logs${query}`);
    expect(status, JSON.stringify(body)).toBe(200);
    return body as { items: Entry[]; next_cursor: string | null };
  };

  beforeAll(async () => {
    app = await startTestApp(backend);
    ann = await new ApiClient(app.url).signup('Europe/Berlin');
    const { body: task } = await ann.post('/api/tasks', { title: 'Pay rent', priority: 'high' });
    taskId = task.id;
    await ann.patch(`/api/tasks/${taskId}`, { title: 'Pay rent', due_at: '2099-12-01T09:00:00+01:00' });
    await ann.post(`/api/tasks/${taskId}/complete`);
    await ann.delete(`/api/tasks/${taskId}`);
    history = await eventually(async () => {
      const page = await logs(ann, `?task_id=${taskId}`);
      expect(page.items).toHaveLength(4);
      return page.items;
    });
  });
  afterAll(() => app?.close());

  it('records every task event, newest first, with a summary, the snapshot and the changed fields', () => {
    expect(history.map((entry) => entry.action)).toEqual([
      'task.deleted',
      'task.completed',
      'task.updated',
      'task.created',
    ]);
    expect(history.map((entry) => entry.summary)).toEqual([
      'deleted "Pay rent"',
      'completed "Pay rent"',
      'updated "Pay rent": due_at',
      'created "Pay rent"',
    ]);
    const [deleted, completed, updated, created] = history as [Entry, Entry, Entry, Entry];
    expect(created.details.task).toMatchObject({ id: taskId, title: 'Pay rent', priority: 'high' });
    expect(updated.details.changed_fields).toEqual(['due_at']);
    expect(completed.details.task.status).toBe('completed');
    expect(deleted.details.task.id).toBe(taskId);
    for (const entry of history) {
      expect(entry.task_id).toBe(taskId);
      expect(entry.correlation_id).toEqual(expect.any(String));
      expect(entry.event_id).toEqual(expect.any(String));
    }
    // Different requests, different correlation ids.
    expect(new Set(history.map((entry) => entry.correlation_id)).size).toBe(4);
  });

  it('filters by action, task and time range, and pages without gaps or overlaps', async () => {
    const other = (await ann.post('/api/tasks', { title: 'Buy milk' })).body;
    await eventually(async () => expect((await logs(ann, `?task_id=${other.id}`)).items).toHaveLength(1));

    expect((await logs(ann, '?action=task.completed')).items).toEqual([history[1]]);
    expect((await logs(ann, `?action=task.created&task_id=${other.id}`)).items).toMatchObject([
      { action: 'task.created', summary: 'created "Buy milk"' },
    ]);

    const everything = (await logs(ann)).items;
    expect(everything).toHaveLength(5);
    const from = (history[2] as Entry).occurred_at;
    const to = (history[0] as Entry).occurred_at;
    const inRange = everything.filter((entry) => entry.occurred_at >= from && entry.occurred_at < to);
    expect(inRange.length).toBeGreaterThan(0);
    expect((await logs(ann, `?from=${from}&to=${to}`)).items).toEqual(inRange);

    const pages: Entry[][] = [];
    let cursor: string | null = null;
    do {
      const page = await logs(ann, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(page.items);
      cursor = page.next_cursor;
    } while (cursor);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(everything);
  });

  it('records fired reminders and the notifications they made, but not task.sync', async () => {
    const me = (await ann.get('/api/me')).body;
    const { body: task } = await ann.post('/api/tasks', { title: 'Call the bank' });
    const reminder: ReminderEvent = {
      ...newEnvelope({ eventType: 'reminder.due', userId: me.id, taskId: task.id, correlationId: 'job-1' }),
      payload: {
        job_id: `reminder-${task.id}-1-pt30m`,
        task_title: 'Call the bank',
        due_at: '2099-12-01T09:00:00.000Z',
        all_day: false,
        offset: 'PT30M',
        fire_at: '2099-12-01T08:30:00.000Z',
        late: true,
      },
    };
    await publishViaOutbox(app.db, 'reminders', reminder);
    const entries = await eventually(async () => {
      const page = await logs(ann, `?task_id=${task.id}`);
      expect(page.items).toHaveLength(3);
      return page.items;
    });
    const byAction = Object.fromEntries(entries.map((entry) => [entry.action, entry]));
    expect(Object.keys(byAction).sort()).toEqual(['notification.created', 'reminder.due', 'task.created']);
    expect(byAction['reminder.due']).toMatchObject({
      event_id: reminder.event_id,
      correlation_id: 'job-1',
      summary: 'reminder due for "Call the bank" (PT30M before due, late)',
      details: reminder.payload,
    });
    expect(byAction['notification.created']).toMatchObject({
      correlation_id: 'job-1',
      summary: 'notified "Call the bank"',
      details: { notification: { task_id: task.id, title: 'Call the bank', late: true } },
    });
  });

  it('records a redelivered event once', async () => {
    const row = await app.db
      .selectFrom('outbox')
      .select('event')
      .where('topic', '=', 'task-events')
      .where('partition_key', '=', taskId)
      .where(sql<string>`event->>'event_type'`, '=', 'task.completed')
      .executeTakeFirstOrThrow();
    const event = (typeof row.event === 'string' ? JSON.parse(row.event) : row.event) as TaskEvent;
    await publishViaOutbox(app.db, 'task-events', event);
    expect((await logs(ann, `?task_id=${taskId}`)).items).toEqual(history);
  });

  it('shows a user only their own entries', async () => {
    const eve = await new ApiClient(app.url).signup('UTC');
    expect(await logs(eve)).toEqual({ items: [], next_cursor: null });
    expect(await logs(eve, `?task_id=${taskId}`)).toEqual({ items: [], next_cursor: null });
    expect((await new ApiClient(app.url).get('/api/audit/logs')).status).toBe(401);
  });

  it('answers 400 naming the field for a bad filter', async () => {
    for (const [query, field] of [
      ['action=task.exploded', 'action'],
      ['task_id=42', 'task_id'],
      ['from=yesterday', 'from'],
      ['to=2026-13-01T00:00:00Z', 'to'],
      ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['cursor=bm90IGEgY3Vyc29y', 'cursor'],
      ['user_id=someone', 'user_id'],
    ]) {
      const { status, body } = await ann.get(`/api/audit/logs?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.field, query).toBe(field);
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows in the database', async () => {
    // Raw SQL on purpose: the point is that nobody can, whatever their code says.
    const attempts = [
      sql`update audit_log set summary = 'rewritten' where task_id = ${taskId}`,
      sql`delete from audit_log where task_id = ${taskId}`,
      sql`truncate audit_log`,
    ];
    for (const statement of attempts) {
      await expect(statement.execute(app.db)).rejects.toThrow(/audit_log is append-only/);
    }
    expect((await logs(ann, `?task_id=${taskId}`)).items).toEqual(history);
  });
});
