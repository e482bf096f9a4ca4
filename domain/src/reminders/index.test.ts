import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  describeReminder,
  reminderFireTimes,
  reminderOffsetMinutes,
  validateReminderOffset,
} from './index.js';

function at(zone: string, local: string): Date {
  return DateTime.fromISO(local, { zone }).toJSDate();
}

function local(zone: string, instant: Date): string {
  return (
    DateTime.fromJSDate(instant, { zone }).toISO({ suppressSeconds: true, suppressMilliseconds: true }) ?? ''
  );
}

describe('validateReminderOffset', () => {
  it.each([
    ['PT30M', 'PT30M'],
    ['P1D', 'P1D'],
    ['PT90M', 'PT1H30M'],
    ['PT1H30M', 'PT1H30M'],
    ['pt15m', 'PT15M'],
    ['PT24H', 'P1D'],
    ['P1W', 'P7D'],
    ['P1W2D', 'P9D'],
    ['P1DT36H', 'P2DT12H'],
    ['PT0.5H', 'PT30M'],
    ['PT0S', 'PT0S'],
    ['P0D', 'PT0S'],
    ['PT45S', 'PT45S'],
    ['P365D', 'P365D'],
  ])('accepts %s as %s', (input, normalized) => {
    expect(validateReminderOffset(input)).toEqual({ ok: true, offset: normalized });
  });

  it.each([
    ['-PT30M', 'cannot be negative'],
    ['PT-30M', 'cannot be negative'],
    ['30 minutes', 'is not an ISO 8601 duration'],
    ['P', 'is not an ISO 8601 duration'],
    ['PT', 'is not an ISO 8601 duration'],
    ['P1DT', 'is not an ISO 8601 duration'],
    ['', 'is not an ISO 8601 duration'],
    ['P1M', 'years and months are not allowed'],
    ['P1Y', 'years and months are not allowed'],
    ['P366D', 'at most 365 days'],
    ['P53W', 'at most 365 days'],
    ['PT0.5S', 'whole seconds'],
  ])('rejects %j: %s', (input, reason) => {
    const result = validateReminderOffset(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('never throws, and its normal form is a fixed point', () => {
    const durationLike = fc
      .array(fc.constantFrom('P', 'T', 'W', 'D', 'H', 'M', 'S', 'Y', '1', '30', '0.5', '-', '400'), {
        maxLength: 8,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), durationLike), (input) => {
        const result = validateReminderOffset(input);
        if (result.ok) expect(validateReminderOffset(result.offset)).toEqual(result);
      }),
    );
  });
});

describe('reminderOffsetMinutes and describeReminder', () => {
  it('compares offsets by length however they are spelled, and refuses what is no fixed duration', () => {
    expect(reminderOffsetMinutes('PT0M')).toBe(reminderOffsetMinutes('PT0S'));
    expect(reminderOffsetMinutes('P1W')).toBe(7 * 24 * 60);
    expect(reminderOffsetMinutes('pt1h30m')).toBe(90);
    expect(reminderOffsetMinutes('P1M')).toBeNull();
    expect(reminderOffsetMinutes('soon')).toBeNull();
  });

  it('says an offset as a sentence does and as a badge fits', () => {
    expect(
      ['PT0S', 'PT30M', 'PT1H30M', 'PT2H', 'P1D', 'P7D'].map((offset) => describeReminder(offset)),
    ).toEqual([
      'when it’s due',
      '30 minutes before',
      '1 hour 30 minutes before',
      '2 hours before',
      '1 day before',
      '1 week before',
    ]);
    expect(['PT0M', 'PT30M', 'PT2H', 'P2D'].map((offset) => describeReminder(offset, 'short'))).toEqual([
      'at due time',
      '30 min before',
      '2 h before',
      '2 days before',
    ]);
    expect(describeReminder('whenever')).toBe('whenever');
  });
});

describe('reminderFireTimes', () => {
  it('fires a timed task offset before its due time, deduplicated and sorted', () => {
    const fires = reminderFireTimes({
      dueAt: at('Europe/Berlin', '2026-06-10T09:00'),
      allDay: false,
      timeZone: 'Europe/Berlin',
      offsets: ['PT30M', 'P1D', 'PT0S', 'PT1H', 'PT60M'],
    });
    expect(fires.map((f) => [f.offset, local('Europe/Berlin', f.fireAt)])).toEqual([
      ['P1D', '2026-06-09T09:00+02:00'],
      ['PT1H', '2026-06-10T08:00+02:00'],
      ['PT30M', '2026-06-10T08:30+02:00'],
      ['PT0S', '2026-06-10T09:00+02:00'],
    ]);
  });

  it('counts days on the calendar across a DST change, hours as elapsed time', () => {
    const fires = reminderFireTimes({
      dueAt: at('America/New_York', '2026-03-08T09:00'),
      allDay: false,
      timeZone: 'America/New_York',
      offsets: ['P1D', 'PT24H', 'PT12H'],
    });
    expect(fires.map((f) => local('America/New_York', f.fireAt))).toEqual([
      '2026-03-07T09:00-05:00',
      '2026-03-07T20:00-05:00',
    ]);
  });

  it('measures all-day reminders from 09:00 local time on the due date', () => {
    const fires = reminderFireTimes({
      dueAt: new Date('2026-03-03T00:00:00Z'),
      allDay: true,
      timeZone: 'Asia/Kolkata',
      offsets: ['PT0S', 'P1D', 'PT2H'],
    });
    expect(fires.map((f) => local('Asia/Kolkata', f.fireAt))).toEqual([
      '2026-03-02T09:00+05:30',
      '2026-03-03T07:00+05:30',
      '2026-03-03T09:00+05:30',
    ]);
  });

  it('uses the given all-day reminder time', () => {
    const [fire] = reminderFireTimes({
      dueAt: new Date('2026-12-24T00:00:00Z'),
      allDay: true,
      timeZone: 'America/Los_Angeles',
      offsets: ['PT0S'],
      allDayReminderTime: '18:30',
    });
    expect(fire && local('America/Los_Angeles', fire.fireAt)).toBe('2026-12-24T18:30-08:00');
  });

  it('returns nothing without offsets', () => {
    expect(
      reminderFireTimes({
        dueAt: new Date('2026-01-01T00:00:00Z'),
        allDay: true,
        timeZone: 'UTC',
        offsets: [],
      }),
    ).toEqual([]);
  });

  it('throws a RangeError for an invalid offset, zone or reminder time', () => {
    const input = {
      dueAt: new Date('2026-01-01T00:00:00Z'),
      allDay: true,
      timeZone: 'UTC',
      offsets: ['PT1H'],
    };
    expect(() => reminderFireTimes({ ...input, offsets: ['-PT1H'] })).toThrow(RangeError);
    expect(() => reminderFireTimes({ ...input, timeZone: 'Nowhere/Atlantis' })).toThrow(RangeError);
    expect(() => reminderFireTimes({ ...input, allDayReminderTime: '9am' })).toThrow(RangeError);
  });

  it('never fires after the reference moment, and is sorted', () => {
    const offset = fc
      .record({ days: fc.integer({ min: 0, max: 30 }), minutes: fc.integer({ min: 0, max: 24 * 60 }) })
      .map(({ days, minutes }) => `P${days}DT${minutes}M`);
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) }),
        fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'),
        fc.array(offset, { maxLength: 5 }),
        (ms, timeZone, offsets) => {
          const dueAt = new Date(ms);
          const fires = reminderFireTimes({ dueAt, allDay: false, timeZone, offsets });
          for (const [i, fire] of fires.entries()) {
            expect(fire.fireAt.getTime()).toBeLessThanOrEqual(dueAt.getTime());
            if (i > 0)
              expect(fire.fireAt.getTime()).toBeGreaterThanOrEqual(fires[i - 1]?.fireAt.getTime() ?? 0);
          }
          expect(new Set(fires.map((f) => f.offset)).size).toBe(fires.length);
        },
      ),
    );
  });
});
