/**
 * Recurrence phrases ("every weekday", "every 2 weeks on Monday and Thursday", "on the 1st of
 * every month", "monthly on the last day") → an RFC 5545 RRULE body, and the first occurrence
 * at or after now in the user's zone.
 */
import type { DateTime } from 'luxon';
import { COUNT_PATTERN, parseCount } from './text.js';

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
export const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];

/** The subset of RRULE the assistant produces. */
export interface RecurrenceRule {
  freq: Frequency;
  interval: number;
  byDay?: WeekdayCode[];
  /** Day of month; -1 is the last day. */
  byMonthDay?: number;
  byMonth?: number;
  /** "the first Monday" (1) / "the last Friday" (-1) of the month, with `byDay` naming the one weekday. */
  setPosition?: number;
  /** An end: after this many occurrences ("5 times"), or on this local date, YYYYMMDD ("until dec 18"). */
  count?: number;
  until?: string;
}

export interface RecurrenceMatch {
  rule: RecurrenceRule;
  /** A time of day implied by the phrase itself ("every morning"). */
  timeOfDay?: { hour: number; minute: number };
  index: number;
  length: number;
}

/** RRULE body in a stable part order (FREQ, INTERVAL, BYMONTH, BYMONTHDAY, BYDAY). */
export function formatRule(rule: RecurrenceRule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval > 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.byMonth !== undefined) parts.push(`BYMONTH=${rule.byMonth}`);
  if (rule.byMonthDay !== undefined) parts.push(`BYMONTHDAY=${rule.byMonthDay}`);
  if (rule.byDay?.length) {
    const prefix = rule.setPosition === undefined ? '' : String(rule.setPosition);
    parts.push(
      `BYDAY=${sortDays(rule.byDay)
        .map((d) => `${prefix}${d}`)
        .join(',')}`,
    );
  }
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  if (rule.until !== undefined) parts.push(`UNTIL=${rule.until}`);
  return parts.join(';');
}

function sortDays(days: WeekdayCode[]): WeekdayCode[] {
  return WEEKDAY_CODES.filter((d) => days.includes(d));
}

const DAY_NAME =
  'mon(?:day)?s?|tue(?:s(?:day)?)?s?|wed(?:nesday)?s?|thu(?:r(?:s(?:day)?)?)?s?|fri(?:day)?s?|sat(?:urday)?s?|sun(?:day)?s?';
const PLURAL_DAY_NAME = 'mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays';
const MONTH_NAME =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const EVERY = '(?:every|each)';
const ORDINAL_DAY = '(\\d{1,2})(?:st|nd|rd|th)?';

function dayCodes(list: string): WeekdayCode[] {
  const found: WeekdayCode[] = [];
  for (const m of list.toLowerCase().matchAll(new RegExp(DAY_NAME, 'g'))) {
    const code = m[0].slice(0, 2).toUpperCase() as WeekdayCode;
    if (WEEKDAY_CODES.includes(code) && !found.includes(code)) found.push(code);
  }
  return found;
}

function monthNumber(name: string): number {
  const prefixes = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  return prefixes.indexOf(name.toLowerCase().slice(0, 3)) + 1;
}

function intervalOf(word: string): number | null {
  const w = word.toLowerCase();
  if (w === 'other' || w === 'second' || w === '2nd') return 2;
  if (w === 'third' || w === '3rd') return 3;
  const n = parseCount(w);
  return n !== null && Number.isInteger(n) && n >= 1 && n <= 366 ? n : null;
}

const FREQ_OF_UNIT: Record<string, Frequency> = {
  day: 'DAILY',
  week: 'WEEKLY',
  month: 'MONTHLY',
  year: 'YEARLY',
};

type Built = Omit<RecurrenceMatch, 'index' | 'length'>;

interface Pattern {
  regex: RegExp;
  /** What the match means, and where it really ends if the pattern reads on past its regex. */
  build: (m: RegExpExecArray, text: string) => (Built & { end?: number }) | null;
}

/** Sticky readers for lists of weekdays, each item one short test: linear however long the list. */
const DAY_AT = new RegExp(`(?:${DAY_NAME})\\b`, 'iy');
const PLURAL_DAY_AT = new RegExp(`(?:${PLURAL_DAY_NAME})\\b`, 'iy');
const DAY_SEPARATOR_AT = / ?, ?(?:and )?| and | ?& ?| ?\/ ?| /iy;
const PLURAL_SEPARATOR_AT = / ?, ?(?:and )?| and | ?& ?/iy;
const SLASH_AT = / ?\/ ?/y;

/** Where a list of weekdays continuing at `at` ("…, wed and fri") ends: each separator must be followed by a day. */
function dayListEnd(text: string, at: number, separator: RegExp, day: RegExp): number {
  let end = at;
  for (;;) {
    separator.lastIndex = end;
    const sep = separator.exec(text);
    if (!sep) return end;
    day.lastIndex = end + sep[0].length;
    const next = day.exec(text);
    if (!next) return end;
    end = day.lastIndex;
  }
}

/** A sticky match of `regex` at `at`, or null. */
function stickyAt(regex: RegExp, text: string, at: number): RegExpExecArray | null {
  regex.lastIndex = at;
  return regex.exec(text);
}

const ON_DAYS_AT = /,? on (?:the )?/iy;
const ORDINAL_DAY_AT = /(\d{1,2})(?:st|nd|rd|th)?\b/y;
const PART_OF_DAY_AT = / (morning|afternoon|evening|night)\b/iy;

const WEEKDAYS: WeekdayCode[] = ['MO', 'TU', 'WE', 'TH', 'FR'];

/** Ordered most specific first; the first pattern that matches wins. */
const PATTERNS: Pattern[] = [
  {
    // "every 2 weeks on Monday and Thursday", "every other day", "every 3 months"
    regex: new RegExp(
      `\\b${EVERY} (other|second|2nd|third|3rd|${COUNT_PATTERN}) (day|week|month|year)s?\\b`,
      'i',
    ),
    build: (m, text) => {
      const interval = intervalOf(m[1]!);
      const freq = FREQ_OF_UNIT[m[2]!.toLowerCase()];
      if (interval === null || !freq) return null;
      const rule: RecurrenceRule = { freq, interval };
      const end = m.index + m[0].length;
      const on = stickyAt(ON_DAYS_AT, text, end);
      if (!on) return { rule };
      const from = end + on[0].length;
      if (stickyAt(DAY_AT, text, from)) {
        const listEnd = dayListEnd(text, DAY_AT.lastIndex, DAY_SEPARATOR_AT, DAY_AT);
        return { rule: { ...rule, byDay: dayCodes(text.slice(from, listEnd)) }, end: listEnd };
      }
      const ordinal = stickyAt(ORDINAL_DAY_AT, text, from);
      if (ordinal)
        return { rule: { ...rule, byMonthDay: Number(ordinal[1]) }, end: from + ordinal[0].length };
      return { rule };
    },
  },
  {
    // "every other Monday"
    regex: new RegExp(`\\b${EVERY} (?:other|second|2nd) (?:${DAY_NAME})\\b`, 'i'),
    build: (m, text) => {
      const end = dayListEnd(text, m.index + m[0].length, DAY_SEPARATOR_AT, DAY_AT);
      // The words before the days ("every other") contain no day name.
      return { rule: { freq: 'WEEKLY', interval: 2, byDay: dayCodes(text.slice(m.index, end)) }, end };
    },
  },
  {
    regex:
      /\b(?:biweekly|bi-weekly|fortnightly|every fortnight)(?:,? on (mon|tue|wed|thu|fri|sat|sun)\w*)?\b/i,
    build: (m) => ({ rule: { freq: 'WEEKLY', interval: 2, ...(m[1] ? { byDay: dayCodes(m[1]) } : {}) } }),
  },
  {
    regex: /\b(?:(?:every|each|on) (?:single )?(?:week ?days?|work ?days?|business days?)|weekdays)\b/i,
    build: () => ({ rule: { freq: 'WEEKLY', interval: 1, byDay: WEEKDAYS } }),
  },
  {
    regex: /\b(?:(?:every|each) weekends?|on weekends|weekends)\b/i,
    build: () => ({ rule: { freq: 'WEEKLY', interval: 1, byDay: ['SA', 'SU'] } }),
  },
  {
    // "on the last day of every month", "monthly on the last day", "every month on the last day"
    regex: new RegExp(
      `\\b(?:(?:on |at )?the (?:last day|end) of (?:every|each|the) month|(?:monthly|${EVERY} month),? on the last day(?: of the month)?|${EVERY} last day of the month)\\b`,
      'i',
    ),
    build: () => ({ rule: { freq: 'MONTHLY', interval: 1, byMonthDay: -1 } }),
  },
  {
    // "the first Monday of every month", "every last Friday of the month", "monthly on the 2nd Tuesday"
    regex: new RegExp(
      `\\b(?:(?:on |every |each )?the |every |each |(?:monthly|${EVERY} month),? on the )?(first|1st|second|2nd|third|3rd|fourth|4th|last) (${DAY_NAME})(?: of (?:every|each|the) month)?\\b`,
      'i',
    ),
    build: (m) => {
      if (!/month/i.test(m[0])) return null;
      const position = {
        first: 1,
        '1st': 1,
        second: 2,
        '2nd': 2,
        third: 3,
        '3rd': 3,
        fourth: 4,
        '4th': 4,
        last: -1,
      }[m[1]!.toLowerCase()];
      const days = dayCodes(m[2]!);
      if (position === undefined || days.length !== 1) return null;
      return { rule: { freq: 'MONTHLY', interval: 1, byDay: days, setPosition: position } };
    },
  },
  {
    // "on the 1st of every month", "the 15th of each month"
    regex: new RegExp(`\\b(?:on )?the ${ORDINAL_DAY}(?: day)? of (?:every|each|the) month\\b`, 'i'),
    build: (m) => monthDay(Number(m[1])),
  },
  {
    // "every month on the 15th", "monthly on the 1st", "every 15th", "every 1st of the month"
    regex: new RegExp(
      `\\b(?:(?:monthly|${EVERY} month),? on the ${ORDINAL_DAY}|${EVERY} (\\d{1,2})(?:st|nd|rd|th)(?: (?:day )?of the month)?)\\b`,
      'i',
    ),
    build: (m) => monthDay(Number(m[1] ?? m[2])),
  },
  {
    // "every year on March 3", "yearly on march 3rd", "every March 3", "annually on 3 March"
    regex: new RegExp(
      `\\b(?:(?:${EVERY} year|yearly|annually),? on |${EVERY} )(?:(${MONTH_NAME})\\.? ${ORDINAL_DAY}|(\\d{1,2})(?:st|nd|rd|th)? (?:of )?(${MONTH_NAME}))\\b`,
      'i',
    ),
    build: (m) => {
      const month = monthNumber(m[1] ?? m[4]!);
      const day = Number(m[2] ?? m[3]);
      if (month < 1 || day < 1 || day > 31) return null;
      return { rule: { freq: 'YEARLY', interval: 1, byMonth: month, byMonthDay: day } };
    },
  },
  {
    // "every Sunday", "every mon, wed and fri", "each Tuesday", "on Mondays", "mondays and thursdays"
    regex: new RegExp(`\\b(?:${EVERY} (${DAY_NAME})\\b|(?:on )?(${PLURAL_DAY_NAME})\\b)`, 'i'),
    build: (m, text) => {
      const end = m[1]
        ? dayListEnd(text, m.index + m[0].length, DAY_SEPARATOR_AT, DAY_AT)
        : dayListEnd(text, m.index + m[0].length, PLURAL_SEPARATOR_AT, PLURAL_DAY_AT);
      const days = dayCodes(text.slice(m.index, end));
      if (!days.length) return null;
      const rule: RecurrenceRule = { freq: 'WEEKLY', interval: 1, byDay: days };
      const part = stickyAt(PART_OF_DAY_AT, text, end);
      return part ? { rule, timeOfDay: partOfDay(part[1]!), end: end + part[0].length } : { rule, end };
    },
  },
  {
    // "gym mon/wed/fri 7am": a slash-separated list of weekdays is a weekly habit, not one date.
    regex: new RegExp(`\\b(?:on )?(?:${DAY_NAME}) ?/ ?(?:${DAY_NAME})\\b`, 'i'),
    build: (m, text) => {
      const end = dayListEnd(text, m.index + m[0].length, SLASH_AT, DAY_AT);
      const days = dayCodes(text.slice(m.index, end));
      return days.length >= 2 ? { rule: { freq: 'WEEKLY', interval: 1, byDay: days }, end } : null;
    },
  },
  {
    regex: new RegExp(`\\b${EVERY} (morning|evening|night|afternoon)\\b`, 'i'),
    build: (m) => ({ rule: { freq: 'DAILY', interval: 1 }, timeOfDay: partOfDay(m[1]!) }),
  },
  {
    regex: new RegExp(
      `\\b(?:${EVERY} (?:single )?day|everyday|daily|${EVERY} week|weekly|${EVERY} month|monthly|${EVERY} year|yearly|annually)\\b`,
      'i',
    ),
    build: (m) => {
      const w = m[0].toLowerCase();
      const freq: Frequency = /day|daily/.test(w)
        ? 'DAILY'
        : /week/.test(w)
          ? 'WEEKLY'
          : /month/.test(w)
            ? 'MONTHLY'
            : 'YEARLY';
      return { rule: { freq, interval: 1 } };
    },
  },
];

/** "every Sunday night" → 20:00, matching the one-off "tonight"; morning 9, afternoon 15, evening 19. */
function partOfDay(word: string): { hour: number; minute: number } {
  const hour = { morning: 9, afternoon: 15, evening: 19, night: 20 }[word.toLowerCase()] ?? 9;
  return { hour, minute: 0 };
}

function monthDay(day: number): Omit<RecurrenceMatch, 'index' | 'length'> | null {
  return day >= 1 && day <= 31 ? { rule: { freq: 'MONTHLY', interval: 1, byMonthDay: day } } : null;
}

/** Finds a recurrence phrase in `text`. */
export function parseRecurrence(text: string): RecurrenceMatch | null {
  for (const pattern of PATTERNS) {
    const m = pattern.regex.exec(text);
    if (!m) continue;
    const built = pattern.build(m, text);
    if (!built) continue;
    const { end = m.index + m[0].length, ...meaning } = built;
    return { ...meaning, index: m.index, length: end - m.index };
  }
  return null;
}

/**
 * Completes a bare frequency with the day the user named separately: "every week … on Friday",
 * "every month … on the 15th", "every year … on March 3". Other rules are returned unchanged.
 */
export function anchorRule(rule: RecurrenceRule, day: DateTime, named: { weekday: boolean }): RecurrenceRule {
  if (rule.freq === 'WEEKLY' && !rule.byDay && named.weekday)
    return { ...rule, byDay: [WEEKDAY_CODES[day.weekday - 1]!] };
  if (rule.freq === 'MONTHLY' && rule.byMonthDay === undefined && !rule.byDay)
    return { ...rule, byMonthDay: day.day };
  if (rule.freq === 'YEARLY' && rule.byMonth === undefined)
    return { ...rule, byMonth: day.month, byMonthDay: day.day };
  return rule;
}

/** Whether `day` is one of the rule's days (ignoring INTERVAL, which counts from the first one). */
export function occursOn(rule: RecurrenceRule, day: DateTime): boolean {
  if (rule.byMonth !== undefined && day.month !== rule.byMonth) return false;
  if (rule.byMonthDay !== undefined) {
    const wanted = rule.byMonthDay < 0 ? (day.daysInMonth ?? 28) + 1 + rule.byMonthDay : rule.byMonthDay;
    if (day.day !== wanted) return false;
  }
  if (rule.byDay?.length && !rule.byDay.includes(WEEKDAY_CODES[day.weekday - 1]!)) return false;
  if (rule.setPosition !== undefined) {
    const daysInMonth = day.daysInMonth ?? 28;
    const position =
      rule.setPosition > 0 ? Math.ceil(day.day / 7) : -Math.ceil((daysInMonth - day.day + 1) / 7);
    if (position !== rule.setPosition) return false;
  }
  return true;
}

/**
 * The first occurrence at or after `now` (or `from`, if later): a day that `occursOn` and, for a
 * timed series, whose time has not passed yet. Searches up to 8 years (Feb 29 needs up to 4).
 */
export function firstOccurrence(
  rule: RecurrenceRule,
  now: DateTime,
  time: { hour: number; minute: number } | null,
  from?: DateTime,
): DateTime | null {
  let day = (from && from > now ? from : now).startOf('day');
  for (let i = 0; i < 366 * 8; i++) {
    if (occursOn(rule, day)) {
      if (time === null) return day;
      const at = day.set({ hour: time.hour, minute: time.minute });
      if (at >= now) return at;
    }
    day = day.plus({ days: 1 });
  }
  return null;
}
