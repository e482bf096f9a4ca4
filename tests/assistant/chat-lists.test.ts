/**
 * Lists through POST /api/chat with the built-in engine (issue 17 item 1): a task added to a
 * named list, a list read back, a task moved to another list and the move undone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';

describe('lists in chat', () => {
  let app: TestApp;
  let ann: ApiClient;

  beforeAll(async () => {
    app = await startTestApp();
    ann = await new ApiClient(app.url).signup('Europe/Berlin');
  });
  afterAll(() => app?.close());

  it('adds to, reads and moves between the user’s lists, and undoes a move', async () => {
    const shopping = (await ann.post('/api/lists', { name: 'Shopping' })).body;
    const work = (await ann.post('/api/lists', { name: 'Work' })).body;
    let conversation: string | undefined;
    const say = async (message: string) => {
      const response = await ann.post('/api/chat', {
        message,
        ...(conversation ? { conversation_id: conversation } : {}),
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      conversation = response.body.conversation_id;
      return response.body;
    };

    const added = await say('add milk to my shopping list');
    expect(added.reply).toBe('Added “Milk” to your Shopping list.');
    const milk = added.actions[0].result.task;
    expect(milk).toMatchObject({ title: 'Milk', list_id: shopping.id });

    await ann.post('/api/tasks', { title: 'Quarterly report' });
    const listed = await say('what’s on my shopping list?');
    expect(listed.intent).toBe('list_tasks');
    expect(listed.reply).toContain('on your Shopping list (1):\n• Milk');

    const moved = await say('move the report to work');
    expect(moved.reply).toBe('Updated “Quarterly report”: moved it to your Work list.');
    const reportId = moved.actions[0].result.task.id;
    expect((await ann.get(`/api/tasks/${reportId}`)).body.list_id).toBe(work.id);
    await say('undo');
    expect((await ann.get(`/api/tasks/${reportId}`)).body.list_id).toBeNull();

    // A list the user does not have is asked about; nothing is created.
    const asked = await say('add eggs to my groceries list');
    expect(asked.intent).toBe('clarify');
    expect(asked.actions).toEqual([]);
    expect((await ann.getAll('/api/tasks')).map((task: { title: string }) => task.title).sort()).toEqual([
      'Milk',
      'Quarterly report',
    ]);
  });
});
