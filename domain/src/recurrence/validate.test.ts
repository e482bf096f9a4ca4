import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeRecurrence, validateRecurrence } from './index.js';

describe('validateRecurrence', () => {
  it.each([
    ['FREQ=DAILY', 'FREQ=DAILY'],
    ['RRULE:FREQ=WEEKLY;BYDAY=MO,TH', 'FREQ=WEEKLY;BYDAY=MO,TH'],
    ['rrule:freq=weekly;byday=mo;interval=1', 'FREQ=WEEKLY;BYDAY=MO'],
    ['BYDAY=+1MO;FREQ=MONTHLY;INTERVAL=02', 'FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'FREQ=MONTHLY;BYMONTHDAY=-1'],
    ['FREQ=YEARLY;BYMONTHDAY=3;BYMONTH=3', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3'],
    ['FREQ=DAILY;COUNT=5;INTERVAL=3', 'FREQ=DAILY;INTERVAL=3;COUNT=5'],
    ['FREQ=WEEKLY;UNTIL=20270301;BYDAY=MO', 'FREQ=WEEKLY;UNTIL=20270301;BYDAY=MO'],
    ['FREQ=WEEKLY;UNTIL=20270301T090000Z', 'FREQ=WEEKLY;UNTIL=20270301T090000Z'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'],
    ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0', 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0'],
    ['FREQ=WEEKLY;WKST=SU;INTERVAL=2;BYDAY=SU', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;WKST=SU'],
    [' FREQ=DAILY; ', 'FREQ=DAILY'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30'],
    ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29'],
  ])('accepts %s as %s', (input, normalized) => {
    expect(validateRecurrence(input)).toEqual({ ok: true, rule: normalized });
  });

  it.each([
    ['', 'FREQ is required'],
    ['INTERVAL=2', 'FREQ is required'],
    ['FREQ=DAILY;BYDAY=XX', "unknown BYDAY value 'XX'"],
    ['FREQ=FORTNIGHTLY', "unknown FREQ value 'FORTNIGHTLY'"],
    ['FREQ=HOURLY', 'FREQ=HOURLY is not supported'],
    ['FREQ=MINUTELY', 'FREQ=MINUTELY is not supported'],
    ['FREQ=SECONDLY', 'FREQ=SECONDLY is not supported'],
    ['FREQ=DAILY;DTSTART=20260101T090000Z', 'DTSTART is not allowed'],
    ['DTSTART:20260101T090000Z\nRRULE:FREQ=DAILY', 'only an RRULE is allowed'],
    ['FREQ=DAILY;TZID=Europe/Berlin', 'TZID is not allowed'],
    ['FREQ=DAILY;COUNT=0', 'COUNT must be at least 1'],
    ['FREQ=DAILY;COUNT=-1', 'COUNT must be a whole number'],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL must be between 1 and 1000'],
    ['FREQ=DAILY;INTERVAL=1001', 'INTERVAL must be between 1 and 1000'],
    ['FREQ=DAILY;INTERVAL=abc', "INTERVAL must be a whole number, got 'ABC'"],
    ['FREQ=DAILY;UNTIL=tomorrow', 'UNTIL must look like'],
    ['FREQ=DAILY;UNTIL=20260230', "UNTIL is not a valid date: '20260230'"],
    ['FREQ=DAILY;COUNT=3;UNTIL=20270101', 'COUNT and UNTIL cannot both be set'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'FREQ appears twice'],
    ['FREQ=DAILY;FOO=1', "unknown rule part 'FOO'"],
    ['FREQ=DAILY;BYMONTHDAY=32', "unknown BYMONTHDAY value '32'"],
    ['FREQ=MONTHLY;BYMONTHDAY=0', "unknown BYMONTHDAY value '0'"],
    ['FREQ=YEARLY;BYMONTH=13', "unknown BYMONTH value '13'"],
    ['FREQ=WEEKLY;BYDAY=1MO', "BYDAY value '1MO' needs FREQ=MONTHLY or YEARLY"],
    ['FREQ=MONTHLY;BYDAY=6MO', 'a month has at most 5'],
    ['FREQ=DAILY;BYHOUR=9,17', 'BYHOUR takes a single value'],
    ['FREQ=DAILY;BYHOUR=24', 'BYHOUR must be between 0 and 23'],
    ['FREQ=MONTHLY;BYSETPOS=1', 'BYSETPOS needs another BY part'],
    ['FREQ=MONTHLY;BYWEEKNO=3', 'BYWEEKNO needs FREQ=YEARLY'],
    ['FREQ=DAILY;BYDAY=MO,TU;BYSETPOS=1', 'BYSETPOS needs FREQ=WEEKLY, MONTHLY or YEARLY'],
    ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', 'BYMONTHDAY=30 never falls in BYMONTH=2'],
    ['FREQ=YEARLY;BYMONTH=4,6;BYMONTHDAY=31,-31', 'BYMONTHDAY=31,-31 never falls in BYMONTH=4,6'],
    ['FREQ=WEEKLY;BYMONTHDAY=3', 'BYMONTHDAY cannot be used with FREQ=WEEKLY'],
    ['FREQ=DAILY;WKST=XX', "unknown WKST value 'XX'"],
    ['FREQ', "'FREQ' is not a NAME=VALUE part"],
  ])('rejects %j: %s', (input, reason) => {
    const result = validateRecurrence(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        validateRecurrence(input);
      }),
    );
  });

  it('never throws on rule-shaped input, and its normal form is a fixed point', () => {
    const token = fc.constantFrom(
      'FREQ',
      'INTERVAL',
      'COUNT',
      'UNTIL',
      'BYDAY',
      'BYMONTHDAY',
      'BYMONTH',
      'BYSETPOS',
      'BYHOUR',
      'WKST',
      'BYYEARDAY',
      'BYWEEKNO',
    );
    const value = fc.oneof(
      fc.constantFrom(
        'DAILY',
        'WEEKLY',
        'MONTHLY',
        'YEARLY',
        'HOURLY',
        'MO,TH',
        '-1FR',
        '2TU',
        'XX',
        '20270301',
      ),
      fc.integer({ min: -400, max: 1200 }).map(String),
      fc.string({ maxLength: 6 }),
    );
    const rule = fc
      .array(fc.tuple(token, value), { maxLength: 5 })
      .map((parts) => parts.map(([name, v]) => `${name}=${v}`).join(';'));
    fc.assert(
      fc.property(rule, (input) => {
        const result = validateRecurrence(input);
        if (result.ok) expect(validateRecurrence(result.rule)).toEqual(result);
      }),
    );
  });
});

describe('describeRecurrence', () => {
  it.each([
    ['FREQ=DAILY', 'every day'],
    ['FREQ=DAILY;INTERVAL=3;COUNT=5', 'every 3 days, 5 times'],
    ['FREQ=DAILY;COUNT=1', 'every day, once'],
    ['FREQ=DAILY;BYDAY=SA,SU', 'every Sat, Sun'],
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'every weekday'],
    ['FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR', 'every weekday'],
    ['FREQ=WEEKLY', 'every week'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', 'every 2 weeks on Mon, Wed'],
    ['FREQ=WEEKLY;BYDAY=MO;UNTIL=20270301', 'weekly on Mon until Mar 1, 2027'],
    ['FREQ=WEEKLY;BYDAY=MO;UNTIL=20270301T120000Z', 'weekly on Mon until Mar 1, 2027'],
    ['FREQ=MONTHLY', 'every month'],
    ['FREQ=MONTHLY;INTERVAL=3', 'every 3 months'],
    ['FREQ=MONTHLY;BYMONTHDAY=1', 'monthly on the 1st'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,15', 'monthly on the 1st and 15th'],
    ['FREQ=MONTHLY;BYMONTHDAY=22', 'monthly on the 22nd'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'monthly on the last day'],
    ['FREQ=MONTHLY;BYMONTHDAY=-2', 'monthly on the 2nd to last day'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'monthly on the last Fri'],
    ['FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU', 'every 2 months on the 2nd Tue'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'monthly on the last weekday'],
    ['FREQ=YEARLY', 'every year'],
    ['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3', 'every year on Mar 3'],
    ['FREQ=YEARLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=-1', 'every 2 years on the last day of Feb'],
    ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0', 'every day at 9:00 AM'],
    ['FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=21;BYMINUTE=30', 'monthly on the 1st at 9:30 PM'],
    ['FREQ=YEARLY;BYWEEKNO=20', 'every year in week 20'],
    ['FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=2', 'custom schedule (FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=2)'],
  ])('%s → %s', (rule, text) => {
    expect(describeRecurrence(rule)).toBe(text);
  });

  it('throws a RangeError for an invalid rule', () => {
    expect(() => describeRecurrence('FREQ=HOURLY')).toThrow(RangeError);
  });
});
