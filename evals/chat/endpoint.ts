/**
 * The chat evaluation sets against the real chat endpoint, over HTTP, for `npm run eval:chat`
 * (run-endpoint.ts) and the everyday set's test (tests/assistant/everyday-eval.test.ts).
 *
 * For each case: signs up a user in the case's zone, creates the setup tasks through the REST API,
 * carries the case's pending state into a conversation (the state a previous turn would have left: a
 * question, an undoable action), sends the case's earlier turns and then its message to
 * `POST /api/chat` in one conversation, reads the tasks back through the REST API before and after
 * every turn and scores each turn with `scoreTurn`; a case passes when all its turns do.
 *
 * The app must run in-process: the cases are written for a fixed `now`, so its clock is pinned (the
 * `clock` option of `startEmbedded`, which no configuration or environment variable can set, so it
 * cannot leak into a deployment; `runSet` moves it), and the pending state is written into the
 * conversation row as the endpoint itself would persist it.
 */
import { readFileSync } from 'node:fs';
import type { ConversationStore } from '@todo/api/assistant/conversations';
import { type PendingState, validateReminderOffset } from '@todo/domain';
import { ApiClient } from '../../tests/support/client.js';
import {
  type EvalCase,
  type EvalTask,
  type EvalTurn,
  type ExpectedFields,
  type Observation,
  type Score,
  scoreTurn,
} from './evaluate.js';

const CONCURRENCY = 6;
/** The most tasks one read-back page holds (the API's limit); a case has far fewer. */
const PAGE = 200;

/** What the app under evaluation needs configured: one sign-up and many messages per case. */
export const EVAL_ENV = {
  // The login and chat rate limits guard people, not this runner.
  LOGIN_RATE_LIMIT_PER_MINUTE: '1000000',
  CHAT_RATE_LIMIT_PER_MINUTE: '1000000',
};

export function loadCases(file: string): EvalCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as EvalCase);
}

interface ChatAction {
  tool: string;
  input: Record<string, unknown>;
  result: { task?: { id: string }; items?: { id: string }[]; error?: { message: string } };
}
interface ChatAnswer {
  conversation_id: string;
  reply: string;
  actions: ChatAction[];
  intent: string | null;
  awaiting:
    | { type: 'choose_task'; candidates: { id: string; title: string }[] }
    | { type: 'confirm'; task_ids: string[] }
    | null;
}

/** Setup ids ("t-milk") and the ids the app gave those tasks, both ways. */
export class IdMap {
  private readonly real = new Map<string, string>();
  private readonly setup = new Map<string, string>();

  add(setupId: string, realId: string) {
    this.real.set(setupId, realId);
    this.setup.set(realId, setupId);
  }
  knows = (realId: string) => this.setup.has(realId);
  /** A setup id the case never created (an undo of a task already gone) still gets a well-formed id. */
  toReal = (setupId: string): string => {
    if (!this.real.has(setupId)) this.add(setupId, crypto.randomUUID());
    return this.real.get(setupId) as string;
  };
  toSetup = (realId: unknown) => (typeof realId === 'string' ? (this.setup.get(realId) ?? realId) : realId);
}

/** The case's pending state with its task ids replaced by the app's. */
function remapPending(value: unknown, ids: IdMap, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => remapPending(item, ids, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remapPending(v, ids, k)]));
  }
  return typeof value === 'string' && ['id', 'taskId', 'taskIds'].includes(key) ? ids.toReal(value) : value;
}

async function createSetupTask(client: ApiClient, task: EvalTask): Promise<string> {
  const response = await client.post('/api/tasks', {
    title: task.title,
    tags: task.tags,
    priority: task.priority,
    // All-day dues are dates (midnight UTC of the calendar date on the wire).
    due_at: task.due_at && task.all_day ? task.due_at.slice(0, 10) : task.due_at,
    all_day: task.all_day,
    recurrence: task.recurrence,
    reminders: task.reminders,
  });
  if (response.status !== 201)
    throw new Error(`setup task ${task.id}: ${response.status} ${JSON.stringify(response.body)}`);
  if (task.status === 'completed') await client.post(`/api/tasks/${response.body.id}/complete`);
  return response.body.id;
}

/**
 * What the endpoint did, in the command form the scorer reads: the intent the endpoint reports, the
 * tasks as the REST API shows them afterwards (not as the engine meant them), the tool inputs for
 * list filters and the tasks the lists returned, and the question it asked. Effects the reply claims
 * but the state lacks are mismatches.
 */
async function observed(answer: ChatAnswer, client: ApiClient, ids: IdMap) {
  const stateMismatches: string[] = [];
  const calls = (tool: string) => answer.actions.filter((a) => a.tool === tool);
  const failed = answer.actions.filter((a) => a.result.error);
  if (failed.length && answer.intent !== 'undo') {
    stateMismatches.push(...failed.map((a) => `${a.tool} failed: ${a.result.error?.message}`));
  }
  const current = async (id: unknown) => {
    const response = await client.get(`/api/tasks/${String(id)}`);
    return response.status === 200 ? response.body : null;
  };
  // Every task the actions named, once, in the order they were first acted on.
  const targets = [
    ...new Set(answer.actions.flatMap((a) => (typeof a.input.task_id === 'string' ? [a.input.task_id] : []))),
  ];
  switch (answer.intent) {
    case 'add_task': {
      const id = calls('add_task')[0]?.result.task?.id;
      return { command: { kind: 'add_task', task: (id && (await current(id))) ?? {} }, stateMismatches };
    }
    case 'list_tasks': {
      const listed = [
        ...new Set(calls('list_tasks').flatMap((a) => (a.result.items ?? []).map((t) => ids.toSetup(t.id)))),
      ];
      return {
        command: { kind: 'list_tasks', filter: calls('list_tasks')[0]?.input ?? {}, listed },
        stateMismatches,
      };
    }
    case 'complete_task': {
      for (const id of targets) {
        const task = await current(id);
        if (task?.status !== 'completed') stateMismatches.push(`state: ${ids.toSetup(id)} is not completed`);
      }
      return {
        command: {
          kind: 'complete_task',
          taskId: ids.toSetup(targets.at(-1)),
          taskIds: targets.map(ids.toSetup),
        },
        stateMismatches,
      };
    }
    case 'update_task': {
      const id = targets.at(-1);
      return {
        command: {
          kind: 'update_task',
          taskId: ids.toSetup(id),
          taskIds: targets.map(ids.toSetup),
          changes: (await current(id)) ?? {},
        },
        stateMismatches,
      };
    }
    case 'delete_task': {
      const deleted = calls('delete_task').map((a) => a.input.task_id);
      for (const id of deleted)
        if (await current(id)) stateMismatches.push(`state: ${ids.toSetup(id)} still exists`);
      return { command: { kind: 'delete_task', taskIds: deleted.map(ids.toSetup) }, stateMismatches };
    }
    case 'undo':
      return { command: { kind: 'undo', commands: answer.actions }, stateMismatches };
    case 'clarify': {
      const awaiting = answer.awaiting;
      const pending =
        awaiting?.type === 'choose_task'
          ? {
              awaiting: {
                type: 'choose_task',
                candidates: awaiting.candidates.map((c) => ({ id: ids.toSetup(c.id) })),
              },
            }
          : awaiting?.type === 'confirm'
            ? { awaiting: { type: 'confirm', action: { taskIds: awaiting.task_ids.map(ids.toSetup) } } }
            : {};
      return { command: { kind: 'clarify', pending }, stateMismatches };
    }
    default:
      return { command: { kind: answer.intent ?? 'none' }, stateMismatches };
  }
}

/**
 * All the user's tasks as the REST API shows them, keyed by setup id. Tasks the map does not know yet
 * were created by turn `turn`: the first is named `new-<turn>`, any more `new-<turn>-2`, ….
 */
async function readBack(client: ApiClient, ids: IdMap, turn: number): Promise<Observation['after']> {
  const tasks = await client.getAll<Record<string, unknown> & { id: string }>(`/api/tasks?limit=${PAGE}`);
  let created = 0;
  for (const task of tasks) {
    if (ids.knows(task.id)) continue;
    created += 1;
    ids.add(created === 1 ? `new-${turn}` : `new-${turn}-${created}`, task.id);
  }
  return Object.fromEntries(tasks.map((task) => [String(ids.toSetup(task.id)), task]));
}

/** Reminder offsets in the write path's canonical form ("PT0M" is stored as "PT0S"), as the tasks read back carry them. */
function canonicalReminders(turn: EvalTurn): EvalTurn {
  const canonical = (offsets: string[] | undefined) =>
    offsets?.map((offset) => {
      const checked = validateReminderOffset(offset);
      return checked.ok ? checked.offset : offset;
    });
  const { expect } = turn;
  const withReminders = (fields: ExpectedFields): ExpectedFields =>
    fields.reminders ? { ...fields, reminders: canonical(fields.reminders) } : fields;
  return {
    ...turn,
    expect: {
      ...expect,
      ...(expect.reminders ? { reminders: canonical(expect.reminders) } : {}),
      ...(expect.changes ? { changes: withReminders(expect.changes) } : {}),
      ...(expect.state
        ? {
            state: Object.fromEntries(
              Object.entries(expect.state).map(([id, fields]) => [id, fields && withReminders(fields)]),
            ),
          }
        : {}),
    },
  };
}

/** How a run differs for LLM mode (tests/assistant/llm-eval.test.ts); the built-in engine needs none. */
export interface RunOptions {
  /** Called before each turn is sent, with the case's ids: where a scripted fake model learns its answer. */
  beforeTurn?: (turn: EvalTurn, ids: IdMap, zone: string) => void;
  /**
   * Score the turn as the case's own intent when the endpoint reports none (LLM mode does not
   * classify); what is scored is still the tasks as the REST API shows them afterwards.
   */
  expectedIntentWhenNone?: boolean;
  /** Cases at a time (1 when a scripted model answers them in order). */
  concurrency?: number;
}

export async function runCase(
  testCase: EvalCase,
  url: string,
  conversations: ConversationStore,
  options: RunOptions = {},
): Promise<Score> {
  const anonymous = new ApiClient(url);
  const client = await anonymous.signup(testCase.setup.time_zone);
  const ids = new IdMap();
  for (const task of testCase.setup.tasks) ids.add(task.id, await createSetupTask(client, task));
  let conversationId: string | undefined;
  if (testCase.setup.pending) {
    const { body: me } = await client.get('/api/me');
    const pending = remapPending(testCase.setup.pending, ids) as PendingState;
    conversationId = (await conversations.create(me.id, '(evaluation setup)', pending)).id;
  }
  const turns = [...(testCase.earlier_turns ?? []), testCase];
  let before = await readBack(client, ids, 0);
  for (const [index, turn] of turns.entries()) {
    // Only a conversation of several turns needs to say which turn failed.
    const where = turns.length > 1 ? `turn ${index + 1}/${turns.length} “${turn.message}”: ` : '';
    options.beforeTurn?.(turn, ids, testCase.setup.time_zone);
    const response = await client.post('/api/chat', {
      message: turn.message,
      ...(conversationId ? { conversation_id: conversationId } : {}),
    });
    if (response.status !== 200)
      return {
        pass: false,
        mismatches: [`${where}HTTP ${response.status}: ${JSON.stringify(response.body)}`],
      };
    const answer = response.body as ChatAnswer;
    if (options.expectedIntentWhenNone) answer.intent ??= turn.intent;
    conversationId = answer.conversation_id;
    const after = await readBack(client, ids, index + 1);
    const { command, stateMismatches } = await observed(answer, client, ids);
    const score = scoreTurn(canonicalReminders(turn), testCase.setup.time_zone, command, { before, after });
    const mismatches = [...score.mismatches, ...stateMismatches];
    // A later turn means nothing once an earlier one went wrong.
    if (mismatches.length) return { pass: false, mismatches: mismatches.map((m) => where + m) };
    before = after;
  }
  return { pass: true, mismatches: [] };
}

/** Runs the cases, those sharing a `now` a few at a time (they are independent users; sign-up hashing is the slow part). */
export async function runSet(
  cases: EvalCase[],
  url: string,
  conversations: ConversationStore,
  setNow: (at: Date) => void,
  options: RunOptions = {},
): Promise<{ testCase: EvalCase; score: Score }[]> {
  const results: { testCase: EvalCase; score: Score }[] = [];
  for (const at of new Set(cases.map((c) => c.setup.now))) {
    setNow(new Date(at));
    const pending = cases.filter((c) => c.setup.now === at);
    const worker = async () => {
      for (let testCase = pending.shift(); testCase; testCase = pending.shift()) {
        results.push({ testCase, score: await runCase(testCase, url, conversations, options) });
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? CONCURRENCY }, worker));
  }
  return results;
}
