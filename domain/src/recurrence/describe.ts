/**
 * Short English summaries of rules for chat replies and the UI ("every 2 weeks on Mon, Wed").
 *
 * rrule's toText() is verbose ("every month on the last") and odd on month ends, so the common
 * shapes are phrased here; anything else falls back to toText().
 */
import rrulePkg from 'rrule';
import { type ByDay, formatRule, type ParsedRule, parseValidRule, type Until, type Weekday } from './rule.js';

const { RRule } = rrulePkg;

const DAY_NAMES: Record<Weekday, string> = {
  MO: 'Mon',
  TU: 'Tue',
  WE: 'Wed',
  TH: 'Thu',
  FR: 'Fri',
  SA: 'Sat',
  SU: 'Sun',
};
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WORK_WEEK = 'MO,TU,WE,TH,FR';

/**
 * A short English summary of a valid rule: "every day", "every weekday", "monthly on the 1st",
 * "monthly on the last day", "every year on Mar 3", "every 3 days, 5 times",
 * "weekly on Mon until Mar 1, 2027". Throws RangeError for an invalid rule.
 */
export function describeRecurrence(rule: string): string {
  const parsed = parseValidRule(rule);
  const pattern = describePattern(parsed);
  if (pattern === undefined) return describeWithRRule(parsed);
  return `${pattern}${describeTime(parsed)}${describeEnd(parsed)}`;
}

function describePattern(rule: ParsedRule): string | undefined {
  if (rule.byWeekNo || rule.byYearDay || (rule.byMonth && rule.freq !== 'YEARLY')) return undefined;
  switch (rule.freq) {
    case 'DAILY':
      return rule.byMonthDay || rule.bySetPos ? undefined : describeDaily(rule);
    case 'WEEKLY':
      return rule.bySetPos ? undefined : describeWeekly(rule);
    case 'MONTHLY':
      return describeMonthly(rule);
    case 'YEARLY':
      return describeYearly(rule);
  }
}

function describeDaily(rule: ParsedRule): string | undefined {
  if (!rule.byDay) return rule.interval === 1 ? 'every day' : `every ${rule.interval} days`;
  if (rule.interval !== 1) return undefined;
  return isWorkWeek(rule.byDay) ? 'every weekday' : `every ${dayList(rule.byDay)}`;
}

function describeWeekly(rule: ParsedRule): string {
  if (rule.interval === 1 && rule.byDay && isWorkWeek(rule.byDay)) return 'every weekday';
  const every = rule.interval === 1 ? (rule.byDay ? 'weekly' : 'every week') : `every ${rule.interval} weeks`;
  return rule.byDay ? `${every} on ${dayList(rule.byDay)}` : every;
}

function describeMonthly(rule: ParsedRule): string | undefined {
  const every = rule.interval === 1 ? 'monthly' : `every ${rule.interval} months`;
  const { byMonthDay, byDay, bySetPos } = rule;
  if (byMonthDay && !byDay && !bySetPos) return `${every} on the ${joinAnd(byMonthDay.map(dayOfMonth))}`;
  if (byDay && !byMonthDay && !bySetPos && byDay.every((d) => d.ordinal !== undefined)) {
    return `${every} on the ${joinAnd(byDay.map((d) => `${ordinal(d.ordinal ?? 1)} ${DAY_NAMES[d.weekday]}`))}`;
  }
  const position = bySetPos?.length === 1 ? bySetPos[0] : undefined;
  if (byDay && !byMonthDay && position !== undefined && isWorkWeek(byDay)) {
    return `${every} on the ${ordinal(position)} weekday`;
  }
  if (!byDay && !byMonthDay && !bySetPos) return rule.interval === 1 ? 'every month' : every;
  return undefined;
}

function describeYearly(rule: ParsedRule): string | undefined {
  const every = rule.interval === 1 ? 'every year' : `every ${rule.interval} years`;
  const { byMonth, byMonthDay, byDay, bySetPos } = rule;
  if (byDay || bySetPos) return undefined;
  if (!byMonth && !byMonthDay) return every;
  const month = byMonth?.length === 1 ? byMonth[0] : undefined;
  const day = byMonthDay?.length === 1 ? byMonthDay[0] : undefined;
  if (month === undefined || day === undefined) return undefined;
  const monthName = MONTH_NAMES[month - 1];
  return day > 0 ? `${every} on ${monthName} ${day}` : `${every} on the ${dayOfMonth(day)} of ${monthName}`;
}

function describeTime(rule: ParsedRule): string {
  if (rule.byHour === undefined) return '';
  const minute = String(rule.byMinute ?? 0).padStart(2, '0');
  const hour12 = rule.byHour % 12 === 0 ? 12 : rule.byHour % 12;
  return ` at ${hour12}:${minute} ${rule.byHour < 12 ? 'AM' : 'PM'}`;
}

function describeEnd(rule: ParsedRule): string {
  if (rule.count !== undefined) return rule.count === 1 ? ', once' : `, ${rule.count} times`;
  if (rule.until !== undefined) return ` until ${formatUntilDate(rule.until)}`;
  return '';
}

/** rrule's toText() ignores BYSETPOS ("every month on Monday, Tuesday" for the 2nd of them), so not for those. */
function describeWithRRule(rule: ParsedRule): string {
  const rrule = RRule.fromString(formatRule(rule));
  const readable = !rule.bySetPos && rrule.isFullyConvertibleToText();
  return readable ? rrule.toText() : `custom schedule (${formatRule(rule)})`;
}

function formatUntilDate(until: Until): string {
  const date = until.kind === 'date' ? until.date : until.kind === 'utc' ? until.instant : until.wallClock;
  return `${MONTH_NAMES[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
}

function isWorkWeek(days: ByDay[]): boolean {
  return (
    days.every((d) => d.ordinal === undefined) &&
    [...new Set(days.map((d) => d.weekday))].sort(byWeekOrder).join(',') === WORK_WEEK
  );
}

function byWeekOrder(a: Weekday, b: Weekday): number {
  return Object.keys(DAY_NAMES).indexOf(a) - Object.keys(DAY_NAMES).indexOf(b);
}

function dayList(days: ByDay[]): string {
  return days.map((d) => DAY_NAMES[d.weekday]).join(', ');
}

/** "1st", "15th", "last day", "2nd to last day". */
function dayOfMonth(day: number): string {
  return day > 0 ? ordinal(day) : `${ordinal(day)} day`;
}

/** 1 → "1st", 22 → "22nd", -1 → "last", -2 → "2nd to last". */
function ordinal(n: number): string {
  if (n === -1) return 'last';
  if (n < 0) return `${ordinal(-n)} to last`;
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function joinAnd(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
