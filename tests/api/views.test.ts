/**
 * Views and saved filters, issue 17: Today and Upcoming by the calendar of the user's zone (the
 * clock pinned, so "today" is a known date), the sidebar's counts, and saved filters checked as
 * `GET /api/tasks` checks its parameters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';

// 2026-06-11 02:00 in Kiribati (UTC+14): the user's "today" is a day ahead of UTC's.
const NOW = new Date('2026-06-10T12:00:00Z');

describe('views and saved filters', () => {
  let app: TestApp;
  let ann: ApiClient;
  let bob: ApiClient;
  let work: { id: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp({}, { clock: () => NOW });
    const anon = new ApiClient(app.url);
    ann = await anon.signup('Pacific/Kiritimati');
    bob = await anon.signup('Pacific/Kiritimati');
    work = (await ann.post('/api/lists', { name: 'Work' })).body;
    const tasks: [string, Record<string, unknown>][] = [
      ['Overdue', { due_at: '2026-06-09T10:00:00+14:00' }],
      ['Tonight', { due_at: '2026-06-11T23:30:00+14:00' }],
      // Still June 11 in UTC, but June 12 where the user lives.
      ['After midnight', { due_at: '2026-06-12T00:30:00+14:00' }],
      ['All day today', { due_at: '2026-06-11', all_day: true }],
      ['Sixth day', { due_at: '2026-06-17', all_day: true, list_id: work.id, priority: 'urgent' }],
      ['Seventh day', { due_at: '2026-06-18', all_day: true }],
      ['Done today', { due_at: '2026-06-11T08:00:00+14:00' }],
      ['Someday', {}],
    ];
    for (const [title, fields] of tasks) {
      const { status, body } = await ann.post('/api/tasks', { title, ...fields });
      expect(status, JSON.stringify(body)).toBe(201);
      ids[title] = body.id;
    }
    await ann.post(`/api/tasks/${ids['Done today']}/complete`);
  });
  afterAll(() => app?.close());

  const titles = async (client: ApiClient, query: string) =>
    (await client.getAll(`/api/tasks?${query}`)).map((task: { title: string }) => task.title);

  it('Today: open tasks due today or overdue, in the user’s zone', async () => {
    // By due (the default sort): an all-day task sorts at the start of its date.
    expect(await titles(ann, 'view=today')).toEqual(['Overdue', 'All day today', 'Tonight']);
    expect(await titles(bob, 'view=today')).toEqual([]);
  });

  it('Upcoming: the next 7 days, today included, grouped by the user’s days', async () => {
    expect(await titles(ann, 'view=upcoming')).toEqual([
      'All day today',
      'Tonight',
      'After midnight',
      'Sixth day',
    ]);
    const { status, body } = await ann.get('/api/views/upcoming');
    expect(status).toBe(200);
    expect(body.days.map((day: { date: string }) => day.date)).toEqual([
      '2026-06-11',
      '2026-06-12',
      '2026-06-13',
      '2026-06-14',
      '2026-06-15',
      '2026-06-16',
      '2026-06-17',
    ]);
    const byDay = body.days.map((day: { items: { title: string }[] }) => day.items.map((task) => task.title));
    expect(byDay).toEqual([['All day today', 'Tonight'], ['After midnight'], [], [], [], [], ['Sixth day']]);
    expect(body.next_cursor).toBeNull();
  });

  it('counts what the sidebar shows: Today, Upcoming, the Inbox, each list and each saved filter', async () => {
    const filter = await ann.post('/api/filters', {
      name: 'Urgent at work',
      query: { list: work.id, priority: 'urgent,high' },
    });
    expect(filter.status, JSON.stringify(filter.body)).toBe(201);
    const { body } = await ann.get('/api/views/counts');
    expect(body).toEqual({
      today: 3,
      upcoming: 4,
      // Open top-level tasks in no list: all but the completed one and the one at work.
      inbox: 6,
      lists: [{ list_id: work.id, count: 1 }],
      filters: [{ filter_id: filter.body.id, count: 1 }],
    });
    expect((await bob.get('/api/views/counts')).body).toEqual({
      today: 0,
      upcoming: 0,
      inbox: 0,
      lists: [],
      filters: [],
    });
    await ann.delete(`/api/filters/${filter.body.id}`);
  });

  it('saves, lists, opens and deletes filters', async () => {
    const created = await ann.post('/api/filters', {
      name: '  Due   soon ',
      query: { view: 'upcoming', sort: 'title' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Due soon', query: { view: 'upcoming', sort: 'title' } });
    const { body } = await ann.get('/api/filters');
    expect(body.items).toEqual([created.body]);
    expect((await bob.get('/api/filters')).body.items).toEqual([]);

    const query = new URLSearchParams(created.body.query).toString();
    expect(await titles(ann, query)).toEqual(['After midnight', 'All day today', 'Sixth day', 'Tonight']);

    expect((await bob.delete(`/api/filters/${created.body.id}`)).status).toBe(404);
    expect((await ann.delete(`/api/filters/${created.body.id}`)).status).toBe(204);
    expect((await ann.delete(`/api/filters/${created.body.id}`)).status).toBe(404);
    expect((await ann.get('/api/filters')).body.items).toEqual([]);
  });

  it('refuses a filter whose query GET /api/tasks would refuse, naming the parameter', async () => {
    const bobsList = (await bob.post('/api/lists', { name: 'Bob’s' })).body;
    for (const [body, field] of [
      [{ name: 'x', query: { priority: 'extreme' } }, 'query.priority'],
      [{ name: 'x', query: { limit: 5 } }, 'query.limit'],
      [{ name: 'x', query: { due_before: 'tomorrow' } }, 'query.due_before'],
      [{ name: 'x', query: { list: 'groceries' } }, 'query.list'],
      [{ name: 'x', query: { list: bobsList.id } }, 'query.list'],
      [{ name: 'x', query: { parent: 'top' } }, 'query.parent'],
      [{ name: 'x', query: { view: 'someday' } }, 'query.view'],
      [{ name: '   ', query: {} }, 'name'],
      [{ name: 'x' }, 'query'],
    ] as const) {
      const { status, body: answer } = await ann.post('/api/filters', body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(answer.error.field, JSON.stringify(body)).toBe(field);
    }
    expect((await ann.get('/api/filters')).body.items).toEqual([]);
    expect((await ann.get('/api/tasks?view=someday')).status).toBe(400);
  });
});
