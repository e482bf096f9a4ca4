import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMAND_VERBS } from './command-verbs.js';
import { interpret } from './interpret.js';
import { type AssistantContext, COMMAND_KINDS } from './types.js';

const KINDS = COMMAND_KINDS;

const ctx: AssistantContext = {
  now: new Date('2026-11-27T15:00:00Z'),
  timeZone: 'America/Los_Angeles',
  tasks: [
    {
      id: 'a',
      title: 'Dentist appointment',
      tags: ['health'],
      dueAt: new Date('2026-12-01T17:00:00Z'),
      allDay: false,
      priority: 'medium',
      status: 'open',
      recurrence: null,
    },
    {
      id: 'b',
      title: 'Call dentist',
      tags: [],
      dueAt: null,
      allDay: false,
      priority: 'low',
      status: 'open',
      recurrence: null,
    },
  ],
  pending: null,
};

/** Fragments of real requests, so random strings also exercise the phrase parsers. */
const fragment = fc.constantFrom(
  'remind me to',
  'every',
  'weekday',
  'at 8',
  'tomorrow',
  'next friday',
  '#work',
  '!high',
  'urgent',
  'delete',
  'the dentist',
  'done',
  'move',
  'to',
  'undo',
  'what',
  'due',
  '?',
  'on the 31st of every month',
  'in 2 hours',
  'remind me 30 minutes before',
  'rename',
  '2',
  'yes',
  '🙂',
  '\u0000',
  '  ',
  'every 0 days',
  'at 99:99',
  '13/45',
);
const message = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(' ')),
);

describe('interpret is total', () => {
  it('never throws and always returns a known command', () => {
    fc.assert(
      fc.property(message, (text) => {
        const command = interpret(text, ctx);
        expect(KINDS).toContain(command.kind);
      }),
      { numRuns: 400 },
    );
  });

  it('copes with 10k-character messages quickly', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 10_000, maxLength: 10_000 }),
        fc.array(fragment, { maxLength: 3 }),
        (noise, parts) => {
          const started = Date.now();
          const command = interpret(`${parts.join(' ')} ${noise}`, ctx);
          expect(KINDS).toContain(command.kind);
          expect(Date.now() - started).toBeLessThan(2_000);
        },
      ),
      { numRuns: 20 },
    );
    const repeated = 'remind me to call mom every Sunday at 6pm '.repeat(250);
    expect(KINDS).toContain(interpret(repeated, ctx).kind);
  });
});

/** Words that name none of the context's tasks, and what may follow a task reference in a command. */
const unknownWord = fc.constantFrom(
  'blorp',
  'zxqv',
  'frobnicator',
  'thingy',
  'spaceship',
  'qwerty',
  'xylophone',
  'flurb',
);
const reference = fc.oneof(
  fc.array(unknownWord, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
  fc.array(unknownWord, { minLength: 1, maxLength: 2 }).map((w) => `the ${w.join(' ')}`),
  fc.constant('it'),
);
const tail = fc.constantFrom(
  '',
  'to friday',
  'to blorpday',
  'to whenever',
  'by a week',
  'until tomorrow',
  'back a day',
  'off',
  'done',
  'as done',
  'task',
  'with #home',
  'as #work',
  'to urgent',
  'to Plan the party',
  'high priority',
  'low priority',
  'every blue moon',
  'from the list',
  'at sometime-ish',
);
const politeness = fc.constantFrom('', 'please ', 'can you ', 'ok ');

describe('the safety rule', () => {
  it('a message starting with any command verb the engine knows, that it cannot carry out, asks and adds nothing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...COMMAND_VERBS),
        politeness,
        reference,
        tail,
        (verb, polite, ref, after) => {
          const rest = `${ref} ${after}`.trim();
          fc.pre(!verb.commandWhen || verb.commandWhen.test(rest));
          const text = `${polite}${verb.verb} ${rest}`;
          const command = interpret(text, ctx);
          expect(command.kind, `${text} → ${JSON.stringify(command)}`).toBe('clarify');
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('a reminder or add whose time cannot be read asks and adds nothing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'set a reminder for',
          'set a reminder to',
          'remind me to',
          'add a reminder for',
          'add',
          '',
        ),
        politeness,
        fc.constantFrom('the gym', 'call the bank', 'water the plants'),
        fc.constantFrom('', ' tomorrow', ' on friday'),
        fc.constantFrom(
          'at half past never',
          'at quarter to whenever',
          'at half past 4',
          'at quarter past nowhen',
          'at 99:99',
          'at sometime-ish',
          // A word another reader takes ("whenever" is low priority) leaves the time unread.
          'at whenever',
        ),
        (lead, polite, what, day, time) => {
          const text = `${polite}${lead} ${what}${day} ${time}`.trim();
          const command = interpret(text, ctx);
          expect(command.kind, `${text} → ${JSON.stringify(command)}`).toBe('clarify');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a command verb alone asks what to act on', () => {
    for (const verb of COMMAND_VERBS) expect(interpret(verb.verb, ctx).kind, verb.verb).toBe('clarify');
  });
});
