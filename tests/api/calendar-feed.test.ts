import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';

/** The feed as a calendar app reads it: fetched without credentials, parsed by ical.js. */
async function fetchFeed(url: string) {
  const response = await fetch(url);
  const text = await response.text();
  return { response, text };
}

function parseCalendar(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  // Times with a TZID resolve through the feed's own VTIMEZONE, as a client would do it.
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const todos = new Map(
    calendar.getAllSubcomponents('vtodo').map((todo) => [String(todo.getFirstPropertyValue('uid')), todo]),
  );
  return { calendar, todos };
}

const timeOf = (todo: ICAL.Component, name: string) => todo.getFirstPropertyValue(name) as ICAL.Time;

describe('calendar feed', () => {
  let app: TestApp;
  let ann: ApiClient;
  beforeAll(async () => {
    app = await startTestApp();
    ann = await new ApiClient(app.url).signup('Europe/Berlin');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves one VTODO per open task with a due date, as RFC 5545 a parser reads back', async () => {
    const timed = (
      await ann.post('/api/tasks', {
        title: 'Dentist, bring the forms; ask about the bill',
        description: 'Line one\nLine two',
        priority: 'urgent',
        tags: ['health', 'errands'],
        // 09:30 in Berlin (CET).
        due_at: '2027-01-15T08:30:00Z',
        reminders: ['PT30M', 'P1D'],
      })
    ).body;
    const allDay = (
      await ann.post('/api/tasks', {
        title: 'Pay rent',
        priority: 'low',
        due_at: '2027-02-01',
        all_day: true,
        reminders: ['PT0S', 'P1D'],
      })
    ).body;
    expect(allDay.all_day).toBe(true);
    const daily = (
      await ann.post('/api/tasks', {
        title: 'Stretch',
        // 09:00 in Berlin, two days before the switch to summer time (2027-03-28).
        due_at: '2027-03-26T08:00:00Z',
        recurrence: 'FREQ=DAILY',
      })
    ).body;
    const fromCompletion = (
      await ann.post('/api/tasks', {
        title: 'Water the plants',
        due_at: '2027-03-01T17:00:00Z',
        recurrence: 'FREQ=WEEKLY',
        recurrence_anchor: 'completion',
      })
    ).body;
    const undated = (await ann.post('/api/tasks', { title: 'Someday' })).body;
    const done = (await ann.post('/api/tasks', { title: 'Done already', due_at: '2027-01-10T10:00:00Z' }))
      .body;
    expect((await ann.post(`/api/tasks/${done.id}/complete`)).status).toBe(200);

    const made = await ann.post('/api/calendar-feed');
    expect(made.status).toBe(201);
    expect(made.headers.get('cache-control')).toBe('no-store');
    const url = new URL(made.body.url);
    expect(url.origin).toBe(new URL(app.url).origin);

    const { response, text } = await fetchFeed(url.href);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('private, max-age=300');
    // RFC 5545 §3.1: CRLF line ends, lines folded at 75 octets.
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toContain('\n');

    const { calendar, todos } = parseCalendar(text);
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBeTruthy();
    expect(calendar.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'))).toEqual([
      'Europe/Berlin',
    ]);
    expect([...todos.keys()].sort()).toEqual([timed.id, allDay.id, daily.id, fromCompletion.id].sort());
    expect(todos.has(undated.id)).toBe(false);
    expect(todos.has(done.id)).toBe(false);

    const dentist = todos.get(timed.id) as ICAL.Component;
    expect(dentist.getFirstPropertyValue('summary')).toBe(timed.title);
    expect(dentist.getFirstPropertyValue('description')).toBe('Line one\nLine two');
    expect(dentist.getFirstPropertyValue('status')).toBe('NEEDS-ACTION');
    expect(dentist.getFirstPropertyValue('priority')).toBe(1);
    expect(dentist.getFirstProperty('categories')?.getValues()).toEqual(['health', 'errands']);
    expect(dentist.getFirstProperty('due')?.getParameter('tzid')).toBe('Europe/Berlin');
    expect(timeOf(dentist, 'due').toString()).toBe('2027-01-15T09:30:00');
    expect(timeOf(dentist, 'due').toJSDate().toISOString()).toBe('2027-01-15T08:30:00.000Z');
    expect(dentist.getFirstPropertyValue('rrule')).toBeNull();
    const alarms = dentist.getAllSubcomponents('valarm');
    expect(alarms.map((a) => a.getFirstPropertyValue('action'))).toEqual(['DISPLAY', 'DISPLAY']);
    expect(alarms.map((a) => a.getFirstProperty('trigger')?.getParameter('related'))).toEqual(['END', 'END']);
    expect(alarms.map((a) => (a.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds())).toEqual([
      -30 * 60,
      -24 * 3600,
    ]);

    const rent = todos.get(allDay.id) as ICAL.Component;
    expect(timeOf(rent, 'due').isDate).toBe(true);
    expect(timeOf(rent, 'due').toString()).toBe('2027-02-01');
    expect(rent.getFirstProperty('due')?.getParameter('tzid')).toBeUndefined();
    expect(text).toContain('DUE;VALUE=DATE:20270201\r\n');
    expect(text).toContain('DUE;TZID=Europe/Berlin:20270115T093000\r\n');
    expect(rent.getFirstPropertyValue('priority')).toBe(9);
    expect(rent.getFirstProperty('categories')).toBeNull();
    // All-day reminders count back from 09:00 of the day, as the app fires them.
    expect(
      rent
        .getAllSubcomponents('valarm')
        .map((a) => (a.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds()),
    ).toEqual([9 * 3600, 9 * 3600 - 24 * 3600]);

    // The rule expands at 09:00 Berlin on both sides of the DST change: the UTC hour moves.
    const stretch = todos.get(daily.id) as ICAL.Component;
    expect(String(stretch.getFirstPropertyValue('rrule'))).toBe('FREQ=DAILY');
    expect(stretch.getFirstProperty('dtstart')?.getParameter('tzid')).toBe('Europe/Berlin');
    const expansion = new ICAL.RecurExpansion({ component: stretch, dtstart: timeOf(stretch, 'dtstart') });
    const instances = [1, 2, 3].map(() => expansion.next()?.toJSDate().toISOString());
    expect(instances).toEqual([
      '2027-03-26T08:00:00.000Z',
      '2027-03-27T08:00:00.000Z',
      '2027-03-28T07:00:00.000Z',
    ]);

    // Repeating from the completion date has no dates known in advance: no rule to expand.
    expect((todos.get(fromCompletion.id) as ICAL.Component).getFirstPropertyValue('rrule')).toBeNull();
  });

  it('counts a COUNT series from the occurrence it shows, and follows the tasks as they change', async () => {
    const bob = await new ApiClient(app.url).signup('America/New_York');
    const first = (
      await bob.post('/api/tasks', {
        title: 'Pill',
        due_at: '2027-05-01T12:00:00Z',
        recurrence: 'FREQ=DAILY;COUNT=5',
      })
    ).body;
    const { url } = (await bob.post('/api/calendar-feed')).body;
    const ruleOf = async () => {
      const { todos } = parseCalendar((await fetchFeed(url)).text);
      expect(todos.size).toBe(1);
      const [[id, todo]] = [...todos] as [[string, ICAL.Component]];
      return { id, count: (todo.getFirstPropertyValue('rrule') as ICAL.Recur).count };
    };
    expect(await ruleOf()).toEqual({ id: first.id, count: 5 });
    expect((await bob.post(`/api/tasks/${first.id}/complete`)).status).toBe(200);
    // The next occurrence (second of five) replaces the first: four left.
    const next = await eventually(async () => {
      const rule = await ruleOf();
      expect(rule.id).not.toBe(first.id);
      return rule;
    });
    expect(next.count).toBe(4);
  });

  it('is a secret, revocable address: kept hashed, replaced by a new one, 404 once revoked', async () => {
    const cat = await new ApiClient(app.url).signup();
    await cat.post('/api/tasks', { title: 'Cat task', due_at: '2027-06-01T10:00:00Z' });
    expect((await cat.get('/api/calendar-feed')).body).toEqual({ active: false, created_at: null });

    const first = (await cat.post('/api/calendar-feed')).body.url as string;
    const token = first.split('/').at(-1) as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await app.db.selectFrom('calendar_feeds').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await cat.get('/api/calendar-feed')).body).toMatchObject({ active: true });

    const second = (await cat.post('/api/calendar-feed')).body.url as string;
    expect(second).not.toBe(first);
    expect((await fetchFeed(first)).response.status).toBe(404);
    expect((await fetchFeed(second)).response.status).toBe(200);

    expect((await cat.delete('/api/calendar-feed')).status).toBe(204);
    const revoked = await fetchFeed(second);
    expect(revoked.response.status).toBe(404);
    expect(JSON.parse(revoked.text).error.code).toBe('not_found');
    expect((await cat.delete('/api/calendar-feed')).status).toBe(404);
    expect((await cat.get('/api/calendar-feed')).body.active).toBe(false);

    // Not a token's shape: refused before any lookup, naming the field.
    const malformed = await new ApiClient(app.url).get('/api/calendar-feed/not-a-token');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.field).toBe('token');
  });

  it('is made only with a session, and goes with the account', async () => {
    const dan = await new ApiClient(app.url).signup();
    const pat = (await dan.post('/api/tokens', { name: 'script' })).body.token as string;
    const byToken = await new ApiClient(app.url, pat).post('/api/calendar-feed');
    expect(byToken.status).toBe(403);
    expect(byToken.body.error.code).toBe('session_required');
    expect((await new ApiClient(app.url).post('/api/calendar-feed')).status).toBe(401);

    const { url } = (await dan.post('/api/calendar-feed')).body;
    expect((await dan.request('DELETE', '/api/me', { password: 'correct horse' })).status).toBe(204);
    expect((await fetchFeed(url)).response.status).toBe(404);
  });
});
