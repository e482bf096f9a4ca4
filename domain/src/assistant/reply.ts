/** Friendly confirmation text for a command once the endpoint has (or has not) executed it. */
import { DateTime } from 'luxon';
import { describeRecurrence } from '../recurrence/index.js';
import { describeReminder } from '../reminders/index.js';
import { localNow } from './dates.js';
import type { Command, ListRef, TaskChanges, TaskPayload, TaskRef } from './types.js';
import type { Outcome, OutcomeTask } from './undo.js';

export interface ReplyContext {
  now: Date;
  timeZone: string;
  /** The user's tasks, to name a task when the outcome does not carry it. */
  tasks?: TaskRef[];
  /** The user's lists, to name the one a task went to. */
  lists?: ListRef[];
}

const DAY_NAMES: Record<string, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${n % 10 > 3 ? 'th' : suffix}`;
}

/**
 * "every Sunday", "every 2 weeks on Monday and Thursday", "every month on the last day": the
 * shapes the assistant creates, phrased for a chat sentence. Anything else (ordinal weekdays,
 * COUNT/UNTIL on tasks made elsewhere) uses the product-wide `describeRecurrence`.
 */
export function describeRule(rrule: string): string {
  const simple =
    /^FREQ=(?:DAILY|WEEKLY|MONTHLY|YEARLY)(?:;(?:INTERVAL=\d+|BYMONTH=\d+|BYMONTHDAY=-?\d+|BYDAY=(?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*))*$/;
  if (!simple.test(rrule)) {
    try {
      return describeRecurrence(rrule);
    } catch {
      return 'repeating';
    }
  }
  const parts = Object.fromEntries(rrule.split(';').map((p) => p.split('=') as [string, string]));
  const interval = Number(parts.INTERVAL ?? 1);
  const days = (parts.BYDAY ?? '').split(',').filter(Boolean);
  const dayList = (codes: string[]) => {
    const names = codes.map((c) => DAY_NAMES[c.slice(-2)] ?? c);
    return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  };
  const monthDay = parts.BYMONTHDAY !== undefined ? Number(parts.BYMONTHDAY) : null;
  switch (parts.FREQ) {
    case 'DAILY':
      return interval === 1 ? 'every day' : interval === 2 ? 'every other day' : `every ${interval} days`;
    case 'WEEKLY': {
      if (days.join(',') === 'MO,TU,WE,TH,FR' && interval === 1) return 'every weekday';
      if (days.join(',') === 'SA,SU' && interval === 1) return 'every weekend';
      const every = interval === 1 ? 'every' : interval === 2 ? 'every other' : `every ${interval} weeks on`;
      if (days.length === 0) return interval === 1 ? 'every week' : `every ${interval} weeks`;
      return interval > 2 ? `${every} ${dayList(days)}` : `${every} ${dayList(days)}`;
    }
    case 'MONTHLY': {
      const every = interval === 1 ? 'every month' : `every ${interval} months`;
      if (monthDay === -1) return `${every} on the last day`;
      return monthDay ? `${every} on the ${ordinal(monthDay)}` : every;
    }
    case 'YEARLY': {
      const month = parts.BYMONTH ? MONTH_NAMES[Number(parts.BYMONTH) - 1] : null;
      return month && monthDay ? `every year on ${month} ${monthDay}` : 'every year';
    }
    default:
      return 'repeating';
  }
}

/** "Sat, Nov 28 at 5:00 PM", "today at 5:00 PM", "Fri, Dec 4" (all-day). */
export function describeDue(dueAt: string, allDay: boolean, ctx: ReplyContext): string {
  const utc = DateTime.fromISO(dueAt, { zone: 'UTC' });
  if (!utc.isValid) return dueAt;
  const today = localNow(ctx.now, ctx.timeZone).startOf('day');
  const local = allDay
    ? DateTime.fromObject({ year: utc.year, month: utc.month, day: utc.day }, { zone: today.zone })
    : utc.setZone(today.zone);
  const days = Math.round(local.startOf('day').diff(today, 'days').days);
  const day =
    days === 0
      ? 'today'
      : days === 1
        ? 'tomorrow'
        : days === -1
          ? 'yesterday'
          : local.toFormat(local.year === today.year ? 'ccc, LLL d' : 'ccc, LLL d, yyyy');
  return allDay ? day : `${day} at ${local.toFormat('h:mm a')}`;
}

/** Wall-clock of a due in the user's zone (all-day dues are calendar dates, not instants). */
function localDue(dueAt: string, allDay: boolean, ctx: ReplyContext): DateTime | null {
  const utc = DateTime.fromISO(dueAt, { zone: 'UTC' });
  if (!utc.isValid) return null;
  const zone = localNow(ctx.now, ctx.timeZone).zone;
  return allDay
    ? DateTime.fromObject({ year: utc.year, month: utc.month, day: utc.day }, { zone })
    : utc.setZone(zone);
}

function describeTask(task: Partial<TaskPayload>, ctx: ReplyContext): string {
  const bits: string[] = [];
  const local = task.due_at ? localDue(task.due_at, task.all_day ?? false, ctx) : null;
  if (task.recurrence) {
    // "every Sunday at 6:00 PM, next Sun, Nov 29"
    const time = local && !task.all_day ? ` at ${local.toFormat('h:mm a')}` : '';
    bits.push(`${describeRule(task.recurrence)}${time}`);
    if (local) bits.push(`next ${local.toFormat('ccc, LLL d')}`);
  } else if (task.due_at) bits.push(`due ${describeDue(task.due_at, task.all_day ?? false, ctx)}`);
  if (task.priority && task.priority !== 'medium') bits.push(`${task.priority} priority`);
  if (task.tags?.length) bits.push(task.tags.map((t) => `#${t}`).join(' '));
  return bits.join(', ');
}

function reminderSentence(reminders: string[] | undefined): string {
  if (!reminders?.length) return '';
  return ` I'll remind you ${reminders.map((offset) => describeReminder(offset)).join(' and ')}.`;
}

function describeChanges(changes: TaskChanges, ctx: ReplyContext): string {
  const bits: string[] = [];
  if (changes.title) bits.push(`renamed it to “${changes.title}”`);
  if (changes.recurrence) bits.push(`it now repeats ${describeRule(changes.recurrence)}`);
  else if (changes.due_at)
    bits.push(`moved it to ${describeDue(changes.due_at, changes.all_day ?? false, ctx)}`);
  else if (changes.due_at === null) bits.push('removed its due date');
  if (changes.priority) bits.push(`set it to ${changes.priority} priority`);
  if (changes.tags)
    bits.push(
      changes.tags.length
        ? `its tags are now ${changes.tags.map((t) => `#${t}`).join(' ')}`
        : 'removed its tags',
    );
  if (changes.reminders) {
    bits.push(
      changes.reminders.length
        ? `I'll remind you ${changes.reminders.map((offset) => describeReminder(offset)).join(' and ')}`
        : 'removed its reminders',
    );
  }
  if (changes.status === 'open') bits.push('reopened it');
  if (changes.list_id !== undefined) bits.push(`moved it to ${listNameOf(changes.list_id, ctx)}`);
  return bits.join('; ');
}

function titleOf(taskId: string, outcome: Outcome | null, ctx: ReplyContext): string {
  return (
    outcome?.before?.[0]?.title ??
    outcome?.tasks?.[0]?.title ??
    ctx.tasks?.find((t) => t.id === taskId)?.title ??
    'the task'
  );
}

function listLine(task: OutcomeTask, ctx: ReplyContext): string {
  const details = describeTask(task, ctx);
  return `• ${task.title}${details ? ` — ${details}` : ''}`;
}

/**
 * The assistant's answer for a command and what executing it produced. `outcome` is null for
 * commands that execute nothing (clarify, help, cancelled) or when the caller only previews.
 */
export function renderReply(command: Command, outcome: Outcome | null, ctx: ReplyContext): string {
  if (outcome && !outcome.ok) return `Sorry, that didn't work: ${outcome.error ?? 'something went wrong'}.`;
  switch (command.kind) {
    case 'add_task': {
      const task = { ...command.task, ...(outcome?.tasks?.[0] ?? {}) };
      const details = describeTask(task, ctx);
      const where = task.list_id ? ` to ${listNameOf(task.list_id, ctx)}` : '';
      return `Added “${task.title}”${where}${details ? ` — ${details}` : ''}.${reminderSentence(task.reminders)}`;
    }
    case 'list_tasks': {
      const items = outcome?.items ?? [];
      const what = command.description === 'open' ? 'open tasks' : `tasks ${command.description}`;
      if (!outcome) return `Here are your ${what}.`;
      if (items.length === 0) return `You have no ${what}. 🎉`;
      return `Your ${what} (${items.length}):\n${items.map((t) => listLine(t, ctx)).join('\n')}`;
    }
    case 'complete_task': {
      const next = outcome?.next?.due_at
        ? ` Next one: ${describeDue(outcome.next.due_at, outcome.next.all_day ?? false, ctx)}.`
        : '';
      return `Nice! Marked “${titleOf(command.taskId, outcome, ctx)}” as done.${next}`;
    }
    case 'update_task':
      return `Updated “${titleOf(command.taskId, outcome, ctx)}”: ${describeChanges(command.changes, ctx)}.`;
    case 'delete_task': {
      const titles = (
        outcome?.before?.map((t) => t.title) ??
        command.taskIds.flatMap((id) => ctx.tasks?.filter((t) => t.id === id).map((t) => t.title) ?? [])
      ).map((title) => `“${title}”`);
      if (titles.length > 1)
        return `Deleted ${titles.length} tasks: ${titles.join(', ')}. Say “undo” to bring them back.`;
      return `Deleted ${titles[0] ?? 'the task'}. Say “undo” to bring it back.`;
    }
    case 'batch': {
      const titles = command.steps.map((step) => `“${titleOf(step.taskId, null, ctx)}”`);
      const done = command.steps[0]?.kind === 'complete_task' ? 'Marked as done' : 'Updated';
      return `${done} ${titles.length} tasks: ${titles.join(', ')}. Say “undo” to revert them all.`;
    }
    case 'undo':
      return command.commands.length === 0
        ? 'There is nothing to undo.'
        : `Undone: I reverted the last change (${command.summary ?? 'last action'}).`;
    case 'clarify':
      return command.question;
    case 'cancelled':
    case 'help':
      return command.reply;
  }
}

/** "your Shopping list", or "the Inbox" for none. */
function listNameOf(listId: string | null, ctx: ReplyContext): string {
  const list = listId ? ctx.lists?.find((one) => one.id === listId) : undefined;
  return list ? `your ${list.name} list` : listId ? 'that list' : 'the Inbox';
}
