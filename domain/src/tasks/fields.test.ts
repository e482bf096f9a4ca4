import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldError } from './errors.js';
import { applyTaskInput, LIMITS, type TaskInput } from './fields.js';

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 600 }), fc.constant('  '));
const taskInput: fc.Arbitrary<TaskInput> = fc.record(
  {
    title: anyText,
    description: fc.string({ maxLength: 50 }),
    priority: fc.constantFrom('low', 'medium', 'high', 'urgent'),
    tags: fc.array(fc.oneof(anyText, fc.constantFrom('#Work', 'work', 'home', 'a/b')), { maxLength: 25 }),
    due_at: fc.oneof(
      fc.constant(null),
      fc
        .date({ min: new Date('1960-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      anyText,
    ),
    all_day: fc.boolean(),
    reminders: fc.array(fc.oneof(fc.constantFrom('PT30M', 'P1D', 'PT0M', 'P2W', '-PT5M', 'P400D'), anyText), {
      maxLength: 12,
    }),
    recurrence: fc.oneof(
      fc.constant(null),
      fc.constantFrom(
        'FREQ=DAILY',
        'FREQ=WEEKLY;BYDAY=MO,TH',
        'RRULE:FREQ=MONTHLY;BYMONTHDAY=-1',
        'FREQ=NEVER',
      ),
      anyText,
    ),
    recurrence_anchor: fc.constantFrom('due', 'completion'),
  },
  { requiredKeys: [] },
);

describe('task input validation (property-based)', () => {
  it('either accepts a normalized task or throws a FieldError naming a field, nothing else', () => {
    fc.assert(
      fc.property(taskInput, (input) => {
        let fields: ReturnType<typeof applyTaskInput>;
        try {
          fields = applyTaskInput(input);
        } catch (error) {
          expect(error).toBeInstanceOf(FieldError);
          expect((error as FieldError).field).toMatch(
            /^(title|description|tags(\.\d+)?|due_at|all_day|reminders(\.\d+)?|recurrence)$/,
          );
          return;
        }
        expect(fields.title).toBe(fields.title.trim());
        expect(fields.title.length).toBeGreaterThan(0);
        expect(fields.title.length).toBeLessThanOrEqual(LIMITS.title);
        expect(new Set(fields.tags).size).toBe(fields.tags.length);
        for (const tag of fields.tags) expect(tag).toBe(tag.toLowerCase());
        if (fields.reminders.length > 0 || fields.recurrence || fields.allDay)
          expect(fields.dueAt).not.toBeNull();
        if (fields.allDay && fields.dueAt)
          expect(fields.dueAt.getUTCHours() + fields.dueAt.getUTCMinutes()).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent: re-applying accepted output as input changes nothing', () => {
    fc.assert(
      fc.property(taskInput, (input) => {
        let first: ReturnType<typeof applyTaskInput>;
        try {
          first = applyTaskInput(input);
        } catch {
          return;
        }
        const again = applyTaskInput({
          title: first.title,
          description: first.description,
          priority: first.priority,
          tags: first.tags,
          all_day: first.allDay,
          due_at:
            first.dueAt &&
            (first.allDay ? first.dueAt.toISOString().slice(0, 10) : first.dueAt.toISOString()),
          reminders: first.reminders,
          recurrence: first.recurrence,
          recurrence_anchor: first.recurrenceAnchor,
        });
        expect(again).toEqual(first);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('clearing a due date', () => {
  it('leaves an all-day task undated; all_day: true with no date is still refused', () => {
    const allDay = applyTaskInput({ title: 'Review the budget', due_at: '2026-12-08', all_day: true });
    expect(applyTaskInput({ due_at: null }, allDay)).toMatchObject({ dueAt: null, allDay: false });
    expect(() => applyTaskInput({ due_at: null, all_day: true }, allDay)).toThrow(FieldError);
  });
});
