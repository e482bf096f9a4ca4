/**
 * Scoring for the chat evaluation sets (`utterances.jsonl`, `everyday.jsonl`): pure functions that
 * check a command produced for an utterance against the hand-written expectation. They take plain
 * JSON, so the same scoring serves the built-in engine (`interpret`) and the HTTP chat endpoint
 * (`npm run eval:chat`), whichever produced the command; expectations about the tasks themselves
 * (`unchanged`, `state`) need an Observation, which only the endpoint runner has.
 */
import { upcomingOccurrences } from '@todo/domain';
import { DateTime } from 'luxon';

export const EVAL_INTENTS = [
  'add_task',
  'list_tasks',
  'complete_task',
  'update_task',
  'delete_task',
  'undo',
  'clarify',
  'cancelled',
  'help',
] as const;
export type EvalIntent = (typeof EVAL_INTENTS)[number];

/** The kinds of everyday phrasing of issue 14 (`everyday.jsonl`), plus the safety rule of that issue. */
export const EVAL_FAMILIES = [
  'recurrence',
  'times-and-dates',
  'priority-and-tags',
  'edits-by-reference',
  'bulk-with-confirmation',
  'conversation',
  'questions',
  'safety',
] as const;
export type EvalFamily = (typeof EVAL_FAMILIES)[number];

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
  /** Compared like titles (case, quotes and trailing punctuation aside). */
  description?: string;
  status?: 'open' | 'completed';
  due?: null;
  due_local?: string;
  due_date?: string;
  /** UNTIL compares as a date in the case's zone; an end by COUNT equals one by UNTIL giving the same dates. */
  recurrence?: string | null;
  recurrence_anchor?: 'due' | 'completion';
  priority?: string;
  tags?: string[];
  reminders?: string[];
}

export interface Expectation extends ExpectedFields {
  /** list_tasks: the filter, with due_before/due_after as local wall time "YYYY-MM-DDTHH:mm". Exact on filter keys. */
  filter?: Record<string, string | boolean>;
  /** complete_task / update_task: the one task acted on. */
  task_id?: string;
  /** complete_task / update_task / delete_task: every task acted on (any order), for one or several. */
  task_ids?: string[];
  /** update_task changes. */
  changes?: ExpectedFields;
  /** clarify: the tasks offered in the numbered choice (any order). */
  candidates?: string[];
  /** clarify: the tasks a yes/no confirmation would delete (any order). */
  confirm_task_ids?: string[];
  /** undo: how many reverting commands. */
  undo_commands?: number;
  /** list_tasks: exactly these tasks were listed (any order). */
  listed?: string[];
  /** list_tasks: the task listed first (the answer to "what's next?", "what's most important?"). */
  first_listed?: string;
  /** No task was created, changed or deleted (needs an Observation). */
  unchanged?: true;
  /** Tasks read back after the turn, by id; null: the task no longer exists (needs an Observation). */
  state?: Record<string, ExpectedFields | null>;
}

/** One message and what it must do. */
export interface EvalTurn {
  intent: EvalIntent;
  message: string;
  expect: Expectation;
}

/** A case is its last turn (`message`, `intent`, `expect`), after any earlier turns of the same conversation. */
export interface EvalCase extends EvalTurn {
  id: string;
  setup: { now: string; time_zone: string; tasks: EvalTask[]; pending?: unknown };
  /** 2 for the cases written after the engine existed but scored before tuning it on them. */
  batch?: number;
  /** everyday.jsonl: which kind of phrasing the case samples. */
  family?: EvalFamily;
  /**
   * Turns sent before `message` in the same conversation, each scored like the last. A task created
   * by turn n (counting from 1) is called `new-n` in later expectations.
   */
  earlier_turns?: EvalTurn[];
}

/**
 * The user's tasks in REST form, keyed by setup id (or `new-n`), as read back before and after a
 * turn: what the turn really did, whatever the reply says.
 */
export interface Observation {
  before: Record<string, Record<string, unknown>>;
  after: Record<string, Record<string, unknown>>;
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

/** Where a series starts, so two rules can be compared by the dates they give. */
export interface SeriesStart {
  timeZone: string;
  /** The task's due_at (RFC 3339). */
  start: unknown;
  allDay: unknown;
}

/** How many dates two ended rules are compared on (the most upcomingOccurrences gives). */
const COMPARED_OCCURRENCES = 50;

const UNTIL_VALUE = /^(\d{8})(T\d{6}Z?)?$/;

/** An UNTIL value as the calendar date it ends on in `zone`: "20270201T075959Z" in Los Angeles is "20270131". */
function untilDate(value: string, zone: string): string {
  const match = UNTIL_VALUE.exec(value);
  if (!match) return value;
  if (!match[2]?.endsWith('Z')) return match[1] as string;
  const at = DateTime.fromFormat(value, "yyyyMMdd'T'HHmmss'Z'", { zone: 'utc' });
  return at.isValid ? at.setZone(zone).toFormat('yyyyMMdd') : value;
}

function ruleParts(rule: string, zone: string): string {
  return rule
    .replace(/^RRULE:/i, '')
    .toUpperCase()
    .split(';')
    .filter((p) => p && p !== 'INTERVAL=1')
    .map((p) => {
      const [key, value = ''] = p.split('=');
      if (key === 'UNTIL') return `UNTIL=${untilDate(value, zone)}`;
      return `${key}=${value.split(',').sort().join(',')}`;
    })
    .sort()
    .join(';');
}

/** The dates a rule gives from `series.start`, or null when the rule or the start cannot be read. */
function seriesDates(rule: string, series: SeriesStart): string[] | null {
  if (typeof series.start !== 'string') return null;
  const start = new Date(series.start);
  if (Number.isNaN(start.getTime())) return null;
  try {
    return upcomingOccurrences({
      rule,
      timeZone: series.timeZone,
      start,
      allDay: series.allDay === true,
      count: COMPARED_OCCURRENCES,
    }).map((date) => date.toISOString());
  } catch {
    return null;
  }
}

/**
 * RRULE parts compared as a set, so "BYDAY=MO;FREQ=WEEKLY" equals "FREQ=WEEKLY;BYDAY=MO"; INTERVAL=1
 * is implied; UNTIL is the date it ends on in the series' zone (UTC without a series). When either
 * rule ends (COUNT or UNTIL) and `series` is given, rules that give the same dates from the task's
 * due date, ending within the first 50, are the same: "COUNT=4" and "UNTIL=20261229" for four
 * Saturdays from 5 December.
 */
export function sameRecurrence(actual: unknown, expected: string | null, series?: SeriesStart): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (typeof actual !== 'string') return false;
  const zone = series?.timeZone ?? 'UTC';
  if (ruleParts(actual, zone) === ruleParts(expected, zone)) return true;
  const ends = (rule: string) => /(?:^|;)(?:COUNT|UNTIL)=/i.test(rule);
  if (!series || !(ends(actual) || ends(expected))) return false;
  const [got, want] = [seriesDates(actual, series), seriesDates(expected, series)];
  // Both must end inside the compared window: beyond it the dates were not compared.
  return (
    got !== null &&
    want !== null &&
    got.length < COMPARED_OCCURRENCES &&
    got.length === want.length &&
    got.every((d, i) => d === want[i])
  );
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
  if (
    expected.description !== undefined &&
    normalizeTitle(actual.description) !== normalizeTitle(expected.description)
  ) {
    out.push(
      `${where}description: got “${String(actual.description ?? '')}”, want “${expected.description}”`,
    );
  }
  if (expected.status !== undefined && actual.status !== expected.status) {
    out.push(`${where}status: got ${String(actual.status ?? 'none')}, want ${expected.status}`);
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
  const series = { timeZone: zone, start: actual.due_at, allDay: actual.all_day };
  if (expected.recurrence !== undefined && !sameRecurrence(actual.recurrence, expected.recurrence, series)) {
    out.push(
      `${where}recurrence: got ${String(actual.recurrence ?? null)}, want ${String(expected.recurrence)}`,
    );
  }
  if (
    expected.recurrence_anchor !== undefined &&
    (actual.recurrence_anchor ?? 'due') !== expected.recurrence_anchor
  ) {
    out.push(
      `${where}recurrence anchor: got ${String(actual.recurrence_anchor ?? 'due')}, want ${expected.recurrence_anchor}`,
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

/** The tasks a command acts on: `taskIds` when it names several, else its one `taskId`. */
function targetsOf(cmd: ScoredCommand): unknown[] {
  if (Array.isArray(cmd.taskIds)) return cmd.taskIds;
  return cmd.taskId === undefined ? [] : [cmd.taskId];
}

function checkTargets(cmd: ScoredCommand, expect: Expectation): string[] {
  const targets = targetsOf(cmd);
  const out: string[] = [];
  if (expect.task_id !== undefined && (targets.length !== 1 || targets[0] !== expect.task_id))
    out.push(`task: got ${targets.map(String).join(', ') || 'none'}, want ${expect.task_id}`);
  if (expect.task_ids && !sameSet(targets, expect.task_ids))
    out.push(`tasks: got ${JSON.stringify(targets)}, want ${JSON.stringify(expect.task_ids)}`);
  return out;
}

function checkListed(cmd: ScoredCommand, expect: Expectation): string[] {
  if (expect.listed === undefined && expect.first_listed === undefined) return [];
  if (!Array.isArray(cmd.listed)) return ['listed: not observed (the tasks the answer listed are needed)'];
  const out: string[] = [];
  if (expect.listed && !sameSet(cmd.listed, expect.listed))
    out.push(`listed: got ${JSON.stringify(cmd.listed)}, want ${JSON.stringify(expect.listed)}`);
  if (expect.first_listed !== undefined && cmd.listed[0] !== expect.first_listed)
    out.push(`first listed: got ${String(cmd.listed[0] ?? 'none')}, want ${expect.first_listed}`);
  return out;
}

/** What the turn did to the tasks, one line per created, changed or deleted task. */
function checkUnchanged(observation: Observation): string[] {
  const out: string[] = [];
  const { before, after } = observation;
  for (const [id, task] of Object.entries(after)) {
    if (!(id in before)) out.push(`unchanged: created “${String(task.title)}”`);
    else if (JSON.stringify(before[id]) !== JSON.stringify(task)) out.push(`unchanged: changed ${id}`);
  }
  for (const id of Object.keys(before)) if (!(id in after)) out.push(`unchanged: deleted ${id}`);
  return out;
}

function checkState(
  after: Observation['after'],
  expected: NonNullable<Expectation['state']>,
  zone: string,
): string[] {
  const out: string[] = [];
  for (const [id, fields] of Object.entries(expected)) {
    const task = after[id];
    if (fields === null) {
      if (task) out.push(`state.${id}: still exists, want deleted`);
    } else if (!task) {
      out.push(`state.${id}: does not exist`);
    } else {
      out.push(...checkFields(task, fields, zone, `state.${id}.`));
    }
  }
  return out;
}

/** What a command that is not the wanted one was, with the title when it is a new task (the safety rule's concern). */
function describeKind(cmd: ScoredCommand): string {
  const title = (cmd.task as { title?: unknown } | undefined)?.title;
  return cmd.kind === 'add_task' && typeof title === 'string' ? `add_task “${title}”` : cmd.kind;
}

/**
 * Scores one turn's command against its expectation, in the user's `zone`. Expectations about the
 * tasks (`unchanged`, `state`) need `observation` and fail without it. Pure; never throws on odd input.
 */
export function scoreTurn(turn: EvalTurn, zone: string, command: unknown, observation?: Observation): Score {
  const mismatches: string[] = [];
  const expect = turn.expect;
  if (
    typeof command !== 'object' ||
    command === null ||
    typeof (command as ScoredCommand).kind !== 'string'
  ) {
    return { pass: false, mismatches: ['no command'] };
  }
  const cmd = command as ScoredCommand;
  if (cmd.kind !== turn.intent) {
    return { pass: false, mismatches: [`intent: got ${describeKind(cmd)}, want ${turn.intent}`] };
  }
  switch (cmd.kind) {
    case 'add_task':
      mismatches.push(...checkFields((cmd.task ?? {}) as Record<string, unknown>, expect, zone, ''));
      break;
    case 'list_tasks':
      if (expect.filter)
        mismatches.push(...checkFilter((cmd.filter ?? {}) as Record<string, unknown>, expect.filter, zone));
      mismatches.push(...checkListed(cmd, expect));
      break;
    case 'complete_task':
    case 'delete_task':
      mismatches.push(...checkTargets(cmd, expect));
      break;
    case 'update_task':
      mismatches.push(...checkTargets(cmd, expect));
      if (expect.changes)
        mismatches.push(
          ...checkFields((cmd.changes ?? {}) as Record<string, unknown>, expect.changes, zone, 'changes.'),
        );
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
  if (expect.unchanged || expect.state) {
    if (!observation) mismatches.push('tasks: not observed (the tasks before and after the turn are needed)');
    else {
      if (expect.unchanged) mismatches.push(...checkUnchanged(observation));
      if (expect.state) mismatches.push(...checkState(observation.after, expect.state, zone));
    }
  }
  return { pass: mismatches.length === 0, mismatches };
}

/** Scores the command for a case's own (last) message against its expectation. */
export function scoreCase(testCase: EvalCase, command: unknown, observation?: Observation): Score {
  return scoreTurn(testCase, testCase.setup.time_zone, command, observation);
}

export interface GroupAccuracy<Group extends string> {
  group: Group;
  total: number;
  passed: number;
  accuracy: number;
}
export type IntentAccuracy = GroupAccuracy<EvalIntent> & { intent: EvalIntent };

type Result = { testCase: EvalCase; score: Score };

function accuracyBy<Group extends string>(
  results: Result[],
  groups: readonly Group[],
  groupOf: (testCase: EvalCase) => Group | undefined,
): GroupAccuracy<Group>[] {
  return groups.map((group) => {
    const mine = results.filter((r) => groupOf(r.testCase) === group);
    const passed = mine.filter((r) => r.score.pass).length;
    return { group, total: mine.length, passed, accuracy: mine.length ? passed / mine.length : 1 };
  });
}

/** Per-intent, per-family and overall accuracy of a run. */
export function summarize(results: Result[]): {
  overall: number;
  total: number;
  byIntent: IntentAccuracy[];
  byFamily: GroupAccuracy<EvalFamily>[];
} {
  const byIntent = accuracyBy(results, EVAL_INTENTS, (c) => c.intent).map((row) => ({
    ...row,
    intent: row.group,
  }));
  const byFamily = accuracyBy(results, EVAL_FAMILIES, (c) => c.family);
  const passed = results.filter((r) => r.score.pass).length;
  return {
    overall: results.length ? passed / results.length : 1,
    total: results.length,
    byIntent,
    byFamily,
  };
}

/** A fixed-width table for logs, by intent (the default) or by family; groups without cases are left out. */
export function formatTable(
  summary: ReturnType<typeof summarize>,
  by: 'intent' | 'family' = 'intent',
): string {
  const rows: GroupAccuracy<string>[] = by === 'intent' ? summary.byIntent : summary.byFamily;
  const width = by === 'intent' ? 14 : 22;
  const line = (name: string, passed: number, total: number, accuracy: number) =>
    `${name.padEnd(width)} ${String(passed).padStart(4)}/${String(total).padEnd(4)} ${(accuracy * 100).toFixed(1).padStart(6)}%`;
  return [
    `${by.padEnd(width)}  pass/total  accuracy`,
    ...rows.filter((r) => r.total > 0).map((r) => line(r.group, r.passed, r.total, r.accuracy)),
    line('overall', Math.round(summary.overall * summary.total), summary.total, summary.overall),
  ].join('\n');
}

/** Both sets are gated alike: ≥ 95 % overall and ≥ 90 % for every intent (utterances.jsonl) or family (everyday.jsonl). */
export const OVERALL_GATE = 0.95;
export const GROUP_GATE = 0.9;

/** Why a run misses the gate, or null when it passes. */
export function gateFailure(summary: ReturnType<typeof summarize>, by: 'intent' | 'family'): string | null {
  const rows: GroupAccuracy<string>[] = by === 'intent' ? summary.byIntent : summary.byFamily;
  const below = rows.filter((row) => row.accuracy < GROUP_GATE).map((row) => row.group);
  if (summary.overall >= OVERALL_GATE && below.length === 0) return null;
  return (
    `needs ≥ ${OVERALL_GATE * 100} % overall and ≥ ${GROUP_GATE * 100} % per ${by}` +
    (below.length ? ` (below: ${below.join(', ')})` : '')
  );
}
