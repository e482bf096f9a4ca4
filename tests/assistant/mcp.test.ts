/**
 * The MCP server at /mcp, driven by the official SDK's client over real HTTP, as Claude Desktop or
 * any other MCP client would: tools act through the same write path as the REST API.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';

describe('MCP server', () => {
  let app: TestApp;
  let ann: ApiClient;
  const clients: Client[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    ann = await new ApiClient(app.url).signup('America/Los_Angeles');
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await app?.close();
  });

  async function connect(token: string | undefined): Promise<Client> {
    const client = new Client({ name: 'todo-test-client', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', app.url), {
      requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} },
    });
    await client.connect(transport);
    clients.push(client);
    return client;
  }

  async function call(client: Client, name: string, args: Record<string, unknown>) {
    return (await client.callTool({ name, arguments: args })) as CallToolResult;
  }

  it('lists the task tools with described input schemas', async () => {
    const client = await connect(ann.token);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['add_task', 'list_tasks', 'update_task', 'complete_task', 'delete_task']),
    );
    const add = tools.find((t) => t.name === 'add_task');
    expect(add?.description).toBeTruthy();
    expect(add?.inputSchema.required).toEqual(['title']);
    const properties = add?.inputSchema.properties as Record<string, { description?: string }>;
    expect(properties.recurrence?.description).toContain('FREQ=WEEKLY;BYDAY=SU');
    expect(properties.reminders?.description).toContain('PT30M');
  });

  it('adds, lists, updates, completes and deletes tasks, visible through the REST API', async () => {
    const client = await connect(ann.token);
    const added = await call(client, 'add_task', {
      title: 'Call mom',
      due_at: '2026-11-29T18:00:00-08:00',
      recurrence: 'FREQ=WEEKLY;BYDAY=SU',
      reminders: ['PT30M'],
      tags: ['family'],
    });
    expect(added.isError).toBeFalsy();
    const task = (added.structuredContent as { task: { id: string } }).task;
    const rest = await ann.get(`/api/tasks/${task.id}`);
    expect(rest.body).toMatchObject({
      title: 'Call mom',
      due_at: '2026-11-30T02:00:00.000Z',
      recurrence: 'FREQ=WEEKLY;BYDAY=SU',
      reminders: ['PT30M'],
      tags: ['family'],
    });

    const listed = await call(client, 'list_tasks', { tag: 'family' });
    expect((listed.structuredContent as { items: { id: string }[] }).items.map((t) => t.id)).toEqual([
      task.id,
    ]);
    expect(JSON.parse((listed.content[0] as { text: string }).text).items[0].title).toBe('Call mom');

    const updated = await call(client, 'update_task', {
      task_id: task.id,
      title: 'Call mum',
      priority: 'high',
    });
    expect(updated.isError).toBeFalsy();
    expect((await ann.get(`/api/tasks/${task.id}`)).body).toMatchObject({
      title: 'Call mum',
      priority: 'high',
    });

    const completed = await call(client, 'complete_task', { task_id: task.id });
    expect((completed.structuredContent as { task: { status: string } }).task.status).toBe('completed');
    expect((await ann.get(`/api/tasks/${task.id}`)).body.status).toBe('completed');

    const deleted = await call(client, 'delete_task', { task_id: task.id });
    expect(deleted.isError).toBeFalsy();
    expect((await ann.get(`/api/tasks/${task.id}`)).status).toBe(404);

    // The tools wrote through the outbox like the REST API: every change reached the audit log.
    await eventually(async () => {
      const { body } = await ann.get(`/api/audit/logs?task_id=${task.id}`);
      expect(body.items.map((e: { action: string }) => e.action).sort()).toEqual([
        'task.completed',
        'task.created',
        'task.deleted',
        'task.updated',
      ]);
    });
  });

  it('answers bad input and unknown tasks with tool errors naming the problem', async () => {
    const client = await connect(ann.token);
    const badRule = await call(client, 'add_task', {
      title: 'Gym',
      due_at: '2026-12-01T07:00:00Z',
      recurrence: 'FREQ=SOMETIMES',
    });
    expect(badRule.isError).toBe(true);
    expect((badRule.content[0] as { text: string }).text).toMatch(/^recurrence: /);

    const badReminder = await call(client, 'add_task', {
      title: 'Gym',
      due_at: '2026-12-01T07:00:00Z',
      reminders: ['soon'],
    });
    expect(badReminder.isError).toBe(true);
    expect((badReminder.content[0] as { text: string }).text).toMatch(/reminders/);

    const missingTitle = await call(client, 'add_task', { priority: 'high' });
    expect(missingTitle.isError).toBe(true);
    expect((missingTitle.content[0] as { text: string }).text).toMatch(/title/);

    const unknown = await call(client, 'complete_task', { task_id: crypto.randomUUID() });
    expect(unknown.isError).toBe(true);
    expect((unknown.content[0] as { text: string }).text).toBe('task not found');
    expect((await ann.get('/api/tasks?q=gym')).body.items).toEqual([]);
  });

  it('takes lists by name: creates one, adds to it, lists it, moves tasks, and completes a parent as told', async () => {
    const client = await connect(ann.token);
    const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;
    const created = await call(client, 'create_list', { name: 'Shopping', color: '#22c55e' });
    const list = (created.structuredContent as { list: { id: string; name: string } }).list;
    expect(list.name).toBe('Shopping');
    const lists = await call(client, 'list_lists', {});
    expect((lists.structuredContent as { lists: { id: string }[] }).lists.map((l) => l.id)).toContain(
      list.id,
    );

    const milk = await call(client, 'add_task', { title: 'Milk', list: 'shopping' });
    const task = (milk.structuredContent as { task: { id: string; list_id: string } }).task;
    expect(task.list_id).toBe(list.id);
    const eggs = await call(client, 'add_task', { title: 'Free range', parent_id: task.id });
    expect((eggs.structuredContent as { task: { list_id: string } }).task.list_id).toBe(list.id);

    const onList = await call(client, 'list_tasks', { list: 'Shopping', parent: 'none' });
    expect((onList.structuredContent as { items: { title: string }[] }).items.map((t) => t.title)).toEqual([
      'Milk',
    ]);
    const unknown = await call(client, 'add_task', { title: 'Nails', list: 'Hardware' });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toBe('list: you have no list named "Hardware"');

    const open = await call(client, 'complete_task', { task_id: task.id });
    expect(open.isError).toBe(true);
    expect(text(open)).toMatch(/1 open subtask/);
    const done = await call(client, 'complete_task', { task_id: task.id, subtasks: 'complete' });
    expect((done.structuredContent as { task: { status: string } }).task.status).toBe('completed');

    const inbox = await call(client, 'update_task', { task_id: task.id, list: 'inbox' });
    expect((inbox.structuredContent as { task: { list_id: string | null } }).task.list_id).toBeNull();
    expect((await ann.get(`/api/tasks?list=inbox&parent=${task.id}`)).body.items).toHaveLength(1);
  });

  it('refuses unauthenticated clients with 401', async () => {
    await expect(connect(undefined)).rejects.toMatchObject({ code: 401 });
    await expect(connect('not-a-token')).rejects.toMatchObject({ code: 401 });
    const raw = await fetch(new URL('/mcp', app.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(raw.status).toBe(401);
  });

  it('accepts a personal access token until it is revoked, and never shows another user’s tasks', async () => {
    const created = await ann.post('/api/tokens', { name: 'Claude Desktop' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^tdc_/);
    const listedTokens = await ann.get('/api/tokens');
    expect(listedTokens.body.items).toEqual([
      expect.objectContaining({ id: created.body.id, name: 'Claude Desktop' }),
    ]);
    expect(JSON.stringify(listedTokens.body)).not.toContain(created.body.token);

    const viaPat = await connect(created.body.token);
    const added = await call(viaPat, 'add_task', { title: 'Water plants' });
    expect(added.isError).toBeFalsy();
    expect((await ann.get('/api/tasks?q=water')).body.items).toHaveLength(1);

    const bob = await new ApiClient(app.url).signup();
    const bobClient = await connect(bob.token);
    const bobList = await call(bobClient, 'list_tasks', {});
    expect((bobList.structuredContent as { items: unknown[] }).items).toEqual([]);
    const id = (added.structuredContent as { task: { id: string } }).task.id;
    expect((await call(bobClient, 'delete_task', { task_id: id })).isError).toBe(true);
    expect((await bob.delete(`/api/tokens/${created.body.id}`)).status).toBe(404);

    expect((await ann.delete(`/api/tokens/${created.body.id}`)).status).toBe(204);
    await expect(connect(created.body.token)).rejects.toMatchObject({ code: 401 });
    await expect(viaPat.listTools()).rejects.toMatchObject({ code: 401 });
    expect((await ann.get('/api/tokens')).body.items).toEqual([]);
  });
});
