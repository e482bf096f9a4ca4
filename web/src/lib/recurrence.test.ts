import { describe, expect, test } from 'vitest';
import { emptyRecurrenceForm, fromRRule, type RecurrenceForm, toRRule } from './recurrence';

const monday = { year: 2026, month: 11, day: 30, hour: 9, minute: 0 };

describe('recurrence picker ⇄ RRULE', () => {
  test.each([
    ['FREQ=DAILY', 'daily'],
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'weekdays'],
    ['FREQ=WEEKLY;BYDAY=MO,WE', 'weekly'],
    ['FREQ=MONTHLY;BYMONTHDAY=15', 'monthly'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20261231', 'custom'],
    ['FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1;COUNT=4', 'custom'],
  ])('%s reads as %s and writes back unchanged', (rule, kind) => {
    const form = fromRRule(rule, monday);
    expect(form.kind).toBe(kind);
    expect(toRRule(form)).toBe(rule);
  });

  test('a new weekly rule starts on the due weekday; "none" is no rule', () => {
    const form: RecurrenceForm = { ...emptyRecurrenceForm(monday), kind: 'weekly' };
    expect(toRRule(form)).toBe('FREQ=WEEKLY;BYDAY=MO');
    expect(toRRule(emptyRecurrenceForm(monday))).toBeNull();
  });
});
