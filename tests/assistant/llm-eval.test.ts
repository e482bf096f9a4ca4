/**
 * LLM mode against the evaluation sets, through a SCRIPTED FAKE LLM (no real model can run here):
 * for every case whose turns change or list tasks, the fake model answers each turn with the tool
 * calls its expected outcome implies (derived from the expectation, not from the built-in engine),
 * and the case is scored as `npm run eval:chat` scores the built-in engine — on the tasks the REST
 * API shows afterwards. It shows that the agent's tools, their schemas and its loop can carry out
 * every family; whether a given model chooses those calls is not measured here.
 */
import { fileURLToPath } from 'node:url';
import { ConversationStore } from '@todo/api/assistant/conversations';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_ENV, type IdMap, loadCases, runSet } from '../../evals/chat/endpoint.js';
import {
  EVAL_FAMILIES,
  type EvalCase,
  type EvalTurn,
  type ExpectedFields,
  formatTable,
  summarize,
} from '../../evals/chat/evaluate.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { completion, ScriptedFakeLlm } from '../support/scripted-fake-llm.js';

const set = (name: string) => loadCases(fileURLToPath(new URL(`../../evals/chat/${name}`, import.meta.url)));

/** The intents a model carries out with tools; questions back, help and undo are answered in words. */
const TOOL_INTENTS = new Set(['add_task', 'update_task', 'complete_task', 'delete_task', 'list_tasks']);
/**
 * A list is scripted from its expected filter; the everyday questions name only the tasks the answer
 * lists, not a filter, so there is nothing to derive the call from (lists are covered by the
 * established set's list cases, which name one).
 */
const scriptable = (t: EvalTurn) =>
  TOOL_INTENTS.has(t.intent) && (t.intent !== 'list_tasks' || t.expect.filter !== undefined);
const byTools = (c: EvalCase) => [...(c.earlier_turns ?? []), c].every(scriptable);
/**
 * A model asks before a bulk change in its own words (no pending state to score), so of a
 * confirmation and its "yes" the run sends the confirmed turn: its calls are what a yes must do.
 */
const confirmedOnly = (c: EvalCase): EvalCase =>
  c.earlier_turns?.length
    ? {
        ...c,
        earlier_turns: c.earlier_turns.filter((t) => !(t.intent === 'clarify' && t.expect.confirm_task_ids)),
      }
    : c;
const cases = [...set('utterances.jsonl'), ...set('everyday.jsonl')].map(confirmedOnly).filter(byTools);

type ToolCall = { name: string; arguments: Record<string, unknown> };

/** Expected fields as tool arguments: wall-clock dues in the user's zone become times with their offset. */
function taskArguments(fields: ExpectedFields, zone: string): Record<string, unknown> {
  const { due: _due, due_local, due_date, status: _status, ...rest } = fields;
  const args: Record<string, unknown> = { ...rest };
  if (due_local)
    Object.assign(args, { due_at: DateTime.fromISO(due_local, { zone }).toISO(), all_day: false });
  if (due_date) Object.assign(args, { due_at: due_date, all_day: true });
  if ('due' in fields && fields.due === null) args.due_at = null;
  return args;
}

/** The tool calls that carry out `turn`, as a model that understood it would make them. */
function callsFor(turn: EvalTurn, ids: IdMap, zone: string): ToolCall[] {
  const e = turn.expect;
  const targets = e.task_ids ?? (e.task_id ? [e.task_id] : []);
  const task_id = (id: string) => ids.toReal(id);
  switch (turn.intent) {
    case 'add_task':
      return [{ name: 'add_task', arguments: taskArguments(e, zone) }];
    case 'complete_task':
      return targets.map((id) => ({ name: 'complete_task', arguments: { task_id: task_id(id) } }));
    case 'delete_task':
      return targets.map((id) => ({ name: 'delete_task', arguments: { task_id: task_id(id) } }));
    case 'update_task':
      return targets.flatMap((id) => {
        const fields = e.state?.[id] ?? e.changes ?? {};
        const calls: ToolCall[] = [];
        const args = taskArguments(fields, zone);
        if (Object.keys(args).length)
          calls.push({ name: 'update_task', arguments: { task_id: task_id(id), ...args } });
        if (fields.status)
          calls.push({
            name: fields.status === 'completed' ? 'complete_task' : 'reopen_task',
            arguments: { task_id: task_id(id) },
          });
        return calls;
      });
    case 'list_tasks': {
      const filter: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(e.filter ?? {}))
        filter[key] =
          (key === 'due_before' || key === 'due_after') && typeof value === 'string'
            ? DateTime.fromISO(value, { zone }).toISO()
            : value;
      return [{ name: 'list_tasks', arguments: filter }];
    }
    default:
      return [];
  }
}

describe('LLM mode against the evaluation sets, through a scripted fake LLM', () => {
  const llm = new ScriptedFakeLlm();
  const called = new Set<string>();
  let app: TestApp;
  let now = new Date();

  beforeAll(async () => {
    const baseUrl = await llm.start();
    app = await startTestApp(
      {
        LOG_LEVEL: 'error',
        ...EVAL_ENV,
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: baseUrl,
        OPENAI_MODEL: 'scripted-fake-model',
      },
      { clock: () => now },
    );
  });
  afterAll(async () => {
    await app?.close();
    await llm.stop();
  });

  it('every family is carried out by the tools the agent offers', { timeout: 600_000 }, async () => {
    const results = await runSet(
      cases,
      app.url,
      new ConversationStore(app.db),
      (at) => {
        now = at;
      },
      {
        // One conversation at a time: the fake answers requests in the order they were scripted.
        concurrency: 1,
        expectedIntentWhenNone: true,
        beforeTurn: (turn, ids, zone) => {
          const calls = callsFor(turn, ids, zone);
          for (const call of calls) called.add(call.name);
          llm.will(
            () =>
              completion({
                role: 'assistant',
                content: null,
                tool_calls: calls.map((call, i) => ({
                  id: `call_${i}`,
                  type: 'function',
                  function: { name: call.name, arguments: JSON.stringify(call.arguments) },
                })),
              }),
            () => completion({ role: 'assistant', content: 'Done.' }),
          );
        },
      },
    );
    const summary = summarize(results);
    console.log(`\n${cases.length} cases\n${formatTable(summary)}\n${formatTable(summary, 'family')}`);
    const failures = results.filter((r) => !r.score.pass);
    for (const f of failures)
      console.log(`✗ ${f.testCase.id} “${f.testCase.message}”: ${f.score.mismatches.join('; ')}`);

    // The agent told the model what it needs: the tools used, and the user's zone and clock.
    const offered = (llm.requests[0]?.body.tools ?? []).map(
      (t: { function: { name: string } }) => t.function.name,
    );
    expect(offered).toEqual(expect.arrayContaining([...called]));
    expect(llm.requests[0]?.body.messages[0]).toMatchObject({ role: 'system' });
    // Safety turns are answered in words; the everyday questions give no filter to script.
    for (const family of EVAL_FAMILIES.filter((f) => f !== 'safety' && f !== 'questions'))
      expect(
        cases.some((c) => c.family === family),
        family,
      ).toBe(true);
    expect(failures.map((f) => f.testCase.id)).toEqual([]);
  });
});
