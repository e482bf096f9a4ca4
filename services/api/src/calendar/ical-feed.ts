import {
  DEFAULT_ALL_DAY_REMINDER_TIME,
  reminderFireTimes,
  reminderOffsetMinutes,
  type TaskRecord,
  toWallClock,
} from '@todo/domain';
import ICAL from 'ical.js';
import { tzlib_get_ical_block } from 'timezones-ical-library';

/** RFC 5545 PRIORITY: 1 is the highest, 1–4 read as "high", 5 "medium", 6–9 "low" by clients. */
const PRIORITY: Record<TaskRecord['priority'], number> = { urgent: 1, high: 3, medium: 5, low: 9 };

/** The task fields a feed shows. */
export type FeedTask = Pick<
  TaskRecord,
  | 'id'
  | 'title'
  | 'description'
  | 'priority'
  | 'tags'
  | 'due_at'
  | 'all_day'
  | 'reminders'
  | 'recurrence'
  | 'recurrence_anchor'
  | 'occurrence'
  | 'created_at'
  | 'updated_at'
  | 'version'
>;

/**
 * The user's open tasks with a due date as an RFC 5545 calendar of VTODOs. Timed tasks are in the
 * user's zone (`DUE;TZID=…` plus that zone's VTIMEZONE), not in UTC: a rule like "every day at
 * 9:00" then expands at 9:00 on both sides of a DST change, as the app computes it, where a UTC
 * start would drift by the DST hour. All-day tasks are DATE values.
 */
export function calendarFeed(tasks: FeedTask[], timeZone: string, now: Date): string {
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('prodid', '-//Todo Chatbot//Task feed//EN');
  calendar.addPropertyWithValue('calscale', 'GREGORIAN');
  calendar.addPropertyWithValue('x-wr-calname', 'Todo Chatbot');
  // How often subscribers should fetch again (RFC 7986, and Apple's and Outlook's older name).
  calendar
    .addPropertyWithValue('refresh-interval', ICAL.Duration.fromString('PT15M'))
    .setParameter('value', 'DURATION');
  calendar.addPropertyWithValue('x-published-ttl', 'PT15M');

  const zone = zoneBlock(timeZone);
  if (zone && tasks.some((task) => task.due_at && !task.all_day)) {
    calendar.addSubcomponent(new ICAL.Component(ICAL.parse(zone.block) as unknown[]));
  }
  for (const task of tasks) {
    if (task.due_at) calendar.addSubcomponent(vtodo(task, task.due_at, zone?.tzid, timeZone, now));
  }
  return calendar.toString();
}

/** The zone's VTIMEZONE and its TZID (UTC is `Etc/UTC` there); undefined for a zone it lacks. */
function zoneBlock(timeZone: string): { block: string; tzid: string } | undefined {
  const found = tzlib_get_ical_block(timeZone);
  if (!Array.isArray(found) || !found[0] || !found[1]) return undefined;
  return { block: found[0], tzid: found[1].replace(/^TZID=/, '') };
}

function vtodo(task: FeedTask, dueAt: Date, tzid: string | undefined, timeZone: string, now: Date) {
  const todo = new ICAL.Component('vtodo');
  todo.addPropertyWithValue('uid', task.id);
  todo.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(now, true));
  todo.addPropertyWithValue('created', ICAL.Time.fromJSDate(task.created_at, true));
  todo.addPropertyWithValue('last-modified', ICAL.Time.fromJSDate(task.updated_at, true));
  todo.addPropertyWithValue('sequence', task.version - 1);
  todo.addPropertyWithValue('summary', task.title);
  if (task.description) todo.addPropertyWithValue('description', task.description);
  todo.addPropertyWithValue('status', 'NEEDS-ACTION');
  todo.addPropertyWithValue('priority', PRIORITY[task.priority]);
  if (task.tags.length > 0) {
    const categories = new ICAL.Property('categories');
    categories.setValues(task.tags);
    todo.addProperty(categories);
  }

  const due = dueTime(dueAt, task.all_day, tzid, timeZone);
  const dueProperty = todo.addPropertyWithValue('due', due.time);
  if (due.tzid) dueProperty.setParameter('tzid', due.tzid);
  // A completion-anchored series has no dates fixed in advance: no rule for a calendar to expand.
  if (task.recurrence && task.recurrence_anchor === 'due') {
    // The rule expands from DTSTART, which for a task is its due date.
    const start = todo.addPropertyWithValue('dtstart', due.time);
    if (due.tzid) start.setParameter('tzid', due.tzid);
    const rule = ICAL.Recur.fromString(task.recurrence);
    // COUNT counts the series from its first occurrence; this one is the `occurrence`th.
    if (rule.count) rule.count = Math.max(1, rule.count - (task.occurrence - 1));
    todo.addPropertyWithValue('rrule', rule);
  }
  for (const offset of task.reminders) todo.addSubcomponent(alarm(task, dueAt, timeZone, offset));
  return todo;
}

function dueTime(dueAt: Date, allDay: boolean, tzid: string | undefined, timeZone: string) {
  if (allDay) {
    // An all-day due date is midnight UTC of the calendar date (the task contract).
    const day = { year: dueAt.getUTCFullYear(), month: dueAt.getUTCMonth() + 1, day: dueAt.getUTCDate() };
    return { time: ICAL.Time.fromData({ ...day, isDate: true }), tzid: undefined };
  }
  if (!tzid) return { time: ICAL.Time.fromJSDate(dueAt, true), tzid: undefined };
  const wall = toWallClock(dueAt, timeZone);
  const time = ICAL.Time.fromData({
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    isDate: false,
  });
  return { time, tzid };
}

/**
 * One VALARM per reminder, relative to DUE (`RELATED=END` is DUE in a VTODO) so that it recurs with
 * each occurrence: the offset before a timed task; for an all-day task, before 09:00 of the day, as
 * the app fires it. An offset of months or years has no iCalendar duration: the alarm is then
 * the moment the app fires it.
 */
function alarm(task: FeedTask, dueAt: Date, timeZone: string, offset: string) {
  const valarm = new ICAL.Component('valarm');
  valarm.addPropertyWithValue('action', 'DISPLAY');
  valarm.addPropertyWithValue('description', task.title);
  const minutes = reminderOffsetMinutes(offset);
  if (minutes === null) {
    const [fire] = reminderFireTimes({ dueAt, allDay: task.all_day, timeZone, offsets: [offset] });
    const trigger = valarm.addPropertyWithValue('trigger', ICAL.Time.fromJSDate(fire?.fireAt ?? dueAt, true));
    trigger.setParameter('value', 'DATE-TIME');
    return valarm;
  }
  let before: ICAL.Duration;
  if (task.all_day) {
    const [hours, mins] = DEFAULT_ALL_DAY_REMINDER_TIME.split(':').map(Number) as [number, number];
    before = ICAL.Duration.fromSeconds((hours * 60 + mins - minutes) * 60);
  } else {
    before = ICAL.Duration.fromString(offset);
    before.isNegative = minutes > 0;
  }
  const trigger = valarm.addPropertyWithValue('trigger', before);
  trigger.setParameter('related', 'END');
  return valarm;
}
