import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type NextOccurrenceInput, nextOccurrence, skipOccurrence, upcomingOccurrences } from './index.js';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

/** The instant of a local wall-clock time, e.g. at(BERLIN, '2026-03-29T09:00'). */
function at(zone: string, local: string): Date {
  return DateTime.fromISO(local, { zone }).toJSDate();
}

/** How a user in `zone` reads an instant: "2026-03-29T09:00+02:00". */
function local(zone: string, instant: Date): string {
  return (
    DateTime.fromJSDate(instant, { zone }).toISO({ suppressSeconds: true, suppressMilliseconds: true }) ?? ''
  );
}

function day(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

/** Completes an occurrence right at its due time (never overdue) with anchor 'due'. */
function completeOnTime(rule: string, zone: string, dueAt: Date, occurrence = 1, allDay = false) {
  return nextOccurrence({ rule, timeZone: zone, dueAt, allDay, occurrence, completedAt: dueAt, now: dueAt });
}

/** Follows a series: each next occurrence is computed from the previous one and its returned rule. */
function chain(rule: string, zone: string, dueAt: Date, steps: number, allDay = false): string[] {
  const dates: string[] = [];
  let current = { rule, dueAt, occurrence: 1 };
  for (let i = 0; i < steps; i += 1) {
    const next = completeOnTime(current.rule, zone, current.dueAt, current.occurrence, allDay);
    if (next === null) break;
    dates.push(allDay ? next.dueAt.toISOString().slice(0, 10) : local(zone, next.dueAt));
    current = next;
  }
  return dates;
}

describe('nextOccurrence across DST changes keeps the wall-clock time', () => {
  it.each([
    [BERLIN, '2026-03-28T09:00', ['2026-03-29T09:00+02:00', '2026-03-30T09:00+02:00']],
    [BERLIN, '2026-10-24T09:00', ['2026-10-25T09:00+01:00', '2026-10-26T09:00+01:00']],
    [NEW_YORK, '2026-03-07T09:00', ['2026-03-08T09:00-04:00', '2026-03-09T09:00-04:00']],
    [NEW_YORK, '2026-10-31T09:00', ['2026-11-01T09:00-05:00', '2026-11-02T09:00-05:00']],
  ])('daily 09:00 in %s from %s', (zone, start, expected) => {
    expect(chain('FREQ=DAILY', zone, at(zone, start), 2)).toEqual(expected);
  });

  it('weekly across the Berlin spring change keeps 18:30', () => {
    expect(chain('FREQ=WEEKLY;BYDAY=TU', BERLIN, at(BERLIN, '2026-03-24T18:30'), 1)).toEqual([
      '2026-03-31T18:30+02:00',
    ]);
  });

  it.each([
    [BERLIN, '2026-03-28T02:30', '2026-03-29T03:30+02:00', '2026-03-30T02:30+02:00'],
    [NEW_YORK, '2026-03-07T02:30', '2026-03-08T03:30-04:00', '2026-03-09T02:30-04:00'],
  ])(
    '02:30 daily in %s moves out of the spring-forward gap for that day only',
    (zone, start, gapDay, dayAfter) => {
      const onGapDay = completeOnTime('FREQ=DAILY', zone, at(zone, start));
      expect(onGapDay && local(zone, onGapDay.dueAt)).toBe(gapDay);
      expect(onGapDay?.rule).toBe('FREQ=DAILY;BYHOUR=2;BYMINUTE=30');
      expect(chain('FREQ=DAILY', zone, at(zone, start), 2)).toEqual([gapDay, dayAfter]);
    },
  );

  it('an ambiguous 02:30 on the fall-back day resolves to its first occurrence', () => {
    const next = completeOnTime('FREQ=DAILY', BERLIN, at(BERLIN, '2026-10-24T02:30'));
    expect(next?.dueAt.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(next?.rule).toBe('FREQ=DAILY');
  });

  it('Lord Howe Island moves its clocks by 30 minutes; 02:15 moves to 02:45 on that day', () => {
    expect(
      chain('FREQ=DAILY', 'Australia/Lord_Howe', at('Australia/Lord_Howe', '2026-10-03T02:15'), 2),
    ).toEqual(['2026-10-04T02:45+11:00', '2026-10-05T02:15+11:00']);
  });
});

describe('nextOccurrence at month ends', () => {
  it('monthly from Jan 31 gives Feb 28, then Mar 31, Apr 30', () => {
    expect(chain('FREQ=MONTHLY', BERLIN, at(BERLIN, '2026-01-31T09:00'), 3)).toEqual([
      '2026-02-28T09:00+01:00',
      '2026-03-31T09:00+02:00',
      '2026-04-30T09:00+02:00',
    ]);
  });

  it('monthly from Jan 31 gives Feb 29 in a leap year', () => {
    expect(chain('FREQ=MONTHLY', BERLIN, at(BERLIN, '2028-01-31T09:00'), 2)).toEqual([
      '2028-02-29T09:00+01:00',
      '2028-03-31T09:00+02:00',
    ]);
  });

  it('stores the start day so a Feb 28 occurrence is followed by Mar 31', () => {
    const next = completeOnTime('FREQ=MONTHLY', BERLIN, at(BERLIN, '2026-01-31T09:00'));
    expect(next?.rule).toBe('FREQ=MONTHLY;BYMONTHDAY=31');
  });

  it('monthly on the 30th gives Feb 28 then Mar 30', () => {
    expect(chain('FREQ=MONTHLY;BYMONTHDAY=30', NEW_YORK, at(NEW_YORK, '2026-01-30T08:00'), 2)).toEqual([
      '2026-02-28T08:00-05:00',
      '2026-03-30T08:00-04:00',
    ]);
  });

  it('BYMONTHDAY=-1 is the last day of every month', () => {
    expect(chain('FREQ=MONTHLY;BYMONTHDAY=-1', 'UTC', day('2027-12-31'), 4, true)).toEqual([
      '2028-01-31',
      '2028-02-29',
      '2028-03-31',
      '2028-04-30',
    ]);
  });

  it('every 2 months on the 31st keeps the interval', () => {
    expect(chain('FREQ=MONTHLY;INTERVAL=2', 'UTC', day('2026-12-31'), 3, true)).toEqual([
      '2027-02-28',
      '2027-04-30',
      '2027-06-30',
    ]);
  });

  it('yearly on Mar 3', () => {
    expect(chain('FREQ=YEARLY', BERLIN, at(BERLIN, '2026-03-03T10:00'), 2)).toEqual([
      '2027-03-03T10:00+01:00',
      '2028-03-03T10:00+01:00',
    ]);
  });

  it('yearly from Feb 29 falls on Feb 28 in other years and returns to Feb 29', () => {
    expect(chain('FREQ=YEARLY', 'UTC', day('2028-02-29'), 4, true)).toEqual([
      '2029-02-28',
      '2030-02-28',
      '2031-02-28',
      '2032-02-29',
    ]);
  });
});

describe('nextOccurrence on weekdays and intervals', () => {
  it('weekly on Mon and Thu goes Mon → Thu → next Mon', () => {
    expect(chain('FREQ=WEEKLY;BYDAY=MO,TH', BERLIN, at(BERLIN, '2026-06-01T07:00'), 3)).toEqual([
      '2026-06-04T07:00+02:00',
      '2026-06-08T07:00+02:00',
      '2026-06-11T07:00+02:00',
    ]);
  });

  it('every 2 weeks on Mon and Wed skips the week in between', () => {
    expect(chain('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', 'UTC', day('2026-06-01'), 3, true)).toEqual([
      '2026-06-03',
      '2026-06-15',
      '2026-06-17',
    ]);
  });

  it('every 3 days', () => {
    expect(chain('FREQ=DAILY;INTERVAL=3', NEW_YORK, at(NEW_YORK, '2026-03-06T09:00'), 2)).toEqual([
      '2026-03-09T09:00-04:00',
      '2026-03-12T09:00-04:00',
    ]);
  });

  it('monthly on the last weekday', () => {
    expect(chain('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'UTC', day('2026-01-30'), 2, true)).toEqual(
      ['2026-02-27', '2026-03-31'],
    );
  });

  it('a rule pinning the time of day wins over the due time', () => {
    expect(chain('FREQ=DAILY;BYHOUR=9;BYMINUTE=0', BERLIN, at(BERLIN, '2026-06-01T14:00'), 1)).toEqual([
      '2026-06-02T09:00+02:00',
    ]);
  });
});

describe('nextOccurrence with anchor completion', () => {
  const base: NextOccurrenceInput = {
    rule: 'FREQ=DAILY;INTERVAL=3',
    anchor: 'completion',
    timeZone: BERLIN,
    dueAt: at(BERLIN, '2026-06-08T09:00'),
    allDay: false,
    occurrence: 4,
    completedAt: at(BERLIN, '2026-06-10T15:00'),
    now: at(BERLIN, '2026-06-10T15:00'),
  };

  it('every 3 days completed on the 10th at 15:00 is next due on the 13th at the due time', () => {
    const next = nextOccurrence(base);
    expect(next && local(BERLIN, next.dueAt)).toBe('2026-06-13T09:00+02:00');
    expect(next?.occurrence).toBe(5);
    expect(next?.rule).toBe('FREQ=DAILY;INTERVAL=3');
  });

  it('uses the completion day in the user zone, not in UTC', () => {
    const next = nextOccurrence({
      ...base,
      rule: 'FREQ=DAILY',
      timeZone: 'Asia/Kolkata',
      dueAt: at('Asia/Kolkata', '2026-06-08T09:00'),
      completedAt: at('Asia/Kolkata', '2026-06-10T01:00'),
      now: at('Asia/Kolkata', '2026-06-10T01:00'),
    });
    expect(next && local('Asia/Kolkata', next.dueAt)).toBe('2026-06-11T09:00+05:30');
  });

  it('completed early, the next one is counted from the completion', () => {
    const next = nextOccurrence({
      ...base,
      rule: 'FREQ=WEEKLY',
      completedAt: at(BERLIN, '2026-06-05T12:00'),
      now: at(BERLIN, '2026-06-05T12:00'),
    });
    expect(next && local(BERLIN, next.dueAt)).toBe('2026-06-12T09:00+02:00');
  });

  it('monthly completed on Jan 31 gives Feb 28 and does not pin the day', () => {
    const next = nextOccurrence({
      ...base,
      rule: 'FREQ=MONTHLY',
      allDay: true,
      dueAt: day('2026-01-20'),
      completedAt: at(BERLIN, '2026-01-31T20:00'),
      now: at(BERLIN, '2026-01-31T20:00'),
    });
    expect(next).toEqual({ dueAt: day('2026-02-28'), occurrence: 5, rule: 'FREQ=MONTHLY' });
  });
});

describe('nextOccurrence when completing an overdue occurrence (anchor due)', () => {
  const overdue: NextOccurrenceInput = {
    rule: 'FREQ=DAILY',
    timeZone: NEW_YORK,
    dueAt: at(NEW_YORK, '2026-01-01T09:00'),
    allDay: false,
    occurrence: 1,
    completedAt: at(NEW_YORK, '2026-01-10T12:00'),
    now: at(NEW_YORK, '2026-01-10T12:00'),
  };

  it('jumps to the first occurrence after now, counting the skipped ones', () => {
    const next = nextOccurrence(overdue);
    expect(next && local(NEW_YORK, next.dueAt)).toBe('2026-01-11T09:00-05:00');
    expect(next?.occurrence).toBe(11);
  });

  it('an occurrence later today is not in the past', () => {
    const next = nextOccurrence({ ...overdue, now: at(NEW_YORK, '2026-01-10T08:00') });
    expect(next && local(NEW_YORK, next.dueAt)).toBe('2026-01-10T09:00-05:00');
    expect(next?.occurrence).toBe(10);
  });

  it('ends the series when the skipped occurrences use up COUNT', () => {
    expect(nextOccurrence({ ...overdue, rule: 'FREQ=DAILY;COUNT=5' })).toBeNull();
    expect(nextOccurrence({ ...overdue, rule: 'FREQ=DAILY;COUNT=11' })?.occurrence).toBe(11);
  });

  it('all-day: today (in the user zone) is not past yet', () => {
    const next = nextOccurrence({
      ...overdue,
      timeZone: 'Pacific/Auckland',
      allDay: true,
      dueAt: day('2026-01-01'),
      now: new Date('2026-01-04T21:00:00Z'), // Jan 5, 10:00 in Auckland
    });
    expect(next).toEqual({ dueAt: day('2026-01-05'), occurrence: 5, rule: 'FREQ=DAILY' });
  });

  it('skipping is the same computation as completing', () => {
    expect(skipOccurrence(overdue)).toEqual(nextOccurrence(overdue));
  });
});

describe('nextOccurrence at the end of a series', () => {
  it('COUNT=3: the 2nd gives the 3rd, the 3rd gives null', () => {
    const due = at(BERLIN, '2026-05-01T09:00');
    expect(completeOnTime('FREQ=DAILY;COUNT=3', BERLIN, due, 2)?.occurrence).toBe(3);
    expect(completeOnTime('FREQ=DAILY;COUNT=3', BERLIN, due, 3)).toBeNull();
  });

  it('a date-only UNTIL includes that local day', () => {
    const rule = 'FREQ=WEEKLY;UNTIL=20260316;BYDAY=MO';
    expect(chain(rule, NEW_YORK, at(NEW_YORK, '2026-03-02T21:00'), 5)).toEqual([
      '2026-03-09T21:00-04:00',
      '2026-03-16T21:00-04:00',
    ]);
  });

  it('a UTC UNTIL compares instants', () => {
    const rule = 'FREQ=DAILY;UNTIL=20260316T130000Z';
    expect(chain(rule, NEW_YORK, at(NEW_YORK, '2026-03-14T09:00'), 5)).toEqual([
      '2026-03-15T09:00-04:00',
      '2026-03-16T09:00-04:00',
    ]);
    expect(chain(rule, NEW_YORK, at(NEW_YORK, '2026-03-14T09:30'), 5)).toEqual(['2026-03-15T09:30-04:00']);
  });

  it('UNTIL on an all-day series', () => {
    expect(chain('FREQ=DAILY;UNTIL=20260103', BERLIN, day('2026-01-01'), 5, true)).toEqual([
      '2026-01-02',
      '2026-01-03',
    ]);
  });
});

describe('nextOccurrence for all-day tasks', () => {
  it('daily across the DST change stays on midnight UTC of each date', () => {
    expect(chain('FREQ=DAILY', BERLIN, day('2026-03-28'), 3, true)).toEqual([
      '2026-03-29',
      '2026-03-30',
      '2026-03-31',
    ]);
    expect(chain('FREQ=DAILY', NEW_YORK, day('2026-10-31'), 2, true)).toEqual(['2026-11-01', '2026-11-02']);
  });

  it('ignores a time of day in the rule', () => {
    expect(completeOnTime('FREQ=DAILY;BYHOUR=9', BERLIN, day('2026-05-01'), 1, true)?.dueAt).toEqual(
      day('2026-05-02'),
    );
  });
});

describe('nextOccurrence far ahead and never', () => {
  it('finds an occurrence centuries away', () => {
    expect(chain('FREQ=YEARLY;INTERVAL=1000', 'UTC', day('2028-02-29'), 1, true)).toEqual(['3028-02-29']);
  });

  it('returns null, quickly, for a series that can never produce a date from its start', () => {
    const started = performance.now();
    // Every 7th day from a Tuesday is never a Monday.
    expect(
      completeOnTime('FREQ=DAILY;INTERVAL=7;BYDAY=MO', BERLIN, at(BERLIN, '2026-01-06T09:00')),
    ).toBeNull();
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('jumps over decades of overdue occurrences', () => {
    const next = nextOccurrence({
      rule: 'FREQ=DAILY',
      timeZone: BERLIN,
      dueAt: at(BERLIN, '2000-01-01T09:00'),
      allDay: false,
      occurrence: 1,
      completedAt: at(BERLIN, '2035-01-01T10:00'),
      now: at(BERLIN, '2035-01-01T10:00'),
    });
    expect(next && local(BERLIN, next.dueAt)).toBe('2035-01-02T09:00+01:00');
    expect(next?.occurrence).toBe(12_786);
  });
});

describe('nextOccurrence input errors', () => {
  it('throws a RangeError for an invalid rule or zone', () => {
    const due = at(BERLIN, '2026-05-01T09:00');
    expect(() => completeOnTime('FREQ=HOURLY', BERLIN, due)).toThrow(RangeError);
    expect(() => completeOnTime('FREQ=DAILY', 'Mars/Olympus', due)).toThrow(RangeError);
  });
});

describe('upcomingOccurrences', () => {
  it('starts with the start date and follows the rule', () => {
    const dates = upcomingOccurrences({
      rule: 'FREQ=MONTHLY',
      timeZone: BERLIN,
      start: at(BERLIN, '2026-01-31T09:00'),
      allDay: false,
      count: 4,
    });
    expect(dates.map((d) => local(BERLIN, d))).toEqual([
      '2026-01-31T09:00+01:00',
      '2026-02-28T09:00+01:00',
      '2026-03-31T09:00+02:00',
      '2026-04-30T09:00+02:00',
    ]);
  });

  it('returns at most 50 dates, none for a count of 0', () => {
    const input = { rule: 'FREQ=DAILY', timeZone: 'UTC', start: day('2026-01-01'), allDay: true };
    expect(upcomingOccurrences({ ...input, count: 500 })).toHaveLength(50);
    expect(upcomingOccurrences({ ...input, count: 0 })).toEqual([]);
  });

  it('stops at COUNT and UNTIL', () => {
    const input = { timeZone: 'UTC', start: day('2026-01-01'), allDay: true, count: 10 };
    expect(upcomingOccurrences({ ...input, rule: 'FREQ=DAILY;COUNT=3' })).toHaveLength(3);
    expect(upcomingOccurrences({ ...input, rule: 'FREQ=WEEKLY;UNTIL=20260115' })).toEqual([
      day('2026-01-01'),
      day('2026-01-08'),
      day('2026-01-15'),
    ]);
    expect(upcomingOccurrences({ ...input, rule: 'FREQ=WEEKLY;UNTIL=20251231' })).toEqual([]);
  });

  it('keeps 02:30 after the spring-forward day', () => {
    const dates = upcomingOccurrences({
      rule: 'FREQ=DAILY',
      timeZone: BERLIN,
      start: at(BERLIN, '2026-03-28T02:30'),
      allDay: false,
      count: 3,
    });
    expect(dates.map((d) => local(BERLIN, d))).toEqual([
      '2026-03-28T02:30+01:00',
      '2026-03-29T03:30+02:00',
      '2026-03-30T02:30+02:00',
    ]);
  });
});
