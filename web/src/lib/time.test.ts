import { describe, expect, test } from 'vitest';
import { daysLeftInWeek, describeDue, startOfDay, wallClockIn, wallClockToInstant } from './time';

describe('wall clocks in a time zone', () => {
  test('round-trips through UTC, also across a daylight-saving change', () => {
    const summer = { year: 2026, month: 7, day: 1, hour: 9, minute: 30 };
    const winter = { year: 2026, month: 12, day: 1, hour: 9, minute: 30 };
    expect(wallClockToInstant(summer, 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:30:00.000Z');
    expect(wallClockToInstant(winter, 'Europe/Berlin').toISOString()).toBe('2026-12-01T08:30:00.000Z');
    expect(wallClockIn(new Date('2026-12-01T08:30:00Z'), 'Europe/Berlin')).toEqual(winter);
  });

  test('finds midnight of today and of later days in the zone', () => {
    const now = new Date('2026-03-28T23:30:00Z'); // already Sunday 00:30 in Berlin, the day clocks go forward
    expect(startOfDay(now, 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDay(now, 'Europe/Berlin', 1).toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });
});

test('a week runs Monday to Sunday in the user zone', () => {
  expect(daysLeftInWeek(new Date('2026-11-30T10:00:00Z'), 'Europe/Berlin')).toBe(7); // Monday
  expect(daysLeftInWeek(new Date('2026-11-27T10:00:00Z'), 'Europe/Berlin')).toBe(3); // Friday
  expect(daysLeftInWeek(new Date('2026-11-29T23:30:00Z'), 'Europe/Berlin')).toBe(7); // Monday 00:30 in Berlin
  expect(daysLeftInWeek(new Date('2026-11-29T10:00:00Z'), 'Europe/Berlin')).toBe(1); // Sunday
});

describe('due labels', () => {
  const now = new Date('2026-11-27T10:00:00Z'); // Friday 11:00 in Berlin

  test('say today, tomorrow or the weekday with the local time', () => {
    expect(describeDue('2026-11-27T17:00:00Z', false, 'Europe/Berlin', now).text).toBe('today 18:00');
    expect(describeDue('2026-11-28T08:00:00Z', false, 'Europe/Berlin', now).text).toBe('tomorrow 9:00');
    expect(describeDue('2026-11-30T08:00:00Z', false, 'Europe/Berlin', now).text).toMatch(/^Mon 9:00$/);
  });

  test('mark what is past as overdue', () => {
    expect(describeDue('2026-11-27T09:00:00Z', false, 'Europe/Berlin', now)).toMatchObject({ overdue: true });
    expect(describeDue('2026-11-27T00:00:00Z', true, 'Europe/Berlin', now)).toMatchObject({
      text: 'today',
      overdue: false,
    });
    expect(describeDue('2026-11-26T00:00:00Z', true, 'Pacific/Auckland', now)).toMatchObject({
      overdue: true,
    });
  });
});
