/**
 * Lists in chat: "add milk to my shopping list", "what's on my work list", "move the report to
 * work". A phrase counts only when it names one of the user's lists (or the Inbox); one that says
 * "… list" of a name the user has no list of is asked about, never turned into a task.
 */
import { actOn } from './act-on.js';
import { trimChars } from './text.js';
import { type AssistantContext, type Command, conversationMemory, type ListRef } from './types.js';

/** "my to-do list", "the task list": the user's tasks as a whole, not a list of that name. */
const GENERIC = new Set(['to-do', 'todo', 'to do', 'task', 'tasks', 'my', '']);
const INBOX = { id: 'inbox', name: 'Inbox' } as const;

const SHOW_LEAD =
  /^(?:(?:what(?:'s| is| do i have| have i got)|whats|show(?: me)?|list|open|read(?: me)?) (?:on|in) |(?:show(?: me)?|open|read(?: me)?|display) (?=(?:my|the) ))/i;
const ADD_LEAD = /^(?:add|put|stick|throw|pop|append) /i;
const MOVE_LEAD = /^(?:move|file|send|shift|transfer) /i;
/** Where a list is named after what goes in it: "… to my shopping list". */
const PLACES = [' to ', ' on ', ' onto ', ' in ', ' into ', ' under '];
/** The tail of the name: "my", "the" before it, "list" (and "please" went with the filler) after. */
const NAME_LEAD = /^(?:my |the |our )/i;

/** What a phrase names: one of the user's lists (the Inbox's id is "inbox"), or an unknown "… list". */
type Named = { list: ListRef } | { unknown: string };

/** `phrase` as a list of the user's: "my shopping list" → Shopping; "the inbox" → the Inbox. */
export function namedList(phrase: string, ctx: AssistantContext): Named | null {
  const bare = trimChars(phrase.replace(NAME_LEAD, ''), ' ', ' ?.!');
  const saysList = / list$/i.test(` ${bare}`) || bare.toLowerCase() === 'list';
  const name = saysList ? bare.slice(0, -'list'.length).trim() : bare;
  const wanted = name.toLowerCase();
  if (wanted === 'inbox') return { list: INBOX };
  const list = (ctx.lists ?? []).find((one) => one.name.toLowerCase() === wanted);
  if (list) return { list };
  return saysList && !GENERIC.has(wanted) && (ctx.lists?.length ?? 0) > 0 ? { unknown: name } : null;
}

/** Asks which list was meant, naming the user's lists. */
function whichList(name: string, ctx: AssistantContext): Command {
  const names = (ctx.lists ?? []).map((list) => `“${list.name}”`).join(', ');
  return {
    kind: 'clarify',
    question: `You have no list called “${name.slice(0, 100)}”. Your lists: ${names} (or the Inbox). Which one do you mean?`,
    pending: conversationMemory(ctx.pending),
  };
}

/** Splits "milk to my shopping list" at the last place word after which a list is named. */
function splitAtList(text: string, ctx: AssistantContext): { before: string; named: Named } | null {
  const lower = text.toLowerCase();
  let best: { at: number; word: string } | null = null;
  for (const word of PLACES) {
    const at = lower.lastIndexOf(word);
    if (at > 0 && (!best || at > best.at)) best = { at, word };
  }
  if (!best) return null;
  const named = namedList(text.slice(best.at + best.word.length), ctx);
  return named ? { before: text.slice(0, best.at), named } : null;
}

/**
 * A list phrase as a command, or null when the message is not one. `add` reads a new task's text
 * as the "add" command does (dates, tags, priority).
 */
export function parseListPhrase(
  text: string,
  ctx: AssistantContext,
  add: (body: string) => Command,
): Command | null {
  const show = SHOW_LEAD.exec(text);
  if (show) {
    const named = namedList(text.slice(show[0].length), ctx);
    if (named && 'unknown' in named) return whichList(named.unknown, ctx);
    if (named) {
      const { list } = named;
      const description = list.id === 'inbox' ? 'in your Inbox' : `on your ${list.name} list`;
      return { kind: 'list_tasks', filter: { status: 'open', list: list.id }, description };
    }
  }

  const lead = ADD_LEAD.exec(text) ?? MOVE_LEAD.exec(text);
  if (!lead) return null;
  const split = splitAtList(text.slice(lead[0].length), ctx);
  if (!split?.before.trim()) return null;
  if ('unknown' in split.named) return whichList(split.named.unknown, ctx);
  const listId = split.named.list.id === 'inbox' ? null : split.named.list.id;

  if (MOVE_LEAD.test(text)) {
    const moved = actOn(
      split.before,
      ctx,
      (task) => ({ kind: 'update_task', taskId: task.id, changes: { list_id: listId } }),
      `move to ${split.named.list.name}`,
    );
    return moved ?? { kind: 'help', reply: `I couldn’t find a task like “${split.before.slice(0, 100)}”.` };
  }
  const command = add(split.before);
  return command.kind === 'add_task' ? { ...command, task: { ...command.task, list_id: listId } } : command;
}
