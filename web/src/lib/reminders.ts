import { describeReminder, reminderOffsetMinutes } from '@todo/domain/reminders/index';

/** Reminder offsets are ISO 8601 durations before the due time ("PT0M" = at due time). */
export const REMINDER_PRESETS: { value: string; label: string }[] = [
  { value: 'PT0M', label: 'At due time' },
  { value: 'PT10M', label: '10 min before' },
  { value: 'PT30M', label: '30 min before' },
  { value: 'PT1H', label: '1 hour before' },
  { value: 'P1D', label: '1 day before' },
];

/** A reminder as a badge or a checkbox label shows it: "30 min before", "1 day before". */
export const reminderLabel = (offset: string) => describeReminder(offset, 'short');

/** Reminders are compared by length, not spelling: the server may store "PT0M" as "PT0S". */
export const sameOffset = (a: string, b: string) => reminderOffsetMinutes(a) === reminderOffsetMinutes(b);

export function sortReminders(reminders: string[]): string[] {
  return [...reminders].sort((a, b) => (reminderOffsetMinutes(a) ?? 0) - (reminderOffsetMinutes(b) ?? 0));
}
