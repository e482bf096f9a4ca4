import { describe, expect, it } from 'vitest';
import { interpret } from './interpret.js';
import { renderReply } from './reply.js';
import { type AssistantContext, type Command, taskRefOf } from './types.js';

const NOW = new Date('2026-11-27T15:00:00Z'); // Friday
const SHOPPING = { id: '11111111-1111-4111-8111-111111111111', name: 'Shopping' };
const WORK = { id: '22222222-2222-4222-8222-222222222222', name: 'Work' };
const REPORT = taskRefOf('33333333-3333-4333-8333-333333333333', 'Quarterly report');
const DENTIST = taskRefOf('44444444-4444-4444-8444-444444444444', 'Call the dentist');

const ctx = (extra: Partial<AssistantContext> = {}): AssistantContext => ({
  now: NOW,
  timeZone: 'Europe/Berlin',
  tasks: [REPORT, DENTIST],
  pending: null,
  lists: [SHOPPING, WORK],
  ...extra,
});

const say = (message: string, context = ctx()) => interpret(message, context);

function added(command: Command) {
  if (command.kind !== 'add_task') throw new Error(`expected add_task, got ${JSON.stringify(command)}`);
  return command.task;
}

describe('lists in chat', () => {
  it('adds to a list the user names: "add milk to my shopping list"', () => {
    for (const message of [
      'add milk to my shopping list',
      'put milk on the shopping list',
      'Add milk to Shopping',
      'could you add milk to my shopping list please',
    ]) {
      expect(added(say(message)), message).toEqual({ title: 'Milk', list_id: SHOPPING.id });
    }
    // The rest of the task is read as any "add" reads it.
    const report = added(say('add send the slides tomorrow at 9am to my work list'));
    expect(report).toMatchObject({
      title: 'Send the slides',
      list_id: WORK.id,
      due_at: '2026-11-28T08:00:00Z',
    });
    expect(added(say('add renew passport to the inbox'))).toEqual({ title: 'Renew passport', list_id: null });
    expect(renderReply(say('add milk to my shopping list'), null, ctx())).toBe(
      'Added “Milk” to your Shopping list.',
    );
  });

  it('asks which list, rather than adding a task, when the named list does not exist', () => {
    const command = say('add milk to my groceries list');
    expect(command.kind).toBe('clarify');
    if (command.kind !== 'clarify') return;
    expect(command.question).toContain('You have no list called “groceries”');
    expect(command.question).toContain('“Shopping”, “Work”');
    expect(say('what’s on my garden list').kind).toBe('clarify');
  });

  it('leaves other phrases as they were: edits, dates, and a user without lists', () => {
    expect(say('move the report to friday').kind).toBe('update_task');
    const moved = say('move the report to friday');
    if (moved.kind === 'update_task') expect(moved.changes.list_id).toBeUndefined();
    expect(added(say('add milk to my shopping list', ctx({ lists: [] })))).toEqual({ title: 'Milk' });
    expect(added(say('add milk to my to-do list'))).toEqual({ title: 'Milk' });
    expect(say('add #urgent to the report').kind).toBe('update_task');
  });

  it('shows a list: "what’s on my work list"', () => {
    for (const message of [
      'what’s on my work list?',
      "what's on my Work list",
      'show me my work list',
      'what is in work',
    ]) {
      const command = say(message);
      expect(command, message).toEqual({
        kind: 'list_tasks',
        filter: { status: 'open', list: WORK.id },
        description: 'on your Work list',
      });
    }
    expect(say('what’s in my inbox')).toMatchObject({ kind: 'list_tasks', filter: { list: 'inbox' } });
    const listed = say('what’s on my shopping list');
    expect(renderReply(listed, { ok: true, items: [] }, ctx())).toBe(
      'You have no tasks on your Shopping list. 🎉',
    );
  });

  it('moves a task to a list: "move the report to work"', () => {
    for (const message of [
      'move the report to work',
      'move the quarterly report to my Work list',
      'file the report under work',
    ]) {
      expect(say(message), message).toEqual({
        kind: 'update_task',
        taskId: REPORT.id,
        changes: { list_id: WORK.id },
      });
    }
    expect(say('move the dentist one to the inbox')).toEqual({
      kind: 'update_task',
      taskId: DENTIST.id,
      changes: { list_id: null },
    });
    const reply = renderReply(say('move the report to work'), null, ctx());
    expect(reply).toBe('Updated “Quarterly report”: moved it to your Work list.');
    // No such task: said so, nothing changed.
    expect(say('move the tax return to work')).toMatchObject({ kind: 'help' });
  });
});
