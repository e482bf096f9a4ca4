import { describeRecurrence, upcomingOccurrences } from '@todo/domain/recurrence/index';
import rrulePkg, { type Frequency as FrequencyCode, type Weekday } from 'rrule';
import type { WallClock } from './time';

// rrule is CommonJS: Node (and the bundle, see vite.config.ts) expose it as a default export.
const { Frequency, RRule } = rrulePkg;

/** Weekday codes of RFC 5545, Monday first (rrule's weekday numbering). */
const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const WORKWEEK = [0, 1, 2, 3, 4];

export type RecurrenceKind = 'none' | 'daily' | 'weekdays' | 'weekly' | 'monthly' | 'custom';
export type IntervalUnit = 'day' | 'week' | 'month' | 'year';
export type RecurrenceEnd = 'never' | 'count' | 'until';

/** What the recurrence picker edits; turned into an RRULE body by `toRRule`. */
export interface RecurrenceForm {
  kind: RecurrenceKind;
  interval: number;
  unit: IntervalUnit;
  /** 0 = Monday … 6 = Sunday. */
  weekdays: number[];
  monthDay: number;
  end: RecurrenceEnd;
  count: number;
  /** `YYYY-MM-DD`, the last day an occurrence may fall on. */
  until: string;
}

const UNIT_FREQ: Record<IntervalUnit, string> = {
  day: 'DAILY',
  week: 'WEEKLY',
  month: 'MONTHLY',
  year: 'YEARLY',
};
const FREQ_UNIT: Partial<Record<FrequencyCode, IntervalUnit>> = {
  [Frequency.DAILY]: 'day',
  [Frequency.WEEKLY]: 'week',
  [Frequency.MONTHLY]: 'month',
  [Frequency.YEARLY]: 'year',
};

export function emptyRecurrenceForm(due: WallClock | null): RecurrenceForm {
  const dueWeekday = due ? (new Date(Date.UTC(due.year, due.month - 1, due.day)).getUTCDay() + 6) % 7 : 0;
  return {
    kind: 'none',
    interval: 1,
    unit: 'week',
    weekdays: [dueWeekday],
    monthDay: due?.day ?? 1,
    end: 'never',
    count: 10,
    until: '',
  };
}

export function toRRule(form: RecurrenceForm): string | null {
  const parts: string[] = [];
  const byDay = () =>
    `BYDAY=${[...form.weekdays]
      .sort()
      .map((day) => WEEKDAY_CODES[day])
      .join(',')}`;
  switch (form.kind) {
    case 'none':
      return null;
    case 'daily':
      parts.push('FREQ=DAILY');
      break;
    case 'weekdays':
      parts.push('FREQ=WEEKLY', `BYDAY=${WORKWEEK.map((day) => WEEKDAY_CODES[day]).join(',')}`);
      break;
    case 'weekly':
      parts.push('FREQ=WEEKLY');
      if (form.weekdays.length > 0) parts.push(byDay());
      break;
    case 'monthly':
      parts.push('FREQ=MONTHLY', `BYMONTHDAY=${form.monthDay}`);
      break;
    case 'custom':
      parts.push(`FREQ=${UNIT_FREQ[form.unit]}`);
      if (form.interval > 1) parts.push(`INTERVAL=${form.interval}`);
      if (form.unit === 'week' && form.weekdays.length > 0) parts.push(byDay());
      if (form.unit === 'month') parts.push(`BYMONTHDAY=${form.monthDay}`);
      break;
  }
  if (form.end === 'count' && form.count > 0) parts.push(`COUNT=${form.count}`);
  // A date-only UNTIL includes that whole day in the user's zone.
  if (form.end === 'until' && form.until) parts.push(`UNTIL=${form.until.replaceAll('-', '')}`);
  return parts.join(';');
}

function weekdayNumbers(byweekday: unknown): number[] {
  const list = Array.isArray(byweekday) ? byweekday : byweekday == null ? [] : [byweekday];
  return list
    .map((day: number | Weekday) => (typeof day === 'number' ? day : day.weekday))
    .sort((a: number, b: number) => a - b);
}

function firstNumber(value: number | number[] | null | undefined): number | undefined {
  return Array.isArray(value) ? value[0] : (value ?? undefined);
}

const sameDays = (a: number[], b: number[]) => a.length === b.length && a.every((day, i) => day === b[i]);

/** Reads an RRULE body back into the picker; rules the picker cannot show become `custom`. */
export function fromRRule(rule: string | null, due: WallClock | null): RecurrenceForm {
  const form = emptyRecurrenceForm(due);
  if (!rule) return form;
  const options = RRule.parseString(rule);
  const interval = options.interval ?? 1;
  const weekdays = weekdayNumbers(options.byweekday);
  const monthDay = firstNumber(options.bymonthday);
  const unit = options.freq === undefined ? undefined : FREQ_UNIT[options.freq];
  form.interval = interval;
  form.unit = unit ?? 'week';
  if (weekdays.length > 0) form.weekdays = weekdays;
  if (monthDay !== undefined) form.monthDay = monthDay;
  if (options.count) {
    form.end = 'count';
    form.count = options.count;
  } else if (options.until) {
    form.end = 'until';
    form.until = options.until.toISOString().slice(0, 10);
  }
  if (interval === 1 && unit === 'day' && weekdays.length === 0) form.kind = 'daily';
  else if (interval === 1 && unit === 'week' && sameDays(weekdays, WORKWEEK)) form.kind = 'weekdays';
  else if (interval === 1 && unit === 'week') form.kind = 'weekly';
  else if (interval === 1 && unit === 'month' && monthDay !== undefined && weekdays.length === 0)
    form.kind = 'monthly';
  else form.kind = 'custom';
  return form;
}

/** A short human summary ("every 2 weeks on Mon, Wed"), or a neutral word for a rule it cannot read. */
export function summarizeRecurrence(rule: string): string {
  try {
    return describeRecurrence(rule);
  } catch {
    return 'repeats';
  }
}

/**
 * The first `count` due dates of a series starting at `start` (its own due date first), as the
 * server's recurring-task service will compute them; empty for an invalid rule.
 */
export function previewOccurrences(
  rule: string,
  start: Date,
  allDay: boolean,
  timeZone: string,
  count: number,
): Date[] {
  try {
    return upcomingOccurrences({ rule, start, allDay, timeZone, count });
  } catch {
    return [];
  }
}
