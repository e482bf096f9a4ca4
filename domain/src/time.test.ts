import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDueForUser, fromWallClock, isValidTimeZone, localDateOf, toWallClock } from './time.js';

describe('isValidTimeZone', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'])(
    'accepts %s',
    (tz) => {
      expect(isValidTimeZone(tz)).toBe(true);
    },
  );

  it.each(['', ' ', 'Mars/Olympus', 'Berlin', 'Europe/Berlin; DROP TABLE'])('rejects %j', (tz) => {
    expect(isValidTimeZone(tz)).toBe(false);
  });
});

describe('wall clocks', () => {
  const wall = (iso: string) => new Date(`${iso}Z`);

  it('reads an instant as local time', () => {
    expect(toWallClock(new Date('2026-07-01T07:00:00Z'), 'Europe/Berlin')).toEqual(
      wall('2026-07-01T09:00:00'),
    );
    expect(toWallClock(new Date('2026-07-01T07:00:00Z'), 'Asia/Kolkata')).toEqual(
      wall('2026-07-01T12:30:00'),
    );
  });

  it('resolves a normal local time', () => {
    expect(fromWallClock(wall('2026-07-01T09:00:00'), 'America/New_York')).toEqual({
      instant: new Date('2026-07-01T13:00:00Z'),
      shifted: false,
    });
  });

  it('moves a time in the spring-forward gap forward by the gap', () => {
    expect(fromWallClock(wall('2026-03-29T02:30:00'), 'Europe/Berlin')).toEqual({
      instant: new Date('2026-03-29T01:30:00Z'),
      shifted: true,
    });
  });

  it('resolves a time in the fall-back overlap to its first occurrence', () => {
    expect(fromWallClock(wall('2026-11-01T01:30:00'), 'America/New_York')).toEqual({
      instant: new Date('2026-11-01T05:30:00Z'),
      shifted: false,
    });
  });

  it('gives the local calendar date', () => {
    expect(localDateOf(new Date('2026-01-04T21:00:00Z'), 'Pacific/Auckland')).toEqual(
      wall('2026-01-05T00:00:00'),
    );
    expect(localDateOf(new Date('2026-01-05T03:00:00Z'), 'America/Los_Angeles')).toEqual(
      wall('2026-01-04T00:00:00'),
    );
  });

  it('round-trips every instant that is not in an overlap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) }),
        fc.constantFrom(
          'Europe/Berlin',
          'America/Sao_Paulo',
          'Australia/Lord_Howe',
          'Pacific/Apia',
          'Asia/Kolkata',
        ),
        (ms, zone) => {
          const instant = new Date(ms);
          const resolved = fromWallClock(toWallClock(instant, zone), zone);
          expect(resolved.shifted).toBe(false);
          // In an overlap the first of the two instants wins, which is never later.
          expect(resolved.instant.getTime()).toBeLessThanOrEqual(ms);
          expect(toWallClock(resolved.instant, zone)).toEqual(toWallClock(instant, zone));
        },
      ),
    );
  });
});

describe('formatDueForUser', () => {
  it('formats a timed due date in the user zone', () => {
    expect(formatDueForUser(new Date('2026-03-03T08:00:00Z'), false, 'Europe/Berlin')).toBe(
      'Tue, Mar 3, 2026, 9:00 AM',
    );
    expect(formatDueForUser(new Date('2026-03-03T08:00:00Z'), false, 'America/Los_Angeles')).toBe(
      'Tue, Mar 3, 2026, 12:00 AM',
    );
  });

  it('formats an all-day date without shifting it to the zone', () => {
    expect(formatDueForUser(new Date('2026-03-03T00:00:00Z'), true, 'America/Los_Angeles')).toBe(
      'Tue, Mar 3, 2026',
    );
  });
});
