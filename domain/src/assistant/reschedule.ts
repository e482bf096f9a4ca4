/** Rescheduling: "move gym to Thursday", "push the report to next week", "postpone X by 2 days". */
import { actOn } from './act-on.js';
import { noSuchTask } from './command-verbs.js';
import { type Due, dueOfTask, dueToFields, localNow, parseWhen } from './dates.js';
import { anchorRule, firstOccurrence, formatRule, parseRecurrence } from './recurrence-phrases.js';
import { between, parseCount } from './text.js';
import type { AssistantContext, Command, TaskChanges, TaskRef } from './types.js';

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
  '(?:move|push(?: back)?|reschedule|re-schedule|postpone|delay|shift|bump|defer|snooze|put off|change (?:the )?(?:due )?date (?:of|for|on)|set (?:the )?due date (?:of|for|on)|change|make)';

const MOVE_LEAD = new RegExp(`^${MOVE_VERB} (?:back )?`, 'i');
/** Splits of "move X to Y" tried, one per preposition from the left. */
const MAX_SPLITS = 6;

/** "move gym to Thursday", "push the report to next week", "postpone X by 2 days", "X is now due friday". */
export function parseReschedule(said: string, ctx: AssistantContext): Command | null {
  // "it's due friday" reads as "it is due friday".
  const text = said.replace(/^(it|that|this)'s /i, '$1 is ');
  const shifted = between(
    text,
    MOVE_LEAD,
    / (?:back )?(?:by )?(an?|one|two|three|four|five|\d{1,4}) (day|week|hour|minute)s?(?: (?:later|back))?$/i,
    'none',
  );
  if (shifted) {
    const count = parseCount(shifted.tail[1]!.toLowerCase()) ?? 1;
    const unit = `${shifted.tail[2]!.toLowerCase()}s`;
    return (
      actOn(
        shifted.middle,
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
      ) ?? noSuchTask(shifted.middle, 'reschedule', ctx)
    );
  }

  const verb = new RegExp(`^${MOVE_VERB} (.+)$`, 'i').exec(text);
  const dueNow = between(text, /^/, / (?:is )?(?:now )?(?:due|happening|scheduled|moved) (?:to |for |on )?/i);
  let candidates: { reference: string; whenText: string }[] = [];
  if (verb) {
    const body = verb[1]!;
    // "make it due on the 14th", "make that thursday at 4pm": the task just talked about, then the time.
    const pronoun = /^(it|that|this)(?: one)? (?:be )?(?:due )?(?:on |for |by )?(.+)$/i.exec(body);
    if (pronoun) candidates.push({ reference: pronoun[1]!, whenText: pronoun[2]! });
    for (const m of body.matchAll(/ (?:to|until|till|til|for|on|into|at|by|over to) /gi)) {
      candidates.push({ reference: body.slice(0, m.index), whenText: body.slice(m.index + m[0].length) });
      // Each split costs a date parse and a reference match: a few are all a request has.
      if (candidates.length === MAX_SPLITS) break;
    }
    // "make it every tuesday and thursday": the task, then a recurrence.
    const series = parseRecurrence(body);
    if (series && series.index > 0)
      candidates.push({ reference: body.slice(0, series.index).trim(), whenText: body.slice(series.index) });
    // No preposition: the time is the tail ("make the gym session 8pm instead").
    const tail = between(
      body,
      /^/,
      / (\d{1,2}(?::\d{2})? ?(?:am|pm)|noon|tomorrow|today|tonight|(?:next )?(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6})(?: instead)?$/i,
      'none',
    );
    if (tail) candidates.push({ reference: tail.middle, whenText: tail.tail[1]! });
  } else if (dueNow && /\b(?:now|instead|moved|is)\b/i.test(text)) {
    candidates = [{ reference: dueNow.middle, whenText: dueNow.after.replace(/ (?:now|instead)$/i, '') }];
  }
  // "the gym is at 7 now", "dentist's on friday instead"
  const isNow = between(text, /^/, /(?: is|'s) (now )?(?:at|on) /i);
  const insteadAt = isNow ? / (?:now|instead)$/i.exec(isNow.after) : null;
  // "the gym is at 7 now", "the car service is now at 10": "now" before or after the time.
  const nowFirst = isNow?.tail[1] !== undefined;
  if (!verb && isNow && ((insteadAt && insteadAt.index > 0) || nowFirst)) {
    const preposition = isNow.tail[0].trim().split(' ').at(-1)!;
    const said = insteadAt && insteadAt.index > 0 ? isNow.after.slice(0, insteadAt.index) : isNow.after;
    candidates.push({ reference: isNow.middle, whenText: `${preposition} ${said}` });
  }
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
    return verb ? noSuchTask(reference, 'reschedule', ctx) : null;
  }
  return null;
}

/** A task made to repeat by `whenText` ("every 3 days"), keeping its time of day, from its first date on. */
export function recurrenceChanges(task: TaskRef, whenText: string, ctx: AssistantContext): TaskChanges {
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
