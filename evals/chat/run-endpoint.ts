/**
 * `npm run eval:chat`: the chat evaluation set against the real chat endpoint, over HTTP.
 *
 * Starts the app in-process (embedded mode, a fresh PGlite database in a temporary directory, a free
 * port), and for each case: signs up a user in the case's zone, creates the setup tasks through the
 * REST API, carries the case's pending state into a conversation (the state a previous turn would
 * have left: a question, an undoable action), sends the message to `POST /api/chat`, reads the
 * resulting tasks back through the REST API and scores them with `scoreCase`.
 *
 * Two things need the in-process app, which is why this runner does not take a URL: the cases are
 * written for a fixed `now`, so the app runs with its clock pinned (the `clock` option of
 * `startEmbedded`, which no configuration or environment variable can set, so it cannot leak into a
 * deployment); and the pending state is written into the conversation row as the endpoint itself
 * would persist it.
 *
 * Prints accuracy per intent and overall; exits 1 below 95 % overall or 90 % for any intent.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConversationStore } from '@todo/api/assistant/conversations';
import { type PendingState, validateReminderOffset } from '@todo/domain';
import { loadConfig } from '@todo/platform/config';
import { startEmbedded } from '../../runtime/src/embedded.js';
import { ApiClient } from '../../tests/support/client.js';
import { type EvalCase, type EvalTask, formatTable, type Score, scoreCase, summarize } from './evaluate.js';

const OVERALL_GATE = 0.95;
const INTENT_GATE = 0.9;
const CONCURRENCY = 6;

const file = fileURLToPath(new URL('./utterances.jsonl', import.meta.url));
const cases: EvalCase[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as EvalCase);

interface ChatAction {
  tool: string;
  input: Record<string, unknown>;
  result: { task?: { id: string }; error?: { message: string } };
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
class IdMap {
  private readonly real = new Map<string, string>();
  private readonly setup = new Map<string, string>();

  add(setupId: string, realId: string) {
    this.real.set(setupId, realId);
    this.setup.set(realId, setupId);
  }
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
 * list filters, and the question it asked. Effects the reply claims but the state lacks are mismatches.
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
  const lastTarget = () => {
    const targeted = answer.actions.filter((a) => typeof a.input.task_id === 'string');
    return targeted.at(-1)?.input.task_id;
  };
  switch (answer.intent) {
    case 'add_task': {
      const id = calls('add_task')[0]?.result.task?.id;
      return { command: { kind: 'add_task', task: (id && (await current(id))) ?? {} }, stateMismatches };
    }
    case 'list_tasks':
      return {
        command: { kind: 'list_tasks', filter: calls('list_tasks')[0]?.input ?? {} },
        stateMismatches,
      };
    case 'complete_task': {
      const id = lastTarget();
      const task = await current(id);
      if (task?.status !== 'completed') stateMismatches.push('state: the task is not completed');
      return { command: { kind: 'complete_task', taskId: ids.toSetup(id) }, stateMismatches };
    }
    case 'update_task': {
      const id = lastTarget();
      return {
        command: { kind: 'update_task', taskId: ids.toSetup(id), changes: (await current(id)) ?? {} },
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

/** Reminder offsets in the write path's canonical form ("PT0M" is stored as "PT0S"), as the tasks read back carry them. */
function canonicalReminders(testCase: EvalCase): EvalCase {
  const canonical = (offsets: string[] | undefined) =>
    offsets?.map((offset) => {
      const checked = validateReminderOffset(offset);
      return checked.ok ? checked.offset : offset;
    });
  const { expect } = testCase;
  return {
    ...testCase,
    expect: {
      ...expect,
      ...(expect.reminders ? { reminders: canonical(expect.reminders) } : {}),
      ...(expect.changes?.reminders
        ? { changes: { ...expect.changes, reminders: canonical(expect.changes.reminders) } }
        : {}),
    },
  };
}

async function runCase(testCase: EvalCase, url: string, conversations: ConversationStore): Promise<Score> {
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
  const response = await client.post('/api/chat', {
    message: testCase.message,
    ...(conversationId ? { conversation_id: conversationId } : {}),
  });
  if (response.status !== 200)
    return { pass: false, mismatches: [`HTTP ${response.status}: ${JSON.stringify(response.body)}`] };
  const { command, stateMismatches } = await observed(response.body as ChatAnswer, client, ids);
  const score = scoreCase(canonicalReminders(testCase), command);
  const mismatches = [...score.mismatches, ...stateMismatches];
  return { pass: mismatches.length === 0, mismatches };
}

const dataDir = mkdtempSync(join(tmpdir(), 'todo-eval-chat-'));
let now = new Date();
const app = await startEmbedded(
  loadConfig({
    PORT: '0',
    LOG_LEVEL: 'error',
    DATA_DIR: dataDir,
    // One sign-up per case: the login rate limit guards people, not this runner.
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000000',
    CHAT_RATE_LIMIT_PER_MINUTE: '1000000',
  }),
  {
    clock: () => now,
  },
);
try {
  const conversations = new ConversationStore(app.db);
  const results: { testCase: EvalCase; score: Score }[] = [];
  // Cases are independent users, so those sharing a `now` run a few at a time (sign-up hashing is the slow part).
  for (const at of new Set(cases.map((c) => c.setup.now))) {
    now = new Date(at);
    const pending = cases.filter((c) => c.setup.now === at);
    const worker = async () => {
      for (let testCase = pending.shift(); testCase; testCase = pending.shift()) {
        results.push({ testCase, score: await runCase(testCase, app.url, conversations) });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }
  const summary = summarize(results);
  const failures = results
    .filter((r) => !r.score.pass)
    .sort((a, b) => a.testCase.id.localeCompare(b.testCase.id));
  for (const f of failures)
    console.log(`✗ ${f.testCase.id} “${f.testCase.message}”: ${f.score.mismatches.join('; ')}`);
  console.log(`\nchat endpoint (${app.url}/api/chat), ${cases.length} utterances\n${formatTable(summary)}`);
  const belowGate = summary.byIntent.filter((row) => row.accuracy < INTENT_GATE);
  if (summary.overall < OVERALL_GATE || belowGate.length > 0) {
    console.log(
      `FAIL: needs ≥ ${OVERALL_GATE * 100} % overall and ≥ ${INTENT_GATE * 100} % per intent` +
        (belowGate.length ? ` (below: ${belowGate.map((r) => r.intent).join(', ')})` : ''),
    );
    process.exitCode = 1;
  }
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
