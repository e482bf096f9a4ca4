/**
 * Time-zone helpers shared by tasks, recurrence and reminders.
 *
 * "Wall clock" below means a local date and time in some IANA zone, carried in a `Date`
 * whose UTC fields hold the local fields (a "floating" date, as the `rrule` library expects).
 */
import { IANAZone } from 'luxon';

/** True when `tz` is an IANA time-zone name the runtime knows, e.g. "Europe/Berlin". */
export function isValidTimeZone(tz: string): boolean {
  if (tz.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The local wall clock of `instant` in `timeZone`, as a floating date. */
export function toWallClock(instant: Date, timeZone: string): Date {
  const offsetMinutes = zoneOf(timeZone).offset(instant.getTime());
  return new Date(instant.getTime() + offsetMinutes * 60_000);
}

/** The instant at which a wall clock occurs in a zone, and whether it had to be moved. */
export interface ResolvedWallClock {
  instant: Date;
  /** True when the wall clock does not exist there (spring-forward gap) and was moved forward. */
  shifted: boolean;
}

/**
 * The instant at which the floating `wallClock` occurs in `timeZone`.
 *
 * Follows RFC 5545 (section 3.3.5): an ambiguous time (fall-back overlap) resolves to its first
 * occurrence; a time inside a spring-forward gap is read with the offset in force before the gap,
 * i.e. it moves forward by the gap length (02:30 on the Berlin spring-forward day becomes 03:30).
 */
export function fromWallClock(wallClock: Date, timeZone: string): ResolvedWallClock {
  const zone = zoneOf(timeZone);
  const wallMs = wallClock.getTime();
  // Every zone transition we care about is far less than 36 hours from its neighbours, so the
  // offsets in force 36 hours either side are the only candidates for this wall clock.
  const offsetBefore = zone.offset(wallMs - 36 * 3_600_000);
  const offsetAfter = zone.offset(wallMs + 36 * 3_600_000);
  const candidates = [offsetBefore, offsetAfter]
    .map((offset) => wallMs - offset * 60_000)
    .filter((instantMs) => toWallClock(new Date(instantMs), timeZone).getTime() === wallMs)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first !== undefined) return { instant: new Date(first), shifted: false };
  return { instant: new Date(wallMs - offsetBefore * 60_000), shifted: true };
}

/** Midnight UTC of the calendar date on which `instant` falls in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): Date {
  const wall = toWallClock(instant, timeZone);
  return new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate()));
}

/**
 * The first calendar date whose start (local midnight in `timeZone`) is at or after `instant`,
 * as midnight UTC — the form all-day dues are stored in. An all-day task due on date D is "at or
 * after" an instant exactly when D is at or after this date, so a window of instants (a user's
 * "today": local midnight to local midnight) selects all-day tasks by their date in any zone.
 */
export function firstLocalDateFrom(instant: Date, timeZone: string): Date {
  const date = localDateOf(instant, timeZone);
  if (fromWallClock(date, timeZone).instant.getTime() >= instant.getTime()) return date;
  return new Date(date.getTime() + 86_400_000);
}

/**
 * A due date as users read it in e-mails and chat replies, in English:
 * "Tue, Mar 3, 2026, 9:00 AM" for a timed task (in `timeZone`), "Tue, Mar 3, 2026" for an all-day
 * task (whose `dueAt` is midnight UTC of its date, so the zone does not apply).
 */
export function formatDueForUser(dueAt: Date, allDay: boolean, timeZone: string): string {
  const format = new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    ...(allDay ? { timeZone: 'UTC' } : { timeZone, hour: 'numeric', minute: '2-digit' }),
  });
  // Recent ICU versions put a narrow no-break space before AM/PM; plain text wants a space.
  return format.format(dueAt).replace(/\s/g, ' ');
}

function zoneOf(timeZone: string): IANAZone {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`unknown time zone '${timeZone}'`);
  return zone;
}
