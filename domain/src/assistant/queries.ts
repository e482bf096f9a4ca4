/**
 * Questions about the task list ("what's due this week?", "anything overdue?", "show my high
 * priority work tasks") → the filters of `GET /api/tasks`.
 */
import { DateTime } from 'luxon';
import type { Priority } from '../tasks/task.js';
import { normalizeTag, priorityWord } from './attributes.js';
import { localNow, nextWeekday, parseWhen, toUtcString } from './dates.js';
import { scoreTasks } from './references.js';
import { words } from './text.js';
import type { AssistantContext, ListFilter, ListTasksCommand } from './types.js';

const QUESTION_START =
  /^(?:(?:hey|ok|okay|so|and|also|um+|pls|please)[, ]+)?(?:what(?:'s| is| are| do| does| have| did|s)?|wat|wats|whats|how(?:'s| is| does) my|when (?:do|am|should|will) i|show|list|display|view|see|give me|get me|get (?:my|all)|any|anything|is there|are there|do i (?:have|got)|have i got|which|how many|tell me|find|search|look(?: up| for)?|my (?:tasks|todos?|to-dos?|list)|(?:tasks|todos?|to-dos?)(?! ?[:-])|agenda|remaining|open tasks|pending|overdue|upcoming|due|can you show|could you show|can i see|let me see|where)\b/i;

/** Whether the message starts like a question or request to see tasks ("what…", "show…"). */
export function looksLikeQuestionStart(text: string): boolean {
  return QUESTION_START.test(text.trim());
}

/** Words that make a question about the task list rather than about the weather. */
const LIST_SIGNAL =
  /\b(?:due|tasks?|todos?|to-dos?|list|have|got|overdue|late|next|left|remaining|pending|open|agenda|schedule|plate|today|tonight|tomorrow|week|weekend|month|looking|on for|(?:mon|tues|wednes|thurs|fri|satur|sun)day|priority|urgent|important|completed|finished|done|tagged|everything|anything|upcoming|soon|on my|need to do|should i do|did i|have i)\b|#/i;

/** Whether the message reads as a question about the list rather than an instruction. */
export function looksLikeListQuery(text: string): boolean {
  // Explicit list verbs ("show my work stuff", "search for milk") need no further signal.
  if (
    /^(?:show|list|display|view|search|find|look (?:up|for)|give me|get me|when(?:'s| is| are| do i have| do i| am i| should i))\b/i.test(
      text.trim(),
    )
  )
    return true;
  return (looksLikeQuestionStart(text) || /\? ?$/.test(text)) && LIST_SIGNAL.test(text);
}

export interface Window {
  after?: DateTime;
  before?: DateTime;
  label: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export function timeWindow(text: string, ctx: AssistantContext): Window | null {
  const now = localNow(ctx.now, ctx.timeZone);
  const today = now.startOf('day');
  const t = text.toLowerCase();
  const nextMonday = nextWeekday(today.plus({ days: 1 }), 1);
  if (/\bnext week\b/.test(t))
    return { after: nextMonday, before: nextMonday.plus({ days: 7 }), label: 'due next week' };
  if (/\b(?:this|the) weekend\b|\bweekend\b/.test(t)) {
    const saturday = now.weekday === 7 ? today.minus({ days: 1 }) : nextWeekday(today, 6);
    return {
      after: now.weekday === 7 ? today : saturday,
      before: saturday.plus({ days: 2 }),
      label: 'due this weekend',
    };
  }
  if (/\b(?:this|the|my|rest of the) week\b|\bthis wk\b/.test(t))
    return { after: today, before: nextMonday, label: 'due this week' };
  if (/\bnext month\b/.test(t)) {
    const first = today.startOf('month').plus({ months: 1 });
    return { after: first, before: first.plus({ months: 1 }), label: 'due next month' };
  }
  if (/\b(?:this|the) month\b/.test(t)) {
    return { after: today, before: today.startOf('month').plus({ months: 1 }), label: 'due this month' };
  }
  const days =
    /\b(?:next|coming|following) (\d{1,3}|two|three|four|five|seven|ten|fourteen|thirty) days\b/.exec(t);
  if (days) {
    const n =
      Number(days[1]) ||
      ({ two: 2, three: 3, four: 4, five: 5, seven: 7, ten: 10, fourteen: 14, thirty: 30 }[days[1]!] ?? 7);
    return { after: today, before: today.plus({ days: n + 1 }), label: `due in the next ${n} days` };
  }
  if (/\b(?:upcoming|coming up|soon)\b/.test(t))
    return { after: now, before: today.plus({ days: 8 }), label: 'due in the next 7 days' };
  if (/\b(?:today|tonight|todays|today's|2day)\b/.test(t))
    return { after: today, before: today.plus({ days: 1 }), label: 'due today' };
  if (/\b(?:tomorrow|tmrw|tmr|tomorrows|tomorrow's)\b/.test(t)) {
    return { after: today.plus({ days: 1 }), before: today.plus({ days: 2 }), label: 'due tomorrow' };
  }
  const month = new RegExp(`\\b(?:in|during|for|this|next|all of) (${MONTHS.join('|')})[a-z]*\\b`, 'i').exec(
    t,
  );
  if (month) {
    const number = MONTHS.indexOf(month[1]!.slice(0, 3).toLowerCase()) + 1;
    const year = number >= today.month ? today.year : today.year + 1;
    const first = today.set({ year, month: number, day: 1 });
    return {
      after: DateTime.max(first, today),
      before: first.plus({ months: 1 }),
      label: `due in ${first.toFormat('LLLL')}`,
    };
  }
  const when = parseWhen(text, ctx.now, ctx.timeZone);
  if (when?.hasDate) {
    const day = (when.due.allDay ? when.due.date : when.due.at).startOf('day');
    const label = `due ${day.toFormat('cccc, LLL d')}`;
    if (/\b(?:by|before|until|till) $/i.test(text.slice(0, when.index))) {
      return { before: day.plus({ days: 1 }), label: `due by ${day.toFormat('cccc, LLL d')}` };
    }
    return { after: day, before: day.plus({ days: 1 }), label };
  }
  return null;
}

function knownTags(ctx: AssistantContext): Set<string> {
  return new Set(ctx.tasks.flatMap((t) => t.tags.map(normalizeTag)));
}

const SEARCH =
  /\b(?:about|mentioning|containing|related to|regarding|with the word|called|named|titled|search(?: for)?|find|look(?:ing)? for) (?:the |my |a )?["']?([\p{L}\p{N}][\p{L}\p{N}' -]{0,80}?)["']? ?(?:tasks?|todos?|stuff)? ?\??$/iu;

/** Words of a question that are not about which task ("show me my …", "when is the … due"). */
const QUERY_WORDS = new Set(
  (
    'what whats s is are was show me my the a an list display view see all tasks task todos todo to do when where ' +
    'due do does i have has any anything everything please of for on about items item stuff one ones open pending ' +
    'get give find search look up can you could tell it its which how many much there'
  ).split(' '),
);

/** Builds the list command for a question, or null if the message is not one. */
export function parseListQuery(text: string, ctx: AssistantContext): ListTasksCommand | null {
  if (!looksLikeListQuery(text)) return null;
  const t = text.toLowerCase();
  const filter: ListFilter = {};
  const labels: string[] = [];

  const includeAll =
    /\b(?:including|incl\.?|and) (?:completed|done|finished)\b|\ball (?:my )?tasks,? (?:even|including)\b/.test(
      t,
    );
  const completed =
    !includeAll &&
    (/\b(?:completed|finished|closed)\b/.test(t) ||
      /\bdone (?:tasks|items|ones|stuff)\b/.test(t) ||
      /\bwhat (?:did|have) i (?:do|done|complete|finish|get done|got done|finished|completed)\b/.test(t) ||
      /\bwhat(?:'s| is) done\b/.test(t));
  if (completed) {
    filter.status = 'completed';
    labels.push('completed');
  } else if (!includeAll) filter.status = 'open';

  if (/\b(?:overdue|over due|late|past due|past-due|missed|behind)\b/.test(t)) {
    filter.overdue = true;
    filter.status = 'open';
    labels.push('overdue');
  } else if (!completed) {
    // "what did i get done today?" is about when tasks were done, which is not a due window; the
    // list of completed tasks answers it.
    const window = timeWindow(text, ctx);
    if (window) {
      if (window.after) filter.due_after = toUtcString(window.after);
      if (window.before) filter.due_before = toUtcString(window.before);
      labels.push(window.label);
    }
  }

  const priorityMatch =
    /\b(urgent|critical|top|high|hi|important|medium|normal|low)(?:[- ](?:priority|prio|pri))?\b/.exec(t) ??
    /!(urgent|high|low|medium)\b/.exec(t);
  let priority: Priority | null = null;
  if (
    priorityMatch &&
    (/priority|prio|pri\b|!/.test(t) || /urgent|important|critical/.test(priorityMatch[1]!))
  ) {
    priority = priorityWord(priorityMatch[1]!);
  }
  if (priority) {
    filter.priority = priority;
    labels.push(`${priority} priority`);
  }

  const hashtag = /#([\p{L}\p{N}_][\p{L}\p{N}_\-/]*)/u.exec(text);
  const tagged = /\b(?:tagged|tag|labell?ed|label|in|under|for) ([\p{L}\p{N}_-]+)/iu.exec(text);
  const tags = knownTags(ctx);
  let tag: string | null = hashtag ? normalizeTag(hashtag[1]!) : null;
  if (!tag && tagged && (/tag|label/i.test(tagged[0]) || tags.has(normalizeTag(tagged[1]!))))
    tag = normalizeTag(tagged[1]!);
  if (!tag)
    tag = words(text).find((w) => tags.has(w) && !/^(today|tomorrow|week|high|low|urgent)$/.test(w)) ?? null;
  if (tag) {
    filter.tag = tag;
    labels.push(`tagged #${tag}`);
  }

  const search = SEARCH.exec(text);
  if (search && !tag) {
    const q = search[1]!.trim().replace(/ (?:tasks?|todos?)$/i, '');
    if (q && !/^(?:today|tomorrow|this week|next week|overdue|everything|anything|it)$/i.test(q)) {
      filter.q = q;
      labels.push(`matching “${q}”`);
    }
  }

  if (!filter.q && !tag && !priority && !filter.due_after && !filter.due_before && !filter.overdue) {
    // "show me the dentist task", "when is my dentist appointment?": the rest names a task.
    const rest = words(text).filter((w) => !QUERY_WORDS.has(w));
    const top = rest.length ? scoreTasks(rest.join(' '), ctx.tasks)[0] : undefined;
    if (top && top.score >= 0.7) {
      filter.q = rest.join(' ');
      labels.push(`matching “${filter.q}”`);
    }
  }

  if (/\bmost (?:urgent|important)\b|\btop priority\b|\bhighest priority\b/.test(t)) {
    // "what's the most urgent thing": the open tasks by priority, the most important first.
    delete filter.priority;
    labels.splice(0, labels.length, 'most important first');
    filter.sort = 'priority';
    filter.limit = 5;
  }
  if (/\bwhat(?:'s| is|s)? next\b|\bnext (?:task|thing|up)\b|\bwhat should i do\b|\bwhat now\b/.test(t)) {
    filter.sort = 'due';
    filter.limit = 5;
    labels.push('coming up next');
  }
  const description = labels.length ? labels.join(', ') : filter.status === 'open' ? 'open' : 'all';
  return { kind: 'list_tasks', filter, description };
}
