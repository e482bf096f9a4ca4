import { dateInputValue, wallClockIn } from '../../src/lib/time';
import { TIME_ZONE } from './browser';

/** `YYYY-MM-DD` of the next given weekday (0 = Sunday … 6 = Saturday) after today, in the test zone. */
export function nextWeekday(weekday: number): string {
  const today = wallClockIn(new Date(), TIME_ZONE);
  const todayUtc = new Date(Date.UTC(today.year, today.month - 1, today.day));
  const ahead = ((weekday - todayUtc.getUTCDay() + 7) % 7) + 7 * Number(weekday === todayUtc.getUTCDay());
  const target = new Date(todayUtc.getTime() + ahead * 86_400_000);
  return dateInputValue({
    year: target.getUTCFullYear(),
    month: target.getUTCMonth() + 1,
    day: target.getUTCDate(),
    hour: 0,
    minute: 0,
  });
}

export const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

/** `YYYY-MM-DD` of the day `days` after today in the test zone (0: today). */
export function daysFromToday(days: number): string {
  const today = wallClockIn(new Date(), TIME_ZONE);
  const target = new Date(Date.UTC(today.year, today.month - 1, today.day) + days * 86_400_000);
  return target.toISOString().slice(0, 10);
}
