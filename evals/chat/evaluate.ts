/**
 * Scoring for the chat evaluation set (`utterances.jsonl`): one pure function that checks a
 * command produced for an utterance against the hand-written expectation. It takes plain JSON,
 * so the same scoring serves the built-in engine (`interpret`) and, later, the HTTP chat
 * endpoint (`npm run eval:chat`), whichever produced the command.
 */
import { DateTime } from 'luxon';

export const EVAL_INTENTS = [
  'add_task',
  'list_tasks',
  'complete_task',
  'update_task',
  'delete_task',
  'undo',
  'clarify',
  'help',
] as const;
export type EvalIntent = (typeof EVAL_INTENTS)[number];

/** A task of the setup, in REST field names. */
export interface EvalTask {
  id: string;
  title: string;
  tags: string[];
  due_at: string | null;
  all_day: boolean;
  priority: 'low' | 'medium' | 'high' | 'urgent';
  status: 'open' | 'completed';
  recurrence: string | null;
  reminders: string[];
}

/**
 * Expected task fields. Times are wall-clock in the case's zone, as a person reads them:
 * `due_local` "2026-11-28T17:00" for a timed due, `due_date` "2026-11-28" for an all-day one,
 * `due: null` for "no due date". Omitted fields are not checked.
 */
export interface ExpectedFields {
  title?: string;
  due?: null;
  due_local?: string;
  due_date?: string;
  recurrence?: string | null;
  priority?: string;
  tags?: string[];
  reminders?: string[];
}

export interface Expectation extends ExpectedFields {
  /** list_tasks: the filter, with due_before/due_after as local wall time "YYYY-MM-DDTHH:mm". Exact on filter keys. */
  filter?: Record<string, string | boolean>;
  /** complete_task / update_task target. */
  task_id?: string;
  /** delete_task targets (any order). */
  task_ids?: string[];
  /** update_task changes. */
  changes?: ExpectedFields;
  /** clarify: the tasks offered in the numbered choice (any order). */
  candidates?: string[];
  /** clarify: the tasks a yes/no confirmation would delete (any order). */
  confirm_task_ids?: string[];
  /** undo: how many reverting commands. */
  undo_commands?: number;
}

export interface EvalCase {
  id: string;
  intent: EvalIntent;
  message: string;
  setup: { now: string; time_zone: string; tasks: EvalTask[]; pending?: unknown };
  expect: Expectation;
  /** 2 for the cases written after the engine existed but scored before tuning it on them. */
  batch?: number;
}

export interface Score {
  pass: boolean;
  /** Why it failed, one line per mismatch. */
  mismatches: string[];
}

/** The command fields this scorer reads (a structural subset of the assistant's Command). */
type ScoredCommand = { kind: string } & Record<string, unknown>;

/** Filter keys compared exactly; others (sort, limit) are presentation and not scored. */
const FILTER_KEYS = ['status', 'priority', 'tag', 'due_before', 'due_after', 'overdue', 'q'] as const;

function normalizeTitle(title: unknown): string {
  return String(title ?? '')
    .toLowerCase()
    .replace(/[“”"'‘’]/g, '')
    .replace(/[.!?,;:\s]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function sameSet(actual: unknown, expected: string[]): boolean {
  if (!Array.isArray(actual)) return expected.length === 0 && (actual === undefined || actual === null);
  const a = [...new Set(actual.map((x) => String(x).toLowerCase()))].sort();
  const e = [...new Set(expected.map((x) => x.toLowerCase()))].sort();
  return a.length === e.length && a.every((x, i) => x === e[i]);
}

/** RRULE parts compared as a set, so "BYDAY=MO;FREQ=WEEKLY" equals "FREQ=WEEKLY;BYDAY=MO"; INTERVAL=1 is implied. */
export function sameRecurrence(actual: unknown, expected: string | null): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (typeof actual !== 'string') return false;
  const parts = (rule: string) =>
    rule
      .replace(/^RRULE:/i, '')
      .toUpperCase()
      .split(';')
      .filter((p) => p && p !== 'INTERVAL=1')
      .map((p) => {
        const [key, value = ''] = p.split('=');
        return `${key}=${value.split(',').sort().join(',')}`;
      })
      .sort()
      .join(';');
  return parts(actual) === parts(expected);
}

/** An RFC 3339 instant as wall-clock "YYYY-MM-DDTHH:mm" in `zone`. */
export function toLocal(instant: unknown, zone: string): string | null {
  if (typeof instant !== 'string') return null;
  const at = DateTime.fromISO(instant, { setZone: true });
  return at.isValid ? at.setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm") : null;
}

function checkFields(
  actual: Record<string, unknown>,
  expected: ExpectedFields,
  zone: string,
  where: string,
): string[] {
  const out: string[] = [];
  if (expected.title !== undefined && normalizeTitle(actual.title) !== normalizeTitle(expected.title)) {
    out.push(`${where}title: got “${String(actual.title)}”, want “${expected.title}”`);
  }
  if ('due' in expected && expected.due === null && actual.due_at != null) {
    out.push(`${where}due: got ${String(actual.due_at)}, want none`);
  }
  if (expected.due_local !== undefined) {
    const local = toLocal(actual.due_at, zone);
    if (actual.all_day === true || local !== expected.due_local) {
      out.push(
        `${where}due: got ${local ?? 'none'}${actual.all_day ? ' (all day)' : ''}, want ${expected.due_local}`,
      );
    }
  }
  if (expected.due_date !== undefined) {
    // All-day dues are midnight UTC of the calendar date (the Task contract).
    const date = typeof actual.due_at === 'string' ? actual.due_at.slice(0, 10) : null;
    if (actual.all_day !== true || date !== expected.due_date) {
      out.push(
        `${where}due: got ${String(actual.due_at ?? 'none')}${actual.all_day ? ' (all day)' : ''}, want all-day ${expected.due_date}`,
      );
    }
  }
  if (expected.recurrence !== undefined && !sameRecurrence(actual.recurrence, expected.recurrence)) {
    out.push(
      `${where}recurrence: got ${String(actual.recurrence ?? null)}, want ${String(expected.recurrence)}`,
    );
  }
  if (expected.priority !== undefined && actual.priority !== expected.priority) {
    out.push(`${where}priority: got ${String(actual.priority ?? 'none')}, want ${expected.priority}`);
  }
  if (expected.tags !== undefined && !sameSet(actual.tags ?? [], expected.tags)) {
    out.push(`${where}tags: got ${JSON.stringify(actual.tags ?? [])}, want ${JSON.stringify(expected.tags)}`);
  }
  if (expected.reminders !== undefined && !sameSet(actual.reminders ?? [], expected.reminders)) {
    out.push(
      `${where}reminders: got ${JSON.stringify(actual.reminders ?? [])}, want ${JSON.stringify(expected.reminders)}`,
    );
  }
  return out;
}

function normalizeQuery(q: unknown): string {
  return String(q ?? '')
    .toLowerCase()
    .replace(/^(?:the|my|a|an)\s+/, '')
    .trim();
}

function checkFilter(
  actual: Record<string, unknown>,
  expected: Record<string, string | boolean>,
  zone: string,
): string[] {
  const out: string[] = [];
  for (const key of FILTER_KEYS) {
    const want = expected[key];
    let got: unknown = actual[key];
    if (key === 'due_before' || key === 'due_after') got = got === undefined ? undefined : toLocal(got, zone);
    if (key === 'q') {
      if (want === undefined ? got !== undefined : normalizeQuery(got) !== normalizeQuery(want))
        out.push(`filter.q: got ${String(got)}, want ${String(want)}`);
      continue;
    }
    if (key === 'tag' && typeof got === 'string') got = got.replace(/^#/, '').toLowerCase();
    if ((got ?? undefined) !== want) out.push(`filter.${key}: got ${String(got)}, want ${String(want)}`);
  }
  return out;
}

/** Scores one command against the case's expectation. Pure; never throws on odd input. */
export function scoreCase(testCase: EvalCase, command: unknown): Score {
  const mismatches: string[] = [];
  const zone = testCase.setup.time_zone;
  const expect = testCase.expect;
  if (
    typeof command !== 'object' ||
    command === null ||
    typeof (command as ScoredCommand).kind !== 'string'
  ) {
    return { pass: false, mismatches: ['no command'] };
  }
  const cmd = command as ScoredCommand;
  if (cmd.kind !== testCase.intent) {
    return { pass: false, mismatches: [`intent: got ${cmd.kind}, want ${testCase.intent}`] };
  }
  switch (cmd.kind) {
    case 'add_task':
      mismatches.push(...checkFields((cmd.task ?? {}) as Record<string, unknown>, expect, zone, ''));
      break;
    case 'list_tasks':
      if (expect.filter)
        mismatches.push(...checkFilter((cmd.filter ?? {}) as Record<string, unknown>, expect.filter, zone));
      break;
    case 'complete_task':
      if (expect.task_id !== undefined && cmd.taskId !== expect.task_id)
        mismatches.push(`task: got ${String(cmd.taskId)}, want ${expect.task_id}`);
      break;
    case 'update_task':
      if (expect.task_id !== undefined && cmd.taskId !== expect.task_id)
        mismatches.push(`task: got ${String(cmd.taskId)}, want ${expect.task_id}`);
      if (expect.changes)
        mismatches.push(
          ...checkFields((cmd.changes ?? {}) as Record<string, unknown>, expect.changes, zone, 'changes.'),
        );
      break;
    case 'delete_task':
      if (expect.task_ids && !sameSet(cmd.taskIds, expect.task_ids)) {
        mismatches.push(`tasks: got ${JSON.stringify(cmd.taskIds)}, want ${JSON.stringify(expect.task_ids)}`);
      }
      break;
    case 'undo':
      if (
        expect.undo_commands !== undefined &&
        (Array.isArray(cmd.commands) ? cmd.commands.length : 0) !== expect.undo_commands
      ) {
        mismatches.push(
          `undo commands: got ${Array.isArray(cmd.commands) ? cmd.commands.length : 0}, want ${expect.undo_commands}`,
        );
      }
      break;
    case 'clarify': {
      const awaiting = ((cmd.pending ?? {}) as { awaiting?: Record<string, unknown> }).awaiting;
      if (expect.candidates) {
        const ids = Array.isArray(awaiting?.candidates)
          ? (awaiting.candidates as { id: string }[]).map((c) => c.id)
          : [];
        if (awaiting?.type !== 'choose_task' || !sameSet(ids, expect.candidates)) {
          mismatches.push(
            `candidates: got ${JSON.stringify(ids)}, want ${JSON.stringify(expect.candidates)}`,
          );
        }
      }
      if (expect.confirm_task_ids) {
        const action = awaiting?.action as { taskIds?: string[] } | undefined;
        if (awaiting?.type !== 'confirm' || !sameSet(action?.taskIds, expect.confirm_task_ids)) {
          mismatches.push(
            `confirm: got ${JSON.stringify(action?.taskIds ?? null)}, want ${JSON.stringify(expect.confirm_task_ids)}`,
          );
        }
      }
      break;
    }
    default:
      break;
  }
  return { pass: mismatches.length === 0, mismatches };
}

export interface IntentAccuracy {
  intent: EvalIntent;
  total: number;
  passed: number;
  accuracy: number;
}

/** Per-intent and overall accuracy of a run. */
export function summarize(results: { testCase: EvalCase; score: Score }[]): {
  overall: number;
  total: number;
  byIntent: IntentAccuracy[];
} {
  const byIntent = EVAL_INTENTS.map((intent) => {
    const mine = results.filter((r) => r.testCase.intent === intent);
    const passed = mine.filter((r) => r.score.pass).length;
    return { intent, total: mine.length, passed, accuracy: mine.length ? passed / mine.length : 1 };
  });
  const passed = results.filter((r) => r.score.pass).length;
  return { overall: results.length ? passed / results.length : 1, total: results.length, byIntent };
}

/** A fixed-width table for logs. */
export function formatTable(summary: ReturnType<typeof summarize>): string {
  const rows = summary.byIntent.map(
    (r) =>
      `${r.intent.padEnd(14)} ${String(r.passed).padStart(4)}/${String(r.total).padEnd(4)} ${(r.accuracy * 100).toFixed(1).padStart(6)}%`,
  );
  const passed = Math.round(summary.overall * summary.total);
  return [
    'intent          pass/total  accuracy',
    ...rows,
    `${'overall'.padEnd(14)} ${String(passed).padStart(4)}/${String(summary.total).padEnd(4)} ${(summary.overall * 100).toFixed(1).padStart(6)}%`,
  ].join('\n');
}
