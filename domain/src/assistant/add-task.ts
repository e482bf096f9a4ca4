/**
 * "Add" messages: the title plus everything said about the task — when, how often, how
 * important, which tags, when to remind — each phrase cut out of the title once understood.
 */
import type { DateTime } from 'luxon';
import { validateRecurrence } from '../recurrence/index.js';
import { extractPriority, extractTags } from './attributes.js';
import { type Due, dueToFields, localNow, parseWhen, resolveBareHour } from './dates.js';
import {
  anchorRule,
  firstOccurrence,
  formatRule,
  parseRecurrence,
  type RecurrenceRule,
} from './recurrence-phrases.js';
import { offsetForTimeOfDay, parseReminder, reminderReference } from './reminders.js';
import { COUNT_PATTERN, capitalize, cut, parseCount, tidy, trimChars } from './text.js';
import type { AssistantContext, TaskPayload } from './types.js';

export interface ParsedTaskText {
  /** What is left once every understood phrase is cut out: the title. */
  title: string;
  fields: Omit<TaskPayload, 'title'>;
  due: Due | null;
}

/** Connector words a cut-out phrase leaves dangling ("Call mom on", "Report due by"). */
const DANGLING_END =
  /(?:\s|^)(?:on|at|by|due|for|before|until|till|from|starting|beginning|in|around|@|and|with|every|each|the|to|is|it's|its) ?$/i;
const DANGLING_START = /^(?:[!?.,;:]+ ?|'s |(?:to|that|about|and|then|also|,) )/i;
const LIST_SUFFIX =
  /['"”’]? (?:to|on|onto|in) (?:my |the )?(?:to-?do |todo |task |tasks |shopping )?(?:list|tasks|todos?) ?$/i;

/** Phrases that anchor a series on completion rather than on the due date. */
const COMPLETION_ANCHOR =
  /[,(]? ?\b(?:counting |counted )?(?:after|from (?:when|the time)?) ?(?:i|it(?:'s| is)?|each one is|the last one is)? ?(?:complete|completed|completion|finish|finished|finishing|do|did|done|doing)(?: it| them)?(?: last)?\b ?\)?/i;

/** Occasions that happen in the evening, so a bare "at 8" with them is 8 pm. */
const EVENING_OCCASION = /\b(?:dinner|supper|drinks|party|concert|movie|date night|show|gig)\b/i;

/** Removes dangling connectors and punctuation around a title. */
export function tidyTitle(raw: string): string {
  let title = tidy(raw.replace(LIST_SUFFIX, ''));
  for (let i = 0; i < 5; i++) {
    const before = title;
    title = tidy(title.replace(LIST_SUFFIX, '').replace(DANGLING_END, '').replace(DANGLING_START, ''));
    if (title === before) break;
  }
  title = trimChars(title, `"'“‘`, `"'”’`).trim();
  return capitalize(title);
}

/**
 * Reads the task described by `body` (the message without its "add"/"remind me to" verb).
 * `remindAtDue` asks for a reminder at the due time when no other reminder was given.
 */
export function parseTaskText(body: string, ctx: AssistantContext, remindAtDue: boolean): ParsedTaskText {
  const now = localNow(ctx.now, ctx.timeZone);
  const fields: Omit<TaskPayload, 'title'> = {};
  let rest = body;

  const tags = extractTags(rest);
  rest = tags.rest;
  if (tags.value.length) fields.tags = tags.value;

  const priority = extractPriority(rest);
  if (priority) {
    fields.priority = priority.value;
    rest = priority.rest;
  }

  let reminder = parseReminder(rest);
  if (reminder) rest = cut(rest, reminder.index, reminder.length);

  // Todoist's "every!" repeats from completion.
  const bang = /\bevery! ?/i.exec(rest);
  if (bang) {
    rest = `${rest.slice(0, bang.index)}every ${rest.slice(bang.index + bang[0].length)}`;
    fields.recurrence_anchor = 'completion';
  }
  const recurrence = parseRecurrence(rest);
  const phrase = recurrence ? rest.slice(recurrence.index, recurrence.index + recurrence.length) : '';
  if (recurrence) rest = cut(rest, recurrence.index, recurrence.length);
  // "weekly 1:1 on thursdays": the frequency word completes "on thursdays"; after "every Sunday"
  // it names the task ("Weekly review").
  if (recurrence && !/\b(?:every|each)\b/i.test(phrase))
    rest = rest.replace(REDUNDANT_FREQUENCY[recurrence.rule.freq], ' ').trim();
  const end = recurrence ? seriesEnd(rest, now, ctx) : null;
  if (end) rest = cut(rest, end.index, end.length);
  // "water the plants every 3 days after I do it": the next one counts from completion.
  const fromCompletion = recurrence ? COMPLETION_ANCHOR.exec(rest) : null;
  if (fromCompletion) {
    fields.recurrence_anchor = 'completion';
    rest = cut(rest, fromCompletion.index, fromCompletion[0].length);
  }

  const when = parseWhen(rest, ctx.now, ctx.timeZone);
  if (when) rest = cut(rest, when.index, when.length);

  let due: Due | null = when?.due ?? null;
  const withEnd = (rule: RecurrenceRule): RecurrenceRule => (end ? { ...rule, ...end.end } : rule);
  // "dinner at 7:30 on sat": an evening occasion at a bare 7–11 o'clock is in the evening.
  if (
    due &&
    !due.allDay &&
    when?.meridiemGuessed &&
    due.at.hour >= 7 &&
    due.at.hour <= 11 &&
    EVENING_OCCASION.test(rest)
  )
    due = { allDay: false, at: due.at.plus({ hours: 12 }) };
  if (recurrence) {
    let rule = recurrence.rule;
    // "remind me at 6pm to take my pills every day": the reminder time is the series' time.
    const reminderTime = reminder?.at ? bareReminderTime(reminder.at) : null;
    // A time said outright wins over the one a part of day implies ("every morning at 8").
    const time =
      (when?.hasTime ? (when.timeOfDay ?? timeOf(when.due)) : null) ?? recurrence.timeOfDay ?? reminderTime;
    if (time && time === reminderTime) reminder = { ...reminder!, at: undefined, offset: 'PT0M' };
    let from: typeof now | undefined;
    if (when?.hasDate) {
      const day = when.due.allDay ? when.due.date : when.due.at;
      const namedWeekday = /\b(?:mon|tue|wed|thu|fri|sat|sun)/i.test(
        body.slice(when.index, when.index + when.length + 20),
      );
      rule = anchorRule(rule, day, { weekday: namedWeekday });
      from = day.startOf('day');
    }
    const first = firstOccurrence(rule, now, time, from);
    // The shared validator is the write path's gate; a rule it refuses would fail the whole add.
    const checked = validateRecurrence(formatRule(withEnd(rule)));
    if (checked.ok) fields.recurrence = checked.rule;
    due = first === null ? null : time ? { allDay: false, at: first } : { allDay: true, date: first };
  }
  if (!due && reminder?.at) {
    // "buy milk, remind me at 5" names no due: the reminder time is the due time.
    const { hour, minute, meridiemKnown } = reminder.at;
    due = { allDay: false, at: resolveBareHour(now.startOf('day'), now, hour, minute, meridiemKnown, false) };
  }
  if (due) Object.assign(fields, dueToFields(due));

  if (reminder?.offset) fields.reminders = [reminder.offset];
  else if (reminder?.at && due) fields.reminders = [offsetForTimeOfDay(reminderReference(due), reminder.at)];
  else if (remindAtDue && due) fields.reminders = ['PT0M'];

  return { title: tidyTitle(rest), fields, due };
}

const REDUNDANT_FREQUENCY: Record<RecurrenceRule['freq'], RegExp> = {
  DAILY: /\bdaily\b/i,
  WEEKLY: /\bweekly\b/i,
  MONTHLY: /\bmonthly\b/i,
  YEARLY: /\b(?:yearly|annually)\b/i,
};

// No leading ",? ?" here (recheck finds it polynomial before the count words): seriesEnd widens the cut.
const END_TIMES = new RegExp(`\\b(${COUNT_PATTERN}) times\\b`, 'i');
const END_FOR = new RegExp(
  `,? ?\\bfor (?:the next |the coming |the following )?(${COUNT_PATTERN}) (days?|weeks?|months?|years?)\\b`,
  'i',
);
const END_UNTIL = /,? ?\b(?:through|thru|until|till|til|up to|ending(?: on)?|ends?(?: on)?)( the end of)? /i;

/**
 * How a series ends, said after it: "5 times" (COUNT), "for the next 4 weeks" (UNTIL the day before
 * four weeks from today), "until dec 18", "through the end of january" (UNTIL that date).
 */
function seriesEnd(
  text: string,
  now: DateTime,
  ctx: AssistantContext,
): { end: Pick<RecurrenceRule, 'count' | 'until'>; index: number; length: number } | null {
  const times = END_TIMES.exec(text);
  const count = times ? parseCount(times[1]!.toLowerCase()) : null;
  if (times && count !== null && Number.isInteger(count) && count >= 1 && count <= 999) {
    // ", 5 times": the comma and space before it go with it.
    let start = times.index;
    if (text[start - 1] === ' ') start -= 1;
    if (text[start - 1] === ',') start -= 1;
    return { end: { count }, index: start, length: times.index + times[0].length - start };
  }
  const span = END_FOR.exec(text);
  const n = span ? parseCount(span[1]!.toLowerCase()) : null;
  if (span && n !== null && Number.isInteger(n) && n >= 1) {
    const unit = `${span[2]!.toLowerCase().replace(/s$/, '')}s`;
    const last = now
      .startOf('day')
      .plus({ [unit]: n })
      .minus({ days: 1 });
    return { end: { until: last.toFormat('yyyyMMdd') }, index: span.index, length: span[0].length };
  }
  const until = END_UNTIL.exec(text);
  if (!until) return null;
  const after = text.slice(until.index + until[0].length);
  const when = parseWhen(after, ctx.now, ctx.timeZone);
  if (when?.index !== 0) return null;
  let day = when.due.allDay ? when.due.date : when.due.at;
  if (until[1]) day = day.endOf('month');
  return {
    end: { until: day.toFormat('yyyyMMdd') },
    index: until.index,
    length: until[0].length + when.length,
  };
}

/** A reminder's time of day as a due time: a bare 1–6 o'clock is pm, as everywhere else. */
function bareReminderTime(at: { hour: number; minute: number; meridiemKnown: boolean }): {
  hour: number;
  minute: number;
} {
  return {
    hour: !at.meridiemKnown && at.hour >= 1 && at.hour <= 6 ? at.hour + 12 : at.hour,
    minute: at.minute,
  };
}

function timeOf(due: Due): { hour: number; minute: number } | null {
  return due.allDay ? null : { hour: due.at.hour, minute: due.at.minute };
}
