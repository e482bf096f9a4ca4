/**
 * Other changes to existing tasks: rename, re-prioritise, (un)tag, remind. Like the other
 * recognisers (complete.ts, reschedule.ts, delete.ts), each returns null when the message is not
 * of its shape, so the interpreter can try the next one.
 */
import { actOn } from './act-on.js';
import { tidyTitle } from './add-task.js';
import { extractTags, normalizeTag, priorityWord } from './attributes.js';
import { noSuchTask } from './command-verbs.js';
import { dueOfTask } from './dates.js';
import { parseRecurrence } from './recurrence-phrases.js';
import {
  offsetFor,
  offsetForTimeOfDay,
  parseReminder,
  reminderBeforeTask,
  reminderReference,
} from './reminders.js';
import { recurrenceChanges } from './reschedule.js';
import { between, parseCount, tidy, trimChars } from './text.js';
import type { AssistantContext, Command } from './types.js';

/** "rename milk to buy oat milk", "change the title of X to Y". */
export function parseRename(text: string, ctx: AssistantContext): Command | null {
  const found =
    between(text, /^(?:rename|retitle|re-title) /i, / (?:to|as|into) /i) ??
    between(text, /^(?:change|update|edit|set) (?:the )?(?:name|title|wording) (?:of|for|on) /i, / to /i) ??
    between(text, /^(?:change|edit|update) /i, / to (?:say|read) /i);
  if (!found) return null;
  const title = tidyTitle(found.after.replace(/^["“']|["”']$/g, ''));
  if (!title) return null;
  return (
    actOn(
      found.middle,
      ctx,
      (task) => ({ kind: 'update_task', taskId: task.id, changes: { title } }),
      'rename',
    ) ?? noSuchTask(found.middle, 'edit', ctx)
  );
}

/** "make the report high priority", "set gym to urgent", "prioritize taxes", "lower the priority of X". */
export function parsePriorityChange(text: string, ctx: AssistantContext): Command | null {
  let reference: string | null = null;
  let level: string | null = null;
  const named =
    between(
      text,
      /^(?:change|set|update|make) (?:the )?priority (?:of|for|on) /i,
      / (?:to|as) (\w+)(?: priority)?$/i,
      'none',
    ) ??
    between(
      text,
      /^(?:make|set|mark|change|bump|raise|lower|put|flag|move) (?:up )?/i,
      / (?:to|as|at)? ?(?:an? |the )?(urgent|critical|high|top|important|medium|normal|low)(?:[- ]?(?:priority|prio|pri))?$/i,
      'none',
    );
  // "bump the groceries up to high": "up"/"down" belong to the verb, not to the task.
  if (named) [reference, level] = [named.middle.replace(/ (?:up|down)$/i, ''), named.tail[1]!];
  const m = /^(prioriti[sz]e|deprioriti[sz]e|de-prioriti[sz]e) (.+)$/i.exec(text);
  if (m && !reference) [reference, level] = [m[2]!, /^de/i.test(m[1]!) ? 'low' : 'high'];
  const stated = between(
    text,
    /^/,
    / (?:is|are|'s) (?:now |actually |really )?(urgent|critical|(?:high|low|medium|normal|top) (?:priority|prio)|important|not important|not urgent)(?: now)?$/i,
    'none',
  );
  if (stated && !reference) {
    reference = stated.middle;
    level = /not/i.test(stated.tail[1]!) ? 'low' : stated.tail[1]!.split(' ')[0]!;
  }
  if (!reference || !level) return null;
  const priority = priorityWord(level);
  if (!priority) return null;
  const result = actOn(
    reference,
    ctx,
    (task) => ({ kind: 'update_task', taskId: task.id, changes: { priority } }),
    'change',
  );
  return (
    result ??
    (/^(?:make|set|change|prioriti|deprioriti|raise|lower|bump)/i.test(text)
      ? noSuchTask(reference, 'priority', ctx)
      : null)
  );
}

/** "tag the dentist with #health", "add #work to report", "remove #home from X", "untag X". */
export function parseTagChange(text: string, ctx: AssistantContext): Command | null {
  let reference: string | null = null;
  let add: string[] = [];
  let remove: string[] | 'all' = [];
  const tagWith = between(text, /^(?:tag|label) /i, / (?:with|as|under) /i);
  const tagged = tagWith ? { reference: tagWith.middle, tags: tagWith.after } : trailingHashtags(text);
  if (tagged) {
    reference = tagged.reference;
    add = tagList(tagged.tags);
  }
  const listed = tagsToTask(text);
  if (listed && !reference && (/#/.test(listed.tags) || /\btags?\b|\blabels?\b/i.test(text))) {
    reference = listed.reference;
    add = tagList(listed.tags);
  }
  const off = tagOffTask(text);
  if (off && !reference && (/#/.test(off.tag) || /\btags?\b|\blabels?\b/i.test(text))) {
    reference = off.reference;
    remove = [normalizeTag(off.tag)];
  }
  const m = /^(?:untag|remove (?:all )?(?:the )?tags (?:from|on|off)) (.+)$/i.exec(text);
  if (m && !reference) {
    reference = m[1]!;
    remove = 'all';
  }
  if (!reference || (add.length === 0 && remove !== 'all' && remove.length === 0)) return null;
  const removed = remove;
  return (
    actOn(
      reference,
      ctx,
      (task) => {
        const current = task.tags.map(normalizeTag);
        const kept = removed === 'all' ? [] : current.filter((t) => !removed.includes(t));
        const tags = [...kept, ...add.filter((t) => !kept.includes(t))];
        return { kind: 'update_task', taskId: task.id, changes: { tags } };
      },
      'tag',
    ) ?? noSuchTask(reference, 'tag', ctx)
  );
}

/** "tag the report #work #q3": the words after the verb, then a run of #hashtags to the end. */
function trailingHashtags(text: string): { reference: string; tags: string } | null {
  const words = text.split(' ');
  if (!/^(?:tag|label)$/i.test(words[0]!)) return null;
  let start = words.length;
  // At least one word of reference stays before the hashtags.
  while (start > 2 && /^#\S/.test(words[start - 1]!)) start--;
  if (start === words.length) return null;
  return { reference: words.slice(1, start).join(' '), tags: words.slice(start).join(' ') };
}

const ONE_TAG = /^#?[\p{L}\p{N}_-]{1,64}$/u;
const TAG_KEYWORD = /^(?:tags?|labels?)$/i;

/**
 * "remove #home from the report", "take the tag work off X", "drop the errands label from milk":
 * one tag, then "from"/"off"/"off of" and the task, read word by word. "tag" is first taken as the
 * keyword, then as the tag's name ("remove tag from X").
 */
function tagOffTask(text: string): { tag: string; reference: string } | null {
  const words = text.split(' ');
  if (!/^(?:remove|delete|drop|take)$/i.test(words[0]!)) return null;
  const first = /^the$/i.test(words[1] ?? '') ? 2 : 1;
  for (const keywordFirst of [true, false]) {
    let at = first;
    if (keywordFirst) {
      if (!TAG_KEYWORD.test(words[at] ?? '')) continue;
      at++;
    }
    const tag = words[at++] ?? '';
    if (!ONE_TAG.test(tag)) continue;
    const preposition = (at: number) =>
      /^from$/i.test(words[at] ?? '')
        ? 1
        : /^off$/i.test(words[at] ?? '')
          ? /^of$/i.test(words[at + 1] ?? '') && at + 2 < words.length
            ? 2
            : 1
          : 0;
    if (TAG_KEYWORD.test(words[at] ?? '') && preposition(at + 1)) at++;
    const skip = preposition(at);
    if (!skip || at + skip >= words.length) continue;
    return { tag, reference: words.slice(at + skip).join(' ') };
  }
  return null;
}

const TAG_NAME = /^#?[\p{L}\p{N}_-]+,?$/u;

/**
 * "add #work and #urgent to the report", "put tags home, errands on milk": a list of tag names,
 * then "to"/"on" and the task. The list is read word by word up to the last "to"/"on" it could
 * end at, as the list-then-reference pattern it replaces did, but in one pass.
 */
function tagsToTask(text: string): { reference: string; tags: string } | null {
  const words = text.split(' ');
  if (!/^(?:add|put)$/i.test(words[0]!)) return null;
  let first = 1;
  if (/^the$/i.test(words[first] ?? '')) first++;
  if (/^(?:tags?|labels?)$/i.test(words[first] ?? '')) first++;
  let end = first;
  while (end < words.length && (TAG_NAME.test(words[end]!) || words[end] === ',')) end++;
  for (let at = Math.min(end, words.length - 2); at > first; at--) {
    if (/^(?:to|on)$/i.test(words[at]!)) {
      return { reference: words.slice(at + 1).join(' '), tags: words.slice(first, at).join(' ') };
    }
  }
  return null;
}

function tagList(text: string): string[] {
  const hashtags = extractTags(text).value;
  if (hashtags.length) return hashtags;
  return text
    .split(/ ?(?:,|\band\b|\s) ?/)
    .map((t) => normalizeTag(t.trim()))
    .filter((t) => t.length > 0 && !/^(?:the|tag|tags|label)$/.test(t));
}

/** "remind me about the dentist an hour before", "add a reminder to gym at 7", "remove the reminder from X". */
export function parseReminderChange(text: string, ctx: AssistantContext): Command | null {
  const clear =
    /^(?:remove|delete|clear|cancel|turn off|drop) (?:the |all |any )?(?:reminders?|alerts?|notifications?) (?:from|for|on|of) (.+)$/i.exec(
      text,
    );
  if (clear) {
    return (
      actOn(
        clear[1]!,
        ctx,
        (task) => ({ kind: 'update_task', taskId: task.id, changes: { reminders: [] } }),
        'change',
      ) ?? noSuchTask(clear[1]!, 'remind', ctx)
    );
  }
  const beforeTask = reminderBeforeTask(text);
  if (beforeTask) {
    const { offset, reference } = beforeTask;
    // A reference naming no task is a new one: "remind me 10 minutes before the call at 3".
    return actOn(
      reference,
      ctx,
      (task) => {
        const existing = task.reminders ?? [];
        return {
          kind: 'update_task',
          taskId: task.id,
          changes: { reminders: existing.includes(offset) ? existing : [...existing, offset] },
        };
      },
      'remind you about',
    );
  }
  if (
    !/^(?:remind me|set (?:up )?an? (?:reminder|alert)|add an? (?:reminder|alert)|ping me|alert me|notify me) (?:about|of|for|on|to) /i.test(
      text,
    )
  ) {
    return null;
  }
  if (/^remind me to\s/i.test(text)) return null;
  const reminder = parseReminder(text.replace(/^(?:set (?:up )?|add )an? (?:reminder|alert)/i, 'remind me'));
  const normalized = text.replace(/^(?:set (?:up )?|add )an? (?:reminder|alert)/i, 'remind me');
  const target = reminder
    ? `${normalized.slice(0, reminder.index)} ${normalized.slice(reminder.index + reminder.length)}`
    : normalized;
  const reference = target
    .replace(/^(?:remind me|ping me|alert me|notify me) (?:about|of|for|on|to) /i, '')
    .replace(/^remind me ?/i, '');
  let offset: string | null = reminder?.offset ?? null;
  const relative =
    /\b(\d+|an?|one|two) (minutes?|mins?|hours?|hrs?|days?) (?:before|early|earlier|ahead)\b/i.exec(
      reference,
    );
  const cleanReference = relative ? tidy(reference.replace(relative[0], '')) : tidy(reference);
  if (!offset && relative) offset = offsetFor(parseCount(relative[1]!.toLowerCase()) ?? 1, relative[2]!);
  const result = actOn(
    cleanReference,
    ctx,
    (task) => {
      const due = dueOfTask(task.dueAt, task.allDay, ctx.timeZone);
      let value = offset;
      if (!value && reminder?.at && due) value = offsetForTimeOfDay(reminderReference(due), reminder.at);
      value ??= 'PT0M';
      const existing = task.reminders ?? [];
      return {
        kind: 'update_task',
        taskId: task.id,
        changes: { reminders: existing.includes(value) ? existing : [...existing, value] },
      };
    },
    'remind you about',
  );
  return result;
}

/** "the gym thing doesn't need a date", "clear the date on the budget review", "unschedule X". */
export function parseDueClear(text: string, ctx: AssistantContext): Command | null {
  const reference =
    between(
      text,
      /^/,
      / (?:doesn'?t|does not|don'?t|do not|no longer) (?:need|have) (?:a |any )?(?:due )?(?:date|deadline|due)(?: any ?more)?$/i,
      'none',
    )?.middle ??
    between(
      text,
      /^(?:clear|remove|drop|delete|take off|get rid of) (?:the |its )?(?:due )?(?:date|deadline) (?:on|from|of|for|off) /i,
      /$/,
      'none',
    )?.middle ??
    /^(?:unschedule|undate) (.+)$/i.exec(text)?.[1] ??
    null;
  if (!reference) return null;
  return (
    actOn(
      reference,
      ctx,
      (task) => ({
        kind: 'update_task',
        taskId: task.id,
        changes: {
          due_at: null,
          all_day: false,
          ...(task.reminders?.length ? { reminders: [] } : {}),
          ...(task.recurrence ? { recurrence: null } : {}),
        },
      }),
      'change',
    ) ?? noSuchTask(reference, 'reschedule', ctx)
  );
}

/**
 * "attach a note to the haircut: ask for Maria", "note on the vet: bring the booklet", "change the
 * description of the dishwasher to: model SMS46": the task, then the text of its description.
 */
export function parseDescription(text: string, ctx: AssistantContext): Command | null {
  const found =
    between(
      text,
      /^(?:attach|add|put|write|leave) (?:a |the )?(?:note|description|comment|details?) (?:to|on|for) /i,
      /: ?| saying /i,
    ) ??
    between(text, /^(?:a )?(?:note|description|comment) (?:on|for|to) /i, /: ?/i) ??
    between(
      text,
      /^(?:change|set|update|edit|replace) (?:the )?(?:description|note|notes|details) (?:of|for|on) /i,
      / (?:to|with):? ?/i,
    );
  // "with a note: ask for the corporate rate" right after adding a task: the note is for it.
  const forLast = /^(?:with|and|plus|add)? ?(?:a )?(?:note|description|comment): ?(.+)$/i.exec(text);
  if (!found && forLast) return parseDescription(`add a note to it: ${forLast[1]!}`, ctx);
  if (!found) return null;
  const description = trimChars(found.after.trim(), '"“\'', '"”\'');
  if (!description) return null;
  return (
    actOn(
      found.middle,
      ctx,
      (task) => ({ kind: 'update_task', taskId: task.id, changes: { description } }),
      'change',
    ) ?? noSuchTask(found.middle, 'edit', ctx)
  );
}

/** "reopen X", "put X back on the list", "X isn't done", "mark X as not done": a completed task comes back. */
export function parseReopen(text: string, ctx: AssistantContext): Command | null {
  const body = text.replace(/^(?:actually|oh|wait|hmm),? /i, '');
  const reference =
    /^(?:reopen|re-open|uncomplete|un-complete|unmark|undo the completion of|restore) (.+)$/i.exec(
      body,
    )?.[1] ??
    between(
      body,
      /^(?:put|bring|move|add) /i,
      / back(?: on| onto| to)?(?: the| my)?(?: to-?do| task)?(?: list)?$/i,
      'none',
    )?.middle ??
    between(
      body,
      /^(?:mark|set) /i,
      / (?:as )?(?:not done|undone|incomplete|not complete|not finished|open)$/i,
      'none',
    )?.middle ??
    between(
      body,
      /^/,
      / (?:isn'?t|aren'?t|is not|are not|wasn'?t|weren'?t) (?:done|finished|complete|completed)(?: yet)?$/i,
      'none',
    )?.middle ??
    null;
  if (!reference) return null;
  const completed = { ...ctx, tasks: ctx.tasks.filter((t) => t.status === 'completed') };
  return (
    actOn(
      reference,
      completed,
      (task) => ({ kind: 'update_task', taskId: task.id, changes: { status: 'open' } }),
      'reopen',
    ) ?? noSuchTask(reference, 'reopen', completed)
  );
}

/** "make the plants repeat every 3 days", "call mom doesn't repeat anymore", "stop repeating X". */
export function parseRepeatChange(text: string, ctx: AssistantContext): Command | null {
  const stop =
    between(
      text,
      /^/,
      / (?:doesn'?t|does not|shouldn'?t|should not|won'?t|no longer|don'?t|do not) (?:need to )?(?:repeat|recur)s?(?: any ?more)?$/i,
      'none',
    )?.middle ??
    /^(?:stop repeating|don'?t repeat|do not repeat|make (?:it )?(?:a )?one-?(?:off|time)) (.+)$/i.exec(
      text,
    )?.[1] ??
    between(text, /^(?:make) /i, / (?:a )?(?:one-?off|one-?time|not repeat|stop repeating)$/i, 'none')
      ?.middle ??
    null;
  if (stop) {
    return (
      actOn(
        stop,
        ctx,
        (task) => ({ kind: 'update_task', taskId: task.id, changes: { recurrence: null } }),
        'change',
      ) ?? noSuchTask(stop, 'repeat', ctx)
    );
  }
  const start = between(
    text,
    /^(?:make|set|have) /i,
    / (?:repeat|recur|happen)s? (?=every|each|on|daily|weekly|monthly)/i,
  );
  if (!start) return null;
  const recurrence = parseRecurrence(start.after);
  if (!recurrence) return null;
  return (
    actOn(
      start.middle,
      ctx,
      (task) => ({
        kind: 'update_task',
        taskId: task.id,
        changes: recurrenceChanges(task, start.after, ctx),
      }),
      'change',
    ) ?? noSuchTask(start.middle, 'repeat', ctx)
  );
}
