import { describe, expect, it } from 'vitest';
import { interpret } from './interpret.js';
import { type AssistantContext, type Command, type TaskRef, taskRefOf } from './types.js';
import { inverseOf, rememberOutcome } from './undo.js';

// Wednesday 2 December 2026, 09:00 in Los Angeles.
const NOW = new Date('2026-12-02T17:00:00Z');
const ZONE = 'America/Los_Angeles';
const tasks: TaskRef[] = [
  taskRefOf('laundry', 'Do laundry', {
    tags: ['home'],
    dueAt: new Date('2026-12-02T00:00:00Z'),
    allDay: true,
  }),
  taskRefOf('dishwasher', 'Fix the dishwasher', { tags: ['home'], dueAt: new Date('2026-12-02T19:00:00Z') }),
  taskRefOf('plants', 'Water the plants', { tags: ['home'], dueAt: new Date('2026-12-03T02:00:00Z') }),
  taskRefOf('report', 'Quarterly report', {
    tags: ['work'],
    dueAt: new Date('2026-12-04T00:00:00Z'),
    allDay: true,
  }),
  taskRefOf('budget', 'Review the budget', {
    tags: ['work'],
    dueAt: new Date('2026-12-08T00:00:00Z'),
    allDay: true,
  }),
  taskRefOf('passport', 'Renew passport', { status: 'completed' }),
];
const ctx = (pending: AssistantContext['pending'] = null): AssistantContext => ({
  now: NOW,
  timeZone: ZONE,
  tasks,
  pending,
});

function confirmation(command: Command): string[] {
  if (command.kind !== 'clarify' || command.pending.awaiting?.type !== 'confirm')
    throw new Error(`expected a confirmation, got ${JSON.stringify(command)}`);
  const action = command.pending.awaiting.action;
  return action.kind === 'batch' ? action.steps.map((s) => s.taskId) : action.taskIds;
}

describe('many tasks at once', () => {
  it('"reschedule friday\'s tasks to monday" names that day\'s tasks and asks; the yes moves them', () => {
    for (const text of ["reschedule friday's tasks to monday", 'move the tasks for friday to monday']) {
      const question = interpret(text, ctx());
      expect(confirmation(question), text).toEqual(['report']);
      if (question.kind !== 'clarify') throw new Error('unreachable');
      expect(interpret('go ahead', ctx(question.pending))).toEqual({
        kind: 'batch',
        steps: [
          {
            kind: 'update_task',
            taskId: 'report',
            changes: { due_at: '2026-12-07T00:00:00Z', all_day: true },
          },
        ],
      });
    }
    // Words that name no day are no day's tasks: not a batch.
    const party = interpret('move the tasks for the party to monday', ctx());
    expect(party.kind === 'clarify' && party.pending.awaiting?.type === 'confirm').toBe(false);
  });

  it('asks before completing every task with a tag, and the yes completes exactly those', () => {
    const question = interpret('finish everything tagged #home', ctx());
    expect(confirmation(question)).toEqual(['laundry', 'dishwasher', 'plants']);
    if (question.kind !== 'clarify') throw new Error('unreachable');
    const yes = interpret('yes', ctx(question.pending));
    expect(yes).toEqual({
      kind: 'batch',
      steps: ['laundry', 'dishwasher', 'plants'].map((taskId) => ({ kind: 'complete_task', taskId })),
    });
    expect(interpret('no', ctx(question.pending)).kind).toBe('cancelled');
  });

  it('reads "today" in the user’s zone: an all-day task due today counts west of UTC, tonight’s 18:00 too', () => {
    expect(confirmation(interpret("push all of today's tasks to monday", ctx()))).toEqual([
      'laundry',
      'dishwasher',
      'plants',
    ]);
    expect(confirmation(interpret('delete all the #work tasks due this week', ctx()))).toEqual(['report']);
    expect(confirmation(interpret('clear out the done ones', ctx()))).toEqual(['passport']);
  });

  it('keeps each task’s own time when moving them, and one undo reverts the whole batch', () => {
    const question = interpret("push all of today's tasks to monday", ctx());
    if (question.kind !== 'clarify') throw new Error('expected a question');
    const batch = interpret('yes', ctx(question.pending));
    if (batch.kind !== 'batch') throw new Error(`expected a batch, got ${JSON.stringify(batch)}`);
    expect(batch.steps.map((s) => (s.kind === 'update_task' ? s.changes : null))).toEqual([
      { due_at: '2026-12-07T00:00:00Z', all_day: true },
      { due_at: '2026-12-07T19:00:00Z', all_day: false },
      { due_at: '2026-12-08T02:00:00Z', all_day: false },
    ]);
    const before = [
      { id: 'laundry', title: 'Do laundry', due_at: '2026-12-02T00:00:00Z', all_day: true },
      { id: 'dishwasher', title: 'Fix the dishwasher', due_at: '2026-12-02T19:00:00Z', all_day: false },
      { id: 'plants', title: 'Water the plants', due_at: '2026-12-03T02:00:00Z', all_day: false },
    ];
    const outcome = { ok: true, steps: before.map((b) => ({ ok: true, before: [b], tasks: [b] })) };
    expect(inverseOf(batch, outcome)?.commands).toHaveLength(3);
    const pending = rememberOutcome(batch, outcome, null);
    const undo = interpret('undo', ctx(pending));
    expect(
      undo.kind === 'undo' && undo.commands.map((c) => (c.kind === 'update_task' ? c.changes : null)),
    ).toEqual(before.map(({ due_at, all_day }) => ({ due_at, all_day })));
  });

  it('the undo of a bulk delete restores each task under its id, a done one done', () => {
    const question = interpret('clear out the done ones', ctx());
    if (question.kind !== 'clarify' || question.pending.awaiting?.type !== 'confirm')
      throw new Error('expected a confirmation');
    const yes = interpret('yes', ctx(question.pending));
    const before = [
      {
        id: 'passport',
        title: 'Renew passport',
        status: 'completed' as const,
        completed_at: '2026-12-01T10:00:00.000Z',
      },
    ];
    const pending = rememberOutcome(yes, { ok: true, before }, null);
    const undo = interpret('undo', ctx(pending));
    expect(undo.kind === 'undo' && undo.commands).toEqual([
      {
        kind: 'add_task',
        task: { title: 'Renew passport' },
        restore: { id: 'passport', status: 'completed', completed_at: '2026-12-01T10:00:00.000Z' },
      },
    ]);
  });

  it('a task whose title merely contains "every" is not a batch', () => {
    expect(interpret('trash night every Wednesday 8pm', ctx()).kind).toBe('add_task');
  });
});
