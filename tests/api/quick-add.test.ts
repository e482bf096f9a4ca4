/**
 * POST /api/tasks/parse, the quick-add box's preview: the chat's reading of a new task, validated,
 * nothing written; what it answers is what POST /api/tasks then creates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';

// Wednesday 2 December 2026, 09:00 in Berlin.
const NOW = new Date('2026-12-02T08:00:00Z');

describe('quick add', () => {
  let app: TestApp;
  let ann: ApiClient;

  beforeAll(async () => {
    app = await startTestApp({}, { clock: () => NOW });
    ann = await new ApiClient(app.url).signup('Europe/Berlin');
  });
  afterAll(() => app?.close());

  it('reads a line as the task it would create, writes nothing, and a create of it makes that task', async () => {
    const parsed = await ann.post('/api/tasks/parse', { text: 'Pay rent every 1st at 9am #home p1' });
    expect(parsed.status, JSON.stringify(parsed.body)).toBe(200);
    expect(parsed.body.task).toEqual({
      title: 'Pay rent',
      description: '',
      priority: 'urgent',
      tags: ['home'],
      // Friday 1 January 2027, 09:00 in Berlin (UTC+1).
      due_at: '2027-01-01T08:00:00.000Z',
      all_day: false,
      reminders: [],
      recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1',
      recurrence_anchor: 'due',
      list_id: null,
      parent_id: null,
    });
    expect((await ann.get('/api/tasks')).body.items).toEqual([]);

    const created = await ann.post('/api/tasks', parsed.body.task);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(parsed.body.task);
  });

  it('reads reminders and "remind me to" as the chat does', async () => {
    const said = await ann.post('/api/tasks/parse', {
      text: 'call mom tomorrow at 6pm, remind me 30 minutes before',
    });
    expect(said.body.task).toMatchObject({
      title: 'Call mom',
      due_at: '2026-12-03T17:00:00.000Z',
      reminders: ['PT30M'],
    });
    const led = await ann.post('/api/tasks/parse', { text: 'remind me to call mom tomorrow at 6pm' });
    // A reminder at the due time (PT0M, stored as PT0S), as the chat gives it.
    expect(led.body.task).toMatchObject({ title: 'Call mom', reminders: ['PT0S'] });
  });

  it('refuses a line with no task in it, naming the field, and one too long', async () => {
    const empty = await ann.post('/api/tasks/parse', { text: 'tomorrow at 9 #home' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe('text');
    const long = await ann.post('/api/tasks/parse', { text: 'x'.repeat(501) });
    expect(long.status).toBe(400);
    expect(long.body.error.field).toBe('text');
    expect((await new ApiClient(app.url).post('/api/tasks/parse', { text: 'buy milk' })).status).toBe(401);
  });
});
