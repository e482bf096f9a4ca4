/**
 * Changes to existing tasks named loosely: complete, rename, reschedule, re-prioritise, (un)tag,
 * remind, delete. Each recogniser returns null when the message is not of its shape, so the
 * interpreter can try the next one.
 */

import { tidyTitle } from './add-task.js';
import { extractTags, normalizeTag, priorityWord } from './attributes.js';
import { type Due, dueOfTask, dueToFields, localNow, parseWhen } from './dates.js';
import { anchorRule, firstOccurrence, formatRule, parseRecurrence } from './recurrence-phrases.js';
import { resolveReference, scoreTasks, tasksWithTag } from './references.js';
import { offsetFor, offsetForTimeOfDay, parseReminder, reminderReference } from './reminders.js';
import { parseCount, tidy } from './text.js';
import {
  type AssistantContext,
  type Command,
  conversationMemory,
  type TaskAction,
  type TaskChanges,
  type TaskRef,
} from './types.js';

const PRONOUN =
  /^(?:it|that|this|them|that one|this one|that task|this task|the last one|the one i just added)$/i;

/** Turns a reference into the command, a "which one?" question, or a not-found answer. */
export function actOn(
  reference: string,
  ctx: AssistantContext,
  build: (task: TaskRef) => TaskAction | null,
  verb: string,
): Command | null {
  if (PRONOUN.test(reference.trim())) {
    // "make it urgent" right after adding or finding a task.
    const ids = ctx.pending?.lastTaskIds ?? [];
    const task = ids.length === 1 ? ctx.tasks.find((t) => t.id === ids[0]) : undefined;
    if (task) return build(task);
    return { kind: 'help', reply: 'Which task do you mean? Say its name, e.g. “mark the report done”.' };
  }
  const resolution = resolveReference(reference, ctx.tasks);
  if (resolution.kind === 'one') return build(resolution.task);
  if (resolution.kind === 'ambiguous') {
    const candidates = resolution.candidates.flatMap((t) => {
      const action = build(t);
      const dueAt = t.dueAt ? t.dueAt.toISOString() : null;
      return action ? [{ id: t.id, title: t.title, dueAt, allDay: t.allDay, action }] : [];
    });
    if (candidates.length === 0) return null;
    const lines = candidates.map(
      (t, i) => `${i + 1}. ${t.title}${dueSuffix(resolution.candidates.find((c) => c.id === t.id)!, ctx)}`,
    );
    return {
      kind: 'clarify',
      question: `Which one do you want me to ${verb}?\n${lines.join('\n')}`,
      pending: { ...conversationMemory(ctx.pending), awaiting: { type: 'choose_task', candidates } },
    };
  }
  return null;
}

function dueSuffix(task: TaskRef, ctx: AssistantContext): string {
  const due = dueOfTask(task.dueAt, task.allDay, ctx.timeZone);
  if (!due) return '';
  return due.allDay
    ? ` (due ${due.date.toFormat('ccc, LLL d')})`
    : ` (due ${due.at.toFormat('ccc, LLL d, h:mm a')})`;
}

export function notFound(reference: string): Command {
  return {
    kind: 'help',
    reply: `I couldn't find an open task matching “${tidy(reference)}”. Say “show my tasks” to see them.`,
  };
}

/** "mark the dentist one done", "i finished the report", "gym is done", "done with laundry". */
export function parseComplete(text: string, ctx: AssistantContext): Command | null {
  const patterns = [
    /^(?:mark|set|tick|check|cross)\s+(.+?)\s+(?:as\s+)?(?:done|complete|completed|finished|checked|off|as finished)$/i,
    /^(?:please\s+)?(?:complete|finish|check off|tick off|cross off|close|done with|done|finished|completed|i(?:'ve| have)?\s+(?:just\s+)?(?:finished|completed|done|did)|i'?m\s+done\s+with|im\s+done\s+with|just\s+(?:finished|did|completed)|i\s+got\s+(.+?)\s+done)\s*:?\s+(.+)$/i,
    /^(.+?)\s+(?:is|are|was|were|'s)\s+(?:all\s+)?(?:done|finished|complete|completed|sorted|taken care of|handled|dealt with)$/i,
    /^(?:finished|completed|done)\s*[:-]\s*(.+)$/i,
  ];
  // "dentist done", "report finished ✅": only when the words before name a task.
  const trailing = /^(.+?)\s*[:-]?\s+(?:done|finished|complete|completed|checked off)$/i.exec(text);
  if (trailing && !patterns.some((p) => p.test(text))) {
    return actOn(trailing[1]!, ctx, (task) => ({ kind: 'complete_task', taskId: task.id }), 'mark done');
  }
  for (const [i, pattern] of patterns.entries()) {
    const m = pattern.exec(text);
    if (!m) continue;
    const reference = m[2] ?? m[1]!;
    const found = actOn(reference, ctx, (task) => ({ kind: 'complete_task', taskId: task.id }), 'mark done');
    if (found) return found;
    // "finish the essay by Friday" starts like a completion but, naming no task, is a new one.
    if (i === 1 && /^(?:please\s+)?(?:complete|finish|close)\s/i.test(text)) return null;
    return notFound(reference);
  }
  return null;
}

/** Past-tense verbs that report a task as done ("picked up the dry cleaning", "booked the flight"). */
const PAST_TENSE =
  /^(?:i\s+(?:just\s+|already\s+|finally\s+)?)?(?:just\s+|already\s+|finally\s+)?((?:[a-z]+ed|did|paid|bought|sent|wrote|got|made|took|went to|ran|read|gave|put|fed|ate|met|brought|drove|swept|cut|won|hung|sold|sang|spoke|threw|built|caught|taught)\b.*)$/i;

/** Base forms, so "paid the taxes" matches "Pay taxes" word for word. */
const IRREGULAR_PAST: Record<string, string> = {
  paid: 'pay',
  went: 'go',
  bought: 'buy',
  sent: 'send',
  wrote: 'write',
  made: 'make',
  took: 'take',
  got: 'get',
  did: 'do',
  ran: 'run',
  gave: 'give',
  fed: 'feed',
  met: 'meet',
  brought: 'bring',
  drove: 'drive',
  swept: 'sweep',
  sold: 'sell',
  built: 'build',
  read: 'read',
  put: 'put',
  cut: 'cut',
  ate: 'eat',
};

/**
 * "booked the flight", "i picked up the dry cleaning": a statement in the past tense whose words
 * clearly name one open task means it is done. The bar is higher than for explicit commands,
 * since "booked a table for friday" with no such task is a new task, not a completion.
 */
export function parsePastTenseCompletion(text: string, ctx: AssistantContext): Command | null {
  const m = PAST_TENSE.exec(text);
  if (!m) return null;
  const [verb = '', ...rest] = m[1]!.split(/\s+/);
  const phrase = [IRREGULAR_PAST[verb.toLowerCase()] ?? verb, ...rest].join(' ');
  const object = rest.join(' ').replace(/^to\s+/i, '');
  const open = ctx.tasks.filter((t) => t.status === 'open');
  const best = Math.max(scoreTasks(phrase, open)[0]?.score ?? 0, scoreTasks(object, open)[0]?.score ?? 0);
  if (best < 0.7) return null;
  const reference = (scoreTasks(phrase, open)[0]?.score ?? 0) >= 0.7 ? phrase : object;
  return actOn(reference, ctx, (task) => ({ kind: 'complete_task', taskId: task.id }), 'mark done');
}

/** "rename milk to buy oat milk", "change the title of X to Y". */
export function parseRename(text: string, ctx: AssistantContext): Command | null {
  const m =
    /^(?:rename|retitle|re-title)\s+(.+?)\s+(?:to|as|into)\s+(.+)$/i.exec(text) ??
    /^(?:change|update|edit|set)\s+(?:the\s+)?(?:name|title|wording)\s+(?:of|for|on)\s+(.+?)\s+to\s+(.+)$/i.exec(
      text,
    ) ??
    /^(?:change|edit|update)\s+(.+?)\s+to\s+(?:say|read)\s+(.+)$/i.exec(text);
  if (!m) return null;
  const title = tidyTitle(m[2]!.replace(/^["“']|["”']$/g, ''));
  if (!title) return null;
  return (
    actOn(m[1]!, ctx, (task) => ({ kind: 'update_task', taskId: task.id, changes: { title } }), 'rename') ??
    notFound(m[1]!)
  );
}

/** New due for a task: a bare date keeps its time of day, a bare time keeps its date. */
export function moveDue(
  task: TaskRef,
  when: NonNullable<ReturnType<typeof parseWhen>>,
  ctx: AssistantContext,
): Due {
  const current = dueOfTask(task.dueAt, task.allDay, ctx.timeZone);
  if (when.due.allDay && current && !current.allDay) {
    const day = when.due.date;
    return { allDay: false, at: current.at.set({ year: day.year, month: day.month, day: day.day }) };
  }
  if (!when.due.allDay && !when.hasDate && current) {
    const day = current.allDay ? current.date : current.at;
    const time = when.timeOfDay ?? { hour: when.due.at.hour, minute: when.due.at.minute };
    // "move gym to 7" when gym is at 6 pm: an evening task stays in the evening.
    const evening = when.meridiemGuessed && !current.allDay && current.at.hour >= 12 && time.hour < 12;
    return {
      allDay: false,
      at: day.set({
        hour: evening ? time.hour + 12 : time.hour,
        minute: time.minute,
        second: 0,
        millisecond: 0,
      }),
    };
  }
  return when.due;
}

const MOVE_VERB =
  '(?:move|push(?:\\s+back)?|reschedule|re-schedule|postpone|delay|shift|bump|defer|snooze|put\\s+off|change\\s+(?:the\\s+)?(?:due\\s+)?date\\s+(?:of|for|on)|set\\s+(?:the\\s+)?due\\s+date\\s+(?:of|for|on)|change|make)';

/** "move gym to Thursday", "push the report to next week", "postpone X by 2 days", "X is now due friday". */
export function parseReschedule(text: string, ctx: AssistantContext): Command | null {
  const shift = new RegExp(
    `^${MOVE_VERB}\\s+(?:back\\s+)?(.+?)\\s+(?:back\\s+)?(?:by\\s+)?(an?|one|two|three|four|five|\\d+)\\s+(day|week|hour|minute)s?(?:\\s+(?:later|back))?$`,
    'i',
  ).exec(text);
  if (shift) {
    const count = parseCount(shift[2]!.toLowerCase()) ?? 1;
    const unit = `${shift[3]!.toLowerCase()}s`;
    return (
      actOn(
        shift[1]!,
        ctx,
        (task) => {
          const current = dueOfTask(task.dueAt, task.allDay, ctx.timeZone);
          const base: Due = current ?? { allDay: true, date: localNow(ctx.now, ctx.timeZone).startOf('day') };
          const moved: Due = base.allDay
            ? { allDay: true, date: base.date.plus({ [unit]: count }) }
            : { allDay: false, at: base.at.plus({ [unit]: count }) };
          return { kind: 'update_task', taskId: task.id, changes: dueToFields(moved) };
        },
        'reschedule',
      ) ?? notFound(shift[1]!)
    );
  }

  const verb = new RegExp(`^${MOVE_VERB}\\s+(.+)$`, 'i').exec(text);
  const dueNow =
    /^(.+?)\s+(?:is\s+)?(?:now\s+)?(?:due|happening|scheduled|moved)\s+(?:to\s+|for\s+|on\s+)?(.+?)(?:\s+now|\s+instead)?$/i.exec(
      text,
    );
  let candidates: { reference: string; whenText: string }[] = [];
  if (verb) {
    const body = verb[1]!;
    for (const m of body.matchAll(/\s+(?:to|until|till|til|for|on|into|at|by|over to)\s+/gi)) {
      candidates.push({ reference: body.slice(0, m.index), whenText: body.slice(m.index + m[0].length) });
    }
    // No preposition: the time is the tail ("make the gym session 8pm instead").
    const tail =
      /^(.+?)\s+(\d{1,2}(?::\d{2})?\s*(?:am|pm)|noon|tomorrow|today|tonight|(?:next\s+)?(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*)(?:\s+instead)?$/i.exec(
        body,
      );
    if (tail) candidates.push({ reference: tail[1]!, whenText: tail[2]! });
  } else if (dueNow && /\b(?:now|instead|moved|is)\b/i.test(text)) {
    candidates = [{ reference: dueNow[1]!, whenText: dueNow[2]! }];
  }
  // "the gym is at 7 now", "dentist's on friday instead"
  const isNow = /^(.+?)(?:\s+is|'s)\s+(?:now\s+)?((?:at|on)\s+.+?)\s+(?:now|instead)$/i.exec(text);
  if (!verb && isNow) candidates.push({ reference: isNow[1]!, whenText: isNow[2]! });
  for (const { reference, whenText: said } of candidates) {
    // chrono needs "at" before a bare hour: "move dentist to 10".
    const whenText = /^\d{1,2}(?::\d{2})?$/.test(said.trim()) ? `at ${said.trim()}` : said;
    const recurrence = parseRecurrence(whenText);
    if (recurrence && recurrence.index <= 3) {
      return (
        actOn(
          reference,
          ctx,
          (task) => ({
            kind: 'update_task',
            taskId: task.id,
            changes: recurrenceChanges(task, whenText, ctx),
          }),
          'change',
        ) ?? null
      );
    }
    const when = parseWhen(whenText, ctx.now, ctx.timeZone);
    if (!when || when.index > 3) continue;
    const resolved = actOn(
      reference,
      ctx,
      (task) => ({ kind: 'update_task', taskId: task.id, changes: dueToFields(moveDue(task, when, ctx)) }),
      'reschedule',
    );
    if (resolved) return resolved;
    return verb ? notFound(reference) : null;
  }
  return null;
}

function recurrenceChanges(task: TaskRef, whenText: string, ctx: AssistantContext): TaskChanges {
  const recurrence = parseRecurrence(whenText)!;
  const rest = `${whenText.slice(0, recurrence.index)} ${whenText.slice(recurrence.index + recurrence.length)}`;
  const when = parseWhen(rest, ctx.now, ctx.timeZone);
  const current = dueOfTask(task.dueAt, task.allDay, ctx.timeZone);
  const now = localNow(ctx.now, ctx.timeZone);
  const time =
    recurrence.timeOfDay ??
    (when?.hasTime
      ? (when.timeOfDay ?? null)
      : current && !current.allDay
        ? { hour: current.at.hour, minute: current.at.minute }
        : null);
  let rule = recurrence.rule;
  if (when?.hasDate)
    rule = anchorRule(rule, when.due.allDay ? when.due.date : when.due.at, { weekday: true });
  const first = firstOccurrence(rule, now, time);
  const changes: TaskChanges = { recurrence: formatRule(rule) };
  if (first)
    Object.assign(changes, dueToFields(time ? { allDay: false, at: first } : { allDay: true, date: first }));
  return changes;
}

/** "make the report high priority", "set gym to urgent", "prioritize taxes", "lower the priority of X". */
export function parsePriorityChange(text: string, ctx: AssistantContext): Command | null {
  let reference: string | null = null;
  let level: string | null = null;
  let m =
    /^(?:change|set|update|make)\s+(?:the\s+)?priority\s+(?:of|for|on)\s+(.+?)\s+(?:to|as)\s+(\w+)(?:\s+priority)?$/i.exec(
      text,
    );
  if (m) [reference, level] = [m[1]!, m[2]!];
  m ??=
    /^(?:make|set|mark|change|bump|raise|lower|put|flag|move)\s+(?:up\s+)?(.+?)\s+(?:to|as|at)?\s*(?:an?\s+|the\s+)?(urgent|critical|high|top|important|medium|normal|low)(?:[- ]?(?:priority|prio|pri))?$/i.exec(
      text,
    );
  if (m && !reference) [reference, level] = [m[1]!, m[2]!];
  m = /^(prioriti[sz]e|deprioriti[sz]e|de-prioriti[sz]e)\s+(.+)$/i.exec(text);
  if (m && !reference) [reference, level] = [m[2]!, /^de/i.test(m[1]!) ? 'low' : 'high'];
  m =
    /^(.+?)\s+is\s+(?:now\s+|actually\s+|really\s+)?(urgent|critical|high priority|low priority|important|not important|not urgent)$/i.exec(
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
    /^(?:tag|label)\s+(.+?)\s+(?:with|as|under)\s+(.+)$/i.exec(text) ??
    /^(?:tag|label)\s+(.+?)\s+((?:#\S+\s*)+)$/i.exec(text);
  if (m) {
    reference = m[1]!;
    add = tagList(m[2]!);
  }
  m =
    /^(?:add|put)\s+(?:the\s+)?(?:tags?|labels?)?\s*((?:#?[\p{L}\p{N}_-]+(?:\s*,\s*|\s+and\s+|\s+))*#?[\p{L}\p{N}_-]+)\s+(?:tags?\s+)?(?:to|on)\s+(.+)$/iu.exec(
      text,
    );
  if (m && !reference && (/#/.test(m[1]!) || /\btags?\b|\blabels?\b/i.test(text))) {
    reference = m[2]!;
    add = tagList(m[1]!);
  }
  m =
    /^(?:remove|delete|drop|take)\s+(?:the\s+)?(?:tags?\s+|labels?\s+)?(#?[\p{L}\p{N}_-]+)\s+(?:tags?\s+|labels?\s+)?(?:off\s+|from\s+|off of\s+)(.+)$/iu.exec(
      text,
    );
  if (m && !reference && (/#/.test(m[1]!) || /\btags?\b|\blabels?\b/i.test(text))) {
    reference = m[2]!;
    remove = [normalizeTag(m[1]!)];
  }
  m = /^(?:untag|remove (?:all )?(?:the )?tags (?:from|on|off))\s+(.+)$/i.exec(text);
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
    .split(/\s*(?:,|\band\b|\s)\s*/)
    .map((t) => normalizeTag(t.trim()))
    .filter((t) => t.length > 0 && !/^(?:the|tag|tags|label)$/.test(t));
}

/** "remind me about the dentist an hour before", "add a reminder to gym at 7", "remove the reminder from X". */
export function parseReminderChange(text: string, ctx: AssistantContext): Command | null {
  const clear =
    /^(?:remove|delete|clear|cancel|turn off|drop)\s+(?:the\s+|all\s+|any\s+)?(?:reminders?|alerts?|notifications?)\s+(?:from|for|on|of)\s+(.+)$/i.exec(
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
    !/^(?:remind me|set (?:up )?an? (?:reminder|alert)|add an? (?:reminder|alert)|ping me|alert me|notify me)\s+(?:about|of|for|on|to)\s+/i.test(
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
    .replace(/^(?:remind me|ping me|alert me|notify me)\s+(?:about|of|for|on|to)\s+/i, '')
    .replace(/^remind me\s*/i, '');
  let offset: string | null = reminder?.offset ?? null;
  const relative =
    /\b(\d+|an?|one|two)\s+(minutes?|mins?|hours?|hrs?|days?)\s+(?:before|early|earlier|ahead)\b/i.exec(
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

/** Asks before deleting several tasks; the answer is resolved by `answerPending`. */
function confirmDelete(tasks: TaskRef[], label: string, ctx: AssistantContext): Command {
  if (tasks.length === 0) return { kind: 'help', reply: `You have no ${label} tasks to delete.` };
  const action = { kind: 'delete_task' as const, taskIds: tasks.map((t) => t.id) };
  const list = tasks.map((t) => `• ${t.title}`).join('\n');
  const what = tasks.length === 1 ? 'this task' : `these ${tasks.length} tasks`;
  return {
    kind: 'clarify',
    question: `Delete ${what} (${label})?\n${list}\nReply “yes” to delete or “no” to keep them.`,
    pending: { ...conversationMemory(ctx.pending), awaiting: { type: 'confirm', action } },
  };
}

/** "delete the dentist task", "remove milk", "delete all #errands tasks" (asks first). */
export function parseDelete(text: string, ctx: AssistantContext): Command | null {
  // "I don't need the vet task anymore, delete it", "the gym thing — remove it".
  const noLongerNeeded =
    /^(?:i\s+)?(?:don'?t|do not|no longer)\s+(?:need|want)\s+(.+?)(?:\s+any ?more)?(?:[,;.]?\s*(?:so\s+)?(?:please\s+)?(?:delete|remove|trash|drop)\s+(?:it|that|this|them))?$/i.exec(
      text,
    ) ?? /^(.+?)[,;.]?\s+(?:please\s+)?(?:delete|remove|trash|drop)\s+(?:it|that|this)$/i.exec(text);
  if (noLongerNeeded) {
    const reference = noLongerNeeded[1]!.replace(/\s+any ?more$/i, '');
    const found = actOn(reference, ctx, (task) => ({ kind: 'delete_task', taskIds: [task.id] }), 'delete');
    if (found) return found;
  }
  const m =
    /^(?:delete|remove|trash|erase|get rid of|cancel|drop|scrap|kill|nuke|bin|discard|forget about|forget|throw away|throw out|ditch|clear|empty|wipe)\s+(.+)$/i.exec(
      text,
    );
  if (!m) return null;
  const target = m[1]!.replace(
    /\s+(?:from|off|of)\s+(?:my\s+|the\s+)?(?:to-?do\s+|task\s+)?(?:list|tasks|todos?)$/i,
    '',
  );
  const everything =
    /^(?:everything|all(?: of)?(?: my| the)? (?:tasks|todos|to-dos)|(?:my|the) (?:whole |entire )?(?:to-?do |task )?list|all)$/i.test(
      target,
    );
  if (everything)
    return confirmDelete(
      ctx.tasks.filter((t) => t.status === 'open'),
      'open',
      ctx,
    );
  const bulk = /^(?:all|every|each|everything)\b/i.test(target);
  if (bulk) {
    let tasks: TaskRef[] = [];
    let label = '';
    const tag =
      /#([\p{L}\p{N}_-]+)/u.exec(target) ??
      /\b(?:tagged|labell?ed|with tag|with the tag)\s+#?([\p{L}\p{N}_-]+)/iu.exec(target);
    if (tag) {
      tasks = tasksWithTag(tag[1]!, ctx.tasks);
      label = `tagged #${normalizeTag(tag[1]!)}`;
    } else if (/\b(?:completed|done|finished)\b/i.test(target)) {
      tasks = ctx.tasks.filter((t) => t.status === 'completed');
      label = 'completed';
    } else {
      const word =
        /^(?:all|every|each)\s+(?:(?:of\s+)?(?:my|the)\s+)?([\p{L}\p{N}_-]+)\s+(?:tasks?|todos?|items?|ones?)$/iu.exec(
          target,
        );
      if (word && ctx.tasks.some((t) => t.tags.map(normalizeTag).includes(normalizeTag(word[1]!)))) {
        tasks = tasksWithTag(word[1]!, ctx.tasks);
        label = `tagged #${normalizeTag(word[1]!)}`;
      } else if (/overdue/i.test(target)) {
        tasks = ctx.tasks.filter((t) => t.status === 'open' && t.dueAt !== null && t.dueAt < ctx.now);
        label = 'overdue';
      } else {
        return {
          kind: 'help',
          reply:
            'To delete several tasks at once, say e.g. “delete all #errands tasks” or “delete all completed tasks”.',
        };
      }
    }
    return confirmDelete(tasks, label, ctx);
  }
  const found = actOn(target, ctx, (task) => ({ kind: 'delete_task', taskIds: [task.id] }), 'delete');
  if (found) return found;
  // "cancel the gym membership", "trash night every Wednesday": verbs that also start new tasks.
  return /^(?:delete|remove|erase|get rid of)\s/i.test(text) ? notFound(target) : null;
}
