import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromWallClock, localDateOf, toWallClock } from '../time.js';
import { type NextOccurrence, nextOccurrence, upcomingOccurrences, validateRecurrence } from './index.js';

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Pacific/Apia',
  'America/Sao_Paulo',
  'Pacific/Auckland',
  'America/St_Johns',
  'Asia/Kathmandu',
  'Europe/London',
];
const DAY_MS = 86_400_000;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

interface RuleParts {
  freq: 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  interval: number;
  byDay: string[];
}

const ruleParts: fc.Arbitrary<RuleParts> = fc.record({
  freq: fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'),
  interval: fc.integer({ min: 1, max: 5 }),
  byDay: fc.oneof(
    fc.constant<string[]>([]),
    fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 3 }),
  ),
});

function ruleText({ freq, interval, byDay }: RuleParts, end = ''): string {
  return [`FREQ=${freq}`, `INTERVAL=${interval}`, byDay.length ? `BYDAY=${byDay.join(',')}` : '', end]
    .filter(Boolean)
    .join(';');
}

// Whole minutes between 2020 and 2035.
const instant = fc
  .integer({ min: Date.UTC(2020, 0, 1) / 60_000, max: Date.UTC(2035, 11, 31) / 60_000 })
  .map((minutes) => new Date(minutes * 60_000));

/** A task of a random series, completed at a random time from 10 days early to 400 days late. */
const scenario = fc
  .record({
    parts: ruleParts,
    zone: fc.constantFrom(...ZONES),
    due: instant,
    allDay: fc.boolean(),
    occurrence: fc.integer({ min: 1, max: 20 }),
    lateness: fc.integer({ min: -10 * 24 * 60, max: 400 * 24 * 60 }),
  })
  .map(({ parts, zone, due, allDay, occurrence, lateness }) => {
    const dueAt = allDay ? localDateOf(due, zone) : due;
    const now = new Date(dueAt.getTime() + lateness * 60_000);
    return { parts, zone, dueAt, allDay, occurrence, now };
  });

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function complete(s: Scenario, rule: string): NextOccurrence | null {
  return nextOccurrence({
    rule,
    timeZone: s.zone,
    dueAt: s.dueAt,
    allDay: s.allDay,
    occurrence: s.occurrence,
    completedAt: s.now,
    now: s.now,
  });
}

function timeOfDay(wallClock: Date): number {
  return wallClock.getTime() % DAY_MS;
}

describe('nextOccurrence properties', () => {
  it('(anchor due) is after the due date and not in the past, with a larger occurrence index', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const next = complete(s, ruleText(s.parts));
        expect(next).not.toBeNull();
        if (next === null) return;
        expect(next.dueAt.getTime()).toBeGreaterThan(s.dueAt.getTime());
        if (s.allDay) {
          expect(next.dueAt.getTime()).toBeGreaterThanOrEqual(localDateOf(s.now, s.zone).getTime());
          expect(next.dueAt.getTime() % DAY_MS).toBe(0);
        } else {
          expect(next.dueAt.getTime()).toBeGreaterThan(s.now.getTime());
        }
        expect(next.occurrence).toBeGreaterThan(s.occurrence);
        expect(validateRecurrence(next.rule).ok).toBe(true);
      }),
    );
  });

  it('keeps the local time of day of DAILY and WEEKLY timed series unless that time does not exist', () => {
    const dailyOrWeekly = scenario.filter(
      (s) => !s.allDay && (s.parts.freq === 'DAILY' || s.parts.freq === 'WEEKLY'),
    );
    fc.assert(
      fc.property(dailyOrWeekly, (s) => {
        const next = complete(s, ruleText(s.parts));
        if (next === null) throw new Error('an endless series ended');
        const wanted = timeOfDay(toWallClock(s.dueAt, s.zone));
        const got = toWallClock(next.dueAt, s.zone);
        if (timeOfDay(got) === wanted) return;
        const intended = new Date(got.getTime() - timeOfDay(got) + wanted);
        expect(fromWallClock(intended, s.zone).shifted).toBe(true);
      }),
    );
  });

  it('with COUNT, is null exactly when the series without COUNT would pass it, and otherwise the same', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 40 }), (s, count) => {
        const unbounded = complete(s, ruleText(s.parts));
        const bounded = complete(s, ruleText(s.parts, `COUNT=${count}`));
        if (unbounded === null) throw new Error('an endless series ended');
        if (unbounded.occurrence > count) expect(bounded).toBeNull();
        else expect(bounded?.dueAt).toEqual(unbounded.dueAt);
      }),
    );
  });

  it('with a date-only UNTIL, is null exactly when the series without it passes that local date', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: -30, max: 500 }), (s, untilInDays) => {
        const until = new Date(localDateOf(s.dueAt, s.zone).getTime() + untilInDays * DAY_MS);
        const untilText = until.toISOString().slice(0, 10).replaceAll('-', '');
        const unbounded = complete(s, ruleText(s.parts));
        const bounded = complete(s, ruleText(s.parts, `UNTIL=${untilText}`));
        if (unbounded === null) throw new Error('an endless series ended');
        const nextDate = s.allDay ? unbounded.dueAt : localDateOf(unbounded.dueAt, s.zone);
        if (nextDate.getTime() > until.getTime()) expect(bounded).toBeNull();
        else expect(bounded?.dueAt).toEqual(unbounded.dueAt);
      }),
    );
  });

  it('(anchor completion) is after the completion day at the earliest, and not in the past', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const next = nextOccurrence({
          rule: ruleText(s.parts),
          anchor: 'completion',
          timeZone: s.zone,
          dueAt: s.dueAt,
          allDay: s.allDay,
          occurrence: s.occurrence,
          completedAt: s.now,
          now: s.now,
        });
        if (next === null) throw new Error('an endless series ended');
        const nextDate = s.allDay ? next.dueAt : localDateOf(next.dueAt, s.zone);
        expect(nextDate.getTime()).toBeGreaterThan(localDateOf(s.now, s.zone).getTime());
        expect(next.occurrence).toBe(s.occurrence + 1);
      }),
    );
  });
});

describe('upcomingOccurrences properties', () => {
  it('is strictly increasing, starts at the start, and agrees with completing each date on time', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 8 }), (s, count) => {
        const rule = ruleText(s.parts);
        const dates = upcomingOccurrences({
          rule,
          timeZone: s.zone,
          start: s.dueAt,
          allDay: s.allDay,
          count,
        });
        expect(dates).toHaveLength(count);
        expect(dates[0]).toEqual(s.dueAt);
        let current = { rule, occurrence: 1 };
        for (let i = 1; i < dates.length; i += 1) {
          const previous = dates[i - 1] as Date;
          expect((dates[i] as Date).getTime()).toBeGreaterThan(previous.getTime());
          const next = nextOccurrence({
            ...current,
            timeZone: s.zone,
            dueAt: previous,
            allDay: s.allDay,
            completedAt: previous,
            now: previous,
          });
          expect(next?.dueAt).toEqual(dates[i]);
          if (next) current = next;
        }
      }),
    );
  });
});
