/**
 * The safety rule (issue 14): a message that begins with a command verb the engine knows, but that
 * it could not carry out, is never added as a task: the assistant asks, naming the closest things it
 * can do. Without the rule a missed edit ("reschedule the thingy") became a task called
 * “Reschedule the thingy”.
 */
import { scoreTasks } from './references.js';
import { tidy } from './text.js';
import { type AssistantContext, type Command, conversationMemory } from './types.js';

/** What the engine can do to existing tasks, each with an example to copy. */
const CAPABILITIES = {
  reschedule:
    'move a task to another day or time (“move the haircut to friday at 5pm”, “postpone the vet by a week”)',
  complete: 'mark a task done (“mark the haircut done”)',
  delete: 'delete a task (“delete the haircut”) or several at once (“delete all #errands tasks”)',
  edit: 'rename a task or change its description (“rename the haircut to Barber at 5”)',
  priority: 'change a priority (“make the report urgent”)',
  tag: 'add or remove a tag (“tag the vet with #pets”, “remove #home from the laundry”)',
  repeat: 'make a task repeat or stop repeating (“make the laundry repeat every week”)',
  reopen: 'put a completed task back on the list (“reopen the haircut”)',
  remind: 'add a reminder to a task (“remind me about the vet an hour before”)',
} as const;

export type Capability = keyof typeof CAPABILITIES;

export interface CommandVerb {
  /** The words the message starts with, lower case. */
  verb: string;
  does: Capability;
  /**
   * For verbs that also start everyday tasks ("finish the essay", "check the mailbox", "set the
   * clocks forward"): what the rest must contain to be the command. Absent: always the command.
   * A verb alone ("move", "delete") is always the command.
   */
  commandWhen?: RegExp;
}

const DATE_LINK = /\b(?:to|until|till|til|by|back|forward|up|over)\b/i;
const PRIORITY_OR_DUE =
  /\b(?:priority|prio|urgent|important|due|repeat|recur)\b|\b(?:high|low|medium|normal)$/i;

/** Every command verb the engine knows, the one list the rule and its property test use. */
export const COMMAND_VERBS: readonly CommandVerb[] = [
  { verb: 'reschedule', does: 'reschedule' },
  { verb: 're-schedule', does: 'reschedule' },
  { verb: 'postpone', does: 'reschedule' },
  { verb: 'snooze', does: 'reschedule' },
  { verb: 'defer', does: 'reschedule' },
  { verb: 'delay', does: 'reschedule' },
  { verb: 'move', does: 'reschedule', commandWhen: DATE_LINK },
  { verb: 'push', does: 'reschedule', commandWhen: DATE_LINK },
  { verb: 'shift', does: 'reschedule', commandWhen: DATE_LINK },
  { verb: 'bump', does: 'reschedule', commandWhen: DATE_LINK },
  { verb: 'mark', does: 'complete' },
  { verb: 'tick', does: 'complete', commandWhen: /\boff\b|\bdone$/i },
  { verb: 'check', does: 'complete', commandWhen: /\boff\b|\bdone$/i },
  { verb: 'cross', does: 'complete', commandWhen: /\boff\b|\bdone$/i },
  {
    verb: 'complete',
    does: 'complete',
    commandWhen: /\b(?:tasks?|todos?|to-dos?|items?|ones?|all|every|everything)\b/i,
  },
  {
    verb: 'finish',
    does: 'complete',
    commandWhen: /\b(?:tasks?|todos?|to-dos?|items?|ones?|all|every|everything)\b/i,
  },
  { verb: 'delete', does: 'delete' },
  { verb: 'remove', does: 'delete' },
  { verb: 'erase', does: 'delete' },
  { verb: 'rename', does: 'edit' },
  { verb: 'retitle', does: 'edit' },
  { verb: 'edit', does: 'edit' },
  { verb: 'change', does: 'edit', commandWhen: / to\b|\b(?:priority|title|name|description|date)\b/i },
  { verb: 'update', does: 'edit', commandWhen: / to\b|\b(?:priority|title|name|description|date)\b/i },
  { verb: 'set', does: 'edit', commandWhen: / to\b|\b(?:priority|title|name|description|date)\b/i },
  { verb: 'modify', does: 'edit' },
  { verb: 'make', does: 'priority', commandWhen: PRIORITY_OR_DUE },
  { verb: 'prioritise', does: 'priority' },
  { verb: 'prioritize', does: 'priority' },
  { verb: 'deprioritise', does: 'priority' },
  { verb: 'deprioritize', does: 'priority' },
  { verb: 'tag', does: 'tag', commandWhen: / (?:with|as)\b|#/i },
  { verb: 'label', does: 'tag', commandWhen: / (?:with|as)\b|#/i },
  { verb: 'untag', does: 'tag' },
  { verb: 'repeat', does: 'repeat' },
  { verb: 'reopen', does: 'reopen' },
  { verb: 'uncomplete', does: 'reopen' },
  { verb: 'unmark', does: 'reopen' },
  { verb: 'remind me about', does: 'remind' },
  { verb: 'remind me of', does: 'remind' },
];

/** The command verb a message starts with (the longest that fits at a word boundary), if any. */
export function commandVerbOf(text: string): { verb: CommandVerb; rest: string } | null {
  const lower = text.toLowerCase();
  let found: CommandVerb | null = null;
  for (const verb of COMMAND_VERBS) {
    if (!lower.startsWith(verb.verb)) continue;
    const next = lower[verb.verb.length];
    if (next !== undefined && next !== ' ' && next !== ',' && next !== ':') continue;
    if (!found || verb.verb.length > found.verb.length) found = verb;
  }
  return found ? { verb: found, rest: tidy(text.slice(found.verb.length)) } : null;
}

/** A few of the user's open tasks closest to what was said, to name in the question. */
function closestTasks(words: string, ctx: AssistantContext): string[] {
  const open = ctx.tasks.filter((t) => t.status === 'open');
  const scored = words ? scoreTasks(words, open).filter((s) => s.score > 0) : [];
  const titles = scored.slice(0, 3).map((s) => s.task.title);
  return titles.length ? titles : open.slice(0, 3).map((t) => t.title);
}

function question(opening: string, does: Capability, closest: string[], ctx: AssistantContext): Command {
  const tasks = closest.length
    ? ` Your tasks closest to that: ${closest.map((t) => `“${t}”`).join(', ')}.`
    : '';
  return {
    kind: 'clarify',
    question: `${opening}${tasks} I can ${CAPABILITIES[does]}. If you meant a new task, say “add …” before it.`,
    pending: conversationMemory(ctx.pending),
  };
}

/**
 * The question for a message that starts with a command verb no recogniser carried out, or null
 * when the message does not start with one (or starts like an everyday task: "finish the essay").
 */
export function unhandledCommand(text: string, ctx: AssistantContext): Command | null {
  const found = commandVerbOf(text);
  if (!found) return null;
  const { verb, rest } = found;
  if (rest && verb.commandWhen && !verb.commandWhen.test(rest)) return null;
  const opening = rest
    ? `I’m not sure what to ${verb.verb} in “${text}”.`
    : `What should I ${verb.verb}? Say which task.`;
  return question(opening, verb.does, closestTasks(rest, ctx), ctx);
}

/** No open task matches the words: ask, naming the closest tasks, instead of guessing. */
export function noSuchTask(reference: string, does: Capability, ctx: AssistantContext): Command {
  const words = tidy(reference);
  return question(`I couldn't find an open task matching “${words}”.`, does, closestTasks(words, ctx), ctx);
}
