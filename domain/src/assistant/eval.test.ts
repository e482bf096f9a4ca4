/**
 * Runs the established chat evaluation set (evals/chat/utterances.jsonl) against the built-in engine
 * and fails below 95 % overall or 90 % for any intent. The everyday set needs the endpoint (its
 * conversations and its checks of the tasks afterwards): tests/assistant/everyday-eval.test.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type EvalCase,
  formatTable,
  gateFailure,
  scoreCase,
  summarize,
} from '../../../evals/chat/evaluate.js';
import { interpret } from './interpret.js';
import type { AssistantContext, PendingState, TaskRef } from './types.js';

const file = fileURLToPath(new URL('../../../evals/chat/utterances.jsonl', import.meta.url));
const cases: EvalCase[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as EvalCase);

/** The eval setup uses REST field names; the engine takes TaskRefs. */
function contextOf(testCase: EvalCase): AssistantContext {
  const tasks: TaskRef[] = testCase.setup.tasks.map((t) => ({
    id: t.id,
    title: t.title,
    tags: t.tags,
    dueAt: t.due_at ? new Date(t.due_at) : null,
    allDay: t.all_day,
    priority: t.priority,
    status: t.status,
    recurrence: t.recurrence,
    reminders: t.reminders,
  }));
  return {
    now: new Date(testCase.setup.now),
    timeZone: testCase.setup.time_zone,
    tasks,
    pending: (testCase.setup.pending as PendingState | undefined) ?? null,
  };
}

describe('chat evaluation set', () => {
  it('has at least 220 utterances with unique ids', () => {
    expect(cases.length).toBeGreaterThanOrEqual(220);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('is understood by the built-in engine (≥ 95 % overall, ≥ 90 % per intent)', () => {
    const results = cases.map((testCase) => ({
      testCase,
      score: scoreCase(testCase, interpret(testCase.message, contextOf(testCase))),
    }));
    const summary = summarize(results);
    console.log(`\n${formatTable(summary)}`);
    const failures = results.filter((r) => !r.score.pass);
    if (failures.length) {
      console.log(
        failures
          .map((f) => `✗ ${f.testCase.id} “${f.testCase.message}”: ${f.score.mismatches.join('; ')}`)
          .join('\n'),
      );
    }
    expect(gateFailure(summary, 'intent')).toBeNull();
  });
});
