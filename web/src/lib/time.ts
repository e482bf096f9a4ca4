/** Time-zone arithmetic on top of Intl: wall-clock dates in the user's zone ⇄ UTC instants. */

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    partFormatters.set(timeZone, formatter);
  }
  return formatter;
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function wallClockIn(instant: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    partsFormatter(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, Number(part.value)]),
  );
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
  };
}

/** The UTC instant at which the wall clock in `timeZone` shows `wall` (first match across DST folds). */
export function wallClockToInstant(wall: WallClock, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const seen = wallClockIn(new Date(guess), timeZone);
    const seenAsUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
    guess += asUtc - seenAsUtc;
  }
  return new Date(guess);
}

const pad = (value: number) => String(value).padStart(2, '0');

/** `YYYY-MM-DD` of a wall clock, as an `<input type="date">` wants it. */
export function dateInputValue(wall: WallClock): string {
  return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`;
}

export function timeInputValue(wall: WallClock): string {
  return `${pad(wall.hour)}:${pad(wall.minute)}`;
}

export function parseDateInput(value: string): Pick<WallClock, 'year' | 'month' | 'day'> | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

export function parseTimeInput(value: string): Pick<WallClock, 'hour' | 'minute'> | null {
  const match = /^(\d{2}):(\d{2})/.exec(value);
  if (!match) return null;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** Midnight (in `timeZone`) of the day `dayOffset` days after the one containing `instant`. */
export function startOfDay(instant: Date, timeZone: string, dayOffset = 0): Date {
  const wall = wallClockIn(instant, timeZone);
  const shifted = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + dayOffset));
  return wallClockToInstant(
    {
      year: shifted.getUTCFullYear(),
      month: shifted.getUTCMonth() + 1,
      day: shifted.getUTCDate(),
      hour: 0,
      minute: 0,
    },
    timeZone,
  );
}

/** Days from today until next Monday in `timeZone` (weeks run Monday to Sunday): 7 on a Monday, 1 on a Sunday. */
export function daysLeftInWeek(instant: Date, timeZone: string): number {
  const today = wallClockIn(instant, timeZone);
  const weekday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay(); // 0 = Sunday
  return weekday === 0 ? 1 : 8 - weekday;
}

/** Whole calendar days from `from` to `to` (both taken as dates without time). */
function calendarDaysBetween(from: Pick<WallClock, 'year' | 'month' | 'day'>, to: typeof from): number {
  const fromUtc = Date.UTC(from.year, from.month - 1, from.day);
  const toUtc = Date.UTC(to.year, to.month - 1, to.day);
  return Math.round((toUtc - fromUtc) / 86_400_000);
}

/** The due date of an all-day task is the UTC calendar date of its `due_at`. */
export function allDayDate(dueAt: string): WallClock {
  const date = new Date(dueAt);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: 0,
    minute: 0,
  };
}

interface DueLabel {
  text: string;
  overdue: boolean;
  /** Full date and time for a tooltip. */
  title: string;
}

/** "today 9:00", "tomorrow", "Mon 14:30", "Mar 5", "yesterday 18:00" — in the user's time zone. */
export function describeDue(
  dueAt: string,
  allDay: boolean,
  timeZone: string,
  now: Date = new Date(),
): DueLabel {
  const instant = new Date(dueAt);
  const wall = allDay ? allDayDate(dueAt) : wallClockIn(instant, timeZone);
  const today = wallClockIn(now, timeZone);
  const days = calendarDaysBetween(today, wall);
  const time = allDay ? '' : ` ${wall.hour}:${pad(wall.minute)}`;
  const asUtcDate = new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
  let day: string;
  if (days === 0) day = 'today';
  else if (days === 1) day = 'tomorrow';
  else if (days === -1) day = 'yesterday';
  else if (days > 1 && days < 7)
    day = asUtcDate.toLocaleDateString(undefined, { weekday: 'short', timeZone: 'UTC' });
  else
    day = asUtcDate.toLocaleDateString(undefined, {
      month: 'short',
      day: 'numeric',
      year: wall.year === today.year ? undefined : 'numeric',
      timeZone: 'UTC',
    });
  const overdue = allDay ? days < 0 : instant.getTime() < now.getTime();
  const title = allDay
    ? asUtcDate.toLocaleDateString(undefined, { dateStyle: 'full', timeZone: 'UTC' })
    : instant.toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short', timeZone });
  return { text: `${day}${time}`, overdue, title };
}
