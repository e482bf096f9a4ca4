/**
 * Lists (projects), issue 17: CRUD, tasks in a list and the Inbox, deleting a list with its tasks
 * moved or deleted (a required choice), each change emitted through the outbox (valid against the
 * contracts), audited and pushed to open clients.
 */
import { assertValidEvent, type TaskUpdate } from '@todo/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { SyncClient } from '../support/sync-client.js';

describe('lists', () => {
  let app: TestApp;
  let anon: ApiClient;
  let ann: ApiClient;
  let bob: ApiClient;

  beforeAll(async () => {
    app = await startTestApp();
    anon = new ApiClient(app.url);
    ann = await anon.signup('Europe/Berlin');
    bob = await anon.signup('Europe/Berlin');
  });
  afterAll(() => app?.close());

  const createList = async (client: ApiClient, body: Record<string, unknown>) => {
    const response = await client.post('/api/lists', body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };
  const createTask = async (client: ApiClient, body: Record<string, unknown>) => {
    const response = await client.post('/api/tasks', body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };
  const titlesInOrder = async (client: ApiClient, query: string) =>
    (await client.getAll(`/api/tasks?${query}`)).map((task: { title: string }) => task.title);
  const titles = async (client: ApiClient, query: string) => (await titlesInOrder(client, query)).sort();

  it('creates, reads, renames, recolours and orders lists', async () => {
    const work = await createList(ann, { name: '  Work  ', color: '#3B82F6' });
    expect(work).toMatchObject({ name: 'Work', color: '#3b82f6', position: 0 });
    expect(work.created_at).toBe(work.updated_at);
    const home = await createList(ann, { name: 'Home' });
    expect(home).toMatchObject({ color: null, position: 1 });

    const renamed = await ann.patch(`/api/lists/${home.id}`, { name: 'House', position: 0 });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: home.id, name: 'House', position: 0 });
    expect((await ann.get(`/api/lists/${home.id}`)).body.name).toBe('House');
    await ann.patch(`/api/lists/${work.id}`, { position: 5 });
    const { body } = await ann.get('/api/lists');
    expect(body.items.map((list: { name: string }) => list.name)).toEqual(['House', 'Work']);
    // Another user's lists are their own.
    expect((await bob.get('/api/lists')).body.items).toEqual([]);
  });

  it('refuses a second list of the same name, whatever its case (409)', async () => {
    await createList(ann, { name: 'Errands' });
    const again = await ann.post('/api/lists', { name: 'ERRANDS' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('list_exists');
    // Bob may have his own "Errands".
    await createList(bob, { name: 'Errands' });
  });

  it('refuses bad list input with a 400 naming the field, writing nothing', async () => {
    const before = (await ann.get('/api/lists')).body.items.length;
    for (const [body, field] of [
      [{}, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'Colour', color: 'red' }, 'color'],
      [{ name: 'Colour', color: '#12345g' }, 'color'],
      [{ name: 'Position', position: -1 }, 'position'],
      [{ name: 'Position', position: 1.5 }, 'position'],
      [{ name: 'Extra', owner: 'someone' }, 'owner'],
    ] as const) {
      const { status, body: error } = await ann.post('/api/lists', body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(error.error.field, JSON.stringify(body)).toBe(field);
    }
    expect((await ann.get('/api/lists')).body.items.length).toBe(before);
    expect((await ann.get('/api/lists/not-a-uuid')).status).toBe(400);
    expect((await ann.get(`/api/lists/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('puts tasks in a list or the Inbox, and lists each', async () => {
    const groceries = await createList(ann, { name: 'Groceries' });
    await createTask(ann, { title: 'Milk', list_id: groceries.id });
    await createTask(ann, { title: 'Eggs', list_id: groceries.id });
    const loose = await createTask(ann, { title: 'Call the plumber' });
    expect(loose.list_id).toBeNull();

    expect(await titles(ann, `list=${groceries.id}`)).toEqual(['Eggs', 'Milk']);
    expect(await titles(ann, 'list=inbox')).toContain('Call the plumber');
    expect(await titles(ann, 'list=inbox')).not.toContain('Milk');

    const moved = await ann.patch(`/api/tasks/${loose.id}`, { list_id: groceries.id });
    expect(moved.body.list_id).toBe(groceries.id);
    const back = await ann.patch(`/api/tasks/${loose.id}`, { list_id: null });
    expect(back.body.list_id).toBeNull();
  });

  it('keeps the user’s order of a list: new tasks last, a moved one between its neighbours, paged by cursor', async () => {
    const chores = await createList(ann, { name: 'Chores' });
    const [dishes, laundry, floors] = [
      await createTask(ann, { title: 'Dishes', list_id: chores.id }),
      await createTask(ann, { title: 'Laundry', list_id: chores.id }),
      await createTask(ann, { title: 'Floors', list_id: chores.id }),
    ];
    const ordered = async () => titlesInOrder(ann, `list=${chores.id}&sort=position&limit=1`);
    expect(await ordered()).toEqual(['Dishes', 'Laundry', 'Floors']);
    // Floors between Dishes and Laundry.
    const moved = await ann.patch(`/api/tasks/${floors.id}`, {
      position: (dishes.position + laundry.position) / 2,
    });
    expect(moved.status).toBe(200);
    expect(await ordered()).toEqual(['Dishes', 'Floors', 'Laundry']);
    expect(await titlesInOrder(ann, `list=${chores.id}&sort=-position`)).toEqual([
      'Laundry',
      'Floors',
      'Dishes',
    ]);
    for (const position of ['first', 1e16, null]) {
      const refused = await ann.patch(`/api/tasks/${dishes.id}`, { position });
      expect(refused.status, String(position)).toBe(400);
      expect(refused.body.error.field).toBe('position');
    }
  });

  it('refuses a list that is not the user’s, and a malformed list filter', async () => {
    const bobs = await createList(bob, { name: 'Secret plans' });
    const attempt = await ann.post('/api/tasks', { title: 'Sneak in', list_id: bobs.id });
    expect(attempt.status).toBe(400);
    expect(attempt.body.error.field).toBe('list_id');
    expect((await ann.post('/api/tasks', { title: 'x', list_id: 'work' })).body.error.field).toBe('list_id');
    const listed = await ann.get(`/api/tasks?list=${bobs.id}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([]);
    const malformed = await ann.get('/api/tasks?list=groceries');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.field).toBe('list');
  });

  it('deleting a list with tasks needs tasks=move or tasks=delete (409 naming it)', async () => {
    const trip = await createList(ann, { name: 'Trip' });
    const passport = await createTask(ann, { title: 'Passport', list_id: trip.id });
    const refused = await ann.delete(`/api/lists/${trip.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'list_not_empty', field: 'tasks', tasks: 1 });
    expect((await ann.get(`/api/lists/${trip.id}`)).status).toBe(200);
    expect((await ann.delete(`/api/lists/${trip.id}?tasks=keep`)).body.error.field).toBe('tasks');

    expect((await ann.delete(`/api/lists/${trip.id}?tasks=move`)).status).toBe(204);
    expect((await ann.get(`/api/lists/${trip.id}`)).status).toBe(404);
    const after = await ann.get(`/api/tasks/${passport.id}`);
    expect(after.body).toMatchObject({ list_id: null, version: 2 });

    const camp = await createList(ann, { name: 'Camp' });
    const tent = await createTask(ann, { title: 'Tent', list_id: camp.id });
    const pegs = await createTask(ann, { title: 'Pegs', parent_id: tent.id });
    expect(pegs.list_id).toBe(camp.id);
    expect((await ann.delete(`/api/lists/${camp.id}?tasks=delete`)).status).toBe(204);
    for (const id of [tent.id, pegs.id]) expect((await ann.get(`/api/tasks/${id}`)).status).toBe(404);
    // An empty list needs no choice.
    const empty = await createList(ann, { name: 'Empty' });
    expect((await ann.delete(`/api/lists/${empty.id}`)).status).toBe(204);
  });

  it('emits each list change and each moved task as valid events, audited and pushed live', async () => {
    const me = (await ann.get('/api/me')).body;
    const socket = await SyncClient.open(app.url, ann.token as string);
    try {
      const reading = await createList(ann, { name: 'Reading' });
      const book = await createTask(ann, { title: 'Dune', list_id: reading.id });
      await ann.patch(`/api/lists/${reading.id}`, { name: 'Books' });
      await ann.delete(`/api/lists/${reading.id}?tasks=move`);

      const rows = await app.db
        .selectFrom('outbox')
        .select('event')
        .where('topic', '=', 'task-updates')
        .where('partition_key', '=', reading.id)
        .orderBy('id')
        .execute();
      const events = rows.map((row) => row.event as TaskUpdate);
      for (const event of events) assertValidEvent('task-updates', event);
      expect(
        events.map((event) => [event.event_type, event.payload.action, event.payload.list?.name]),
      ).toEqual([
        ['list.sync', 'created', 'Reading'],
        ['list.sync', 'updated', 'Books'],
        ['list.sync', 'deleted', undefined],
      ]);
      expect(events.every((event) => event.user_id === me.id)).toBe(true);
      // The move to the Inbox is the task's own update, through task-events like any other.
      const moved = await app.db
        .selectFrom('outbox')
        .select('event')
        .where('topic', '=', 'task-events')
        .where('partition_key', '=', book.id)
        .where(sql<string>`event->>'event_type'`, '=', 'task.updated')
        .executeTakeFirstOrThrow();
      expect(moved.event).toMatchObject({
        payload: { task: { list_id: null }, changed_fields: ['list_id'] },
      });

      await socket.waitFor((frame) => frame.list_id === reading.id && frame.event_type === 'list.deleted');
      const listFrames = socket.frames.filter((frame) => frame.list_id === reading.id);
      expect(listFrames.map((frame) => frame.event_type)).toEqual([
        'list.created',
        'list.updated',
        'list.deleted',
      ]);
      expect(listFrames[1].list).toMatchObject({ id: reading.id, name: 'Books' });

      const audit = await eventually(async () => {
        const { body } = await ann.get(`/api/audit/logs?action=list.sync&task_id=${reading.id}`);
        expect(body.items).toHaveLength(3);
        return body.items;
      });
      expect(audit.map((entry: { summary: string }) => entry.summary).sort()).toEqual([
        'created list "Reading"',
        'deleted a list',
        'updated list "Books"',
      ]);
    } finally {
      await socket.close();
    }
  });
});
