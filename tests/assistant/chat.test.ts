/**
 * POST /api/chat over real HTTP: a conversation with the built-in engine (no LLM configured), its
 * persisted history, and LLM mode against a scripted OpenAI-compatible server started here.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { completion, ScriptedFakeLlm } from '../support/scripted-fake-llm.js';

const ZONE = 'America/Los_Angeles';

describe('chat with the built-in engine', () => {
  let app: TestApp;
  let ann: ApiClient;

  beforeAll(async () => {
    app = await startTestApp();
    ann = await new ApiClient(app.url).signup(ZONE);
  });
  afterAll(() => app?.close());

  it('manages tasks over a multi-turn conversation and keeps its history for its owner only', async () => {
    const say = async (message: string, conversationId?: string) => {
      const response = await ann.post('/api/chat', {
        message,
        ...(conversationId ? { conversation_id: conversationId } : {}),
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body;
    };

    const added = await say('remind me to call mom every Sunday at 6pm');
    const conversation = added.conversation_id;
    expect(added.actions.map((a: { tool: string }) => a.tool)).toEqual(['add_task']);
    const momId = added.actions[0].result.task.id;
    const mom = (await ann.get(`/api/tasks/${momId}`)).body;
    // The first occurrence: the next Sunday 18:00 on the user's wall clock (the engine runs on the real clock).
    const now = DateTime.now().setZone(ZONE);
    let sunday = now
      .set({ hour: 18, minute: 0, second: 0, millisecond: 0 })
      .plus({ days: (7 - now.weekday) % 7 });
    if (sunday <= now) sunday = sunday.plus({ weeks: 1 });
    expect(mom).toMatchObject({ title: 'Call mom', recurrence: 'FREQ=WEEKLY;BYDAY=SU', all_day: false });
    expect(DateTime.fromISO(mom.due_at).setZone(ZONE).toISO()).toBe(sunday.toISO());
    expect(added.reply).toContain('Call mom');

    const listed = await say("what's due this week?", conversation);
    expect(listed.intent).toBe('list_tasks');
    expect(listed.actions.map((a: { tool: string }) => a.tool)).toEqual(['list_tasks']);

    const done = await say('mark call mom done', conversation);
    expect(done.actions.map((a: { tool: string }) => a.tool)).toEqual(['complete_task']);
    expect((await ann.get(`/api/tasks/${momId}`)).body.status).toBe('completed');

    const undone = await say('undo', conversation);
    expect(undone.intent).toBe('undo');
    expect(undone.actions.map((a: { tool: string }) => a.tool)).toContain('reopen_task');
    expect((await ann.get(`/api/tasks/${momId}`)).body.status).toBe('open');

    const dentist = (await ann.post('/api/tasks', { title: 'Call dentist' })).body;
    const appointment = (await ann.post('/api/tasks', { title: 'Dentist appointment' })).body;
    const question = await say('mark the dentist one done', conversation);
    expect(question.intent).toBe('clarify');
    expect(question.actions).toEqual([]);
    expect(question.awaiting.type).toBe('choose_task');
    const candidates = question.awaiting.candidates.map((c: { id: string }) => c.id);
    expect([...candidates].sort()).toEqual([dentist.id, appointment.id].sort());
    const answer = await say('the second one', conversation);
    expect(answer.intent).toBe('complete_task');
    expect(answer.awaiting).toBeNull();
    expect((await ann.get(`/api/tasks/${candidates[1]}`)).body.status).toBe('completed');
    expect((await ann.get(`/api/tasks/${candidates[0]}`)).body.status).toBe('open');

    const history = await ann.get(`/api/chat/conversations/${conversation}`);
    expect(history.status).toBe(200);
    expect(history.body.title).toBe('remind me to call mom every Sunday at 6pm');
    const messages = history.body.messages as { role: string; content: string; actions: unknown[] }[];
    expect(messages.map((m) => m.role)).toEqual(
      Array.from({ length: 6 }, () => ['user', 'assistant']).flat(),
    );
    expect(messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'remind me to call mom every Sunday at 6pm',
      "what's due this week?",
      'mark call mom done',
      'undo',
      'mark the dentist one done',
      'the second one',
    ]);
    expect(messages[1]?.content).toBe(added.reply);
    expect(messages[1]?.actions).toEqual(added.actions);
    expect((await ann.get('/api/chat/conversations')).body).toEqual({
      items: [expect.objectContaining({ id: conversation, title: history.body.title })],
      next_cursor: null,
    });

    const bob = await new ApiClient(app.url).signup();
    expect((await bob.get(`/api/chat/conversations/${conversation}`)).status).toBe(404);
    expect((await bob.post('/api/chat', { conversation_id: conversation, message: 'undo' })).status).toBe(
      404,
    );
    expect((await bob.delete(`/api/chat/conversations/${conversation}`)).status).toBe(404);
    expect((await bob.get('/api/chat/conversations')).body.items).toEqual([]);

    expect((await ann.delete(`/api/chat/conversations/${conversation}`)).status).toBe(204);
    expect((await ann.get(`/api/chat/conversations/${conversation}`)).status).toBe(404);
    expect((await ann.get(`/api/tasks/${momId}`)).status).toBe(200);
  });

  it('undo after a confirmed bulk delete brings every task back under its id, done ones done', async () => {
    const carol = await new ApiClient(app.url).signup(ZONE);
    const done = [];
    for (const title of ['Renew passport', 'Return library books']) {
      const task = (await carol.post('/api/tasks', { title, tags: ['errands'] })).body;
      await carol.post(`/api/tasks/${task.id}/complete`);
      done.push((await carol.get(`/api/tasks/${task.id}`)).body);
    }
    const open = (await carol.post('/api/tasks', { title: 'Buy groceries' })).body;
    const question = (await carol.post('/api/chat', { message: 'clear out the done ones' })).body;
    expect(question.awaiting.type).toBe('confirm');
    expect([...question.awaiting.task_ids].sort()).toEqual(done.map((t) => t.id).sort());
    const conversation_id = question.conversation_id;
    const yes = (await carol.post('/api/chat', { conversation_id, message: 'yes' })).body;
    expect(yes.intent).toBe('delete_task');
    expect(yes.actions.map((a: { tool: string }) => a.tool)).toEqual(['delete_task', 'delete_task']);
    for (const task of done) expect((await carol.get(`/api/tasks/${task.id}`)).status).toBe(404);

    const undone = (await carol.post('/api/chat', { conversation_id, message: 'undo' })).body;
    expect(undone.intent).toBe('undo');
    expect(undone.actions.map((a: { tool: string }) => a.tool)).toEqual(['restore_task', 'restore_task']);
    for (const task of done) {
      const back = (await carol.get(`/api/tasks/${task.id}`)).body;
      expect(back).toMatchObject({
        id: task.id,
        title: task.title,
        tags: ['errands'],
        status: 'completed',
        completed_at: task.completed_at,
      });
    }
    const all = (await carol.get('/api/tasks?limit=200')).body.items.map((t: { id: string }) => t.id);
    expect(all.sort()).toEqual([...done.map((t) => t.id), open.id].sort());
  });

  it('rejects messages that are too long or blank, naming the field, and needs a login', async () => {
    const long = await ann.post('/api/chat', { message: 'x'.repeat(2001) });
    expect(long.status).toBe(400);
    expect(long.body.error.field).toBe('message');
    const blank = await ann.post('/api/chat', { message: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.field).toBe('message');
    expect((await new ApiClient(app.url).post('/api/chat', { message: 'hi' })).status).toBe(401);
  });

  it('answers what it cannot understand with what it can do, and pages conversations', async () => {
    const help = (await ann.post('/api/chat', { message: 'what can you do?' })).body;
    expect(help.intent).toBe('help');
    expect(help.actions).toEqual([]);
    expect(help.reply.length).toBeGreaterThan(20);
    await ann.post('/api/chat', { message: 'add buy milk' });
    const first = (await ann.get('/api/chat/conversations?limit=1')).body;
    expect(first.items).toHaveLength(1);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = (await ann.get(`/api/chat/conversations?limit=1&cursor=${first.next_cursor}`)).body;
    expect(second.items).toHaveLength(1);
    expect(second.items[0].id).not.toBe(first.items[0].id);
  });
});

describe('chat in LLM mode against a scripted fake LLM', () => {
  const llm = new ScriptedFakeLlm();
  let app: TestApp;
  let ann: ApiClient;

  beforeAll(async () => {
    const baseUrl = await llm.start();
    app = await startTestApp({
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: baseUrl,
      OPENAI_MODEL: 'scripted-model',
      OPENAI_TIMEOUT_MS: '500',
    });
    ann = await new ApiClient(app.url).signup('Europe/Berlin');
  });
  afterAll(async () => {
    await app?.close();
    await llm.stop();
  });

  it('lets the model call the tools and answers from their results', async () => {
    llm.will(
      () =>
        completion({
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: {
                name: 'add_task',
                arguments: JSON.stringify({
                  title: 'Pay rent',
                  due_at: '2026-12-01T09:00:00+01:00',
                  reminders: ['P1D'],
                }),
              },
            },
          ],
        }),
      (body) => {
        // Answers from the tool result the loop sent back.
        const toolMessage = body.messages.at(-1);
        const { task } = JSON.parse(toolMessage.content);
        return completion({ role: 'assistant', content: `Added “${task.title}” (id ${task.id}).` });
      },
    );
    const response = await ann.post('/api/chat', {
      message: 'pay rent on Dec 1 at 9, remind me the day before',
    });
    expect(response.status).toBe(200);
    const { actions, reply, intent } = response.body;
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ tool: 'add_task', input: { title: 'Pay rent' } });
    const id = actions[0].result.task.id;
    expect(reply).toBe(`Added “Pay rent” (id ${id}).`);
    expect(intent).toBeNull();
    expect((await ann.get(`/api/tasks/${id}`)).body).toMatchObject({
      title: 'Pay rent',
      due_at: '2026-12-01T08:00:00.000Z',
      reminders: ['P1D'],
    });

    const [first, second] = llm.requests.slice(-2);
    expect(first?.headers.authorization).toBe('Bearer test-key');
    expect(first?.body.model).toBe('scripted-model');
    expect(first?.body.tools.map((t: any) => t.function.name)).toEqual(
      expect.arrayContaining(['add_task', 'list_tasks', 'update_task', 'complete_task', 'delete_task']),
    );
    expect(first?.body.messages[0]).toMatchObject({
      role: 'system',
      content: expect.stringContaining('Europe/Berlin'),
    });
    expect(second?.body.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });

    // The next turn carries the history from the database.
    llm.will(() => completion({ role: 'assistant', content: 'You are welcome.' }));
    const next = await ann.post('/api/chat', {
      conversation_id: response.body.conversation_id,
      message: 'thanks',
    });
    expect(next.body.reply).toBe('You are welcome.');
    const sent = llm.requests.at(-1)?.body.messages.map((m: any) => [m.role, m.content]);
    expect(sent.slice(1)).toEqual([
      ['user', 'pay rent on Dec 1 at 9, remind me the day before'],
      ['assistant', reply],
      ['user', 'thanks'],
    ]);
  });

  it('returns tool errors to the model instead of failing the turn', async () => {
    llm.will(
      () =>
        completion({
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'c',
              type: 'function',
              function: { name: 'complete_task', arguments: '{"task_id":"nope"}' },
            },
          ],
        }),
      (body) =>
        completion({
          role: 'assistant',
          content: `Tool said: ${JSON.parse(body.messages.at(-1).content).error.message}`,
        }),
    );
    const response = await ann.post('/api/chat', { message: 'finish nope' });
    expect(response.body.reply).toBe('Tool said: task not found');
    expect(response.body.actions[0].result).toEqual({
      error: { code: 'not_found', message: 'task not found' },
    });
  });

  it('says clearly when the provider fails or times out', async () => {
    llm.will(() => ({ status: 500, body: { error: { message: 'upstream overloaded' } } }));
    const failed = await ann.post('/api/chat', { message: 'what is due today?' });
    expect(failed.status).toBe(200);
    expect(failed.body.reply).toBe(
      "The assistant's language model is unavailable right now (HTTP 500: upstream overloaded); try again, or unset OPENAI_API_KEY to use the built-in engine.",
    );
    expect(failed.body.actions).toEqual([]);

    llm.will(() => 'hang');
    const slow = await ann.post('/api/chat', { message: 'what is due today?' });
    expect(slow.status).toBe(200);
    expect(slow.body.reply).toContain('unavailable right now (no answer within 0.5 s)');
  });

  it('stops a model that keeps calling tools after a bounded number of steps', async () => {
    const loop = () =>
      completion({
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'l', type: 'function', function: { name: 'list_tasks', arguments: '{}' } }],
      });
    llm.will(...Array.from({ length: 6 }, () => loop));
    const before = llm.requests.length;
    const response = await ann.post('/api/chat', { message: 'list forever' });
    expect(llm.requests.length - before).toBe(6);
    expect(response.body.actions).toHaveLength(6);
    expect(response.body.reply).toContain('I stopped after 6 steps');
  });
});
