/**
 * Many tasks at once: "finish everything tagged #home", "push all of today's tasks to monday",
 * "clear out the done ones". The assistant names the tasks and asks; a yes runs the whole batch
 * (answerPending), a no drops it, and one undo reverts it.
 */
import type { DateTime } from 'luxon';
import { normalizeTag } from './attributes.js';
import { dueOfTask, dueToFields, localNow, parseWhen } from './dates.js';
import { timeWindow } from './queries.js';
import { moveDue } from './reschedule.js';
import { words } from './text.js';
import {
  type AssistantContext,
  type BatchCommand,
  type Command,
  conversationMemory,
  type DeleteTaskCommand,
  type TaskRef,
} from './types.js';

type BulkAction = 'complete' | 'reschedule' | 'delete';

const VERBS: { lead: RegExp; action: BulkAction }[] = [
  {
    lead: /^(?:finish|complete|close|mark|tick off|check off|cross off|tick|check|cross|i finished|i did) /i,
    action: 'complete',
  },
  {
    lead: /^(?:push(?: back)?|move|reschedule|postpone|shift|bump|delay|defer|snooze) /i,
    action: 'reschedule',
  },
  {
    lead: /^(?:delete|remove|clear out|clear|trash|erase|get rid of|wipe out|wipe|purge|bin|ditch) /i,
    action: 'delete',
  },
];

/** Words a selector starts with that say "several tasks", not one named task ("trash night every wednesday" is one). */
const QUANTIFIER =
  /^(?:all|every|everything|each)\b|^(?:the |my )?(?:done|completed|finished|old) (?:ones|tasks|stuff|items)$/i;
/** A day's tasks: "friday's tasks", "the tasks for tomorrow", "my todos due monday". */
const DAY_TASKS =
  /^(?:the |my )?[a-z]*(?:day|tomorrow|tonight)'?s (?:(?:open|remaining) )?(?:tasks|todos|to-dos|stuff|items)$|^(?:the |my )?(?:tasks|todos|to-dos|items) (?:for|on|due|from) /i;
const DONE = /\b(?:done|completed|finished)\b/i;
const OVERDUE = /\b(?:overdue|late|past due)\b/i;
/** Words of a selector that are never a tag ("all of today's work tasks"). */
const NOT_A_TAG = new Set(
  'today tomorrow week weekend high low urgent all every the my of tasks task stuff'.split(' '),
);

interface Selection {
  tasks: TaskRef[];
  label: string;
}

/** The calendar day a task is due on in the user's zone (all-day tasks by their date, wherever the user is). */
function dueDay(task: TaskRef, ctx: AssistantContext): DateTime | null {
  const due = dueOfTask(task.dueAt, task.allDay, ctx.timeZone);
  if (!due) return null;
  return (due.allDay ? due.date : due.at).startOf('day');
}

/** The tasks a selector such as "everything tagged #home due this week" names, or null if it names no set. */
function select(selector: string, action: BulkAction, ctx: AssistantContext): Selection | null {
  // A day's tasks need the day to be read; a quantifier ("all …") says "several" by itself.
  const byDayOnly = !QUANTIFIER.test(selector) && DAY_TASKS.test(selector);
  if (!QUANTIFIER.test(selector) && !byDayOnly) return null;
  const labels: string[] = [];
  const completed = action === 'delete' && DONE.test(selector);
  let tasks = ctx.tasks.filter((t) => t.status === (completed ? 'completed' : 'open'));
  if (completed) labels.push('completed');

  const known = new Set(ctx.tasks.flatMap((t) => t.tags.map(normalizeTag)));
  const hashtag = /#([\p{L}\p{N}_][\p{L}\p{N}_\-/]*)/u.exec(selector);
  const tagged = /\b(?:tagged|labell?ed|with the tag|with tag) #?([\p{L}\p{N}_-]+)/iu.exec(selector);
  const tag =
    (hashtag ? normalizeTag(hashtag[1]!) : null) ??
    (tagged ? normalizeTag(tagged[1]!) : null) ??
    words(selector).find((w) => known.has(w) && !NOT_A_TAG.has(w)) ??
    null;
  if (tag) {
    tasks = tasks.filter((t) => t.tags.some((x) => normalizeTag(x) === tag));
    labels.push(`tagged #${tag}`);
  }

  const today = localNow(ctx.now, ctx.timeZone).startOf('day');
  if (OVERDUE.test(selector)) {
    tasks = tasks.filter((t) => {
      const day = dueDay(t, ctx);
      return day !== null && (t.allDay ? day < today : t.dueAt! < ctx.now);
    });
    labels.push('overdue');
  } else {
    const window = timeWindow(selector, ctx);
    if (!window && byDayOnly) return null;
    if (window) {
      tasks = tasks.filter((t) => {
        const day = dueDay(t, ctx);
        return (
          day !== null &&
          (!window.after || day >= window.after.startOf('day')) &&
          (!window.before || day < window.before)
        );
      });
      labels.push(window.label);
    }
  }
  if (
    labels.length === 0 &&
    !/\beverything\b|\ball (?:my |the )?(?:open )?(?:tasks|todos|stuff)\b/i.test(selector)
  )
    return null;
  return { tasks, label: labels.join(', ') || 'open' };
}

function confirm(
  action: DeleteTaskCommand | BatchCommand,
  selection: Selection,
  verb: string,
  ctx: AssistantContext,
): Command {
  const { tasks, label } = selection;
  if (tasks.length === 0) return { kind: 'help', reply: `You have no ${label} tasks to ${verb}.` };
  const list = tasks.map((t) => `• ${t.title}`).join('\n');
  const what = tasks.length === 1 ? 'this task' : `these ${tasks.length} tasks`;
  return {
    kind: 'clarify',
    question: `${verb[0]!.toUpperCase()}${verb.slice(1)} ${what} (${label})?\n${list}\nReply “yes” to go ahead or “no” to leave them.`,
    pending: { ...conversationMemory(ctx.pending), awaiting: { type: 'confirm', action } },
  };
}

/** The last " to " / " until " / " for " / " till ": what comes after it is the new day. */
function splitTarget(rest: string): { selector: string; when: string } | null {
  const lower = rest.toLowerCase();
  let best = -1;
  let length = 0;
  for (const link of [' to ', ' until ', ' till ', ' for ', ' onto ']) {
    const at = lower.lastIndexOf(link);
    if (at > best) [best, length] = [at, link.length];
  }
  return best > 0 ? { selector: rest.slice(0, best), when: rest.slice(best + length) } : null;
}

/** "finish everything tagged #home", "push all of today's tasks to monday", "clear out the done ones". */
export function parseBulk(text: string, ctx: AssistantContext): Command | null {
  const verb = VERBS.map((v) => ({ ...v, head: v.lead.exec(text) })).find((v) => v.head);
  if (!verb?.head) return null;
  let rest = text.slice(verb.head[0].length);
  if (verb.action === 'complete')
    rest = rest.replace(/ (?:as )?(?:done|complete|completed|finished|off)$/i, '');
  if (verb.action === 'delete') {
    rest = rest.replace(/ (?:from|off|of) (?:my |the )?(?:to-?do |task )?(?:list|tasks|todos?)$/i, '');
  }
  if (verb.action !== 'reschedule') {
    const selection = select(rest, verb.action, ctx);
    if (!selection) return null;
    if (verb.action === 'delete')
      return confirm(
        { kind: 'delete_task', taskIds: selection.tasks.map((t) => t.id) },
        selection,
        'delete',
        ctx,
      );
    const steps = selection.tasks.map((t) => ({ kind: 'complete_task' as const, taskId: t.id }));
    return confirm({ kind: 'batch', steps }, selection, 'mark done', ctx);
  }
  const target = splitTarget(rest);
  if (!target) return null;
  const selection = select(target.selector, verb.action, ctx);
  if (!selection) return null;
  const when = parseWhen(target.when, ctx.now, ctx.timeZone);
  if (!when || when.index > 3) {
    return {
      kind: 'clarify',
      question: `When should I move them to? For example: “push all of today's tasks to monday”.`,
      pending: conversationMemory(ctx.pending),
    };
  }
  const steps = selection.tasks.map((task) => ({
    kind: 'update_task' as const,
    taskId: task.id,
    changes: dueToFields(moveDue(task, when, ctx)),
  }));
  return confirm({ kind: 'batch', steps }, selection, 'reschedule', ctx);
}
