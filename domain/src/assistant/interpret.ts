/**
 * The built-in language engine: one chat message + context → one Command. Pure and total: no
 * I/O, no clock of its own, and any input — however long or strange — yields a Command.
 */
import { parseTaskText, tidyTitle } from './add-task.js';
import { parseBulk } from './bulk.js';
import { unhandledCommand } from './command-verbs.js';
import { parseComplete, parsePastTenseCompletion } from './complete.js';
import { dueToFields, parseWhen } from './dates.js';
import { parseDelete } from './delete.js';
import {
  parseDescription,
  parseDueClear,
  parsePriorityChange,
  parseReminderChange,
  parseRename,
  parseReopen,
  parseRepeatChange,
  parseTagChange,
} from './edits.js';
import { answerPending, isShortAnswer, NO, YES } from './follow-ups.js';
import { helpText, smallTalk } from './help.js';
import { parseListPhrase } from './lists.js';
import { looksLikeQuestionStart, parseListQuery } from './queries.js';
import { resolveReference } from './references.js';
import { parseReminder } from './reminders.js';
import { moveDue, parseReschedule } from './reschedule.js';
import { between, clean, fixTypos, tidy, trimChars } from './text.js';
import { type AssistantContext, type Command, conversationMemory, type TaskPayload } from './types.js';

/** Politeness and filler around the actual request, which carry no meaning for a task. */
const LEADING_FILLER =
  /^(?:(?:hey|hi|hello|ok(?:ay)?|so|um+|uh+|yo|oh|alright|right|well|pls|plz|please|kindly|quick(?:ly)?|also|and|then|actually|no wait|wait|oops|sorry)\b[,!.:]? )+|^(?:(?:can|could|would|will) you(?: please)?|i(?:'d| would) like you to|i want you to|could i get you to) /i;
/** Courtesy words and phrases said after the request ("milk, thanks"), longest first. */
const TRAILING_FILLER = [
  'asap please',
  'thanks a lot',
  'thank you',
  'for me',
  'thanks',
  'please',
  'kthx',
  'pls',
  'plz',
  'thx',
  'ty',
];

/**
 * Strips trailing courtesy phrases (each after a space or comma) and punctuation, one phrase at
 * a time from the end: work proportional to the length, whatever the text.
 */
function stripTrailingFiller(text: string): string {
  // "renew the lease !!" keeps its marks: a run of "!" after a space is a priority, not emphasis.
  const marks = text.length - trimChars(text, '', '!').length;
  const priorityMarks = marks >= 1 && text[text.length - marks - 1] === ' ';
  let result = priorityMarks ? text : trimChars(text, '', ' !.');
  for (;;) {
    const lower = result.toLowerCase();
    const phrase = TRAILING_FILLER.find(
      (p) => lower.endsWith(p) && ' ,'.includes(lower[lower.length - p.length - 1] ?? '-'),
    );
    if (!phrase) return result;
    result = trimChars(result.slice(0, result.length - phrase.length), '', ' ,!.');
  }
}

/** Strips politeness so "could you please add milk, thanks!" reads as "add milk". */
export function stripFiller(text: string): string {
  let result = text;
  for (let i = 0; i < 3; i++) {
    const before = result;
    result = stripTrailingFiller(result.replace(LEADING_FILLER, '')).trim();
    if (result === before) break;
  }
  return result;
}

/** Phrases that ask to revert the last action; the whole message must consist of them. */
const UNDO_PHRASE =
  "undo(?: that last one| (?:that|it|this|the last (?:one|thing|change|action|step)))?|un-do|revert(?: that| it| the last change)?|take (?:that|it) back|never ?mind|nvm|cancel that|scratch that|go back|reverse that|roll (?:that|it) back|that was (?:a )?(?:mistake|wrong)|i didn'?t mean (?:that|to)|put it back|restore it|bring it back";
const INTERJECTION = 'oops|whoops|oh no|argh|ugh|dang|damn|sorry|wait|no|hmm+|ah|actually|my bad';
/** One undo phrase (group 1) or interjection at a given place, ending at a space or the end. */
const UNDO_OR_INTERJECTION = new RegExp(`(?:(${UNDO_PHRASE})|(?:${INTERJECTION}))(?= |$)`, 'iy');

/**
 * Whether the message is only interjections and undo phrases, at least one of them an undo ("oops,
 * undo that"). Read phrase by phrase from the left, each matched once where the last one ended.
 */
function isUndo(text: string): boolean {
  const phrases = text.replace(/[,!.\s]+/g, ' ').trim();
  let undo = false;
  for (let at = 0; at < phrases.length; ) {
    UNDO_OR_INTERJECTION.lastIndex = at;
    const m = UNDO_OR_INTERJECTION.exec(phrases);
    if (!m) return false;
    if (m[1] !== undefined) undo = true;
    at += m[0].length + 1;
  }
  return undo;
}
const JUST_OOPS = /^(?:oops|whoops|my bad)[!.\s]*$/i;

/**
 * Verbs that introduce a new task. "remind me" (and "set a reminder for") is special: without its
 * own reminder phrase it means "remind me when it is due" (PT0M).
 */
const ADD_PREFIX =
  /^(?:(?:add|create)(?: (?:a|an|another|the|one more))?(?: new)?(?: (?:task|todo|to-do|item|entry|reminder|note)s?)?(?: ?(?:to|:|-|that|for|called|named|saying)(?=\s))?|(?:make|put|schedule|set up|log|save|record|capture|insert|plan|new)(?: (?:a|an|another|me a))?(?: new)? (?:task|todo|to-do|item|entry|reminder|note)s?(?: ?(?:to|:|-|that|for|called|named|saying)(?=\s))?|note down|jot down|(?:new )?(?:task|todo|to-do) ?[:-]?|i (?:need|have|want|got|gotta|should|must) to|i (?:gotta|need|must|should)|need to|have to|gotta|don'?t (?:let me )?forget (?:to|about)|do not forget to|remember to|don'?t forget|reminder ?:|reminder to) /i;
const REMIND_PREFIX =
  /^(?:(?:remind me|reminder|ping me|nudge me|alert me) (?:to |that |about )?|(?:set|add|create|make|schedule|put in)(?: me)? (?:a |an )?reminder (?:to|for|about|that) )/i;

/** An add verb with nothing to add: ask what, rather than adding a task called "Add". */
const BARE_ADD =
  /^(?:add|create|new|new task|add (?:a |another )?(?:new )?(?:task|todo|to-do|reminder)|remind me|reminder|make a task|todo)$/i;

/** Gibberish guard: the default is "add it as a task", but "asdfgh" should get help instead. */
function looksLikeWords(text: string): boolean {
  const tokens = text.split(/ /).filter((t) => /\p{L}/u.test(t));
  if (tokens.length === 0) return false;
  const plausible = tokens.filter(
    (t) => /[aeiouy]/i.test(t) && !/[bcdfghjklmnpqrstvwxz]{5,}/i.test(t) && !/(.)\1{3,}/.test(t),
  );
  return plausible.length / tokens.length >= 0.5 && !/^(?:asdf|qwer|zxcv|jkl)/i.test(text);
}

/**
 * A time the date reader left in the title ("at half past never", "at quarter to whenever", "at
 * 99:99"): the request named a time the engine could not read, so it asks rather than adds.
 */
const UNREAD_TIME =
  /\b(?:half|quarter) (?:past|to)\b|\b(?:at|by|around) (?:half|quarter)\b|\bo'?clock\b|\b(?:at|by|around) (?:\d{1,2}(?::\d{1,2})?(?: ?[ap]\.?m\b\.?)?|never|sometime(?:-ish)?|some time)(?:$|[ ,.!?])/i;

/**
 * "at whenever": a word in a time's place that no reader can make a time of. Looked for in the
 * whole message, since another reader may have taken the word ("whenever" is low priority).
 */
const NO_TIME_WORD = /\b(?:at|by|around) (?:whenever|never|nowhen)\b/i;

function addCommand(body: string, ctx: AssistantContext, remindAtDue: boolean): Command {
  const parsed = parseTaskText(body, ctx, remindAtDue);
  if (!parsed.title) {
    return {
      kind: 'clarify',
      question: 'What should the task be called? For example: “add buy milk tomorrow”.',
      pending: conversationMemory(ctx.pending),
    };
  }
  const unread = UNREAD_TIME.exec(parsed.title) ?? NO_TIME_WORD.exec(body);
  if (unread) {
    return {
      kind: 'clarify',
      question: `I couldn’t read the time in “${tidy(body)}”, so I haven’t added anything. When should it be? For example: “tomorrow at 10” or “friday at 4:30pm”.`,
      pending: conversationMemory(ctx.pending),
    };
  }
  // "remind me to call the landlord": a reminder needs a time, so ask for it.
  if (remindAtDue && !parsed.due) {
    return {
      kind: 'clarify',
      question: `When should I remind you to ${parsed.title[0]!.toLowerCase()}${parsed.title.slice(1)}? For example: “tomorrow at 10”.`,
      pending: {
        ...conversationMemory(ctx.pending),
        awaiting: { type: 'ask_when', task: { title: parsed.title, ...parsed.fields } },
      },
    };
  }
  return { kind: 'add_task', task: { title: parsed.title, ...parsed.fields } };
}

/**
 * "gym: make it every tuesday and thursday": a task, a colon, then an instruction about "it",
 * read with "it" meaning that task when the words before the colon name one. One colon only, so
 * this reads the instruction once.
 */
function aboutSubject(text: string, ctx: AssistantContext): Command | null {
  const colon = text.indexOf(': ');
  if (colon < 1 || colon > 80) return null;
  const instruction = text.slice(colon + 2);
  if (instruction.includes(':') || !/\b(?:it|its)\b/i.test(instruction)) return null;
  const resolution = resolveReference(text.slice(0, colon), ctx.tasks);
  if (resolution.kind !== 'one') return null;
  const command = interpretCleaned(instruction, {
    ...ctx,
    pending: { ...ctx.pending, lastTaskIds: [resolution.task.id] },
  });
  return command.kind === 'update_task' || command.kind === 'complete_task' || command.kind === 'delete_task'
    ? command
    : null;
}

/** Words that correct what was just said ("actually", "no wait", "oops, I meant …"). */
const CORRECTION_LEAD = /^(?:actually|no wait|wait|no|oops|sorry|my bad|i meant)\b/i;
const PREPOSITIONS = new Set(['for', 'with', 'to', 'at', 'from', 'about', 'on', 'in']);

/**
 * A correction of the task the last turn was about: "no wait, sunday" moves it, "oops, I meant
 * for Sara" replaces the end of its title ("Buy a gift for Sam" → "… for Sara").
 */
function parseCorrection(text: string, ctx: AssistantContext): Command | null {
  const ids = ctx.pending?.lastTaskIds ?? [];
  const task = ids.length === 1 ? ctx.tasks.find((t) => t.id === ids[0]) : undefined;
  if (!task) return null;
  const meant = /^i meant (.+)$/i.exec(text)?.[1];
  if (meant) {
    const [first = '', ...others] = meant.split(' ');
    const lower = task.title.toLowerCase();
    const at = PREPOSITIONS.has(first.toLowerCase()) ? lower.lastIndexOf(` ${first.toLowerCase()} `) : -1;
    const title =
      at >= 0
        ? `${task.title.slice(0, at)} ${meant}`
        : others.length === 0 && task.title.includes(' ')
          ? `${task.title.slice(0, task.title.lastIndexOf(' '))} ${meant}`
          : null;
    return title ? { kind: 'update_task', taskId: task.id, changes: { title: tidyTitle(title) } } : null;
  }
  const when = parseWhen(text, ctx.now, ctx.timeZone);
  if (!when || text.length - when.length > 6) return null;
  return { kind: 'update_task', taskId: task.id, changes: dueToFields(moveDue(task, when, ctx)) };
}

/** "thanks, that's all", "can you order me a pizza": nothing to do with the list; a short answer. */
const OUT_OF_SCOPE = /^(?:order|book|buy|get|find|call|send|bring|make) me (?:a|an|some|the)\b/i;

/** Topics of questions about the world rather than the list ("what's the weather like tomorrow?"). */
const OFF_TOPIC =
  /\b(?:weather|forecast|temperature|rain|raining|snow|snowing|sunny|news|headlines|stocks?|exchange rate|scores?|traffic|recipe|capital of|meaning of life|population)\b/i;
/** Words that keep a question about the list, even with such a topic ("any tasks if it rains?"). */
const TASK_TALK =
  /\b(?:tasks?|todos?|to-dos?|due|list|overdue|remind(?:ers?)?|agenda|planned|scheduled|priority)\b|#/i;

/** A question on an off-list topic that names none of the user's tasks: answered with help, not a list. */
function isOffTopicQuestion(text: string, ctx: AssistantContext): boolean {
  if (
    !looksLikeQuestionStart(text) &&
    !/^(?:is|will|does|did|who|why|how)\b/i.test(text) &&
    !/\? ?$/.test(text)
  )
    return false;
  const topic = OFF_TOPIC.exec(text);
  if (!topic || TASK_TALK.test(text)) return false;
  const word = topic[0].toLowerCase();
  return !ctx.tasks.some((t) => t.title.toLowerCase().includes(word));
}

function interpretCleaned(original: string, ctx: AssistantContext): Command {
  const cleaned = clean(original);
  // Greetings are checked before filler is stripped: "hey there" is not a task called "There".
  const greeting = smallTalk(trimChars(cleaned, '', ' !.'));
  if (greeting && !ctx.pending?.awaiting) return { kind: 'help', reply: greeting };
  const text = stripFiller(fixTypos(cleaned));
  if (text.length === 0) return { kind: 'help', reply: helpText('Hi! What can I do for you?') };

  const answer = answerPending(text, ctx);
  if (answer) return answer;

  if (CORRECTION_LEAD.test(cleaned)) {
    const correction = parseCorrection(text, ctx);
    if (correction) return correction;
  }
  if (/^(?:can|could|would|will) you\b/i.test(cleaned) && OUT_OF_SCOPE.test(text)) {
    return {
      kind: 'help',
      reply: helpText('I can’t do that — I only look after your to-do list.'),
    };
  }

  if (isUndo(text) || JUST_OOPS.test(text)) {
    const undo = ctx.pending?.undo;
    return { kind: 'undo', commands: undo?.commands ?? [], summary: undo?.summary ?? null };
  }

  const talk = smallTalk(text);
  if (talk) return { kind: 'help', reply: talk };

  if (isOffTopicQuestion(text, ctx)) {
    return { kind: 'help', reply: helpText('I can’t answer that — I only look after your to-do list.') };
  }

  // "what's on my work list", "add milk to my shopping list", "move the report to work".
  const listPhrase = parseListPhrase(text, ctx, (body) => addCommand(body, ctx, false));
  if (listPhrase) return listPhrase;

  const query = parseListQuery(text, ctx);
  if (query && looksLikeQuestionStart(text)) return query;

  // Edits come before "add": "add #work to the report" is a tag change, not a new task.
  const subject = aboutSubject(text, ctx);
  if (subject) return subject;

  for (const parse of [
    parseBulk,
    parseReopen,
    parseDueClear,
    parseDescription,
    parseRepeatChange,
    parseTagChange,
    parseReminderChange,
    parseComplete,
    parseRename,
    parseDelete,
    parsePriorityChange,
    parseReschedule,
    parsePastTenseCompletion,
  ]) {
    const command = parse(text, ctx);
    if (command) return command;
  }

  // The safety rule: a command verb the recognisers could not carry out is asked about, never added.
  const unhandled = unhandledCommand(text, ctx);
  if (unhandled) return unhandled;

  if (BARE_ADD.test(text)) {
    return {
      kind: 'clarify',
      question: 'Sure — what should I add? For example: “buy milk tomorrow at 5pm”.',
      pending: conversationMemory(ctx.pending),
    };
  }
  // "put 'renew gym membership' on my list for next monday"
  const onList = between(
    text,
    /^(?:put|add|stick|throw|pop) /i,
    / (?:on|to|onto|in) (?:my|the) (?:to-?do |task |shopping )?list\b/i,
    'any',
  );
  if (onList) return addCommand(`${onList.middle}${onList.after}`, ctx, false);
  if (isShortAnswer(YES, text) || isShortAnswer(NO, text)) {
    return {
      kind: 'help',
      reply: 'There is nothing waiting for a yes or no right now. What would you like to do?',
    };
  }
  const remind = REMIND_PREFIX.exec(text);
  if (remind) {
    // "remind me a day before to renew the passport on Dec 10": the reminder phrase leads.
    const leading = parseReminder(text);
    if (leading && leading.index === 0) return addCommand(text, ctx, false);
    return addCommand(text.slice(remind[0].length), ctx, true);
  }
  const add = ADD_PREFIX.exec(text);
  if (add) return addCommand(text.slice(add[0].length), ctx, false);

  if (query) return query;

  if (/\? ?$/.test(text) || !looksLikeWords(text)) {
    return { kind: 'help', reply: helpText('Sorry, I didn’t get that.') };
  }
  // Like most to-do apps' quick-add: a plain statement ("buy milk tomorrow") is a new task.
  return addCommand(text, ctx, false);
}

/**
 * Interprets one chat message. Never throws: unexpected input becomes a help answer.
 *
 * @param message what the user typed
 * @param ctx the clock, the user's zone, their tasks, and the state left by the previous turn
 */
export function interpret(message: string, ctx: AssistantContext): Command {
  try {
    return interpretCleaned(typeof message === 'string' ? message : String(message), ctx);
  } catch {
    return { kind: 'help', reply: helpText('Sorry, I didn’t get that.') };
  }
}

/**
 * The quick-add box: the whole text is one new task, read as the chat reads an "add" (an "add" or
 * "remind me to" lead is allowed, not needed). Null when no title is left. Never throws.
 */
export function readNewTask(message: string, ctx: AssistantContext): TaskPayload | null {
  try {
    let text = stripFiller(fixTypos(clean(message)));
    const remind = REMIND_PREFIX.exec(text);
    const add = remind ? null : ADD_PREFIX.exec(text);
    text = text.slice((remind ?? add)?.[0].length ?? 0);
    const parsed = parseTaskText(text, ctx, remind !== null);
    return parsed.title ? { title: parsed.title, ...parsed.fields } : null;
  } catch {
    return null;
  }
}
