/**
 * The scorer itself: a command that does what the expectation says passes, one that does not fails
 * with a line naming what differs. And the everyday set is well formed: every family has its cases,
 * and expectations only name tasks the case has.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  EVAL_FAMILIES,
  EVAL_INTENTS,
  type EvalCase,
  type EvalTurn,
  type Expectation,
  formatTable,
  gateFailure,
  type Observation,
  sameRecurrence,
  scoreCase,
  scoreTurn,
  summarize,
} from './evaluate.js';

const LA = 'America/Los_Angeles';

function caseOf(
  intent: EvalCase['intent'],
  expectation: Expectation,
  fields: Partial<EvalCase> = {},
): EvalCase {
  return {
    id: 'unit',
    intent,
    message: '(unit)',
    setup: { now: '2026-12-02T17:00:00Z', time_zone: LA, tasks: [] },
    expect: expectation,
    ...fields,
  };
}

/** A task as the REST API returns it, enough for the scorer. */
const rest = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  title: id,
  status: 'open',
  ...fields,
});

describe('scoreCase', () => {
  it('passes a new task with the expected fields and fails one with a wrong title, naming it', () => {
    const want = caseOf('add_task', { title: 'Book club', due_date: '2026-12-17', priority: 'high' });
    const right = { title: 'Book club', due_at: '2026-12-17T00:00:00Z', all_day: true, priority: 'high' };
    expect(scoreCase(want, { kind: 'add_task', task: right })).toEqual({ pass: true, mismatches: [] });
    const wrong = scoreCase(want, { kind: 'add_task', task: { ...right, title: 'Book club on the third' } });
    expect(wrong.pass).toBe(false);
    expect(wrong.mismatches).toEqual(['title: got “Book club on the third”, want “Book club”']);
  });

  it('names the title of a task created where a question was wanted (the safety rule)', () => {
    const score = scoreCase(caseOf('clarify', {}), {
      kind: 'add_task',
      task: { title: 'Reschedule the blorp to friday' },
    });
    expect(score.mismatches).toEqual(['intent: got add_task “Reschedule the blorp to friday”, want clarify']);
  });

  it('checks description, status and the recurrence anchor', () => {
    const want = caseOf('update_task', {
      task_id: 't-lib',
      changes: { status: 'open', description: 'ask for Maria' },
    });
    const changes = { status: 'open', description: 'Ask for Maria.' };
    expect(scoreCase(want, { kind: 'update_task', taskId: 't-lib', changes }).pass).toBe(true);
    const still = scoreCase(want, {
      kind: 'update_task',
      taskId: 't-lib',
      changes: { status: 'completed', description: '' },
    });
    expect(still.mismatches).toEqual([
      'changes.description: got “”, want “ask for Maria”',
      'changes.status: got completed, want open',
    ]);
    const anchored = caseOf('add_task', {
      recurrence: 'FREQ=WEEKLY;INTERVAL=2',
      recurrence_anchor: 'completion',
    });
    const byDue = { recurrence: 'FREQ=WEEKLY;INTERVAL=2', recurrence_anchor: 'due' };
    expect(scoreCase(anchored, { kind: 'add_task', task: byDue }).mismatches).toEqual([
      'recurrence anchor: got due, want completion',
    ]);
  });

  it('scores several targets at once, in any order, and refuses a batch for a single target', () => {
    const batch = caseOf('complete_task', { task_ids: ['a', 'b', 'c'] });
    expect(scoreCase(batch, { kind: 'complete_task', taskIds: ['c', 'a', 'b'] }).pass).toBe(true);
    expect(scoreCase(batch, { kind: 'complete_task', taskIds: ['a', 'b'] }).mismatches).toEqual([
      'tasks: got ["a","b"], want ["a","b","c"]',
    ]);
    const one = caseOf('update_task', { task_id: 'a' });
    expect(scoreCase(one, { kind: 'update_task', taskId: 'a', changes: {} }).pass).toBe(true);
    expect(scoreCase(one, { kind: 'update_task', taskIds: ['a', 'b'] }).mismatches).toEqual([
      'task: got a, b, want a',
    ]);
  });

  it('accepts a cancellation only where one is wanted', () => {
    expect(scoreCase(caseOf('cancelled', {}), { kind: 'cancelled', reply: 'ok' }).pass).toBe(true);
    expect(scoreCase(caseOf('cancelled', {}), { kind: 'delete_task', taskIds: ['a'] }).mismatches).toEqual([
      'intent: got delete_task, want cancelled',
    ]);
  });

  it('checks the tasks a list answer showed, and which came first', () => {
    const want = caseOf('list_tasks', { listed: ['a', 'b'] });
    expect(scoreCase(want, { kind: 'list_tasks', filter: {}, listed: ['b', 'a'] }).pass).toBe(true);
    expect(scoreCase(want, { kind: 'list_tasks', filter: {}, listed: ['a', 'b', 'x'] }).pass).toBe(false);
    expect(scoreCase(want, { kind: 'list_tasks', filter: {} }).mismatches).toEqual([
      'listed: not observed (the tasks the answer listed are needed)',
    ]);
    const first = caseOf('list_tasks', { first_listed: 'a' });
    expect(scoreCase(first, { kind: 'list_tasks', listed: ['a', 'b'] }).pass).toBe(true);
    expect(scoreCase(first, { kind: 'list_tasks', listed: ['b', 'a'] }).mismatches).toEqual([
      'first listed: got b, want a',
    ]);
  });
});

describe('expectations about the tasks themselves', () => {
  const before = { a: rest('a'), b: rest('b', { priority: 'low' }) };

  it('unchanged: passes when nothing moved, names what was created, changed or deleted', () => {
    const want = caseOf('clarify', { unchanged: true });
    const asked = { kind: 'clarify', pending: {} };
    expect(scoreCase(want, asked, { before, after: { ...before } }).pass).toBe(true);
    const after = {
      a: rest('a', { priority: 'high' }),
      'new-1': rest('x', { title: 'Reschedule the blorp' }),
    };
    expect(scoreCase(want, asked, { before, after }).mismatches).toEqual([
      'unchanged: changed a',
      'unchanged: created “Reschedule the blorp”',
      'unchanged: deleted b',
    ]);
    expect(scoreCase(want, asked).mismatches).toEqual([
      'tasks: not observed (the tasks before and after the turn are needed)',
    ]);
  });

  it('state: checks each named task after the turn, null meaning deleted', () => {
    const want = caseOf('undo', {
      state: { a: { due_local: '2026-12-02T11:00' }, b: null },
    });
    const observation: Observation = {
      before,
      after: { a: rest('a', { due_at: '2026-12-02T19:00:00Z', all_day: false }) },
    };
    expect(scoreCase(want, { kind: 'undo', commands: [] }, observation).pass).toBe(true);
    const wrong: Observation = {
      before,
      after: { a: rest('a', { due_at: '2026-12-07T19:00:00Z', all_day: false }), b: rest('b') },
    };
    expect(scoreCase(want, { kind: 'undo', commands: [] }, wrong).mismatches).toEqual([
      'state.a.due: got 2026-12-07T11:00, want 2026-12-02T11:00',
      'state.b: still exists, want deleted',
    ]);
  });

  it('scores an earlier turn of a conversation in the case zone', () => {
    const turn: EvalTurn = {
      message: 'add x friday 10am',
      intent: 'add_task',
      expect: { due_local: '2026-12-04T10:00' },
    };
    const task = { title: 'x', due_at: '2026-12-04T18:00:00Z', all_day: false };
    expect(scoreTurn(turn, LA, { kind: 'add_task', task }).pass).toBe(true);
    expect(scoreTurn(turn, 'Europe/Berlin', { kind: 'add_task', task }).mismatches).toEqual([
      'due: got 2026-12-04T19:00, want 2026-12-04T10:00',
    ]);
  });
});

describe('sameRecurrence', () => {
  const saturdays = { timeZone: LA, start: '2026-12-05T00:00:00Z', allDay: true };

  it('reads UNTIL as the date it ends on in the zone', () => {
    // 07:59:59 UTC on 1 February is 23:59:59 on 31 January in Los Angeles; 09:00 UTC on 2 February
    // is 1 February there, a day more.
    expect(sameRecurrence('FREQ=DAILY;UNTIL=20270201T075959Z', 'FREQ=DAILY;UNTIL=20270131', saturdays)).toBe(
      true,
    );
    expect(sameRecurrence('FREQ=DAILY;UNTIL=20270202T090000Z', 'FREQ=DAILY;UNTIL=20270131', saturdays)).toBe(
      false,
    );
  });

  it('equates an end by COUNT with one by UNTIL when they give the same dates, and no others', () => {
    const four = 'FREQ=WEEKLY;BYDAY=SA;COUNT=4';
    expect(sameRecurrence('FREQ=WEEKLY;BYDAY=SA;UNTIL=20261229', four, saturdays)).toBe(true);
    expect(sameRecurrence('FREQ=WEEKLY;BYDAY=SA;UNTIL=20270102', four, saturdays)).toBe(false);
    expect(sameRecurrence('FREQ=WEEKLY;BYDAY=SA', four, saturdays)).toBe(false);
    // Without a start there are no dates to compare: only the text counts.
    expect(sameRecurrence('FREQ=WEEKLY;BYDAY=SA;UNTIL=20261229', four)).toBe(false);
  });

  it('still compares open-ended rules by their parts', () => {
    expect(sameRecurrence('BYDAY=SU,SA;FREQ=WEEKLY;INTERVAL=1', 'FREQ=WEEKLY;BYDAY=SA,SU', saturdays)).toBe(
      true,
    );
    expect(sameRecurrence('FREQ=WEEKLY;BYDAY=SA', 'FREQ=WEEKLY;BYDAY=SA,SU', saturdays)).toBe(false);
  });
});

describe('summarize and formatTable', () => {
  it('reports by family and leaves out groups without cases', () => {
    const results = [
      { testCase: caseOf('add_task', {}, { family: 'recurrence' }), score: { pass: true, mismatches: [] } },
      {
        testCase: caseOf('add_task', {}, { family: 'recurrence' }),
        score: { pass: false, mismatches: ['x'] },
      },
      { testCase: caseOf('clarify', {}, { family: 'safety' }), score: { pass: true, mismatches: [] } },
    ];
    const summary = summarize(results);
    expect(summary.byFamily.find((r) => r.group === 'recurrence')).toMatchObject({ passed: 1, total: 2 });
    expect(formatTable(summary, 'family').split('\n')).toEqual([
      'family                  pass/total  accuracy',
      'recurrence                1/2      50.0%',
      'safety                    1/1     100.0%',
      'overall                   2/3      66.7%',
    ]);
  });

  it('gates at 95 % overall and 90 % for every family with cases', () => {
    const run = (family: 'recurrence' | 'safety', passed: number, failed: number) => [
      ...Array.from({ length: passed }, () => ({
        testCase: caseOf('add_task', {}, { family }),
        score: { pass: true, mismatches: [] },
      })),
      ...Array.from({ length: failed }, () => ({
        testCase: caseOf('add_task', {}, { family }),
        score: { pass: false, mismatches: ['x'] },
      })),
    ];
    expect(
      gateFailure(summarize([...run('recurrence', 19, 1), ...run('safety', 20, 0)]), 'family'),
    ).toBeNull();
    // 97.5 % overall, but safety at 8 of 9.
    expect(gateFailure(summarize([...run('recurrence', 31, 0), ...run('safety', 8, 1)]), 'family')).toBe(
      'needs ≥ 95 % overall and ≥ 90 % per family (below: safety)',
    );
    // Every family at 90 %, overall below 95 %.
    expect(gateFailure(summarize([...run('recurrence', 9, 1), ...run('safety', 9, 1)]), 'family')).toBe(
      'needs ≥ 95 % overall and ≥ 90 % per family',
    );
  });
});

describe('the everyday evaluation set', () => {
  const file = fileURLToPath(new URL('./everyday.jsonl', import.meta.url));
  const cases: EvalCase[] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as EvalCase);

  it('has at least 170 cases with unique ids, 20 in every family and 25 for the safety rule', () => {
    expect(cases.length).toBeGreaterThanOrEqual(170);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const family of EVAL_FAMILIES) {
      const count = cases.filter((c) => c.family === family).length;
      expect(count, family).toBeGreaterThanOrEqual(family === 'safety' ? 25 : 20);
    }
  });

  it('names only known intents and tasks the case has (setup ids, or new-n for a task turn n created)', () => {
    for (const testCase of cases) {
      const turns = [...(testCase.earlier_turns ?? []), testCase];
      const known = new Set(testCase.setup.tasks.map((t) => t.id));
      turns.forEach((turn, index) => {
        expect(EVAL_INTENTS, testCase.id).toContain(turn.intent);
        const e = turn.expect;
        const named = [
          e.task_id,
          ...(e.task_ids ?? []),
          ...(e.candidates ?? []),
          ...(e.confirm_task_ids ?? []),
          ...(e.listed ?? []),
          e.first_listed,
          ...Object.keys(e.state ?? {}),
        ].filter((id): id is string => id !== undefined);
        for (const id of named) expect(known, `${testCase.id} turn ${index + 1}`).toContain(id);
        if (turn.intent === 'add_task') known.add(`new-${index + 1}`);
      });
    }
  });
});
