/**
 * Import and export (issue 17 item 5): the export document round-trips into a new account, an
 * import reports each item, importing twice creates nothing twice, a Todoist CSV comes in, and
 * every created task goes through the write path (events valid against the contracts, audited,
 * pushed live). Bad input is a 4xx naming the field, never a partial write.
 */
import { assertValidEvent, type TaskEvent } from '@todo/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { SyncClient } from '../support/sync-client.js';

type Doc = Record<string, any>;

/** The document with its ids replaced by what they point at (list names, parent titles). */
function comparable(doc: Doc) {
  const listName = new Map(doc.lists.map((list: Doc) => [list.id, list.name]));
  const title = new Map(doc.tasks.map((task: Doc) => [task.id, task.title]));
  return {
    format: doc.format,
    version: doc.version,
    settings: doc.settings,
    lists: doc.lists.map(({ id, ...list }: Doc) => list),
    saved_filters: doc.saved_filters.map(({ id, query, ...filter }: Doc) => ({
      ...filter,
      query: query.list ? { ...query, list: listName.get(query.list) } : query,
    })),
    tasks: doc.tasks
      .map(({ id, series_id, list_id, parent_id, ...task }: Doc) => ({
        ...task,
        list: list_id ? listName.get(list_id) : null,
        parent: parent_id ? title.get(parent_id) : null,
        series: series_id ? (title.get(series_id) ?? 'series') : null,
      }))
      .sort((a: Doc, b: Doc) => a.title.localeCompare(b.title)),
  };
}

const csv = (rows: string[][]) =>
  rows
    .map((row) =>
      row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(','),
    )
    .join('\n');

const TODOIST_HEADER = [
  'TYPE',
  'CONTENT',
  'DESCRIPTION',
  'PRIORITY',
  'INDENT',
  'AUTHOR',
  'RESPONSIBLE',
  'DATE',
  'DATE_LANG',
  'TIMEZONE',
  'DURATION',
  'DURATION_UNIT',
];
const row = (type: string, content: string, more: Partial<Record<string, string>> = {}) =>
  TODOIST_HEADER.map((column) =>
    column === 'TYPE'
      ? type
      : column === 'CONTENT'
        ? content
        : (more[column] ?? (column === 'INDENT' ? '1' : '')),
  );

describe('import and export', () => {
  let app: TestApp;
  let anon: ApiClient;

  beforeAll(async () => {
    app = await startTestApp();
    anon = new ApiClient(app.url);
  });
  afterAll(() => app?.close());

  const ok = async <T = any>(response: Promise<{ status: number; body: T }>, status = 200) => {
    const { status: got, body } = await response;
    expect(got, JSON.stringify(body)).toBe(status);
    return body;
  };

  /** An account with a bit of everything: lists, a parent with subtasks, a recurring task with reminders, a completed task, a filter. */
  async function populated() {
    const ann = await anon.signup('America/New_York');
    await ok(ann.patch('/api/me', { email_notifications: false }));
    const work = await ok(ann.post('/api/lists', { name: 'Work', color: '#3b82f6' }), 201);
    await ok(ann.post('/api/lists', { name: 'Shopping' }), 201);
    const report = await ok(
      ann.post('/api/tasks', {
        title: 'Quarterly report',
        description: 'Numbers from finance',
        priority: 'urgent',
        tags: ['finance'],
        due_at: '2030-03-31T17:00:00-04:00',
        reminders: ['PT30M', 'P1D'],
        list_id: work.id,
      }),
      201,
    );
    await ok(ann.post('/api/tasks', { title: 'Draft outline', parent_id: report.id }), 201);
    const charts = await ok(ann.post('/api/tasks', { title: 'Charts', parent_id: report.id }), 201);
    await ok(ann.post(`/api/tasks/${charts.id}/complete`), 200);
    await ok(
      ann.post('/api/tasks', {
        title: 'Water the plants',
        due_at: '2030-01-06',
        all_day: true,
        recurrence: 'FREQ=WEEKLY;BYDAY=MO',
        reminders: ['PT0M'],
      }),
      201,
    );
    await ok(
      ann.post('/api/filters', { name: 'Urgent at work', query: { list: work.id, priority: 'urgent' } }),
      201,
    );
    return ann;
  }

  it('round-trips: export, import into a new account, export again gives the same data (ids aside)', async () => {
    const ann = await populated();
    const exported = await ann.get('/api/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="todo-export-/);
    const first: Doc = exported.body;
    expect(first).toMatchObject({ format: 'todo-chatbot-export', version: 1 });
    expect(first.tasks).toHaveLength(4);
    expect(first.settings).toEqual({ timezone: 'America/New_York', email_notifications: false });

    const bea = await anon.signup('Europe/Berlin');
    const report = await ok(bea.post('/api/import', first));
    expect(report).toMatchObject({ created: 2 + 4 + 1, updated: 1, refused: 0, skipped: 0 });
    expect(report.lines[0]).toEqual({ at: 'settings', kind: 'settings', status: 'updated' });
    expect(report.lines.find((line: Doc) => line.title === 'Charts')).toMatchObject({
      kind: 'task',
      status: 'created',
    });

    const second: Doc = (await bea.get('/api/export')).body;
    expect(comparable(second)).toEqual(comparable(first));
    // The new account's tasks are its own (new ids), and the filter opens its own list.
    const ids = new Set(first.tasks.map((task: Doc) => task.id));
    expect(second.tasks.some((task: Doc) => ids.has(task.id))).toBe(false);
    const filter = second.saved_filters[0];
    expect(second.lists.map((list: Doc) => list.id)).toContain(filter.query.list);
    // Reminders of the imported tasks are scheduled like any other's.
    const jobs = await app.db
      .selectFrom('scheduled_jobs')
      .select('name')
      .where(sql<string>`data->>'user_id'`, '=', (await bea.get('/api/me')).body.id)
      .execute();
    expect(jobs.length).toBeGreaterThanOrEqual(3);

    // Importing the same document again creates nothing twice; neither does importing one's own.
    const again = await ok(bea.post('/api/import', first));
    expect(again).toMatchObject({ created: 0, refused: 0 });
    expect(
      again.lines.filter((line: Doc) => line.kind === 'task').every((line: Doc) => line.status === 'skipped'),
    ).toBe(true);
    const own = await ok(ann.post('/api/import', first));
    expect(own).toMatchObject({ created: 0, refused: 0 });
    expect((await bea.get('/api/export')).body.tasks).toHaveLength(4);
    expect((await ann.get('/api/export')).body.tasks).toHaveLength(4);
  });

  it('imports through the write path: valid events, audited, pushed live', async () => {
    const ann = await populated();
    const document = (await ann.get('/api/export')).body;
    const cid = await anon.signup();
    const me = (await cid.get('/api/me')).body;
    const socket = await SyncClient.open(app.url, cid.token as string);
    try {
      const report = await ok(cid.post('/api/import', document));
      const created = report.lines.filter((line: Doc) => line.kind === 'task').map((line: Doc) => line.id);
      expect(created).toHaveLength(4);
      const rows = await app.db
        .selectFrom('outbox')
        .select('event')
        .where('topic', '=', 'task-events')
        .where('partition_key', 'in', created)
        .execute();
      const events = rows.map((one) => one.event as TaskEvent);
      for (const event of events) assertValidEvent('task-events', event);
      expect(events.map((event) => event.event_type)).toEqual(Array(4).fill('task.created'));
      expect(events.every((event) => event.user_id === me.id)).toBe(true);
      await socket.waitFor((frame) => frame.event_type === 'task.created' && frame.task?.title === 'Charts');
      await eventually(async () => {
        const { body } = await cid.get('/api/audit/logs?action=task.created');
        expect(body.items.length).toBeGreaterThanOrEqual(4);
      });
    } finally {
      socket.close();
    }
  });

  it('reports each item: refuses a bad one with its field, imports the rest', async () => {
    const dan = await anon.signup();
    const report = await ok(
      dan.post('/api/import', {
        format: 'todo-chatbot-export',
        version: 1,
        lists: [{ id: crypto.randomUUID(), name: '', color: null, position: 0 }],
        tasks: [
          { id: crypto.randomUUID(), title: 'Fine', status: 'open' },
          { id: crypto.randomUUID(), title: 'No date', status: 'open', reminders: ['PT5M'] },
          { id: crypto.randomUUID(), title: 7, status: 'open' },
          { id: crypto.randomUUID(), title: 'Orphan', status: 'open', parent_id: crypto.randomUUID() },
        ],
      }),
    );
    expect(report).toMatchObject({ created: 1, refused: 4 });
    const byAt = Object.fromEntries(report.lines.map((line: Doc) => [line.at, line]));
    expect(byAt['lists[0]']).toMatchObject({ status: 'refused', field: 'lists[0].name' });
    expect(byAt['tasks[0]']).toMatchObject({ status: 'created', title: 'Fine' });
    expect(byAt['tasks[1]']).toMatchObject({ status: 'refused', field: 'tasks[1].reminders' });
    expect(byAt['tasks[2]']).toMatchObject({ status: 'refused', field: 'tasks[2].title' });
    expect(byAt['tasks[3]']).toMatchObject({ status: 'refused', field: 'tasks[3].parent_id' });
  });

  it('refuses what is not an export document, or too large, with the field (and writes nothing)', async () => {
    const eve = await anon.signup();
    const cases: [unknown, string][] = [
      [[], 'body'],
      [{ format: 'other', version: 1 }, 'format'],
      [{ format: 'todo-chatbot-export', version: 99 }, 'version'],
      [{ format: 'todo-chatbot-export', version: 1, tasks: 'x' }, 'tasks'],
      [{ format: 'todo-chatbot-export', version: 1, tasks: Array(2001).fill({}) }, 'tasks'],
    ];
    for (const [body, field] of cases) {
      const refused = await eve.post('/api/import', body);
      expect(refused.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(refused.body.error.field).toBe(field);
    }
    const huge = await eve.post('/api/import', {
      format: 'todo-chatbot-export',
      version: 1,
      tasks: [
        { id: crypto.randomUUID(), title: 'x', status: 'open', description: 'y'.repeat(3 * 1024 * 1024) },
      ],
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.field).toBe('body');
    expect((await eve.get('/api/export')).body.tasks).toEqual([]);
    const csvAsExport = await eve.post('/api/import', 'TYPE,CONTENT\ntask,x', { 'content-type': 'text/csv' });
    expect(csvAsExport.body.error.field).toBe('body');
    expect((await eve.post('/api/import?format=todoist-csv', { a: 1 })).status).toBe(400);
    expect((await eve.post('/api/import?format=csv', {})).body.error.field).toBe('format');
    expect((await eve.post('/api/import', 'x', { 'content-type': 'application/xml' })).status).toBe(415);
    expect((await eve.get('/api/export')).body.tasks).toEqual([]);
  });

  it('imports a Todoist CSV: sections, subtasks, notes, priorities, labels, dates; twice creates nothing twice', async () => {
    const fay = await anon.signup('Europe/Berlin');
    const file = csv([
      TODOIST_HEADER,
      row('task', 'Plan the trip @travel', {
        PRIORITY: '4',
        DATE: 'every monday',
        DESCRIPTION: 'Flights first',
      }),
      row('task', 'Book flights', { INDENT: '2', PRIORITY: '3' }),
      row('note', 'Check the "budget", too'),
      row('task', 'Compare fares', { INDENT: '3' }),
      [],
      row('section', 'Packing'),
      row('task', 'Buy sunscreen', { PRIORITY: '1', DATE: '2030-06-01' }),
      row('task', 'Renew passport', { DATE: 'when pigs fly' }),
      row('task', 'Orphan step', { INDENT: '2' }),
      row('meta', 'view_style'),
    ]);
    const headers = { 'content-type': 'text/csv' };
    const report = await ok(fay.post('/api/import?format=todoist-csv&list=Holiday', file, headers));
    const byLine = (line: number) => report.lines.find((one: Doc) => one.at === `line ${line}`);
    expect(report.lines.find((one: Doc) => one.kind === 'list')).toMatchObject({
      status: 'created',
      title: 'Holiday',
    });
    expect(byLine(2)).toMatchObject({ kind: 'task', status: 'created', title: 'Plan the trip' });
    expect(byLine(4)).toMatchObject({ kind: 'note', status: 'created', id: byLine(3).id });
    expect(byLine(5)).toMatchObject({ status: 'created', reason: expect.stringContaining('one level deep') });
    expect(byLine(7)).toMatchObject({ kind: 'section', status: 'skipped' });
    expect(byLine(9)).toMatchObject({ status: 'refused', field: 'DATE' });
    expect(byLine(10)).toMatchObject({ status: 'refused', field: 'INDENT' });
    expect(byLine(11)).toMatchObject({ kind: 'row', status: 'skipped' });
    expect(report).toMatchObject({ created: 6, refused: 2 });

    const lists = (await fay.get('/api/lists')).body.items;
    expect(lists.map((list: Doc) => list.name)).toEqual(['Holiday']);
    const tasks = await fay.getAll(`/api/tasks?list=${lists[0].id}`);
    const byTitle = Object.fromEntries(tasks.map((task: Doc) => [task.title, task]));
    expect(Object.keys(byTitle).sort()).toEqual([
      'Book flights',
      'Buy sunscreen',
      'Compare fares',
      'Plan the trip',
    ]);
    expect(byTitle['Plan the trip']).toMatchObject({
      priority: 'urgent',
      tags: ['travel'],
      description: 'Flights first',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO',
      parent_id: null,
    });
    expect(byTitle['Book flights']).toMatchObject({
      priority: 'high',
      parent_id: byTitle['Plan the trip'].id,
      description: 'Check the "budget", too',
    });
    expect(byTitle['Compare fares'].parent_id).toBe(byTitle['Plan the trip'].id);
    expect(byTitle['Buy sunscreen']).toMatchObject({
      priority: 'low',
      due_at: '2030-06-01T00:00:00.000Z',
      all_day: true,
    });

    const again = await ok(fay.post('/api/import?format=todoist-csv&list=Holiday', file, headers));
    expect(again).toMatchObject({ created: 0 });
    expect(await fay.getAll(`/api/tasks?list=${lists[0].id}`)).toHaveLength(4);
    expect((await fay.get('/api/lists')).body.items).toHaveLength(1);
  });

  it('refuses a file that is not Todoist CSV, naming the body', async () => {
    const gus = await anon.signup();
    const headers = { 'content-type': 'text/csv' };
    for (const file of [
      'NAME,AGE\nann,3',
      'TYPE,CONTENT\n"unterminated,x',
      `TYPE,CONTENT\n${'task,x\n'.repeat(2001)}`,
    ]) {
      const refused = await gus.post('/api/import?format=todoist-csv', file, headers);
      expect(refused.status, file.slice(0, 30)).toBe(400);
      expect(refused.body.error.field).toBe('body');
    }
    expect((await gus.get('/api/export')).body.tasks).toEqual([]);
  });
});
