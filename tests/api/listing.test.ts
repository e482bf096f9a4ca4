import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';

const HOUR = 3_600_000;

describe('listing tasks', () => {
  let app: TestApp;
  let user: ApiClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp();
    user = await new ApiClient(app.url).signup('Asia/Tokyo');
    const now = Date.now();
    const fixtures = [
      { title: 'Dentist appointment', priority: 'high', tags: ['health'], due_at: new Date(now + 26 * HOUR) },
      { title: 'Buy oat milk', priority: 'low', tags: ['errands', 'home'], due_at: new Date(now - 2 * HOUR) },
      {
        title: 'Quarterly report',
        priority: 'urgent',
        tags: ['work'],
        due_at: new Date(now + 5 * 24 * HOUR),
      },
      { title: 'Read a book', priority: 'medium', tags: [], due_at: null },
      { title: 'Renew passport', priority: 'medium', tags: ['errands'], description: 'embassy website' },
    ];
    for (const { due_at, ...fields } of fixtures) {
      const { body } = await user.post('/api/tasks', { ...fields, due_at: due_at?.toISOString() ?? null });
      ids[body.title] = body.id;
    }
    await user.post(`/api/tasks/${ids['Read a book']}/complete`);
  });
  afterAll(() => app?.close());

  const titles = async (query: string) => {
    const response = await user.get(`/api/tasks?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.items.map((task: { title: string }) => task.title);
  };

  it('sorts by due date by default, undated last', async () => {
    expect(await titles('')).toEqual([
      'Buy oat milk',
      'Dentist appointment',
      'Quarterly report',
      // Two undated tasks: ordered by id, so only their set is fixed.
      ...(await titles('')).slice(3),
    ]);
    expect((await titles('')).slice(3).sort()).toEqual(['Read a book', 'Renew passport']);
  });

  it('sorts by priority (most important first), title, creation, and reversed', async () => {
    expect((await titles('sort=priority')).slice(0, 2)).toEqual(['Quarterly report', 'Dentist appointment']);
    expect((await titles('sort=-priority'))[0]).toBe('Buy oat milk');
    expect(await titles('sort=title')).toEqual([
      'Buy oat milk',
      'Dentist appointment',
      'Quarterly report',
      'Read a book',
      'Renew passport',
    ]);
    expect(await titles('sort=-created')).toEqual((await titles('sort=created')).reverse());
  });

  it('searches title, description and tags by word prefix', async () => {
    expect(await titles('q=dent')).toEqual(['Dentist appointment']);
    expect(await titles('q=EMBASSY')).toEqual(['Renew passport']);
    expect(await titles('q=oat%20milk')).toEqual(['Buy oat milk']);
    expect(await titles('q=errands&sort=title')).toEqual(['Buy oat milk', 'Renew passport']);
    expect(await titles('q=%26%7C!()')).toHaveLength(5);
    expect(await titles('q=nothing-like-this')).toEqual([]);
  });

  it('filters by status, priority, tag, due range and overdue', async () => {
    expect(await titles('status=completed')).toEqual(['Read a book']);
    expect(await titles('priority=high,urgent&sort=title')).toEqual([
      'Dentist appointment',
      'Quarterly report',
    ]);
    expect(await titles('tag=%23Errands&sort=title')).toEqual(['Buy oat milk', 'Renew passport']);
    const inTwoDays = new Date(Date.now() + 48 * HOUR).toISOString();
    expect(await titles(`due_before=${encodeURIComponent(inTwoDays)}`)).toEqual([
      'Buy oat milk',
      'Dentist appointment',
    ]);
    expect(await titles(`due_after=${encodeURIComponent(inTwoDays)}`)).toEqual(['Quarterly report']);
    expect(await titles('overdue=true')).toEqual(['Buy oat milk']);
    expect(await titles('overdue=false&status=open&sort=title')).toEqual([
      'Dentist appointment',
      'Quarterly report',
      'Renew passport',
    ]);
  });

  it('pages with a cursor without gaps or repeats, for every sort', async () => {
    for (const sort of ['due', '-due', 'priority', '-priority', 'created', '-created', 'title', '-title']) {
      const all = await titles(`sort=${sort}`);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const { body }: { body: any } = await user.get(`/api/tasks?${query}`);
        seen.push(...body.items.map((task: { title: string }) => task.title));
        cursor = body.next_cursor;
      } while (cursor);
      expect(seen, sort).toEqual(all);
    }
  });

  it('refuses bad list parameters naming the parameter', async () => {
    for (const [query, field] of [
      ['status=done', 'status'],
      ['priority=high,asap', 'priority'],
      ['sort=colour', 'sort'],
      ['limit=0', 'limit'],
      ['limit=1000', 'limit'],
      ['due_before=yesterday', 'due_before'],
      ['overdue=maybe', 'overdue'],
      ['cursor=garbage', 'cursor'],
      ['color=red', 'color'],
    ]) {
      const response = await user.get(`/api/tasks?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.field, query).toBe(field);
    }
    const { body } = await user.get('/api/tasks?sort=title&limit=1');
    const mismatched = await user.get(`/api/tasks?sort=due&cursor=${body.next_cursor}`);
    expect(mismatched.status).toBe(400);
    expect(mismatched.body.error.field).toBe('cursor');
  });

  it('counts tags for suggestions', async () => {
    const { body } = await user.get('/api/tags');
    expect(body.items[0]).toEqual({ tag: 'errands', count: 2 });
    expect(body.items).toHaveLength(4);
  });
});

describe('listing all-day tasks by a window of the user’s day', () => {
  let app: TestApp;
  afterAll(() => app?.close());

  it('west of UTC, "today" holds the all-day task due today and not tomorrow’s; east of UTC too', async () => {
    app = await startTestApp();
    for (const zone of ['America/Los_Angeles', 'Asia/Tokyo']) {
      const user = await new ApiClient(app.url).signup(zone);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
      const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 24 * HOUR).toISOString().slice(0, 10);
      for (const [title, date] of [
        ['Do laundry', today],
        ['Quarterly report', tomorrow],
      ] as const)
        expect((await user.post('/api/tasks', { title, due_at: date, all_day: true })).status).toBe(201);
      // The user's day as an app asks for it: from local midnight to the next local midnight.
      const midnight = (date: string) => {
        const guess = Date.parse(`${date}T00:00:00Z`);
        const offset = (at: number) =>
          Date.parse(new Date(at).toLocaleString('en-US', { timeZone: zone, hour12: false }) + ' UTC') - at;
        return new Date(guess - offset(guess)).toISOString();
      };
      const after = midnight(today);
      const before = midnight(tomorrow);
      const response = await user.get(
        `/api/tasks?due_after=${encodeURIComponent(after)}&due_before=${encodeURIComponent(before)}`,
      );
      expect(response.status).toBe(200);
      expect(
        response.body.items.map((t: { title: string }) => t.title),
        zone,
      ).toEqual(['Do laundry']);
    }
  });
});
