/**
 * Subtasks, issue 17: one level deep, a parent's progress, completing and deleting a parent with
 * its subtasks in one write, and a recurring parent's next occurrence with fresh copies of them.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';

describe('subtasks', () => {
  let app: TestApp;
  let ann: ApiClient;
  let bob: ApiClient;

  beforeAll(async () => {
    app = await startTestApp();
    const anon = new ApiClient(app.url);
    ann = await anon.signup('Europe/Berlin');
    bob = await anon.signup('Europe/Berlin');
  });
  afterAll(() => app?.close());

  const create = async (client: ApiClient, body: Record<string, unknown>) => {
    const response = await client.post('/api/tasks', body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };
  const parentWith = async (count: number, extra: Record<string, unknown> = {}) => {
    const parent = await create(ann, { title: `Parent ${crypto.randomUUID().slice(0, 6)}`, ...extra });
    const subtasks = [];
    for (let i = 1; i <= count; i++)
      subtasks.push(await create(ann, { title: `Step ${i}`, parent_id: parent.id }));
    return { parent, subtasks };
  };
  const eventsOf = (taskId: string) =>
    app.db
      .selectFrom('outbox')
      .select(sql<string>`event->>'event_type'`.as('type'))
      .where('topic', '=', 'task-events')
      .where('partition_key', '=', taskId)
      .orderBy('id')
      .execute();

  it('lists a parent’s subtasks and shows its progress', async () => {
    const { parent, subtasks } = await parentWith(3);
    expect(subtasks[0].parent_id).toBe(parent.id);
    const listed = await ann.getAll(`/api/tasks?parent=${parent.id}&sort=created`);
    expect(listed.map((task: { title: string }) => task.title)).toEqual(['Step 1', 'Step 2', 'Step 3']);

    await ann.post(`/api/tasks/${subtasks[0].id}/complete`);
    await ann.post(`/api/tasks/${subtasks[1].id}/complete`);
    expect((await ann.get(`/api/tasks/${parent.id}`)).body.subtasks).toEqual({ total: 3, completed: 2 });
    const topLevel = await ann.getAll('/api/tasks?parent=none');
    expect(topLevel.find((task: { id: string }) => task.id === parent.id)?.subtasks).toEqual({
      total: 3,
      completed: 2,
    });
    expect(topLevel.some((task: { parent_id: string | null }) => task.parent_id !== null)).toBe(false);
    // A task without subtasks has no progress to show.
    expect((await ann.get(`/api/tasks/${subtasks[2].id}`)).body.subtasks).toBeUndefined();
  });

  it('completing the last subtask leaves the parent open', async () => {
    const { parent, subtasks } = await parentWith(1);
    expect((await ann.post(`/api/tasks/${subtasks[0].id}/complete`)).status).toBe(200);
    expect((await ann.get(`/api/tasks/${parent.id}`)).body).toMatchObject({
      status: 'open',
      subtasks: { total: 1, completed: 1 },
    });
  });

  it('completing a parent with open subtasks needs a choice, then completes them in one write', async () => {
    const { parent, subtasks } = await parentWith(3);
    await ann.post(`/api/tasks/${subtasks[0].id}/complete`);
    const refused = await ann.post(`/api/tasks/${parent.id}/complete`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'open_subtasks', field: 'subtasks', open_subtasks: 2 });
    expect((await ann.get(`/api/tasks/${parent.id}`)).body.status).toBe('open');
    expect((await ann.post(`/api/tasks/${parent.id}/complete?subtasks=all`)).status).toBe(400);

    const done = await ann.post(`/api/tasks/${parent.id}/complete?subtasks=complete`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', subtasks: { total: 3, completed: 3 } });
    // One transaction: the parent and the two open subtasks were completed at the same instant.
    const rows = await app.db
      .selectFrom('tasks')
      .select(['id', 'completed_at'])
      .where('id', 'in', [parent.id, subtasks[1].id, subtasks[2].id])
      .execute();
    expect(new Set(rows.map((row) => row.completed_at?.toISOString())).size).toBe(1);
    expect(await eventsOf(subtasks[2].id)).toEqual([{ type: 'task.created' }, { type: 'task.completed' }]);

    const kept = await parentWith(1);
    const keep = await ann.post(`/api/tasks/${kept.parent.id}/complete?subtasks=keep`);
    expect(keep.body).toMatchObject({ status: 'completed', subtasks: { total: 1, completed: 0 } });
    expect((await ann.get(`/api/tasks/${kept.subtasks[0].id}`)).body.status).toBe('open');
  });

  it('deleting a parent deletes its subtasks, each with its event', async () => {
    const { parent, subtasks } = await parentWith(2);
    expect((await ann.delete(`/api/tasks/${parent.id}`)).status).toBe(204);
    for (const subtask of subtasks) {
      expect((await ann.get(`/api/tasks/${subtask.id}`)).status).toBe(404);
      expect((await eventsOf(subtask.id)).at(-1)).toEqual({ type: 'task.deleted' });
    }
  });

  it('keeps subtasks one level deep, in their parent’s list, and among the user’s own tasks', async () => {
    const { parent, subtasks } = await parentWith(1);
    const refusals: [Record<string, unknown>, string][] = [
      [{ title: 'Deeper', parent_id: subtasks[0].id }, 'parent_id'],
      [{ title: 'Orphan', parent_id: crypto.randomUUID() }, 'parent_id'],
      [
        { title: 'Repeat', parent_id: parent.id, due_at: '2030-01-01T09:00:00Z', recurrence: 'FREQ=DAILY' },
        'recurrence',
      ],
      [{ title: 'Bad id', parent_id: 'first' }, 'parent_id'],
    ];
    for (const [body, field] of refusals) {
      const { status, body: answer } = await ann.post('/api/tasks', body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(answer.error.field, JSON.stringify(body)).toBe(field);
    }
    const bobsTask = await create(bob, { title: 'Bob’s' });
    const foreign = await ann.post('/api/tasks', { title: 'Under Bob', parent_id: bobsTask.id });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.field).toBe('parent_id');
    expect((await bob.get(`/api/tasks?parent=${bobsTask.id}`)).body.items).toEqual([]);

    // A parent cannot become a subtask, nor a task its own.
    const other = await create(ann, { title: 'Other' });
    expect((await ann.patch(`/api/tasks/${parent.id}`, { parent_id: other.id })).body.error.field).toBe(
      'parent_id',
    );
    expect((await ann.patch(`/api/tasks/${other.id}`, { parent_id: other.id })).body.error.field).toBe(
      'parent_id',
    );

    // A parent moving to a list takes its subtasks; a subtask alone cannot leave its parent's list.
    const list = (await ann.post('/api/lists', { name: `Project ${crypto.randomUUID().slice(0, 6)}` })).body;
    const moved = await ann.patch(`/api/tasks/${parent.id}`, { list_id: list.id });
    expect(moved.body.list_id).toBe(list.id);
    expect((await ann.get(`/api/tasks/${subtasks[0].id}`)).body).toMatchObject({
      list_id: list.id,
      version: 2,
    });
    const alone = await ann.patch(`/api/tasks/${subtasks[0].id}`, { list_id: null });
    expect(alone.status).toBe(400);
    expect(alone.body.error.field).toBe('list_id');
    // Made a subtask of a parent in a list, a task joins that list.
    const joined = await ann.patch(`/api/tasks/${other.id}`, { parent_id: parent.id });
    expect(joined.body).toMatchObject({ parent_id: parent.id, list_id: list.id });
  });

  it('a recurring parent’s next occurrence brings fresh copies of its subtasks', async () => {
    const { parent, subtasks } = await parentWith(2, {
      due_at: '2099-03-02T09:00:00+01:00',
      recurrence: 'FREQ=WEEKLY',
    });
    await ann.patch(`/api/tasks/${subtasks[0].id}`, { due_at: '2099-03-01T18:00:00+01:00' });
    await ann.post(`/api/tasks/${subtasks[0].id}/complete`);
    expect((await ann.post(`/api/tasks/${parent.id}/complete?subtasks=complete`)).status).toBe(200);

    const next = await eventually(async () => {
      const series = (await ann.getAll('/api/tasks?parent=none&sort=created')).filter(
        (task: { series_id: string | null }) => task.series_id === parent.id,
      );
      expect(series).toHaveLength(2);
      return series[1];
    });
    expect(next).toMatchObject({ occurrence: 2, due_at: '2099-03-09T08:00:00.000Z', status: 'open' });
    expect(next.subtasks).toEqual({ total: 2, completed: 0 });
    const copies = await ann.getAll(`/api/tasks?parent=${next.id}&sort=title`);
    expect(copies.map((task: { title: string; status: string }) => [task.title, task.status])).toEqual([
      ['Step 1', 'open'],
      ['Step 2', 'open'],
    ]);
    // A dated subtask moves as far as its parent did: a week.
    expect(copies[0].due_at).toBe('2099-03-08T17:00:00.000Z');
    // The previous occurrence keeps its own, completed.
    expect((await ann.get(`/api/tasks/${parent.id}`)).body.subtasks).toEqual({ total: 2, completed: 2 });
  });
});
