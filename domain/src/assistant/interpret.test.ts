import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { validateRecurrence } from '../recurrence/index.js';
import { validateReminderOffset } from '../reminders/index.js';
import { interpret } from './interpret.js';
import { renderReply } from './reply.js';
import { type AssistantContext, type Command, type TaskRef, taskRefOf } from './types.js';
import { rememberOutcome } from './undo.js';

const NOW = new Date('2026-11-27T15:00:00Z'); // Friday

const task = taskRefOf;

function ctx(
  timeZone: string,
  tasks: TaskRef[] = [],
  now = NOW,
  pending: AssistantContext['pending'] = null,
): AssistantContext {
  return { now, timeZone, tasks, pending };
}

function added(command: Command) {
  if (command.kind !== 'add_task') throw new Error(`expected add_task, got ${JSON.stringify(command)}`);
  return command.task;
}

function local(iso: string | null | undefined, zone: string): string {
  return DateTime.fromISO(iso ?? '', { zone: 'UTC' })
    .setZone(zone)
    .toFormat("yyyy-MM-dd'T'HH:mm");
}

describe('dates in the user zone', () => {
  it('reads "tomorrow" as the user’s tomorrow, not UTC’s (Tokyo is already Saturday)', () => {
    const t = added(interpret('laundry tomorrow at 10am', ctx('Asia/Tokyo')));
    expect(local(t.due_at, 'Asia/Tokyo')).toBe('2026-11-29T10:00');
    expect(t.due_at).toBe('2026-11-29T01:00:00Z');
  });

  it('uses the offset of the target date across a DST change (LA, fall back on Nov 1)', () => {
    const now = new Date('2026-10-31T18:00:00Z'); // Sat 11:00 PDT
    const t = added(interpret('dentist tomorrow at 9am', ctx('America/Los_Angeles', [], now)));
    expect(t.due_at).toBe('2026-11-01T17:00:00Z'); // 09:00 PST, not 16:00Z (PDT)
  });

  it('places the first occurrence of a weekly series after spring forward at the new offset', () => {
    const now = new Date('2026-03-06T15:00:00Z'); // Friday before DST starts (Mar 8) in New York
    const t = added(interpret('call mom every Sunday at 6pm', ctx('America/New_York', [], now)));
    expect(t.recurrence).toBe('FREQ=WEEKLY;BYDAY=SU');
    expect(t.due_at).toBe('2026-03-08T22:00:00Z'); // 18:00 EDT
  });

  it('reads a bare 1–6 o’clock as pm, and a passed morning hour as this evening', () => {
    expect(
      local(added(interpret('call Jenna at 4', ctx('America/Los_Angeles'))).due_at, 'America/Los_Angeles'),
    ).toBe('2026-11-27T16:00');
    expect(local(added(interpret('call uncle at 9', ctx('Asia/Kolkata'))).due_at, 'Asia/Kolkata')).toBe(
      '2026-11-27T21:00',
    );
  });

  it('keeps a date-only due as an all-day task at midnight UTC of that date', () => {
    const t = added(interpret('submit expense report next Friday', ctx('Pacific/Auckland')));
    expect(t).toMatchObject({ all_day: true, title: 'Submit expense report' });
    expect(t.due_at?.endsWith('T00:00:00Z')).toBe(true);
  });

  it('falls back to UTC for an unknown zone instead of throwing', () => {
    expect(() => interpret('buy milk tomorrow at 5pm', ctx('Not/AZone'))).not.toThrow();
  });
});

describe('recurrence and reminders', () => {
  it('"every weekday at 8" starts at the next weekday 08:00', () => {
    const t = added(interpret('every weekday at 8 standup', ctx('Europe/Berlin')));
    expect(t.recurrence).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR');
    expect(local(t.due_at, 'Europe/Berlin')).toBe('2026-11-30T08:00'); // Friday 08:00 has passed
  });

  it('"remind me at 7" on a task due at 9 is two hours before', () => {
    expect(added(interpret('dentist tomorrow at 9, remind me at 7', ctx('UTC'))).reminders).toEqual(['PT2H']);
  });

  it('"set a reminder for …" is a reminder request: the task, not the phrase, and a reminder at the due time', () => {
    for (const text of [
      'set a reminder for the dentist at 3pm',
      'add a reminder to call the bank at 3pm',
      'create a reminder about the dentist at 3pm',
    ]) {
      const task = added(interpret(text, ctx('UTC')));
      expect(task.title, text).not.toMatch(/reminder/i);
      expect(task.reminders, text).toEqual(['PT0M']);
    }
    // Without a time it asks when, as "remind me to" does.
    expect(interpret('set a reminder for the dentist', ctx('UTC')).kind).toBe('clarify');
  });

  it('"remind me to …" without its own reminder reminds at the due time', () => {
    expect(added(interpret('remind me to call the bank at 3pm', ctx('UTC'))).reminders).toEqual(['PT0M']);
  });

  it('removes hashtags and priority words from the title', () => {
    expect(added(interpret('Finish slides #work urgent', ctx('UTC')))).toMatchObject({
      title: 'Finish slides',
      tags: ['work'],
      priority: 'urgent',
    });
  });
});

describe('follow-ups carried in PendingState', () => {
  const tasks = [
    task('a', 'Call dentist'),
    task('b', 'Dentist appointment', { dueAt: new Date('2026-12-04T00:00:00Z'), allDay: true }),
  ];

  it('asks which task, then resolves "the one due friday"', () => {
    const question = interpret('mark the dentist one done', ctx('America/Los_Angeles', tasks));
    expect(question.kind).toBe('clarify');
    if (question.kind !== 'clarify') return;
    expect(question.question).toContain('1. Call dentist');
    const pending = rememberOutcome(question, null, null);
    expect(interpret('the one due friday', ctx('America/Los_Angeles', tasks, NOW, pending))).toEqual({
      kind: 'complete_task',
      taskId: 'b',
    });
    expect(interpret('2', ctx('America/Los_Angeles', tasks, NOW, pending))).toEqual({
      kind: 'complete_task',
      taskId: 'b',
    });
  });

  it('an unrelated message drops the question and is interpreted afresh', () => {
    const question = interpret('delete the dentist task', ctx('UTC', tasks));
    const pending = question.kind === 'clarify' ? question.pending : null;
    expect(interpret('buy milk tomorrow', ctx('UTC', tasks, NOW, pending)).kind).toBe('add_task');
  });

  it('confirms bulk deletes with yes / no', () => {
    const errands = [
      task('m', 'Buy milk', { tags: ['errands'] }),
      task('d', 'Dry cleaning', { tags: ['errands'] }),
    ];
    const question = interpret('delete all #errands tasks', ctx('UTC', errands));
    const pending = question.kind === 'clarify' ? question.pending : null;
    expect(interpret('yes', ctx('UTC', errands, NOW, pending))).toEqual({
      kind: 'delete_task',
      taskIds: ['m', 'd'],
    });
    expect(interpret('no', ctx('UTC', errands, NOW, pending)).kind).toBe('cancelled');
  });

  it('undo returns the inverse of the last executed command', () => {
    const add = interpret('buy milk', ctx('UTC'));
    const pending = rememberOutcome(add, { ok: true, tasks: [{ id: 'new-1', title: 'Buy milk' }] }, null);
    expect(interpret('oops, undo that', ctx('UTC', [], NOW, pending))).toMatchObject({
      kind: 'undo',
      commands: [{ kind: 'delete_task', taskIds: ['new-1'] }],
    });
    const nothing = interpret('undo', ctx('UTC'));
    expect(renderReply(nothing, null, { now: NOW, timeZone: 'UTC' })).toBe('There is nothing to undo.');
  });

  it('undo of an update restores the previous values', () => {
    const gym = task('g', 'Gym', { dueAt: new Date('2026-12-02T02:00:00Z') });
    const move = interpret('move gym to Thursday', ctx('America/Los_Angeles', [gym]));
    const before = { id: 'g', title: 'Gym', due_at: '2026-12-02T02:00:00Z', all_day: false };
    const pending = rememberOutcome(move, { ok: true, before: [before] }, null);
    expect(pending?.undo?.commands).toEqual([
      { kind: 'update_task', taskId: 'g', changes: { due_at: '2026-12-02T02:00:00Z', all_day: false } },
    ]);
  });
});

describe('replies', () => {
  it('confirms an added recurring task with its schedule and reminder', () => {
    const command = interpret(
      'call mom every Sunday at 6pm, remind me 30 minutes before',
      ctx('America/Los_Angeles'),
    );
    expect(renderReply(command, null, { now: NOW, timeZone: 'America/Los_Angeles' })).toBe(
      "Added “Call mom” — every Sunday at 6:00 PM, next Sun, Nov 29. I'll remind you 30 minutes before.",
    );
  });

  it('names tasks from the context and describes changes in the user zone', () => {
    const gym = task('g', 'Gym', { dueAt: new Date('2026-12-02T02:00:00Z') });
    const replyCtx = { now: NOW, timeZone: 'America/Los_Angeles', tasks: [gym] };
    const move = interpret('move gym to Thursday', ctx('America/Los_Angeles', [gym]));
    expect(renderReply(move, { ok: true }, replyCtx)).toBe(
      'Updated “Gym”: moved it to Thu, Dec 3 at 6:00 PM.',
    );
    const done = interpret('gym is done', ctx('America/Los_Angeles', [gym]));
    expect(renderReply(done, { ok: true }, replyCtx)).toBe('Nice! Marked “Gym” as done.');
    expect(renderReply(done, { ok: false, error: 'task not found' }, replyCtx)).toBe(
      "Sorry, that didn't work: task not found.",
    );
  });

  it('lists the matching tasks', () => {
    const list = interpret("what's due this week?", ctx('UTC'));
    const items = [
      { id: 'r', title: 'Report', due_at: '2026-11-28T00:00:00Z', all_day: true, priority: 'high' as const },
    ];
    expect(renderReply(list, { ok: true, items }, { now: NOW, timeZone: 'UTC' })).toBe(
      'Your tasks due this week (1):\n• Report — due tomorrow, high priority',
    );
    expect(renderReply(list, { ok: true, items: [] }, { now: NOW, timeZone: 'UTC' })).toBe(
      'You have no tasks due this week. 🎉',
    );
  });

  it('help lists examples', () => {
    const help = interpret('what can you do?', ctx('UTC'));
    expect(help.kind).toBe('help');
    expect(renderReply(help, null, { now: NOW, timeZone: 'UTC' })).toContain('every Sunday');
  });
});

describe('payloads pass the shared validators of the write path', () => {
  const phrases = [
    'call mom every Sunday at 6pm',
    'standup every weekday at 9:15am',
    'team sync every 2 weeks on Monday and Thursday',
    'pay rent on the 1st of every month',
    'pay the card monthly on the last day',
    'birthday every year on March 3',
    'water plants every other day',
    'book club on the first Monday of every month at 7pm',
    'payday every last friday of the month',
    'clean the bathroom every weekend',
  ];
  it.each(phrases)('%s → a valid RRULE', (phrase) => {
    const t = added(interpret(phrase, ctx('Europe/Berlin')));
    expect(t.recurrence).toBeTruthy();
    expect(validateRecurrence(t.recurrence!)).toEqual({ ok: true, rule: t.recurrence });
  });

  it.each([
    'dentist tomorrow at 3pm, remind me 30 minutes before',
    'renew passport on Dec 10, remind me a week before',
    'dentist tomorrow at 9, remind me at 7',
    'flight sunday 6am, remind me 2 hours before',
    'remind me to call the bank at 3pm',
  ])('%s → valid reminder offsets', (phrase) => {
    const reminders = added(interpret(phrase, ctx('Asia/Tokyo'))).reminders ?? [];
    expect(reminders.length).toBe(1);
    for (const offset of reminders) expect(validateReminderOffset(offset)).toMatchObject({ ok: true });
  });
});

describe('conversation memory', () => {
  const gym = task('g', 'Gym', { dueAt: new Date('2026-12-02T02:00:00Z') });
  const dentist = task('d', 'Dentist appointment', { dueAt: new Date('2026-12-01T17:00:00Z') });
  const callDentist = task('c', 'Call dentist');

  it('"it" refers to the task the last action was about', () => {
    const add = interpret('buy milk', ctx('UTC'));
    const pending = rememberOutcome(add, { ok: true, tasks: [{ id: 'm', title: 'Buy milk' }] }, null);
    const milk = task('m', 'Buy milk');
    expect(interpret('make it urgent', ctx('UTC', [milk], NOW, pending))).toEqual({
      kind: 'update_task',
      taskId: 'm',
      changes: { priority: 'urgent' },
    });
    expect(interpret('mark it done', ctx('UTC', [milk])).kind).toBe('clarify'); // nothing to refer to: it asks
  });

  it('a numbered choice carries each candidate’s own change', () => {
    const question = interpret('move dentist to 10', ctx('America/Los_Angeles', [dentist, callDentist, gym]));
    expect(question.kind).toBe('clarify');
    const pending = rememberOutcome(question, null, null);
    const picked = interpret(
      'the first one',
      ctx('America/Los_Angeles', [dentist, callDentist, gym], NOW, pending),
    );
    expect(picked).toEqual({
      kind: 'update_task',
      taskId: 'd',
      changes: { due_at: '2026-12-01T18:00:00Z', all_day: false }, // Dec 1, 10:00 PST
    });
  });

  it('a bare hour keeps an evening task in the evening', () => {
    const moved = interpret('the gym is at 7 now', ctx('America/Los_Angeles', [gym]));
    expect(moved).toMatchObject({ kind: 'update_task', taskId: 'g' });
    if (moved.kind === 'update_task')
      expect(local(moved.changes.due_at, 'America/Los_Angeles')).toBe('2026-12-01T19:00');
  });
});

describe('more phrasings', () => {
  it('a slash list of weekdays is a weekly habit', () => {
    expect(added(interpret('gym mon/wed/fri 7am', ctx('Europe/Berlin')))).toMatchObject({
      title: 'Gym',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO,WE,FR',
      due_at: '2026-11-30T06:00:00Z',
    });
  });

  it('"remind me at 6pm to … every day" makes 6 pm the series time', () => {
    expect(
      added(interpret('remind me at 6pm to take my pills every day', ctx('Europe/Berlin'))),
    ).toMatchObject({
      title: 'Take my pills',
      recurrence: 'FREQ=DAILY',
      due_at: '2026-11-27T17:00:00Z',
      reminders: ['PT0M'],
    });
  });

  it('clearing the whole list asks first', () => {
    const tasks = [task('a', 'A'), task('b', 'B'), task('c', 'C', { status: 'completed' })];
    const question = interpret('clear my list', ctx('UTC', tasks));
    expect(question).toMatchObject({
      kind: 'clarify',
      pending: { awaiting: { type: 'confirm', action: { taskIds: ['a', 'b'] } } },
    });
  });

  it('"cancel the gym membership" is a new task when no task matches', () => {
    expect(added(interpret('cancel the gym membership', ctx('UTC', [task('m', 'Buy milk')]))).title).toBe(
      'Cancel the gym membership',
    );
  });
});

describe('recurrence anchor', () => {
  it('"… after I finish it" counts the next occurrence from completion', () => {
    expect(added(interpret('water the plants every 3 days after I finish it', ctx('UTC')))).toMatchObject({
      title: 'Water the plants',
      recurrence: 'FREQ=DAILY;INTERVAL=3',
      recurrence_anchor: 'completion',
    });
  });
});

describe('holdout phrasings (issue 14)', () => {
  it('thanks with trailing words is small talk: a short reply, no task', () => {
    for (const text of [
      "thank you, that's super helpful",
      "thanks so much, you're the best!",
      'perfect, thank you',
      "that's great, thanks",
      'thanks for all your help, bye',
      'much appreciated',
    ]) {
      const command = interpret(text, ctx('UTC'));
      expect(command, text).toEqual({ kind: 'help', reply: 'Happy to help! Anything else for your list?' });
    }
    expect(added(interpret('thank grandma for the gift', ctx('UTC'))).title).toBe(
      'Thank grandma for the gift',
    );
  });

  it('an off-list question gets the help answer, not a list of tasks', () => {
    const gym = task('g', 'Gym session', { dueAt: new Date('2026-11-28T02:00:00Z') });
    for (const text of [
      "what's the weather like tomorrow?",
      'is it going to rain tomorrow',
      "what's the news today?",
    ]) {
      const command = interpret(text, ctx('America/Los_Angeles', [gym]));
      expect(command.kind, text).toBe('help');
      if (command.kind === 'help') expect(command.reply, text).toMatch(/only look after your to-do list/);
    }
    expect(interpret("what's due tomorrow?", ctx('America/Los_Angeles', [gym])).kind).toBe('list_tasks');
    const weather = task('w', 'Check the weather station');
    expect(interpret('when is the weather station?', ctx('UTC', [weather])).kind).toBe('list_tasks');
  });

  it('"make it due on the 14th", "make that thursday at 4pm" right after an add move the new task', () => {
    const zone = 'America/Los_Angeles';
    const now = new Date('2026-12-02T17:00:00Z'); // Wednesday
    const add = interpret('add pick up the photos from the printer', ctx(zone, [], now));
    const pending = rememberOutcome(
      add,
      { ok: true, tasks: [{ id: 'p', title: 'Pick up the photos' }] },
      null,
    );
    const photos = [task('p', 'Pick up the photos from the printer')];
    expect(interpret('make it due on the 14th', ctx(zone, photos, now, pending))).toEqual({
      kind: 'update_task',
      taskId: 'p',
      changes: { due_at: '2026-12-14T00:00:00Z', all_day: true },
    });
    const moved = interpret('make that thursday at 4pm', ctx(zone, photos, now, pending));
    expect(moved).toMatchObject({ kind: 'update_task', taskId: 'p' });
    if (moved.kind === 'update_task') expect(local(moved.changes.due_at, zone)).toBe('2026-12-03T16:00');
    expect(interpret('make it due friday', ctx(zone, photos)).kind).toBe('clarify'); // no task just added: it asks
  });
});
