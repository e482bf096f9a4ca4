/**
 * Date and time phrases ("tomorrow at 5pm", "next Friday", "in 2 hours", "tonight") resolved
 * to wall-clock time in the user's IANA zone.
 *
 * chrono-node parses relative to a reference instant and an offset, not an IANA zone, so we
 * give it the user's UTC offset at `now` (which makes "today"/"tomorrow" the user's calendar
 * days), read back the calendar components it found, and rebuild the instant with luxon in
 * the real zone — which gets the offset of the *target* date right across DST changes.
 */
import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import { COUNT_PATTERN, engineWork, parseCount } from './text.js';

/** A resolved due: either a wall-clock instant, or a calendar date for an all-day task. */
export type Due = { allDay: false; at: DateTime } | { allDay: true; date: DateTime };

export interface WhenMatch {
  due: Due;
  /** Whether the phrase named a day / a time of day (a bare time keeps a task's date, and vice versa). */
  hasDate: boolean;
  hasTime: boolean;
  /** The time of day as meant (1–6 o'clock read as pm), before placing it on a day; for recurrences. */
  timeOfDay?: { hour: number; minute: number };
  /** A bare "at 7": am or pm was guessed, so a caller with more context (the task's old time) may re-guess. */
  meridiemGuessed?: boolean;
  /** Span of the phrase in the input, so callers can cut it out of a title. */
  index: number;
  length: number;
}

/** Times of day for vague phrases; chrono's defaults (6:00 "morning", 22:00 "tonight") feel wrong for tasks. */
export const PART_OF_DAY_HOURS = {
  morning: 9,
  afternoon: 15,
  evening: 19,
  tonight: 20,
  endOfDay: 17,
} as const;

/** Current wall-clock time of the user. */
export function localNow(now: Date, timeZone: string): DateTime {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  return local.isValid ? local : DateTime.fromJSDate(now, { zone: 'UTC' });
}

/** RFC 3339 UTC without milliseconds, as the REST API writes times. */
export function toUtcString(at: DateTime): string {
  return at.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
}

/** The REST representation of a due: all-day tasks are midnight UTC of their calendar date. */
export function dueToFields(due: Due): { due_at: string; all_day: boolean } {
  if (due.allDay) {
    const midnight = DateTime.fromObject(
      { year: due.date.year, month: due.date.month, day: due.date.day },
      { zone: 'UTC' },
    );
    return { due_at: toUtcString(midnight), all_day: true };
  }
  return { due_at: toUtcString(due.at), all_day: false };
}

/** The inverse of `dueToFields` for a TaskRef. */
export function dueOfTask(dueAt: Date | null, allDay: boolean, timeZone: string): Due | null {
  if (dueAt === null) return null;
  if (allDay) {
    const utc = DateTime.fromJSDate(dueAt, { zone: 'UTC' });
    return {
      allDay: true,
      date: DateTime.fromObject({ year: utc.year, month: utc.month, day: utc.day }, { zone: timeZone }),
    };
  }
  return { allDay: false, at: DateTime.fromJSDate(dueAt, { zone: timeZone }) };
}

function wallClock(day: DateTime, hour: number, minute: number): DateTime {
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/**
 * A time of day without am/pm: people mean the next such time that makes sense for a task.
 * 1–6 o'clock is read as afternoon/evening (nobody schedules "call mom at 5" for 5 am); 7–11 is
 * morning unless that has already passed today while the evening one has not.
 */
export function resolveBareHour(
  today: DateTime,
  now: DateTime,
  hour: number,
  minute: number,
  meridiemKnown: boolean,
  dateKnown: boolean,
): DateTime {
  let h = hour;
  if (!meridiemKnown && h >= 1 && h <= 6) h += 12;
  const candidate = wallClock(today, h, minute);
  if (dateKnown) return candidate;
  if (candidate >= now) return candidate;
  if (!meridiemKnown && h >= 7 && h <= 11) {
    const evening = wallClock(today, h + 12, minute);
    if (evening >= now) return evening;
  }
  return candidate.plus({ days: 1 });
}

interface CustomPhrase {
  pattern: RegExp;
  resolve: (m: RegExpExecArray, now: DateTime) => Omit<WhenMatch, 'index' | 'length'> | null;
}

function date(day: DateTime): Omit<WhenMatch, 'index' | 'length'> {
  return { due: { allDay: true, date: day.startOf('day') }, hasDate: true, hasTime: false };
}

function timed(at: DateTime, hasDate = true): Omit<WhenMatch, 'index' | 'length'> {
  return { due: { allDay: false, at }, hasDate, hasTime: true };
}

/** Next date (today included) whose ISO weekday is `weekday`. */
export function nextWeekday(from: DateTime, weekday: number): DateTime {
  return from.startOf('day').plus({ days: (weekday - from.weekday + 7) % 7 });
}

/**
 * Phrases chrono misses or reads differently from what a to-do user means. Checked before
 * chrono; each may not overlap a longer phrase chrono would find, so they are anchored on words.
 */
const CUSTOM_PHRASES: CustomPhrase[] = [
  {
    pattern: new RegExp(`\\bin (${COUNT_PATTERN}) (minutes?|mins?|hours?|hrs?|h)\\b`, 'i'),
    resolve: (m, now) => {
      const n = parseCount(m[1]!.toLowerCase());
      if (n === null) return null;
      const unit = m[2]!.toLowerCase().startsWith('m') ? 'minutes' : 'hours';
      return timed(now.plus({ [unit]: n }).set({ second: 0, millisecond: 0 }));
    },
  },
  {
    pattern: new RegExp(`\\bin (${COUNT_PATTERN}) (days?|weeks?|months?)\\b`, 'i'),
    resolve: (m, now) => {
      const n = parseCount(m[1]!.toLowerCase());
      if (n === null || !Number.isInteger(n)) return null;
      const unit = m[2]!.toLowerCase().replace(/s$/, '');
      return date(now.plus({ [`${unit}s`]: n }));
    },
  },
  {
    pattern: /\b(?:the )?day after (?:tomorrow|tmrw|tmr)\b/i,
    resolve: (_m, now) => date(now.plus({ days: 2 })),
  },
  {
    pattern: /\b(?:(this|next|the) )?weekend\b/i,
    resolve: (m, now) => {
      // "this weekend" on a Saturday or Sunday is today; "next weekend" is the one after.
      const saturday = now.weekday === 7 ? now.startOf('day') : nextWeekday(now, 6);
      return date(m[1]?.toLowerCase() === 'next' ? saturday.plus({ days: 7 }) : saturday);
    },
  },
  {
    pattern: /\bnext week\b/i,
    resolve: (_m, now) => date(nextWeekday(now.plus({ days: 1 }), 1)),
  },
  {
    pattern: /\b(?:by |at )?(?:the )?end of (?:the )?week\b/i,
    resolve: (_m, now) => date(nextWeekday(now, 5)),
  },
  {
    pattern: /\b(?:by |at )?(?:the )?(?:end of (?:the )?month|month[- ]end)\b/i,
    resolve: (_m, now) => date(now.endOf('month')),
  },
  {
    pattern: /\b(?:by |at )?(?:the )?(?:end of (?:the )?day|eod|cob|close of business)\b/i,
    resolve: (_m, now) => {
      const at = wallClock(now, PART_OF_DAY_HOURS.endOfDay, 0);
      return timed(at >= now ? at : at.plus({ days: 1 }));
    },
  },
  {
    pattern:
      /\b(?:(on|by|due|until|till|before) )?the (\d{1,2})(?:st|nd|rd|th)\b(?! of (?:every|each)\b)(?!,? (?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/i,
    resolve: (m, now) => {
      // Without "on"/"by", "the 5th" is a date only where a date ends: "plan the 1st birthday
      // party" and "read The 5th Wave" keep it in the title.
      if (
        !m[1] &&
        !/^(?:$|[,.;!?]| (?:at|@|and|to|from|for|in) )/i.test(
          m.input.slice(m.index + m[0].length, m.index + m[0].length + 6),
        )
      )
        return null;
      const day = Number(m[2]);
      if (day < 1 || day > 31) return null;
      let month = now.startOf('month');
      for (let i = 0; i < 13; i++) {
        if (day <= (month.daysInMonth ?? 28)) {
          const candidate = month.set({ day });
          if (candidate >= now.startOf('day')) return date(candidate);
        }
        month = month.plus({ months: 1 });
      }
      return null;
    },
  },
];

/** Words chrono reads as dates that are, in a task title, far more often ordinary words. */
const AMBIGUOUS_BARE_WORDS = new Set([
  'sun',
  'sat',
  'wed',
  'mar',
  'may',
  'march',
  'second',
  'now',
  'night',
  'the week',
  'week',
  'the day',
  'the month',
  'the year',
]);

function applyPartOfDay(text: string, day: DateTime): DateTime | null {
  const t = text.toLowerCase();
  const hour = /\btonight\b|\bnight\b/.test(t)
    ? PART_OF_DAY_HOURS.tonight
    : /\bmorning\b/.test(t)
      ? PART_OF_DAY_HOURS.morning
      : /\bafternoon\b/.test(t)
        ? PART_OF_DAY_HOURS.afternoon
        : /\bevening\b/.test(t)
          ? PART_OF_DAY_HOURS.evening
          : /\bnoon\b|\bmidday\b/.test(t)
            ? 12
            : null;
  return hour === null ? null : wallClock(day, hour, 0);
}

function fromChrono(
  result: chrono.ParsedResult,
  offset: number,
  now: DateTime,
  timeZone: string,
): WhenMatch | null {
  const text = result.text.trim();
  if (AMBIGUOUS_BARE_WORDS.has(text.toLowerCase())) return null;
  const start = result.start;
  // Relative amounts ("in 3 hours") carry a fixed offset: the instant is already right.
  if (start.isCertain('timezoneOffset') && !start.isCertain('hour')) {
    const instant = DateTime.fromJSDate(start.date(), { zone: timeZone });
    return {
      due: { allDay: true, date: instant.startOf('day') },
      hasDate: true,
      hasTime: false,
      index: offset + result.index,
      length: result.text.length,
    };
  }
  const hasDate = start.isCertain('day') || start.isCertain('weekday') || start.isCertain('month');
  const day = DateTime.fromObject(
    {
      year: start.get('year') ?? now.year,
      month: start.get('month') ?? now.month,
      day: start.get('day') ?? now.day,
    },
    { zone: timeZone },
  );
  if (!day.isValid) return null;
  const span = { index: offset + result.index, length: result.text.length };
  if (start.isCertain('hour')) {
    const hour = start.get('hour') ?? 0;
    const minute = start.get('minute') ?? 0;
    const meridiemKnown =
      start.isCertain('meridiem') || hour > 12 || hour === 0 || /noon|midnight/i.test(text);
    const at = resolveBareHour(hasDate ? day : now.startOf('day'), now, hour, minute, meridiemKnown, hasDate);
    const timeOfDay = { hour: !meridiemKnown && hour >= 1 && hour <= 6 ? hour + 12 : hour, minute };
    const meridiemGuessed = !meridiemKnown && hour >= 1 && hour <= 11;
    return { due: { allDay: false, at }, hasDate, hasTime: true, timeOfDay, meridiemGuessed, ...span };
  }
  const partOfDay = applyPartOfDay(text, day);
  if (partOfDay) {
    const timeOfDay = { hour: partOfDay.hour, minute: 0 };
    return { due: { allDay: false, at: partOfDay }, hasDate, hasTime: true, timeOfDay, ...span };
  }
  if (!hasDate) return null;
  return { due: { allDay: true, date: day.startOf('day') }, hasDate, hasTime: false, ...span };
}

/** Words before "night" that make it a time ("friday night", "tomorrow night"), not a noun. */
const NIGHT_AS_TIME =
  /^(?:tomorrow|tmrw|tmr|this|last|every|each|at|on|by|the|one|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|(?:mon|tues|wednes|thurs|fri|satur|sun)day)$/i;

/**
 * Hides "night" in "game night", "trash night", "date night" from chrono (which would read it as
 * 8 pm) by blanking it, keeping every index so spans still cut the original text.
 */
function maskNounNights(text: string): string {
  let masked = text;
  // Each " night" is found once and its word read backwards: no pattern restarts inside a word.
  for (const m of text.matchAll(/ night\b/gi)) {
    let start = m.index;
    while (start > 0 && /\p{L}/u.test(text[start - 1]!)) start--;
    const word = text.slice(start, m.index);
    if (word && !NIGHT_AS_TIME.test(word)) {
      masked = `${masked.slice(0, m.index + 1)}     ${masked.slice(m.index + 6)}`;
    }
  }
  return masked;
}

/** Capitalised words a number after which is a date or a time ("March 3", "Friday 9"), not a name. */
const DATE_WORD_BEFORE_NUMBER =
  /^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|at|by|until|till|around|from)$/i;

/**
 * Hides the number of a name ("Apollo 13", "Windows 11", "Ocean's 8") from chrono, which reads
 * "Apollo 13 tonight" as 13:00: a bare number right after a capitalised word that is not the
 * first one, unless that word is a month or weekday. Indices are kept, as in maskNounNights.
 */
function maskNameNumbers(text: string): string {
  const tokens = text.split(' ');
  for (const [i, token] of tokens.entries()) {
    const previous = tokens[i - 1] ?? '';
    if (
      i >= 2 &&
      /^\d{1,3}$/.test(token) &&
      /^\p{Lu}[\p{L}'’]*$/u.test(previous) &&
      !DATE_WORD_BEFORE_NUMBER.test(previous) &&
      !/^(?:am|pm|a\.m\.|p\.m\.|o'clock|h)$/i.test(tokens[i + 1] ?? '')
    )
      tokens[i] = 'x'.repeat(token.length);
  }
  return tokens.join(' ');
}

/** Longest window of text chrono reads at once, and how much consecutive windows overlap. */
const CHRONO_WINDOW = 240;
const CHRONO_OVERLAP = 60;
/** No date word is this long; longer tokens are overwritten before chrono sees them. */
const LONGEST_DATE_TOKEN = 32;

/**
 * chrono's results over `text`, in order, each with the offset of the window it was found in.
 * chrono's own patterns are not linear in their input (one 2,000-character token took it 2.6 s),
 * so it reads overlapping windows of at most CHRONO_WINDOW characters, cut at spaces, with
 * tokens longer than any date word replaced by letters it reads at once: the work grows with the text's length, not its square.
 * A result belongs to the window where it starts before the overlap (the last window: anywhere).
 */
function chronoInWindows(
  text: string,
  reference: chrono.ParsingReference,
): { result: chrono.ParsedResult; offset: number }[] {
  const masked = maskNameNumbers(maskNounNights(text)).replace(/[^ ]+/g, (token) =>
    token.length > LONGEST_DATE_TOKEN ? 'x'.repeat(token.length) : token,
  );
  const found: { result: chrono.ParsedResult; offset: number }[] = [];
  let start = 0;
  for (;;) {
    let end = Math.min(masked.length, start + CHRONO_WINDOW);
    const space = masked.lastIndexOf(' ', end);
    if (end < masked.length && space > start + CHRONO_WINDOW / 2) end = space;
    const last = end >= masked.length;
    const owned = last ? end : end - CHRONO_OVERLAP;
    engineWork.longestChronoInput = Math.max(engineWork.longestChronoInput, end - start);
    for (const result of chrono.parse(masked.slice(start, end), reference, { forwardDate: true })) {
      if (start + result.index < owned) found.push({ result, offset: start });
    }
    if (last) return found;
    start = owned;
  }
}

/**
 * Finds the first date/time phrase in `text`, resolved in `timeZone` relative to `now`.
 * Future-leaning: "Friday" is the coming one, "at 5" the next 5 pm.
 */
export function parseWhen(text: string, now: Date, timeZone: string): WhenMatch | null {
  const found = firstWhen(text, now, timeZone);
  return found ? withQualifiers(text, found) : null;
}

function firstWhen(text: string, now: Date, timeZone: string): WhenMatch | null {
  const local = localNow(now, timeZone);
  let best: WhenMatch | null = null;
  for (const phrase of CUSTOM_PHRASES) {
    const m = phrase.pattern.exec(text);
    if (!m) continue;
    const resolved = phrase.resolve(m, local);
    if (resolved && (best === null || m.index < best.index))
      best = { ...resolved, index: m.index, length: m[0].length };
  }
  for (const { result, offset } of chronoInWindows(text, { instant: now, timezone: local.offset })) {
    const match = fromChrono(result, offset, local, local.zoneName ?? timeZone);
    if (!match) continue;
    if (best === null) return match;
    // A custom phrase may carry a time chrono found next to it ("next week at 9am", "the 14th at 3pm").
    const adjacent =
      match.index >= best.index + best.length
        ? /^ ?(?:at|@|,)? ?$/i.test(text.slice(best.index + best.length, match.index))
        : false;
    if (adjacent && best.due.allDay && match.hasTime && !match.hasDate && match.due.allDay === false) {
      const time = match.timeOfDay ?? { hour: match.due.at.hour, minute: match.due.at.minute };
      const at = wallClock(best.due.date, time.hour, time.minute);
      const length = match.index + match.length - best.index;
      return {
        due: { allDay: false, at },
        hasDate: true,
        hasTime: true,
        timeOfDay: time,
        index: best.index,
        length,
      };
    }
    if (match.index < best.index && match.index + match.length <= best.index) return match;
    // chrono read the custom phrase and a time with it: "in 3 days at noon", "the day after tomorrow at 10".
    if (match.hasTime && match.index <= best.index && match.index + match.length > best.index + best.length)
      return match;
    break;
  }
  return best;
}

const PART_OF_DAY_AFTER = /^ (?:in the )?(morning|afternoon|evening|night)\b/i;
const FIRST_THING_BEFORE = /\bfirst thing (?:in the morning )?(?:on )?$/i;
const FIRST_THING_AFTER = /^,? first thing(?: in the morning)?\b/i;
/** How far around a phrase its qualifiers ("first thing", "morning") are looked for. */
const QUALIFIER_REACH = 32;

/**
 * What is said next to a date phrase that chrono leaves out: "at 8 tomorrow morning" (the
 * morning makes 8 am, and is part of the phrase), "first thing tomorrow" (09:00).
 */
function withQualifiers(text: string, match: WhenMatch): WhenMatch {
  let result = match;
  const end = () => result.index + result.length;
  const part = PART_OF_DAY_AFTER.exec(text.slice(end(), end() + QUALIFIER_REACH));
  if (part && !result.due.allDay && result.timeOfDay) {
    const pm = part[1]!.toLowerCase() !== 'morning';
    let hour = result.timeOfDay.hour % 12;
    if (pm) hour += 12;
    const at = result.due.at.set({ hour });
    result = {
      ...result,
      due: { allDay: false, at },
      timeOfDay: { ...result.timeOfDay, hour },
      meridiemGuessed: false,
    };
    result = { ...result, length: result.length + part[0].length };
  }
  if (result.due.allDay) {
    const before = FIRST_THING_BEFORE.exec(
      text.slice(Math.max(0, result.index - QUALIFIER_REACH), result.index),
    );
    const after = FIRST_THING_AFTER.exec(text.slice(end(), end() + QUALIFIER_REACH));
    if (before || after) {
      const at = wallClock(result.due.date, PART_OF_DAY_HOURS.morning, 0);
      const index = before ? result.index - before[0].length : result.index;
      const length = end() + (after ? after[0].length : 0) - index;
      result = {
        due: { allDay: false, at },
        hasDate: true,
        hasTime: true,
        timeOfDay: { hour: at.hour, minute: 0 },
        index,
        length,
      };
    }
  }
  return result;
}
