/**
 * Hostile messages cannot make the engine's work grow without bound (issue 13). For every class
 * of repetitive input — repeated connectives, hashtags, list separators, reference words, long
 * words, punctuation, unicode, weekday lists, dates — at up to the 2,000 characters the API
 * accepts, against 250 tasks with long titles, the work is bounded by counts: tasks scored,
 * word comparisons, edit-distance cells and the text chrono reads at once. Counts, not time:
 * how fast that is, `npm run bench:chat-hostile` prints.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { interpret } from './interpret.js';
import { REFERENCE_LIMITS } from './references.js';
import { engineWork, resetEngineWork } from './text.js';
import { type AssistantContext, COMMAND_KINDS, type TaskRef } from './types.js';

const VOCABULARY = [
  'quarterly',
  'budget',
  'report',
  'review',
  'dentist',
  'appointment',
  'groceries',
  'passport',
];
const tasks: TaskRef[] = Array.from({ length: 250 }, (_, i) => ({
  id: `task-${i}`,
  title: `${Array.from({ length: 30 }, (_, k) => VOCABULARY[(i * 7 + k * 5) % VOCABULARY.length]).join(' ')} ${i}`,
  tags: ['work', `t${i % 9}`],
  dueAt: null,
  allDay: false,
  priority: 'medium',
  status: i % 10 === 0 ? 'completed' : 'open',
  recurrence: null,
}));
const ctx: AssistantContext = {
  now: new Date('2026-11-27T15:00:00Z'),
  timeZone: 'Europe/Berlin',
  tasks,
  pending: null,
};

const KINDS = COMMAND_KINDS;

/** The verbs that send a message down each recogniser, and the ends that complete their shapes. */
const head = fc.constantFrom(
  '',
  'add ',
  'tag x ',
  'add tags ',
  'mark ',
  'complete ',
  'i finished ',
  'rename ',
  'remind me ',
  'delete ',
  'move ',
  'what is due ',
  'untag ',
);
const tail = fc.constantFrom('', ' done', ' to x', ' y', ' at 5', ' tomorrow', ' is urgent', ' #home', '?');
/** One unit per class of repetitive input. */
const unit = fc.oneof(
  fc.constantFrom(
    'and ',
    '#a',
    '#a ',
    'x, ',
    'a to ',
    'a and b, ',
    'quarterly budget reprot dentst apointment ',
    `${'supercalifragilistic'.repeat(4)} `,
    '(!?.,;:-"\' ',
    'e\u0301\u4e2d\u0627\u05d0\u00df ',
    '🙂 ',
    'monday and ',
    'tomorrow at 5 on 3 march ',
    'every day ',
    'remind me ',
    'in 2 hours ',
    'night ',
  ),
  fc.string({ minLength: 1, maxLength: 6 }),
);
const hostile = fc
  .tuple(head, unit, fc.integer({ min: 1, max: 700 }), tail)
  .map(([h, u, n, t]) => `${h}${u.repeat(n)}${t}`.slice(0, 2000));

describe('hostile messages', () => {
  beforeEach(resetEngineWork);

  it('bound the tasks scored, the comparisons and the edit-distance cells of every turn', () => {
    fc.assert(
      fc.property(hostile, (message) => {
        resetEngineWork();
        expect(KINDS).toContain(interpret(message, ctx).kind);
        // 8 reference words × 250 tasks × 40 title words, whatever the message.
        expect(engineWork.maxComparisonsPerCall).toBeLessThanOrEqual(8 * 250 * 40);
        // A turn resolves a handful of references (two pools, a retry with the object), never one per word.
        expect(engineWork.scoringCalls).toBeLessThanOrEqual(8);
        expect(engineWork.editCells).toBeLessThanOrEqual(
          engineWork.comparisons * REFERENCE_LIMITS.wordLength ** 2,
        );
        expect(engineWork.longestChronoInput).toBeLessThanOrEqual(240);
      }),
      { numRuns: 150 },
    );
  });

  it('compare at most the first words of a reference, however long it is', () => {
    // 200 distinct words, each matching nothing: without the cap, 200 × 250 × 11 comparisons.
    const long = `mark ${Array.from({ length: 200 }, (_, i) => `zq${i}`).join(' ')} done`;
    interpret(long, ctx);
    expect(engineWork.scoringCalls).toBeGreaterThan(0);
    // 8 words × 250 tasks × 11 distinct targets (8 vocabulary words, the number, 2 tags).
    expect(engineWork.maxComparisonsPerCall).toBeLessThanOrEqual(8 * 250 * 11);
  });

  it('still resolves an ordinary reference among the 250 tasks', () => {
    expect(
      interpret('mark pay rent done', {
        ...ctx,
        tasks: [...tasks, { ...tasks[1]!, id: 'rent', title: 'Pay rent' }],
      }),
    ).toEqual({
      kind: 'complete_task',
      taskId: 'rent',
    });
  });
});
