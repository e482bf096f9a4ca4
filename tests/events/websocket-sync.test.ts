import { newEnvelope, type TaskUpdate } from '@todo/contracts';
import { SyncLog } from '@todo/websocket-sync/sync-log';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { publishViaOutbox } from '../support/outbox.js';
import { type Frame, SyncClient } from '../support/sync-client.js';

const taskFrames = (client: SyncClient, taskId: string) =>
  client.of('task.sync').filter((frame) => frame.task_id === taskId);

describe('live sync over /ws', () => {
  let app: TestApp;
  let ann: ApiClient;
  let bob: ApiClient;
  const sockets: SyncClient[] = [];

  const open = async (user: ApiClient, options?: Parameters<typeof SyncClient.open>[2]) => {
    const client = await SyncClient.open(app.url, user.token as string, options);
    sockets.push(client);
    return client;
  };

  const create = async (user: ApiClient, title: string) => {
    const response = await user.post('/api/tasks', { title });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };

  beforeAll(async () => {
    app = await startTestApp({ WS_HEARTBEAT_MS: '1000' });
    const anon = new ApiClient(app.url);
    ann = await anon.signup();
    bob = await anon.signup();
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await app?.close();
  });

  it('greets a new client with the number it stands at', async () => {
    const fresh = await new ApiClient(app.url).signup();
    const client = await open(fresh);
    expect(await client.waitFor((frame) => frame.type === 'hello')).toEqual({ type: 'hello', seq: 0 });
  });

  it('pushes every write of a task to every open socket of its owner, in order', async () => {
    const [phone, laptop] = [await open(ann), await open(ann)];
    await Promise.all([phone, laptop].map((c) => c.waitFor((frame) => frame.type === 'hello')));

    const task = await create(ann, 'Pay rent');
    expect((await ann.patch(`/api/tasks/${task.id}`, { priority: 'high' })).status).toBe(200);
    expect((await ann.post(`/api/tasks/${task.id}/complete`)).status).toBe(200);
    expect((await ann.delete(`/api/tasks/${task.id}`)).status).toBe(204);

    for (const client of [phone, laptop]) {
      await client.waitFor((frame) => frame.task_id === task.id && frame.event_type === 'task.deleted');
      const frames = taskFrames(client, task.id);
      expect(frames.map((frame) => frame.event_type)).toEqual([
        'task.created',
        'task.updated',
        'task.completed',
        'task.deleted',
      ]);
      expect(frames[0].task).toMatchObject({ id: task.id, title: 'Pay rent', status: 'open' });
      expect(frames[1].task).toMatchObject({ priority: 'high' });
      expect(frames[2].task).toMatchObject({ status: 'completed' });
      expect(frames[3]).toMatchObject({ type: 'task.sync', task: null, task_id: task.id });
      const seqs = frames.map((frame: Frame) => frame.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(4);
    }
    // Both sockets saw the same numbers: they are the log's, not the connection's.
    expect(taskFrames(phone, task.id)).toEqual(taskFrames(laptop, task.id));
  });

  it("sends nothing of one user's tasks to another user's sockets", async () => {
    const [annSocket, bobSocket] = [await open(ann), await open(bob)];
    await Promise.all([annSocket, bobSocket].map((c) => c.waitFor((frame) => frame.type === 'hello')));

    const secret = await create(ann, 'Secret plan');
    // Ann's frame has been sent to whoever it was sent to once her own socket has it.
    await annSocket.waitFor((frame) => frame.task_id === secret.id);
    // Bob's own write comes after on his socket, so anything of Ann's would have arrived before it.
    const marker = await create(bob, 'Bob marker');
    await bobSocket.waitFor((frame) => frame.task_id === marker.id);

    expect(bobSocket.of('task.sync').map((frame) => frame.task_id)).toEqual([marker.id]);
    expect(JSON.stringify(bobSocket.frames)).not.toContain('Secret plan');
    expect(annSocket.of('task.sync').map((frame) => frame.task_id)).not.toContain(marker.id);
  });

  it.each([
    ['no token', {}],
    ['a malformed token', { token: 'not-a-jwt' }],
    ['a token signed elsewhere', { token: foreignToken() }],
  ])('refuses an upgrade with %s: 401 and no socket', async (_name, query: Record<string, string>) => {
    const refusal = await SyncClient.refusal(app.url, query);
    expect(refusal.status).toBe(401);
    expect(refusal.body.error.code).toBe('unauthorized');
  });

  it('refuses a since that is not a sequence number with 400', async () => {
    const refusal = await SyncClient.refusal(app.url, { token: ann.token, since: 'yesterday' });
    expect(refusal.status).toBe(400);
    expect(refusal.body.error.field).toBe('since');
  });

  it('replays exactly the frames a reconnecting client missed, in order, then live frames', async () => {
    // A second socket stays open throughout: once it has a frame, the frame is in the log.
    const witness = await open(ann);
    const first = await open(ann);
    const task = await create(ann, 'Water plants');
    const created = await first.waitFor((frame) => frame.task_id === task.id);
    await first.close();

    expect((await ann.patch(`/api/tasks/${task.id}`, { title: 'Water all plants' })).status).toBe(200);
    expect((await ann.post(`/api/tasks/${task.id}/complete`)).status).toBe(200);
    await witness.waitFor((frame) => frame.task_id === task.id && frame.event_type === 'task.completed');
    const missed = taskFrames(witness, task.id).slice(1);

    const resumed = await open(ann, { since: created.seq });
    const hello = await resumed.waitFor((frame) => frame.type === 'hello');
    expect((await ann.delete(`/api/tasks/${task.id}`)).status).toBe(204);
    const live = await resumed.waitFor((frame) => frame.event_type === 'task.deleted');

    const received = resumed.frames.filter((frame) => frame.type !== 'heartbeat');
    expect(received).toEqual([...missed, hello, live]);
    expect(missed.map((frame: Frame) => frame.event_type)).toEqual(['task.updated', 'task.completed']);
    expect(hello.seq).toBe(missed[1].seq);
    expect(live.seq).toBeGreaterThan(hello.seq);
  });

  it('tells a client resuming from an unknown number to refetch', async () => {
    const client = await open(ann, { since: 1_000_000_000 });
    await client.waitFor((frame) => frame.type === 'hello');
    expect(client.frames.filter((frame) => frame.type !== 'heartbeat').map((frame) => frame.type)).toEqual([
      'resync',
      'hello',
    ]);
  });

  it('pushes a new notification to its owner as a notification frame', async () => {
    const client = await open(ann);
    await client.waitFor((frame) => frame.type === 'hello');
    const { body: me } = await ann.get('/api/me');
    const task = await create(ann, 'Call the bank');
    const notification = {
      id: crypto.randomUUID(),
      task_id: task.id,
      title: task.title,
      body: 'Due in 30 minutes',
      created_at: new Date().toISOString(),
      late: false,
    };
    const event: TaskUpdate = {
      ...newEnvelope({
        eventType: 'notification.created',
        userId: me.id,
        taskId: task.id,
        correlationId: crypto.randomUUID(),
      }),
      payload: { notification },
    };
    await publishViaOutbox(app.db, 'task-updates', event);
    const frame = await client.waitFor((f) => f.type === 'notification');
    expect(frame).toEqual({ type: 'notification', seq: expect.any(Number), notification });
  });

  it('gives an event recorded by several replicas at once one number', async () => {
    const { body: me } = await bob.get('/api/me');
    const replicas = [new SyncLog(app.db), new SyncLog(app.db), new SyncLog(app.db)];
    const eventId = crypto.randomUUID();
    const frame = { type: 'task.sync', event_type: 'task.deleted', task: null, task_id: eventId } as const;
    const before = await replicas[0]?.latest(me.id);
    await Promise.all(replicas.map((log) => log.record(eventId, me.id, frame)));
    const rows = await new SyncLog(app.db).after(me.id, before ?? 0, 10);
    expect(rows).toEqual([{ seq: expect.any(Number), frame }]);
  });

  it('sends heartbeats, drops a socket that stops answering pings, and counts open sockets', async () => {
    const before = await openSockets(app.metricsUrl);
    const healthy = await open(bob);
    await healthy.waitFor((frame) => frame.type === 'heartbeat');
    const silent = await open(bob, { autoPong: false });
    await eventually(async () => expect(await openSockets(app.metricsUrl)).toBe(before + 2), 30_000);

    await silent.whenClosed();
    await eventually(async () => expect(await openSockets(app.metricsUrl)).toBe(before + 1), 30_000);
    expect(healthy.socket.readyState).toBe(healthy.socket.OPEN);
    await healthy.close();
    await eventually(async () => expect(await openSockets(app.metricsUrl)).toBe(before), 30_000);
  });
}, 120_000);

async function openSockets(metricsUrl: string): Promise<number> {
  const metrics = await (await fetch(metricsUrl)).text();
  return Number(/^websocket_connections (\d+)$/m.exec(metrics)?.[1]);
}

/** A well-formed JWT signed with a key the server does not know. */
function foreignToken(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: crypto.randomUUID() })}.${'x'.repeat(43)}`;
}
