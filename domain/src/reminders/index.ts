/**
 * Task reminders: ISO 8601 offsets before the due time, and the instants they fire at.
 * Pure functions.
 */
import { DateTime, Duration } from 'luxon';
import { fromWallClock } from '../time.js';

export type ReminderOffsetValidation = { ok: true; offset: string } | { ok: false; reason: string };

/** The longest offset: a reminder a year ahead is the most anyone plans for. */
export const MAX_REMINDER_OFFSET_DAYS = 365;

/** When an all-day task's reminders are measured from, unless the caller says otherwise. */
export const DEFAULT_ALL_DAY_REMINDER_TIME = '09:00';

const MS_PER_SECOND = 1000;
const MS_PER_DAY = 86_400_000;

// ISO 8601 duration shape; luxon alone also accepts "P", "PT" or "P1DT", which are not durations.
const NUMBER = String.raw`\d+(?:[.,]\d+)?`;
const ISO_DURATION = new RegExp(
  `^P(?=.)(?:${NUMBER}Y)?(?:${NUMBER}M)?(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?=.)(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`,
);

/**
 * Checks a reminder offset — an ISO 8601 duration before the due time such as "PT30M" or "P1D" —
 * and normalizes it to days, hours, minutes and seconds ("PT90M" → "PT1H30M", "PT24H" → "P1D",
 * "P1W" → "P7D", "PT0S" = at the due time). Refuses negative offsets, more than 365 days, years
 * and months (their length varies: use days), and fractions of a second. Never throws.
 */
export function validateReminderOffset(offset: string): ReminderOffsetValidation {
  if (offset.includes('-')) {
    return { ok: false, reason: 'a reminder offset cannot be negative: it is a time before the due date' };
  }
  const duration = parseDuration(offset);
  if (!duration) {
    return { ok: false, reason: `'${offset}' is not an ISO 8601 duration like PT30M, PT2H or P1D` };
  }
  if (duration.years !== 0 || duration.months !== 0) {
    return {
      ok: false,
      reason: 'years and months are not allowed in a reminder offset (their length varies): use days',
    };
  }
  const totalMs = Math.round(duration.as('milliseconds'));
  if (totalMs % MS_PER_SECOND !== 0) return { ok: false, reason: 'a reminder offset must be whole seconds' };
  if (totalMs > MAX_REMINDER_OFFSET_DAYS * MS_PER_DAY) {
    return { ok: false, reason: `a reminder offset can be at most ${MAX_REMINDER_OFFSET_DAYS} days` };
  }
  return { ok: true, offset: formatOffset(totalMs / MS_PER_SECOND) };
}

/** An ISO 8601 duration ("PT30M", "p1d", "PT1,5H"), or null when the text is not one. */
function parseDuration(text: string): Duration | null {
  const upper = text.trim().toUpperCase();
  if (!ISO_DURATION.test(upper)) return null;
  const duration = Duration.fromISO(upper.replace(',', '.'));
  return duration.isValid ? duration : null;
}

/**
 * Minutes of a reminder offset, or null when it is not an ISO 8601 duration of a fixed length
 * (years and months vary): for comparing and ordering offsets however they are spelled.
 */
export function reminderOffsetMinutes(offset: string): number | null {
  const duration = parseDuration(offset);
  const fixedLength = duration && duration.years === 0 && duration.months === 0;
  return fixedLength ? duration.as('minutes') : null;
}

/**
 * A reminder offset in words: as a sentence says it ("30 minutes before", "1 hour 30 minutes
 * before", "when it’s due") or, `short`, as a badge fits it ("30 min before", "2 h before",
 * "at due time"). An offset that is not a duration is shown as it is.
 */
export function describeReminder(offset: string, style: 'sentence' | 'short' = 'sentence'): string {
  const minutes = reminderOffsetMinutes(offset);
  if (minutes === null) return offset;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (style === 'short') {
    if (minutes === 0) return 'at due time';
    if (minutes % 1440 === 0) return `${plural(minutes / 1440, 'day')} before`;
    if (minutes % 60 === 0) return `${minutes / 60} h before`;
    return `${Math.round(minutes)} min before`;
  }
  if (minutes === 0) return 'when it’s due';
  if (minutes % 10080 === 0) return `${plural(minutes / 10080, 'week')} before`;
  if (minutes % 1440 === 0) return `${plural(minutes / 1440, 'day')} before`;
  if (minutes % 60 === 0) return `${plural(minutes / 60, 'hour')} before`;
  if (minutes > 60) {
    return `${plural(Math.floor(minutes / 60), 'hour')} ${plural(minutes % 60, 'minute')} before`;
  }
  return `${plural(minutes, 'minute')} before`;
}

export interface ReminderFireTimesInput {
  dueAt: Date;
  allDay: boolean;
  /** The user's IANA time zone. */
  timeZone: string;
  offsets: string[];
  /** "HH:MM" local time that all-day reminders count back from; default "09:00". */
  allDayReminderTime?: string;
}

export interface ReminderFireTime {
  /** The normalized offset. */
  offset: string;
  fireAt: Date;
}

/**
 * When each reminder of a task fires: the reference moment minus the offset, where the
 * reference is `dueAt` for a timed task and, for an all-day task, `allDayReminderTime` (09:00 by
 * default) local time on the due date in the user's zone — so "P1D" on an all-day task due
 * Tuesday fires Monday 09:00, and "PT0S" on Tuesday 09:00 rather than at midnight.
 * Days of an offset are calendar days in the user's zone (P1D before 09:00 is 09:00 the day
 * before, even across a DST change); hours, minutes and seconds are exact durations.
 * Offsets equal after normalization ("PT60M", "PT1H") count once. Sorted by fireAt, earliest first.
 * Throws RangeError for an invalid offset, time zone or reminder time (validate them first).
 */
export function reminderFireTimes(input: ReminderFireTimesInput): ReminderFireTime[] {
  const reference = input.allDay
    ? allDayReference(input.dueAt, input.allDayReminderTime ?? DEFAULT_ALL_DAY_REMINDER_TIME, input.timeZone)
    : input.dueAt;
  const offsets = new Set(input.offsets.map(normalizeOrThrow));
  return [...offsets]
    .map((offset) => ({ offset, fireAt: subtractOffset(reference, offset, input.timeZone) }))
    .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime() || a.offset.localeCompare(b.offset));
}

function normalizeOrThrow(offset: string): string {
  const validation = validateReminderOffset(offset);
  if (!validation.ok) throw new RangeError(`invalid reminder offset '${offset}': ${validation.reason}`);
  return validation.offset;
}

function allDayReference(dueAt: Date, time: string, timeZone: string): Date {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`all-day reminder time must be HH:MM, got '${time}'`);
  const wallClock = new Date(
    Date.UTC(
      dueAt.getUTCFullYear(),
      dueAt.getUTCMonth(),
      dueAt.getUTCDate(),
      Number(match[1]),
      Number(match[2]),
    ),
  );
  return fromWallClock(wallClock, timeZone).instant;
}

function subtractOffset(reference: Date, offset: string, timeZone: string): Date {
  const { days, hours, minutes, seconds } = Duration.fromISO(offset);
  const local = DateTime.fromJSDate(reference, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`unknown time zone '${timeZone}'`);
  return local.minus({ days }).minus({ hours, minutes, seconds }).toJSDate();
}

/** Seconds as a canonical ISO duration: "P1DT2H30M", "PT45S", "PT0S". */
function formatOffset(totalSeconds: number): string {
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  if (days === 0 && time === '') return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
