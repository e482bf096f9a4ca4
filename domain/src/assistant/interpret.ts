/**
 * The built-in language engine: one chat message + context → one Command. Pure and total: no
 * I/O, no clock of its own, and any input — however long or strange — yields a Command.
 */
import { parseTaskText } from './add-task.js';
import { parseComplete, parsePastTenseCompletion } from './complete.js';
import { parseDelete } from './delete.js';
import { parsePriorityChange, parseReminderChange, parseRename, parseTagChange } from './edits.js';
import { answerPending, isShortAnswer, NO, YES } from './follow-ups.js';
import { helpText, smallTalk } from './help.js';
import { parseListPhrase } from './lists.js';
import { looksLikeQuestionStart, parseListQuery } from './queries.js';
import { parseReminder } from './reminders.js';
import { parseReschedule } from './reschedule.js';
import { between, clean, trimChars } from './text.js';
import { type AssistantContext, type Command, conversationMemory } from './types.js';

/** Politeness and filler around the actual request, which carry no meaning for a task. */
const LEADING_FILLER =
  /^(?:(?:hey|hi|hello|ok(?:ay)?|so|um+|uh+|yo|oh|alright|right|well|pls|plz|please|kindly|quick(?:ly)?|also|and|then)\b[,!.:]? )+|^(?:(?:can|could|would|will) you(?: please)?|i(?:'d| would) like you to|i want you to|could i get you to) /i;
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
  let result = trimChars(text, '', ' !.');
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
 * Verbs that introduce a new task. "remind me" is special: without its own reminder phrase it
 * means "remind me when it is due" (PT0M).
 */
const ADD_PREFIX =
  /^(?:(?:add|create)(?: (?:a|an|another|the|one more))?(?: new)?(?: (?:task|todo|to-do|item|entry|reminder|note)s?)?(?: ?(?:to|:|-|that|for|called|named|saying)(?=\s))?|(?:make|put|schedule|set up|log|save|record|capture|insert|plan|new)(?: (?:a|an|another|me a))?(?: new)? (?:task|todo|to-do|item|entry|reminder|note)s?(?: ?(?:to|:|-|that|for|called|named|saying)(?=\s))?|note down|jot down|(?:new )?(?:task|todo|to-do) ?[:-]?|i (?:need|have|want|got|gotta|should|must) to|i (?:gotta|need|must|should)|need to|have to|gotta|don'?t (?:let me )?forget (?:to|about)|do not forget to|remember to|don'?t forget|reminder ?:|reminder to) /i;
const REMIND_PREFIX = /^(?:remind me|reminder|ping me|nudge me|alert me) (?:to |that |about )?/i;

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

function addCommand(body: string, ctx: AssistantContext, remindAtDue: boolean): Command {
  const parsed = parseTaskText(body, ctx, remindAtDue);
  if (!parsed.title) {
    return {
      kind: 'clarify',
      question: 'What should the task be called? For example: “add buy milk tomorrow”.',
      pending: conversationMemory(ctx.pending),
    };
  }
  return { kind: 'add_task', task: { title: parsed.title, ...parsed.fields } };
}

function interpretCleaned(original: string, ctx: AssistantContext): Command {
  const cleaned = clean(original);
  // Greetings are checked before filler is stripped: "hey there" is not a task called "There".
  const greeting = smallTalk(trimChars(cleaned, '', ' !.'));
  if (greeting && !ctx.pending?.awaiting) return { kind: 'help', reply: greeting };
  const text = stripFiller(cleaned);
  if (text.length === 0) return { kind: 'help', reply: helpText('Hi! What can I do for you?') };

  const answer = answerPending(text, ctx);
  if (answer) return answer;

  if (isUndo(text) || JUST_OOPS.test(text)) {
    const undo = ctx.pending?.undo;
    return { kind: 'undo', commands: undo?.commands ?? [], summary: undo?.summary ?? null };
  }

  const talk = smallTalk(text);
  if (talk) return { kind: 'help', reply: talk };

  // "what's on my work list", "add milk to my shopping list", "move the report to work".
  const listPhrase = parseListPhrase(text, ctx, (body) => addCommand(body, ctx, false));
  if (listPhrase) return listPhrase;

  const query = parseListQuery(text, ctx);
  if (query && looksLikeQuestionStart(text)) return query;

  // Edits come before "add": "add #work to the report" is a tag change, not a new task.
  for (const parse of [
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
