/**
 * Iterating a parsed rule on floating wall-clock dates with `rrule`.
 *
 * Everything here works on wall clocks (see ../time.ts), so "every day at 9:00" stays 9:00
 * whatever the UTC offset; converting to instants is the caller's job.
 */
import rrulePkg, { type Options } from 'rrule';
import { type ByDay, clampsToMonthEnd, type ParsedRule, type Weekday } from './rule.js';

const { RRule } = rrulePkg;

const RRULE_WEEKDAYS: Record<Weekday, InstanceType<typeof rrulePkg.Weekday>> = {
  MO: RRule.MO,
  TU: RRule.TU,
  WE: RRule.WE,
  TH: RRule.TH,
  FR: RRule.FR,
  SA: RRule.SA,
  SU: RRule.SU,
};

const RRULE_FREQUENCIES = {
  DAILY: RRule.DAILY,
  WEEKLY: RRule.WEEKLY,
  MONTHLY: RRule.MONTHLY,
  YEARLY: RRule.YEARLY,
} as const;

/**
 * Makes the day a MONTHLY or YEARLY rule implicitly takes from its start explicit
 * ("FREQ=MONTHLY" started on Jan 31 becomes "FREQ=MONTHLY;BYMONTHDAY=31").
 *
 * Needed because each step restarts `rrule` from the current occurrence: once Jan 31 became
 * Feb 28, an implicit day would silently turn into the 28th for the rest of the series.
 */
export function pinStartDay(rule: ParsedRule, start: Date): ParsedRule {
  const hasDaySelector = rule.byMonthDay || rule.byDay || rule.byYearDay || rule.byWeekNo;
  if (hasDaySelector) return rule;
  const day = start.getUTCDate();
  if (rule.freq === 'MONTHLY') return { ...rule, byMonthDay: [day] };
  if (rule.freq === 'YEARLY')
    return { ...rule, byMonth: rule.byMonth ?? [start.getUTCMonth() + 1], byMonthDay: [day] };
  return rule;
}

/**
 * The first wall clock strictly after `after` produced by `rule` started at `start`, that
 * `accept` takes; `accept` sees every candidate in order and may stop the search with 'stop'.
 * Null when the rule produces nothing within the next century (or two periods, if longer).
 *
 * `start` sets the period grid (INTERVAL counts from it) and the time of day unless the rule
 * pins BYHOUR/BYMINUTE/BYSECOND. COUNT and UNTIL are not applied here (callers count
 * occurrences across restarts). For `allDay`, times are ignored and results are midnights.
 */
export function findOccurrence(
  rule: ParsedRule,
  start: Date,
  allDay: boolean,
  after: Date,
  accept: (candidate: Date) => 'take' | 'skip' | 'stop',
): Date | null {
  // rrule only gives up on a rule that never matches (FREQ=DAILY;INTERVAL=7;BYDAY=MO started on
  // a Tuesday) at its year 9999, scanning period by period for millennia. The Gregorian calendar
  // repeats every 400 years (146 097 days, whole weeks), so we run rrule on the same dates moved
  // by whole cycles to just before that limit: every answer is the same, and a search ends
  // within the horizon + 400 years.
  const horizonYears = Math.max(MIN_SEARCH_YEARS, Math.ceil(rule.interval * PERIOD_YEARS[rule.freq] * 2));
  const shiftYears = Math.floor((RRULE_LAST_YEAR - horizonYears - start.getUTCFullYear()) / 400) * 400;
  const shiftedAfter = addYears(after, shiftYears).getTime();
  let found: Date | null = null;
  toRRule(rule, addYears(start, shiftYears), allDay).all((shifted) => {
    if (shifted.getTime() <= shiftedAfter) return true;
    const candidate = addYears(shifted, -shiftYears);
    const verdict = accept(candidate);
    if (verdict === 'take') found = candidate;
    return verdict === 'skip';
  });
  return found;
}

/** A search looks at least this far ahead, and at least two periods of the rule. */
const MIN_SEARCH_YEARS = 100;
const PERIOD_YEARS = { DAILY: 1 / 365, WEEKLY: 7 / 365, MONTHLY: 1 / 12, YEARLY: 1 } as const;
const RRULE_LAST_YEAR = 9999;

/** Moves a date by whole years; used with multiples of 400 only, so Feb 29 stays Feb 29. */
function addYears(date: Date, years: number): Date {
  const moved = new Date(date);
  moved.setUTCFullYear(date.getUTCFullYear() + years);
  return moved;
}

function toRRule(rule: ParsedRule, start: Date, allDay: boolean): InstanceType<typeof RRule> {
  const clamped = clampMonthEnd(pinStartDay(rule, start));
  const options: Partial<Options> = {
    freq: RRULE_FREQUENCIES[clamped.freq],
    interval: clamped.interval,
    dtstart: start,
    wkst: RRULE_WEEKDAYS[clamped.wkst ?? 'MO'],
    bymonth: clamped.byMonth ?? null,
    byweekno: clamped.byWeekNo ?? null,
    byyearday: clamped.byYearDay ?? null,
    bymonthday: clamped.byMonthDay ?? null,
    byweekday: clamped.byDay?.map(toRRuleWeekday) ?? null,
    bysetpos: clamped.bySetPos ?? null,
    byhour: allDay ? 0 : (clamped.byHour ?? null),
    byminute: allDay ? 0 : (clamped.byMinute ?? null),
    bysecond: allDay ? 0 : (clamped.bySecond ?? null),
  };
  return new RRule(options);
}

/**
 * RFC 5545 skips months that lack the requested day ("BYMONTHDAY=31" has no February);
 * users expect the month's last day instead. A single day past the 28th therefore becomes
 * "the last of the 28th..Nth that exists": BYMONTHDAY=28,...,N;BYSETPOS=-1. Jan 31 monthly
 * then gives Feb 28 (29 in leap years), Mar 31, Apr 30; Feb 29 yearly gives Feb 28 in other years.
 */
function clampMonthEnd(rule: ParsedRule): ParsedRule {
  const day = rule.byMonthDay?.[0];
  if (day === undefined || day <= 28 || !clampsToMonthEnd(rule)) return rule;
  const candidates = Array.from({ length: day - 27 }, (_, i) => 28 + i);
  return { ...rule, byMonthDay: candidates, bySetPos: [-1] };
}

function toRRuleWeekday(day: ByDay) {
  const weekday = RRULE_WEEKDAYS[day.weekday];
  return day.ordinal === undefined ? weekday : weekday.nth(day.ordinal);
}
