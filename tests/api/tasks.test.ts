import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';

describe('task API', () => {
  let app: TestApp;
  let anon: ApiClient;
  let ann: ApiClient;

  beforeAll(async () => {
    app = await startTestApp();
    anon = new ApiClient(app.url);
    ann = await anon.signup('Europe/Berlin');
  });
  afterAll(() => app?.close());

  const create = async (client: ApiClient, body: Record<string, unknown>) => {
    const response = await client.post('/api/tasks', body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };

  it('creates a task with every field and reads it back', async () => {
    const task = await create(ann, {
      title: '  Pay   rent ',
      description: 'Transfer to landlord',
      priority: 'high',
      tags: ['#Home', 'money', 'home'],
      due_at: '2026-12-01T09:00:00+01:00',
      reminders: ['PT30M', 'P1D', 'PT30M'],
      recurrence: 'RRULE:FREQ=MONTHLY;BYMONTHDAY=1',
    });
    expect(task).toMatchObject({
      title: 'Pay rent',
      description: 'Transfer to landlord',
      status: 'open',
      priority: 'high',
      tags: ['home', 'money'],
      due_at: '2026-12-01T08:00:00.000Z',
      all_day: false,
      reminders: ['PT30M', 'P1D'],
      recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1',
      recurrence_anchor: 'due',
      series_id: task.id,
      occurrence: 1,
      completed_at: null,
      version: 1,
    });
    const read = await ann.get(`/api/tasks/${task.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(task);
  });

  it('stores an all-day due date as its calendar date', async () => {
    const task = await create(ann, { title: 'Birthday', due_at: '2027-03-14', all_day: true });
    expect(task.due_at).toBe('2027-03-14T00:00:00.000Z');
    expect(task.all_day).toBe(true);
  });

  it.each([
    [{}, 'title', 'is required'],
    [{ title: '   ' }, 'title', 'must not be blank'],
    [{ title: 'x'.repeat(501) }, 'title', 'must NOT have more than 500 characters'],
    [{ title: 'a', priority: 'soon' }, 'priority', 'must be one of low, medium, high, urgent'],
    [{ title: 'a', due_at: 'tomorrow' }, 'due_at', 'not a valid RFC 3339'],
    [{ title: 'a', due_at: '2026-02-30T10:00:00Z' }, 'due_at', 'not a valid RFC 3339'],
    [{ title: 'a', due_at: '2026-02-28' }, 'due_at', 'needs all_day'],
    [{ title: 'a', reminders: ['PT30M'] }, 'reminders', 'need due_at'],
    [{ title: 'a', due_at: '2026-12-01T09:00:00Z', reminders: ['30 minutes'] }, 'reminders.0', ''],
    [{ title: 'a', due_at: '2026-12-01T09:00:00Z', recurrence: 'FREQ=SOMETIMES' }, 'recurrence', ''],
    [{ title: 'a', recurrence: 'FREQ=DAILY' }, 'recurrence', 'needs due_at'],
    [{ title: 'a', tags: ['ok', ''] }, 'tags.1', 'must not be blank'],
    [{ title: 'a', tags: 'work' }, 'tags', 'must be array'],
    [{ title: 'a', colour: 'red' }, 'colour', 'is not a known field'],
    [{ title: 'a', all_day: true }, 'all_day', 'needs due_at'],
  ])('refuses %j naming %s', async (body, field, reason) => {
    const before = await ann.get('/api/tasks?limit=200');
    const response = await ann.post('/api/tasks', body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_input');
    expect(response.body.error.field).toBe(field);
    expect(response.body.error.message).toContain(reason);
    const after = await ann.get('/api/tasks?limit=200');
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  // Rules that never give a second date: refused now, not with series_ended at completion.
  it.each([
    [{ due_at: '2026-12-01T09:00:00Z', recurrence: 'FREQ=DAILY;UNTIL=20200101' }],
    [{ due_at: '2026-12-01T09:00:00Z', recurrence: 'FREQ=WEEKLY;UNTIL=20261201T090000Z' }],
    [{ due_at: '2026-12-01T09:00:00Z', recurrence: 'FREQ=MONTHLY;COUNT=1' }],
    [{ due_at: '2026-12-01T09:00:00Z', recurrence: 'FREQ=YEARLY;UNTIL=20261201' }],
    [{ due_at: '2026-12-01', all_day: true, recurrence: 'FREQ=DAILY;UNTIL=20261130' }],
  ])('refuses a rule that repeats no date after due_at: %j', async (fields) => {
    const response = await ann.post('/api/tasks', { title: 'a', ...fields });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'invalid_input', field: 'recurrence' });
    expect(response.body.error.message).toContain('repeats no date after due_at');
  });

  it('refuses a rule that never repeats when it is set on an existing task, and keeps the task', async () => {
    const { body: task } = await ann.post('/api/tasks', { title: 'Dentist', due_at: '2026-12-01T09:00:00Z' });
    const refused = await ann.patch(`/api/tasks/${task.id}`, { recurrence: 'FREQ=DAILY;UNTIL=20250101' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe('recurrence');
    expect((await ann.get(`/api/tasks/${task.id}`)).body).toMatchObject({ recurrence: null, version: 1 });
    const accepted = await ann.patch(`/api/tasks/${task.id}`, { recurrence: 'FREQ=DAILY;COUNT=2' });
    expect(accepted.status).toBe(200);
  });

  it('refuses malformed JSON, a wrong content type and an oversized body with 4xx', async () => {
    const malformed = await ann.request('POST', '/api/tasks', '{"title": ', {
      'content-type': 'application/json',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_body');
    const text = await ann.request('POST', '/api/tasks', 'title=x', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const huge = await ann.post('/api/tasks', { title: 'a', description: 'x'.repeat(200_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });

  it('answers 404 for unknown and malformed ids, and 400 naming the id when it is not a UUID', async () => {
    const missing = await ann.get(`/api/tasks/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    const malformed = await ann.get('/api/tasks/not-a-uuid');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.field).toBe('id');
  });

  it('updates with PATCH, bumps the version and refuses a stale If-Match with the current task', async () => {
    const task = await create(ann, { title: 'Draft report', due_at: '2026-12-03T10:00:00Z' });
    const first = await ann.patch(
      `/api/tasks/${task.id}`,
      { title: 'Final report', priority: 'urgent' },
      { 'if-match': '"1"' },
    );
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      title: 'Final report',
      priority: 'urgent',
      version: 2,
      due_at: task.due_at,
    });

    const stale = await ann.patch(`/api/tasks/${task.id}`, { title: 'Lost edit' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.body.error.current).toMatchObject({ title: 'Final report', version: 2 });
    expect((await ann.get(`/api/tasks/${task.id}`)).body.title).toBe('Final report');

    const cleared = await ann.patch(`/api/tasks/${task.id}`, { due_at: null });
    expect(cleared.body).toMatchObject({ due_at: null, version: 3 });
    const unchanged = await ann.patch(`/api/tasks/${task.id}`, { title: 'Final report' });
    expect(unchanged.body.version).toBe(3);
  });

  it('refuses a PATCH that would leave reminders without a due date, changing nothing', async () => {
    const task = await create(ann, { title: 'Call', due_at: '2026-12-03T10:00:00Z', reminders: ['PT10M'] });
    const response = await ann.patch(`/api/tasks/${task.id}`, { due_at: null, title: 'Call back' });
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe('reminders');
    expect((await ann.get(`/api/tasks/${task.id}`)).body).toEqual(task);
  });

  it('completes and reopens, idempotently', async () => {
    const task = await create(ann, { title: 'Water plants' });
    const done = await ann.post(`/api/tasks/${task.id}/complete`);
    expect(done.body).toMatchObject({ status: 'completed', version: 2 });
    expect(Date.parse(done.body.completed_at)).toBeGreaterThan(Date.parse(task.created_at) - 1);
    const again = await ann.post(`/api/tasks/${task.id}/complete`);
    expect(again.body).toEqual(done.body);
    const reopened = await ann.post(`/api/tasks/${task.id}/reopen`);
    expect(reopened.body).toMatchObject({ status: 'open', completed_at: null, version: 3 });
  });

  it('deletes, then answers 404', async () => {
    const task = await create(ann, { title: 'Temporary' });
    expect((await ann.delete(`/api/tasks/${task.id}`)).status).toBe(204);
    expect((await ann.get(`/api/tasks/${task.id}`)).status).toBe(404);
    expect((await ann.delete(`/api/tasks/${task.id}`)).status).toBe(404);
  });

  it("keeps users apart: another user's task is 404 for every route and absent from every list", async () => {
    const bob = await anon.signup('America/New_York');
    const secret = await create(ann, { title: 'Ann secret plan', tags: ['private'] });
    for (const [method, path] of [
      ['GET', `/api/tasks/${secret.id}`],
      ['PATCH', `/api/tasks/${secret.id}`],
      ['DELETE', `/api/tasks/${secret.id}`],
      ['POST', `/api/tasks/${secret.id}/complete`],
      ['POST', `/api/tasks/${secret.id}/reopen`],
    ] as const) {
      const response = await bob.request(
        method,
        path,
        method === 'PATCH' ? { title: 'mine now' } : undefined,
      );
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    expect((await bob.get('/api/tasks?q=secret')).body.items).toEqual([]);
    expect((await bob.get('/api/tags')).body.items).toEqual([]);
    expect((await ann.get(`/api/tasks/${secret.id}`)).body).toEqual(secret);
  });

  it('requires a valid bearer token on every task route', async () => {
    expect((await anon.get('/api/tasks')).status).toBe(401);
    const forged = new ApiClient(app.url, `${ann.token}x`);
    const response = await forged.get('/api/tasks');
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
  });
});
