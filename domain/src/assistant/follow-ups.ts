/**
 * Answers to the assistant's own questions: picking one of several similar tasks ("the second
 * one", "2", "the one due friday") and confirming a destructive command ("yes" / "no").
 */
import { DateTime } from 'luxon';
import { dueToFields, localNow, parseWhen } from './dates.js';
import { scoreTasks } from './references.js';
import { type AssistantContext, type AwaitingChoice, type Command, taskRefOf } from './types.js';

export const YES =
  /^(?:yes|yeah|yea|yep|yup|ya|y|sure|ok|okay|k|do it|go ahead|go for it|confirm(?:ed)?|please do|absolutely|of course|correct|right|affirmative|delete (?:them|it|all)|yes please|sounds good)\b/i;
export const NO =
  /^(?:no|nope|nah|n|cancel|stop|don'?t|do not|never ?mind|nvm|abort|forget it|keep (?:them|it)|not now|none(?: of them)?|neither)\b/i;

/** Words that may follow "yes"/"no" in an answer ("yep, go ahead", "no, keep them"). */
const ANSWER_FILLER = new Set(
  'please thanks thank you go ahead do it sure ok okay yes yeah yep no nope not now them it all keep delete that is fine never mind thats right'.split(
    ' ',
  ),
);

/**
 * A yes/no answer: the pattern, then only filler ("yep, go ahead", "no thanks"). A message that
 * merely starts like one ("cancel the gym membership", "don't forget to…") is a new request.
 */
export function isShortAnswer(pattern: RegExp, text: string): boolean {
  const m = pattern.exec(text.trim());
  if (!m) return false;
  const rest = text
    .trim()
    .slice(m[0].length)
    .toLowerCase()
    .split(/[^a-z']+/)
    .filter(Boolean);
  return rest.every((w) => ANSWER_FILLER.has(w.replace(/'/g, '')));
}

const ORDINALS: [RegExp, number][] = [
  [/\b(?:first|1st|former)\b/i, 0],
  [/\b(?:second|2nd)\b/i, 1],
  [/\b(?:third|3rd)\b/i, 2],
  [/\b(?:fourth|4th)\b/i, 3],
  [/\b(?:fifth|5th)\b/i, 4],
];

/** Which candidate the answer names, as an index, or null if it does not pick one. */
export function pickCandidate(
  answer: string,
  awaiting: AwaitingChoice,
  ctx: AssistantContext,
): number | null {
  const count = awaiting.candidates.length;
  const text = answer.trim().toLowerCase();
  const number =
    /^(?:(?:number|no\.?|option|#) ?)?(\d{1,2})\b/.exec(text) ??
    /\b(?:number|no\.|option|#) ?(\d{1,2})\b/.exec(text);
  if (number) {
    const n = Number(number[1]);
    if (n >= 1 && n <= count) return n - 1;
  }
  const wordNumber = /^(?:the )?(one|two|three|four|five)$/.exec(text);
  if (wordNumber) {
    const n = ['one', 'two', 'three', 'four', 'five'].indexOf(wordNumber[1]!) + 1;
    if (n >= 1 && n <= count) return n - 1;
  }
  if (/\b(?:last|latter|bottom)\b/.test(text)) return count - 1;
  for (const [pattern, index] of ORDINALS) if (pattern.test(text) && index < count) return index;

  // "the one due friday" / "the one on the 3rd": compare calendar days in the user's zone.
  const when = parseWhen(answer, ctx.now, ctx.timeZone);
  if (when?.hasDate) {
    const day = (when.due.allDay ? when.due.date : when.due.at).toISODate();
    const matching = awaiting.candidates
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => c.dueAt !== null && candidateDay(c.dueAt, c.allDay, ctx) === day);
    if (matching.length === 1) return matching[0]!.i;
  }
  // "the one due friday" when Friday is today but the task is due next Friday: match the weekday.
  const weekday = /\b(mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\b/i.exec(answer);
  if (weekday) {
    const wanted = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(weekday[1]!.toLowerCase()) + 1;
    const matching = awaiting.candidates
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => c.dueAt !== null && candidateWeekday(c.dueAt, c.allDay, ctx) === wanted);
    if (matching.length === 1) return matching[0]!.i;
  }
  // "the one for mom": words of one candidate's title.
  const pseudo = awaiting.candidates.map((c) => taskRefOf(c.id, c.title));
  const scored = scoreTasks(answer, pseudo).filter((s) => s.score >= 0.5);
  if (scored.length >= 1 && (scored.length === 1 || scored[0]!.score > scored[1]!.score + 0.1)) {
    return awaiting.candidates.findIndex((c) => c.id === scored[0]!.task.id);
  }
  return null;
}

function candidateWeekday(dueAt: string, allDay: boolean, ctx: AssistantContext): number | null {
  const day = candidateDay(dueAt, allDay, ctx);
  return day ? DateTime.fromISO(day).weekday : null;
}

function candidateDay(dueAt: string, allDay: boolean, ctx: AssistantContext): string | null {
  const utc = DateTime.fromISO(dueAt, { zone: 'UTC' });
  if (!utc.isValid) return null;
  return allDay ? utc.toISODate() : utc.setZone(localNow(ctx.now, ctx.timeZone).zone).toISODate();
}

/**
 * Resolves an answer to the pending question, or returns null when the message is something
 * else (then it is interpreted afresh and the question is dropped).
 */
export function answerPending(text: string, ctx: AssistantContext): Command | null {
  const awaiting = ctx.pending?.awaiting;
  if (!awaiting) return null;
  if (awaiting.type === 'ask_when') {
    if (isShortAnswer(NO, text)) return { kind: 'cancelled', reply: 'Okay, never mind.' };
    // The answer is the when, and (almost) nothing else: "next tuesday evening", "tomorrow at 10".
    const when = parseWhen(text, ctx.now, ctx.timeZone);
    if (!when || text.length - when.length > 6) return null;
    return {
      kind: 'add_task',
      task: { ...awaiting.task, ...dueToFields(when.due), reminders: awaiting.task.reminders ?? ['PT0M'] },
    };
  }
  if (awaiting.type === 'confirm') {
    if (isShortAnswer(YES, text)) return awaiting.action;
    if (isShortAnswer(NO, text)) return { kind: 'cancelled', reply: 'Okay, I left your tasks as they are.' };
    return null;
  }
  if (isShortAnswer(NO, text) && !/^no\.? ?\d/i.test(text))
    return { kind: 'cancelled', reply: 'Okay, never mind.' };
  const index = pickCandidate(text, awaiting, ctx);
  if (index === null) return null;
  const chosen = awaiting.candidates[index];
  return chosen ? chosen.action : null;
}
