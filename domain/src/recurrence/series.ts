/**
 * Iterating a parsed rule on floating wall-clock dates with `rrule`.
 *
 * Everything here works on wall clocks (see ../time.ts), so "every day at 9:00" stays 9:00
 * whatever the UTC offset; converting to instants is the caller's job.
 */
import rrulePkg, { type Options } from 'rrule';
import type { ByDay, ParsedRule, Weekday } from './rule.js';

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
  let found: Date | null = null;
  // 100 000 candidates is ~270 years of a daily rule: only a rule that can never match gets here.
  let budget = 100_000;
  toRRule(rule, start, allDay).all((candidate) => {
    if (candidate.getTime() <= after.getTime()) return --budget > 0;
    const verdict = accept(candidate);
    if (verdict === 'take') found = candidate;
    return verdict === 'skip' && --budget > 0;
  });
  return found;
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
 * Only rules without BYDAY/BYSETPOS and with at most one month are rewritten, so the set the
 * BYSETPOS picks from is exactly those candidate days.
 */
function clampMonthEnd(rule: ParsedRule): ParsedRule {
  const day = rule.byMonthDay?.length === 1 ? rule.byMonthDay[0] : undefined;
  if (day === undefined || day <= 28 || rule.byDay || rule.bySetPos) return rule;
  if (rule.freq === 'YEARLY' && rule.byMonth?.length !== 1) return rule;
  if (rule.freq !== 'MONTHLY' && rule.freq !== 'YEARLY') return rule;
  const candidates = Array.from({ length: day - 27 }, (_, i) => 28 + i);
  return { ...rule, byMonthDay: candidates, bySetPos: [-1] };
}

function toRRuleWeekday(day: ByDay) {
  const weekday = RRULE_WEEKDAYS[day.weekday];
  return day.ordinal === undefined ? weekday : weekday.nth(day.ordinal);
}
