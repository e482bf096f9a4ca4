/**
 * Other changes to existing tasks: rename, re-prioritise, (un)tag, remind. Like the other
 * recognisers (complete.ts, reschedule.ts, delete.ts), each returns null when the message is not
 * of its shape, so the interpreter can try the next one.
 */
import { actOn, notFound } from './act-on.js';
import { tidyTitle } from './add-task.js';
import { extractTags, normalizeTag, priorityWord } from './attributes.js';
import { dueOfTask } from './dates.js';
import { offsetFor, offsetForTimeOfDay, parseReminder, reminderReference } from './reminders.js';
import { parseCount, tidy } from './text.js';
import type { AssistantContext, Command } from './types.js';

/** "rename milk to buy oat milk", "change the title of X to Y". */
export function parseRename(text: string, ctx: AssistantContext): Command | null {
  const m =
    /^(?:rename|retitle|re-title) (.+?) (?:to|as|into) (.+)$/i.exec(text) ??
    /^(?:change|update|edit|set) (?:the )?(?:name|title|wording) (?:of|for|on) (.+?) to (.+)$/i.exec(text) ??
    /^(?:change|edit|update) (.+?) to (?:say|read) (.+)$/i.exec(text);
  if (!m) return null;
  const title = tidyTitle(m[2]!.replace(/^["“']|["”']$/g, ''));
  if (!title) return null;
  return (
    actOn(m[1]!, ctx, (task) => ({ kind: 'update_task', taskId: task.id, changes: { title } }), 'rename') ??
    notFound(m[1]!)
  );
}

/** "make the report high priority", "set gym to urgent", "prioritize taxes", "lower the priority of X". */
export function parsePriorityChange(text: string, ctx: AssistantContext): Command | null {
  let reference: string | null = null;
  let level: string | null = null;
  let m =
    /^(?:change|set|update|make) (?:the )?priority (?:of|for|on) (.+?) (?:to|as) (\w+)(?: priority)?$/i.exec(
      text,
    );
  if (m) [reference, level] = [m[1]!, m[2]!];
  m ??=
    /^(?:make|set|mark|change|bump|raise|lower|put|flag|move) (?:up )?(.+?) (?:to|as|at)? ?(?:an? |the )?(urgent|critical|high|top|important|medium|normal|low)(?:[- ]?(?:priority|prio|pri))?$/i.exec(
      text,
    );
  if (m && !reference) [reference, level] = [m[1]!, m[2]!];
  m = /^(prioriti[sz]e|deprioriti[sz]e|de-prioriti[sz]e) (.+)$/i.exec(text);
  if (m && !reference) [reference, level] = [m[2]!, /^de/i.test(m[1]!) ? 'low' : 'high'];
  m =
    /^(.+?) is (?:now |actually |really )?(urgent|critical|high priority|low priority|important|not important|not urgent)$/i.exec(
      text,
    );
  if (m && !reference) {
    reference = m[1]!;
    level = /not/i.test(m[2]!) ? 'low' : m[2]!.split(' ')[0]!;
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
    (/^(?:make|set|change|prioriti|deprioriti|raise|lower|bump)/i.test(text) ? notFound(reference) : null)
  );
}

/** "tag the dentist with #health", "add #work to report", "remove #home from X", "untag X". */
export function parseTagChange(text: string, ctx: AssistantContext): Command | null {
  let reference: string | null = null;
  let add: string[] = [];
  let remove: string[] | 'all' = [];
  let m =
    /^(?:tag|label) (.+?) (?:with|as|under) (.+)$/i.exec(text) ??
    /^(?:tag|label) (.+?) ((?:#\S+ ?)+)$/i.exec(text);
  if (m) {
    reference = m[1]!;
    add = tagList(m[2]!);
  }
  m =
    /^(?:add|put) (?:the )?(?:tags?|labels?)? ?((?:#?[\p{L}\p{N}_-]+(?: ?, ?| and | ))*#?[\p{L}\p{N}_-]+) (?:tags? )?(?:to|on) (.+)$/iu.exec(
      text,
    );
  if (m && !reference && (/#/.test(m[1]!) || /\btags?\b|\blabels?\b/i.test(text))) {
    reference = m[2]!;
    add = tagList(m[1]!);
  }
  m =
    /^(?:remove|delete|drop|take) (?:the )?(?:tags? |labels? )?(#?[\p{L}\p{N}_-]+) (?:tags? |labels? )?(?:off |from |off of )(.+)$/iu.exec(
      text,
    );
  if (m && !reference && (/#/.test(m[1]!) || /\btags?\b|\blabels?\b/i.test(text))) {
    reference = m[2]!;
    remove = [normalizeTag(m[1]!)];
  }
  m = /^(?:untag|remove (?:all )?(?:the )?tags (?:from|on|off)) (.+)$/i.exec(text);
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
    ) ?? notFound(reference)
  );
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
      ) ?? notFound(clear[1]!)
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
