/**
 * Recurring tasks: RRULE validation, next-occurrence computation, previews and summaries.
 * Pure functions: "now" is always a parameter.
 */
import rrulePkg from 'rrule';
import { formatRule, parseRule } from './rule.js';

export { describeRecurrence } from './describe.js';
export {
  MAX_UPCOMING,
  type NextOccurrence,
  type NextOccurrenceInput,
  nextOccurrence,
  skipOccurrence,
  type UpcomingOccurrencesInput,
  upcomingOccurrences,
} from './occurrences.js';

export type RecurrenceValidation = { ok: true; rule: string } | { ok: false; reason: string };

/**
 * Checks an RFC 5545 RRULE body ("FREQ=WEEKLY;BYDAY=MO", an "RRULE:" prefix is accepted) and
 * returns it in canonical form ("freq=weekly;byday=mo;interval=1" → "FREQ=WEEKLY;BYDAY=MO"),
 * or a human-readable reason ("FREQ is required", "unknown BYDAY value 'XX'"). Never throws.
 *
 * Beyond RFC 5545: FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY (a task repeats at most daily);
 * DTSTART/TZID are refused (the due date and the user's zone are the start); INTERVAL is 1..1000;
 * BYHOUR/BYMINUTE/BYSECOND take one value each (they pin the time of day).
 */
export function validateRecurrence(rule: string): RecurrenceValidation {
  const parsed = parseRule(rule);
  if (!parsed.ok) return parsed;
  const canonical = formatRule(parsed.rule);
  try {
    // Last line of defence: the library that will iterate the rule must accept it too.
    rrulePkg.RRule.fromString(canonical);
  } catch (error) {
    return { ok: false, reason: `the rule could not be read: ${(error as Error).message}` };
  }
  return { ok: true, rule: canonical };
}
