/** Reminder offsets are ISO 8601 durations before the due time ("PT0M" = at due time). */
export const REMINDER_PRESETS: { value: string; label: string }[] = [
  { value: 'PT0M', label: 'At due time' },
  { value: 'PT10M', label: '10 min before' },
  { value: 'PT30M', label: '30 min before' },
  { value: 'PT1H', label: '1 hour before' },
  { value: 'P1D', label: '1 day before' },
];

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Minutes in an ISO 8601 duration, or null when it is not one this app understands. */
export function durationMinutes(duration: string): number | null {
  const match = DURATION.exec(duration);
  if (!match) return null;
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return (weeks ?? 0) * 10080 + (days ?? 0) * 1440 + (hours ?? 0) * 60 + (minutes ?? 0) + (seconds ?? 0) / 60;
}

/** "at due time", "30 min before", "1 day before", "2 h before". */
export function describeReminder(duration: string): string {
  const minutes = durationMinutes(duration);
  if (minutes === null) return duration;
  if (minutes === 0) return 'at due time';
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'} before`;
  if (minutes % 60 === 0) return `${minutes / 60} h before`;
  return `${Math.round(minutes)} min before`;
}

export function sortReminders(reminders: string[]): string[] {
  return [...reminders].sort((a, b) => (durationMinutes(a) ?? 0) - (durationMinutes(b) ?? 0));
}
