/**
 * The next occurrence of a recurring task, and previews of a series.
 *
 * Rules are applied to the wall clock in the user's time zone (see ../time.ts for how times in
 * DST gaps and overlaps resolve); all-day tasks are pure calendar dates (midnight UTC).
 */
import type { RecurrenceAnchor } from '../tasks/task.js';
import { fromWallClock, localDateOf, toWallClock } from '../time.js';
import { formatRule, type ParsedRule, parseValidRule, type Until } from './rule.js';
import { findOccurrence, pinStartDay } from './series.js';

export interface NextOccurrenceInput {
  /** The series' RRULE (validated with validateRecurrence). */
  rule: string;
  /** 'due' (default): next after the current due date; 'completion': re-applied from the completion day. */
  anchor?: RecurrenceAnchor;
  /** The user's IANA time zone. */
  timeZone: string;
  /** Due instant of the occurrence being completed; for all-day tasks midnight UTC of its date. */
  dueAt: Date;
  allDay: boolean;
  /** 1-based index of the occurrence being completed. */
  occurrence: number;
  completedAt: Date;
  now: Date;
}

export interface NextOccurrence {
  dueAt: Date;
  /** 1-based index of the new occurrence; occurrences skipped because they were already past count too. */
  occurrence: number;
  /**
   * The recurrence to store on the new occurrence: the input rule, canonical, with what the
   * next step needs made explicit — the day of month/year the series started on (anchor
   * 'due'), and the wall-clock time when this occurrence had to move out of a DST gap.
   */
  rule: string;
}

/**
 * The occurrence that replaces a completed one, or null when the series has ended.
 *
 * - anchor 'due': the first occurrence after `dueAt`. When that is already past (the task was
 *   completed late), it jumps to the first occurrence after `now` — no backlog of overdue
 *   copies — and the occurrences jumped over still count: COUNT=5 means at most 5 dates in the
 *   calendar, not 5 completions.
 * - anchor 'completion': the rule restarts on the completion day (in the user's zone) at the
 *   due date's time of day, and the first occurrence after that is next ("every 3 days" completed
 *   on the 10th gives the 13th). An occurrence at or before `now` is skipped the same way.
 * - An all-day occurrence is past only once its date is over in the user's zone: completing
 *   Monday's daily all-day task late on Wednesday gives Wednesday, not Thursday.
 * - Months and years keep their day: monthly from Jan 31 gives Feb 28 (29), then Mar 31.
 * - A timed occurrence whose wall-clock time does not exist (spring-forward gap) moves forward
 *   by the gap (02:30 → 03:30 that day); the returned `rule` then pins BYHOUR/BYMINUTE so the
 *   following occurrences return to 02:30.
 * - Returns null once `occurrence` reaches COUNT, or when the next date would be after UNTIL
 *   (a date-only UNTIL includes that whole local day).
 *
 * Skipping an occurrence is the same computation: call it with the skip time as `completedAt`
 * (see skipOccurrence). Throws RangeError for an invalid rule or time zone.
 */
export function nextOccurrence(input: NextOccurrenceInput): NextOccurrence | null {
  const { allDay, timeZone } = input;
  const anchor = input.anchor ?? 'due';
  const parsed = parseValidRule(input.rule);
  const dueWallClock = allDay ? input.dueAt : toWallClock(input.dueAt, timeZone);
  const start = anchor === 'due' ? dueWallClock : completionStart(input, dueWallClock);
  const series = anchor === 'due' ? pinStartDay(parsed, start) : parsed;
  const today = localDateOf(input.now, timeZone);
  const nowWallClock = toWallClock(input.now, timeZone).getTime();
  // Exact for timed tasks, with the costly zone lookup only for candidates near `now`: no zone's
  // offset changes by two days, so wall clocks further from now's wall clock are clearly past or future.
  const isPastTimed = (candidate: Date): boolean => {
    if (candidate.getTime() < nowWallClock - 2 * DAY_MS) return true;
    if (candidate.getTime() > nowWallClock + 2 * DAY_MS) return false;
    return fromWallClock(candidate, timeZone).instant.getTime() <= input.now.getTime();
  };

  let occurrence = input.occurrence;
  const found = findOccurrence(series, start, allDay, start, (candidate) => {
    occurrence += 1;
    if (parsed.count !== undefined && occurrence > parsed.count) return 'stop';
    if (isAfterUntil(candidate, parsed.until, allDay, timeZone)) return 'stop';
    const isPast = allDay ? candidate.getTime() < today.getTime() : isPastTimed(candidate);
    return isPast ? 'skip' : 'take';
  });
  if (found === null) return null;
  if (allDay) return { dueAt: found, occurrence, rule: formatRule(series) };

  const resolved = fromWallClock(found, timeZone);
  const stored = resolved.shifted ? pinTimeOfDay(series, found) : series;
  return { dueAt: resolved.instant, occurrence, rule: formatRule(stored) };
}

/**
 * Skipping an occurrence ("not this week") moves the series exactly like completing it, so it
 * is the same function; pass the moment of skipping as `completedAt`.
 */
export const skipOccurrence: (input: NextOccurrenceInput) => NextOccurrence | null = nextOccurrence;

/** The longest preview upcomingOccurrences returns. */
export const MAX_UPCOMING = 50;

export interface UpcomingOccurrencesInput {
  rule: string;
  timeZone: string;
  /** Due instant of the first occurrence (midnight UTC of its date for all-day tasks). */
  start: Date;
  allDay: boolean;
  /** How many dates to return, at most MAX_UPCOMING. */
  count: number;
}

/**
 * The first `count` due dates of a series that starts at `start` (which is the first of them,
 * as the task's own due date is the first occurrence), for previewing a rule. Strictly
 * increasing; shorter when COUNT or UNTIL end the series. Throws RangeError for an invalid rule.
 */
export function upcomingOccurrences(input: UpcomingOccurrencesInput): Date[] {
  const { allDay, timeZone } = input;
  const wanted = Math.min(Math.max(Math.floor(input.count), 0), MAX_UPCOMING);
  const parsed = parseValidRule(input.rule);
  const limit = Math.min(wanted, parsed.count ?? wanted);
  const first = allDay ? input.start : toWallClock(input.start, timeZone);
  const series = pinStartDay(parsed, first);

  const wallClocks: Date[] = [];
  let current: Date | null = isAfterUntil(first, parsed.until, allDay, timeZone) ? null : first;
  while (current !== null && wallClocks.length < limit) {
    wallClocks.push(current);
    current = findOccurrence(series, current, allDay, current, (candidate) =>
      isAfterUntil(candidate, parsed.until, allDay, timeZone) ? 'stop' : 'take',
    );
  }
  return wallClocks.map((wallClock) => (allDay ? wallClock : fromWallClock(wallClock, timeZone).instant));
}

/** The completion day (user's zone) at the due date's wall-clock time of day. */
function completionStart(input: NextOccurrenceInput, dueWallClock: Date): Date {
  const completionDay = localDateOf(input.completedAt, input.timeZone);
  if (input.allDay) return completionDay;
  const timeOfDay = dueWallClock.getTime() - startOfUtcDay(dueWallClock);
  return new Date(completionDay.getTime() + timeOfDay);
}

/** Whether a wall clock is past UNTIL; a UTC UNTIL compares instants (for timed tasks). */
function isAfterUntil(wallClock: Date, until: Until | undefined, allDay: boolean, timeZone: string): boolean {
  if (until === undefined) return false;
  switch (until.kind) {
    case 'date':
      return startOfUtcDay(wallClock) > until.date.getTime();
    case 'utc': {
      const instant = allDay ? wallClock : fromWallClock(wallClock, timeZone).instant;
      return instant.getTime() > until.instant.getTime();
    }
    case 'floating':
      return wallClock.getTime() > until.wallClock.getTime();
  }
}

function pinTimeOfDay(rule: ParsedRule, wallClock: Date): ParsedRule {
  if (rule.byHour !== undefined) return rule;
  const seconds = wallClock.getUTCSeconds();
  return {
    ...rule,
    byHour: wallClock.getUTCHours(),
    byMinute: rule.byMinute ?? wallClock.getUTCMinutes(),
    ...(seconds === 0 || rule.bySecond !== undefined ? {} : { bySecond: seconds }),
  };
}

const DAY_MS = 86_400_000;

function startOfUtcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}
