/**
 * Parsing, validation and canonical formatting of the RRULE subset tasks accept.
 *
 * We parse ourselves instead of trusting `RRule.parseString`, which accepts "BYDAY=XX",
 * "FREQ=FOO" or "INTERVAL=abc" silently; `rrule` only iterates rules that passed here.
 */

export const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A BYDAY entry: a weekday, optionally with an ordinal ("-1FR" = the last Friday). */
export interface ByDay {
  weekday: Weekday;
  ordinal?: number;
}

/** UNTIL as written: a date (inclusive local calendar date), a UTC instant, or a floating local time. */
export type Until =
  | { kind: 'date'; date: Date }
  | { kind: 'utc'; instant: Date }
  | { kind: 'floating'; wallClock: Date };

export interface ParsedRule {
  freq: Frequency;
  interval: number;
  count?: number;
  until?: Until;
  byMonth?: number[];
  byWeekNo?: number[];
  byYearDay?: number[];
  byMonthDay?: number[];
  byDay?: ByDay[];
  byHour?: number;
  byMinute?: number;
  bySecond?: number;
  bySetPos?: number[];
  wkst?: Weekday;
}

export type ParseResult = { ok: true; rule: ParsedRule } | { ok: false; reason: string };

const MAX_INTERVAL = 1000;

/** Parses an RRULE body (with or without "RRULE:"), case-insensitively. Never throws. */
export function parseRule(input: string): ParseResult {
  try {
    return parseOrThrow(input);
  } catch (error) {
    if (error instanceof RuleError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Parses a rule that must be valid (it was validated when stored); throws RangeError otherwise. */
export function parseValidRule(input: string): ParsedRule {
  const parsed = parseRule(input);
  if (!parsed.ok) throw new RangeError(`invalid recurrence rule '${input}': ${parsed.reason}`);
  return parsed.rule;
}

/** The canonical text of a rule: fixed part order, upper case, defaults (INTERVAL=1, WKST=MO) left out. */
export function formatRule(rule: ParsedRule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  if (rule.until !== undefined) parts.push(`UNTIL=${formatUntil(rule.until)}`);
  if (rule.byMonth) parts.push(`BYMONTH=${rule.byMonth.join(',')}`);
  if (rule.byWeekNo) parts.push(`BYWEEKNO=${rule.byWeekNo.join(',')}`);
  if (rule.byYearDay) parts.push(`BYYEARDAY=${rule.byYearDay.join(',')}`);
  if (rule.byMonthDay) parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
  if (rule.byDay) parts.push(`BYDAY=${rule.byDay.map((d) => `${d.ordinal ?? ''}${d.weekday}`).join(',')}`);
  if (rule.byHour !== undefined) parts.push(`BYHOUR=${rule.byHour}`);
  if (rule.byMinute !== undefined) parts.push(`BYMINUTE=${rule.byMinute}`);
  if (rule.bySecond !== undefined) parts.push(`BYSECOND=${rule.bySecond}`);
  if (rule.bySetPos) parts.push(`BYSETPOS=${rule.bySetPos.join(',')}`);
  if (rule.wkst !== undefined && rule.wkst !== 'MO') parts.push(`WKST=${rule.wkst}`);
  return parts.join(';');
}

/**
 * Whether the rule's single day of month falls back to the month's last day where the month is
 * shorter (see clampMonthEnd in series.ts). Only for MONTHLY/YEARLY rules whose days come from one
 * BYMONTHDAY value alone (no BYDAY/BYSETPOS) and, for YEARLY, from one month, so that a BYSETPOS
 * over the candidate days picks the right one.
 */
export function clampsToMonthEnd(rule: ParsedRule): boolean {
  if (rule.byMonthDay?.length !== 1 || rule.byDay || rule.bySetPos) return false;
  if (rule.freq === 'MONTHLY') return true;
  return rule.freq === 'YEARLY' && rule.byMonth?.length === 1;
}

class RuleError extends Error {}

function parseOrThrow(input: string): ParseResult {
  const body = input.trim().replace(/^RRULE:/i, '');
  if (/[\r\n]/.test(body) || /^(DTSTART|EXDATE|RDATE)/i.test(body)) {
    throw new RuleError('only an RRULE is allowed: the task due date is the start of the series');
  }
  if (body === '') throw new RuleError('FREQ is required');
  const values = new Map<string, string>();
  for (const part of body.split(';')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    if (equals <= 0) throw new RuleError(`'${part}' is not a NAME=VALUE part`);
    const name = part.slice(0, equals).toUpperCase();
    const value = part.slice(equals + 1).toUpperCase();
    if (values.has(name)) throw new RuleError(`${name} appears twice`);
    values.set(name, value);
  }
  const rule = buildRule(values);
  checkCombinations(rule);
  return { ok: true, rule };
}

function buildRule(values: Map<string, string>): ParsedRule {
  const freqText = values.get('FREQ');
  if (freqText === undefined) throw new RuleError('FREQ is required');
  const rule: ParsedRule = { freq: parseFrequency(freqText), interval: 1 };
  for (const [name, value] of values) {
    switch (name) {
      case 'FREQ':
        break;
      case 'INTERVAL':
        rule.interval = parseInteger(name, value, 1, MAX_INTERVAL);
        break;
      case 'COUNT':
        rule.count = parseInteger(name, value, 1, Number.MAX_SAFE_INTEGER);
        break;
      case 'UNTIL':
        rule.until = parseUntil(value);
        break;
      case 'BYMONTH':
        rule.byMonth = parseIntegerList(name, value, 1, 12, false);
        break;
      case 'BYWEEKNO':
        rule.byWeekNo = parseIntegerList(name, value, 1, 53, true);
        break;
      case 'BYYEARDAY':
        rule.byYearDay = parseIntegerList(name, value, 1, 366, true);
        break;
      case 'BYMONTHDAY':
        rule.byMonthDay = parseIntegerList(name, value, 1, 31, true);
        break;
      case 'BYDAY':
        rule.byDay = value.split(',').map(parseByDay);
        break;
      case 'BYHOUR':
        rule.byHour = parseTimePart(name, value, 23);
        break;
      case 'BYMINUTE':
        rule.byMinute = parseTimePart(name, value, 59);
        break;
      case 'BYSECOND':
        rule.bySecond = parseTimePart(name, value, 59);
        break;
      case 'BYSETPOS':
        rule.bySetPos = parseIntegerList(name, value, 1, 366, true);
        break;
      case 'WKST':
        rule.wkst = parseWeekday(name, value);
        break;
      case 'DTSTART':
      case 'TZID':
        throw new RuleError(`${name} is not allowed: the task due date and your time zone set the start`);
      default:
        throw new RuleError(`unknown rule part '${name}'`);
    }
  }
  return rule;
}

function parseFrequency(value: string): Frequency {
  if ((FREQUENCIES as readonly string[]).includes(value)) return value as Frequency;
  // A task is a to-do, not an alarm: sub-daily series would create a task (and reminders)
  // every few hours or minutes, and their DST behaviour is surprising. Hence at most daily.
  if (value === 'HOURLY' || value === 'MINUTELY' || value === 'SECONDLY') {
    throw new RuleError(`FREQ=${value} is not supported: a task can repeat at most daily`);
  }
  throw new RuleError(`unknown FREQ value '${value}' (use DAILY, WEEKLY, MONTHLY or YEARLY)`);
}

function parseInteger(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new RuleError(`${name} must be a whole number, got '${value}'`);
  const n = Number(value);
  if (n < min || n > max) {
    throw new RuleError(
      max === Number.MAX_SAFE_INTEGER
        ? `${name} must be at least ${min}`
        : `${name} must be between ${min} and ${max}`,
    );
  }
  return n;
}

/** A list like "1,-1,15"; `signed` allows negative values (counting from the end), never 0. */
function parseIntegerList(name: string, value: string, min: number, max: number, signed: boolean): number[] {
  return value.split(',').map((item) => {
    const match = /^([+-]?)(\d+)$/.exec(item);
    const magnitude = Number(match?.[2]);
    if (!match || (match[1] === '-' && !signed) || magnitude < min || magnitude > max) {
      const range = signed ? `${min} to ${max} or -${max} to -${min}` : `${min} to ${max}`;
      throw new RuleError(`unknown ${name} value '${item}' (expected ${range})`);
    }
    return match[1] === '-' ? -magnitude : magnitude;
  });
}

/** One value only: an occurrence has one due time, so BYHOUR/BYMINUTE/BYSECOND pin it. */
function parseTimePart(name: string, value: string, max: number): number {
  if (value.includes(',')) {
    throw new RuleError(`${name} takes a single value: a task repeats at most once a day`);
  }
  return parseInteger(name, value, 0, max);
}

function parseByDay(item: string): ByDay {
  const match = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
  const weekday = match?.[2];
  if (!match || weekday === undefined || !(WEEKDAYS as readonly string[]).includes(weekday)) {
    throw new RuleError(`unknown BYDAY value '${item}'`);
  }
  if (match[1] === undefined) return { weekday: weekday as Weekday };
  const ordinal = Number(match[1]);
  if (ordinal === 0 || Math.abs(ordinal) > 53) throw new RuleError(`unknown BYDAY value '${item}'`);
  return { weekday: weekday as Weekday, ordinal };
}

function parseWeekday(name: string, value: string): Weekday {
  if ((WEEKDAYS as readonly string[]).includes(value)) return value as Weekday;
  throw new RuleError(`unknown ${name} value '${value}'`);
}

function parseUntil(value: string): Until {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
  if (!match) throw new RuleError(`UNTIL must look like 20270301 or 20270301T090000Z, got '${value}'`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const sameFields =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  if (!sameFields || year < 1900) throw new RuleError(`UNTIL is not a valid date: '${value}'`);
  if (match[4] === undefined) return { kind: 'date', date };
  return match[7] === 'Z' ? { kind: 'utc', instant: date } : { kind: 'floating', wallClock: date };
}

function formatUntil(until: Until): string {
  const iso = (until.kind === 'date' ? until.date : until.kind === 'utc' ? until.instant : until.wallClock)
    .toISOString()
    .replace(/[-:]/g, '');
  if (until.kind === 'date') return iso.slice(0, 8);
  return `${iso.slice(0, 15)}${until.kind === 'utc' ? 'Z' : ''}`;
}

/** Cross-part rules of RFC 5545 that `rrule` would otherwise silently misread. */
function checkCombinations(rule: ParsedRule): void {
  if (rule.count !== undefined && rule.until !== undefined) {
    throw new RuleError('COUNT and UNTIL cannot both be set');
  }
  if (rule.byWeekNo && rule.freq !== 'YEARLY') throw new RuleError('BYWEEKNO needs FREQ=YEARLY');
  if (rule.byYearDay && rule.freq !== 'YEARLY') throw new RuleError('BYYEARDAY needs FREQ=YEARLY');
  if (rule.byMonthDay && rule.freq === 'WEEKLY')
    throw new RuleError('BYMONTHDAY cannot be used with FREQ=WEEKLY');
  const ordinalDay = rule.byDay?.find((d) => d.ordinal !== undefined);
  if (ordinalDay && rule.freq !== 'MONTHLY' && rule.freq !== 'YEARLY') {
    throw new RuleError(
      `BYDAY value '${ordinalDay.ordinal}${ordinalDay.weekday}' needs FREQ=MONTHLY or YEARLY`,
    );
  }
  if (ordinalDay && rule.freq === 'MONTHLY' && Math.abs(ordinalDay.ordinal ?? 0) > 5) {
    throw new RuleError(
      `a month has at most 5 of each weekday: '${ordinalDay.ordinal}${ordinalDay.weekday}'`,
    );
  }
  if (rule.bySetPos && rule.freq === 'DAILY') {
    throw new RuleError('BYSETPOS needs FREQ=WEEKLY, MONTHLY or YEARLY (a day has one occurrence)');
  }
  if (
    rule.byMonth &&
    rule.byMonthDay &&
    !clampsToMonthEnd(rule) &&
    !someMonthHasDay(rule.byMonth, rule.byMonthDay)
  ) {
    throw new RuleError(
      `BYMONTHDAY=${rule.byMonthDay.join(',')} never falls in BYMONTH=${rule.byMonth.join(',')}`,
    );
  }
  if (rule.bySetPos && !(rule.byMonth || rule.byWeekNo || rule.byYearDay || rule.byMonthDay || rule.byDay)) {
    throw new RuleError('BYSETPOS needs another BY part (e.g. BYDAY) to pick from');
  }
}

const LONGEST_MONTHS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether any of the months (in some year) has any of the days (negative: from the month end). */
function someMonthHasDay(months: number[], days: number[]): boolean {
  return months.some((month) => days.some((day) => Math.abs(day) <= (LONGEST_MONTHS[month - 1] ?? 0)));
}
