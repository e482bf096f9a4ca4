/**
 * Isolation between accounts, over every route the OpenAPI document lists (a new route is covered
 * without editing this file, or fails it until its ids are known here): user B, holding only its
 * own token, never reads, changes or learns of user A's data, and nothing answers without a token.
 */
import { newEnvelope } from '@todo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { publishViaOutbox } from '../support/outbox.js';
import { SyncClient } from '../support/sync-client.js';

interface Operation {
  method: string;
  path: string;
  tags: string[];
  body?: JsonSchema;
  /**
   * The document says it takes no credential (`security: []`): a secret in its address is the
   * credential: the calendar feed (checked below) and verification links (email-verification.test.ts).
   */
  anonymous: boolean;
}
interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, JsonSchema>;
  minLength?: number;
  anyOf?: JsonSchema[];
}

/** Routes anyone may call: creating an account and logging in. */
const PUBLIC_PATHS = new Set(['/api/auth/signup', '/api/auth/login']);
/**
 * Routes that end the caller's own session: B calls them with a second session of its own, so the
 * other routes still see B signed in (they concern only the caller, never another user).
 */
const ENDS_SESSION = new Set(['/api/auth/logout']);
/** Routes guarded by origin (loopback only: the scheduler's callback), not by a user's token. */
const isInternal = (operation: Operation) => operation.tags.includes('internal');
/** The routes that need a user's token: all but the public and internal ones. */
const needsUser = (operation: Operation) =>
  !PUBLIC_PATHS.has(operation.path) && !isInternal(operation) && !operation.anonymous;

const label = (operation: Operation) => `${operation.method} ${operation.path}`;

async function operationsOf(client: ApiClient): Promise<Operation[]> {
  const { status, body } = await client.get('/api/openapi.json');
  expect(status).toBe(200);
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(body.paths as Record<string, Record<string, any>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      operations.push({
        method: method.toUpperCase(),
        path,
        tags: operation.tags ?? [],
        body: operation.requestBody?.content?.['application/json']?.schema,
        anonymous: Array.isArray(operation.security) && operation.security.length === 0,
      });
    }
  }
  return operations;
}

/**
 * A body that passes validation, so the request reaches the owner check: every required field
 * with a plausible value, uuids pointing at A's resource, then the route's own overrides.
 */
function exampleOf(schema: JsonSchema, uuid: string): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : (schema.type ?? schema.anyOf?.[0]?.type);
  if (schema.enum) return schema.enum[0];
  if (type === 'object') {
    return Object.fromEntries(
      (schema.required ?? []).map((name) => [name, exampleOf(schema.properties?.[name] ?? {}, uuid)]),
    );
  }
  if (type === 'array') return [];
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return true;
  if (schema.format === 'uuid') return uuid;
  if (schema.format === 'date-time') return '2030-01-01T09:00:00Z';
  if (schema.format === 'email') return `someone-${crypto.randomUUID().slice(0, 8)}@example.test`;
  return 'x'.repeat(Math.max(schema.minLength ?? 1, 8));
}

describe('one user’s token never reaches another user’s data', () => {
  let app: TestApp;
  let anon: ApiClient;
  let ann: ApiClient;
  let bob: ApiClient;
  let operations: Operation[];
  /** A's resource id for each path with an `{id}`, by the path's collection. */
  const annIds: Record<string, string> = {};
  /** Strings only A's data contains: seeing one in B's answers or frames is a leak. */
  const annSecrets: string[] = [];
  const marker = `zebra-${crypto.randomUUID().slice(0, 8)}`;

  const idFor = (path: string): string => {
    const prefix = Object.keys(annIds).find((candidate) => path.startsWith(candidate));
    if (!prefix) throw new Error(`no id of user A for ${path}: add its resource to the set-up`);
    return annIds[prefix] as string;
  };
  const concrete = (path: string) => path.replace(/\{[^}]+\}/g, () => idFor(path));
  const bodyFor = (operation: Operation): unknown => {
    if (operation.path === '/api/chat')
      return { conversation_id: idFor('/api/chat/conversations/'), message: `show ${marker}` };
    return operation.body
      ? exampleOf(operation.body, operation.path.includes('{') ? idFor(operation.path) : crypto.randomUUID())
      : undefined;
  };
  const call = (client: ApiClient, operation: Operation) =>
    client.request(operation.method, concrete(operation.path), bodyFor(operation));
  const leaks = (value: unknown) => annSecrets.filter((secret) => JSON.stringify(value).includes(secret));

  /** A's calendar feed address (the secret is in it). */
  let annFeedUrl = '';
  /** A feed's text without DTSTAMP, the one line that changes with every fetch. */
  const feedText = async (url: string) =>
    (await (await fetch(url)).text())
      .split('\r\n')
      .filter((line) => !line.startsWith('DTSTAMP:'))
      .join('\n');

  /** Everything A can read, through every parameterless or A-id GET route, and A's feed. */
  const annView = async () => {
    const view: Record<string, unknown> = {};
    for (const operation of operations.filter((o) => o.method === 'GET' && !o.anonymous)) {
      view[operation.path] = (await ann.get(concrete(operation.path))).body;
    }
    view.feed = await feedText(annFeedUrl);
    // The export is all of A's data at the moment it was made.
    const exported = view['/api/export'] as { exported_at?: string } | undefined;
    if (exported) delete exported.exported_at;
    return view;
  };

  beforeAll(async () => {
    app = await startTestApp();
    anon = new ApiClient(app.url);
    ann = await anon.signup('America/New_York');
    bob = await anon.signup('America/New_York');
    operations = await operationsOf(anon);

    const me = (await ann.get('/api/me')).body;
    const list = await ann.post('/api/lists', { name: `Projects ${marker}` });
    expect(list.status, JSON.stringify(list.body)).toBe(201);
    const filter = await ann.post('/api/filters', {
      name: `Filter ${marker}`,
      query: { list: list.body.id },
    });
    expect(filter.status, JSON.stringify(filter.body)).toBe(201);
    const task = await ann.post('/api/tasks', {
      list_id: list.body.id,
      title: `Pay rent ${marker}`,
      tags: [marker],
      recurrence: 'FREQ=WEEKLY',
      due_at: '2030-01-07T14:00:00Z',
      reminders: ['PT30M'],
    });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    const chat = await ann.post('/api/chat', { message: `add ${marker} call the bank tomorrow` });
    expect(chat.status, JSON.stringify(chat.body)).toBe(200);
    const token = await ann.post('/api/tokens', { name: `laptop ${marker}` });
    expect(token.status).toBe(201);
    await publishViaOutbox(app.db, 'reminders', {
      ...newEnvelope({
        eventType: 'reminder.due',
        userId: me.id,
        taskId: task.body.id,
        correlationId: crypto.randomUUID(),
      }),
      payload: {
        job_id: `reminder:${task.body.id}:PT30M`,
        task_title: task.body.title,
        due_at: task.body.due_at,
        all_day: false,
        offset: 'PT30M',
        fire_at: '2030-01-07T13:30:00Z',
        late: false,
      },
    });
    const notification = (await ann.get('/api/notifications')).body.items[0];
    expect(notification?.task_id).toBe(task.body.id);
    const feed = await ann.post('/api/calendar-feed');
    expect(feed.status).toBe(201);
    annFeedUrl = feed.body.url;
    expect(await feedText(annFeedUrl)).toContain(marker);

    Object.assign(annIds, {
      '/api/tasks/': task.body.id,
      '/api/chat/conversations/': chat.body.conversation_id,
      '/api/tokens/': token.body.id,
      '/api/notifications/': notification.id,
      '/api/lists/': list.body.id,
      '/api/filters/': filter.body.id,
    });
    const subtask = await ann.post('/api/tasks', { title: `Step ${marker}`, parent_id: task.body.id });
    expect(subtask.status, JSON.stringify(subtask.body)).toBe(201);
    annSecrets.push(
      marker,
      me.id,
      me.email,
      token.body.token,
      annFeedUrl.split('/').at(-1) as string,
      ...Object.values(annIds),
    );
  });
  afterAll(() => app?.close());

  /** B signed in once more: a session of B's that may be ended. */
  const bobAgain = async () => {
    const { email } = (await bob.get('/api/me')).body;
    const login = await anon.post('/api/auth/login', { email, password: 'correct horse' });
    expect(login.status).toBe(200);
    return new ApiClient(app.url, login.body.token);
  };

  it('lists every authenticated route of the document', () => {
    const authenticated = operations.filter(needsUser);
    // The routes this suite was written against: fewer means the document lost some.
    expect(authenticated.length).toBeGreaterThanOrEqual(22);
  });

  it('answers 401 on every route and /ws without a token or with a forged one', async () => {
    const forged = new ApiClient(app.url, `${ann.token?.slice(0, -4)}AAAA`);
    const failures: string[] = [];
    for (const operation of operations.filter(needsUser)) {
      for (const client of [anon, forged]) {
        const { status, body } = await call(client, operation);
        if (status !== 401 || leaks(body).length > 0) {
          failures.push(
            `${label(operation)} ${client === anon ? 'without' : 'with a forged'} token: ${status}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
    for (const token of [undefined, forged.token]) {
      expect((await SyncClient.refusal(app.url, { token })).status).toBe(401);
    }
  });

  it('gives B 404 for each of A’s ids and nothing of A’s anywhere, leaving A’s data as it was', async () => {
    const before = await annView();
    const sockets = [await SyncClient.open(app.url, bob.token as string)];
    try {
      const failures: string[] = [];
      for (const operation of operations.filter(needsUser)) {
        const { status, body } = await call(
          ENDS_SESSION.has(operation.path) ? await bobAgain() : bob,
          operation,
        );
        const targetsAnn = operation.path.includes('{') || operation.path === '/api/chat';
        if (status >= 500 || (targetsAnn && status !== 404)) {
          failures.push(`${label(operation)}: ${status} ${JSON.stringify(body)}`);
        }
        if (leaks(body).length > 0) failures.push(`${label(operation)} leaks ${leaks(body).join(', ')}`);
      }
      // B asks the assistant about A's task by the words of its title (the marker, B cannot know).
      const asked = await bob.post('/api/chat', { message: 'mark pay rent done' });
      expect(asked.status).toBe(200);
      if (leaks(asked.body).length > 0) failures.push(`POST /api/chat leaks ${leaks(asked.body).join(', ')}`);

      // B's own calendar feed (B made one above) shows nothing of A's.
      const bobFeed = await bob.post('/api/calendar-feed');
      expect(bobFeed.status).toBe(201);
      const bobCalendar = await feedText(bobFeed.body.url);
      expect(bobCalendar).toContain('BEGIN:VCALENDAR');
      if (leaks(bobCalendar).length > 0)
        failures.push(`B's calendar feed leaks ${leaks(bobCalendar).join(', ')}`);

      expect(failures).toEqual([]);
      // A's feed still serves, unchanged by anything B did (B's DELETE /api/calendar-feed included).
      expect(await annView()).toEqual(before);

      // A's next change reaches A's socket; B's socket, live or replaying from 0, never sees it.
      const annSocket = await SyncClient.open(app.url, ann.token as string);
      sockets.push(annSocket);
      const edited = await ann.patch(`/api/tasks/${annIds['/api/tasks/']}`, { description: marker });
      expect(edited.status).toBe(200);
      await annSocket.waitFor(
        (frame) => frame.task_id === annIds['/api/tasks/'] && frame.task?.description === marker,
      );
      const own = await bob.post('/api/tasks', { title: 'Bob’s own' });
      await sockets[0]?.waitFor((frame) => frame.task_id === own.body.id);
      const replay = await SyncClient.open(app.url, bob.token as string, { since: 0 });
      sockets.push(replay);
      await replay.waitFor((frame) => frame.task_id === own.body.id);
      expect(leaks(sockets[0]?.frames)).toEqual([]);
      expect(leaks(replay.frames)).toEqual([]);
    } finally {
      await Promise.all(sockets.map((socket) => socket.close()));
    }
  });

  it('B importing A’s export gets copies of its own: none of A’s ids, and A’s data as it was', async () => {
    const before = await annView();
    const bobsBefore = (await bob.get('/api/export')).body.tasks.length;
    const document = (await ann.get('/api/export')).body;
    expect(document.tasks.length).toBeGreaterThan(0);
    const imported = await bob.post('/api/import', document);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.refused).toBe(0);
    const skipped = imported.body.lines.filter(
      (line: { status: string; kind: string }) => line.status === 'skipped' && line.kind !== 'settings',
    );
    expect(skipped).toEqual([]);
    const mine = (await bob.get('/api/export')).body;
    expect(mine.tasks).toHaveLength(bobsBefore + document.tasks.length);
    const annIdsNow = [...Object.values(annIds), ...document.tasks.map((task: { id: string }) => task.id)];
    const copyIds = JSON.stringify([mine.tasks, mine.lists, mine.saved_filters]);
    expect(annIdsNow.filter((id) => copyIds.includes(id))).toEqual([]);

    // A document naming A's ids reaches nothing of A's: A's task id is B's copy of it by now, A's
    // list (not in the document) is refused.
    const crafted = await bob.post('/api/import', {
      format: 'todo-chatbot-export',
      version: 1,
      tasks: [
        {
          id: crypto.randomUUID(),
          title: 'Under A’s task',
          status: 'open',
          parent_id: annIds['/api/tasks/'],
        },
        { id: crypto.randomUUID(), title: 'In A’s list', status: 'open', list_id: annIds['/api/lists/'] },
        { id: annIds['/api/tasks/'], title: 'A’s id', status: 'open' },
      ],
    });
    expect(crafted.status).toBe(200);
    const byAt = Object.fromEntries(
      crafted.body.lines.map((line: { at: string; status: string; field?: string; id?: string }) => [
        line.at,
        line,
      ]),
    );
    expect(byAt['tasks[1]']).toMatchObject({ status: 'refused', field: 'tasks[1].list_id' });
    expect(byAt['tasks[2]']).toMatchObject({ status: 'skipped', reason: 'imported before' });
    expect(byAt['tasks[0]']).toMatchObject({ status: 'created' });
    const under = (await bob.get(`/api/tasks/${byAt['tasks[0]'].id}`)).body;
    expect(under.parent_id).toBe(byAt['tasks[2]'].id);
    expect(under.parent_id).not.toBe(annIds['/api/tasks/']);
    expect(await annView()).toEqual(before);
  });
});
