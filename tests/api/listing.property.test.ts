import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';

const PRIORITY_RANK = { low: 0, medium: 1, high: 2, urgent: 3 } as const;
type Priority = keyof typeof PRIORITY_RANK;
const DAY = 86_400_000;
const WORDS = ['alpha', 'beta', 'gamma', 'delta'] as const;

interface Fixture {
  title: string;
  priority: Priority;
  tags: string[];
  dueInDays: number | null;
  done: boolean;
}

const fixture: fc.Arbitrary<Fixture> = fc.record({
  title: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }).map((words) => words.join(' ')),
  priority: fc.constantFrom('low', 'medium', 'high', 'urgent'),
  tags: fc.uniqueArray(fc.constantFrom('work', 'home', 'fun'), { maxLength: 2 }),
  dueInDays: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
  done: fc.boolean(),
});

const filter = fc.record(
  {
    status: fc.constantFrom('open', 'completed'),
    priority: fc.uniqueArray(fc.constantFrom<Priority>('low', 'medium', 'high', 'urgent'), {
      minLength: 1,
      maxLength: 2,
    }),
    tag: fc.constantFrom('work', 'home', 'fun'),
    q: fc.constantFrom(...WORDS, 'gam', 'al'),
    dueBeforeDays: fc.integer({ min: -5, max: 5 }),
    overdue: fc.boolean(),
  },
  { requiredKeys: [] },
);
const sort = fc.constantFrom('due', '-due', 'priority', '-priority', 'title', '-title');

describe('listing matches a reference model (property-based)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it('returns exactly the tasks the filters select, in sort order, across pages', async () => {
    const anon = new ApiClient(app.url);
    await fc.assert(
      fc.asyncProperty(fc.array(fixture, { maxLength: 7 }), filter, sort, async (fixtures, f, sortKey) => {
        const user = await anon.signup('UTC');
        const now = Date.now();
        const created = [];
        for (const item of fixtures) {
          const due = item.dueInDays === null ? null : new Date(now + item.dueInDays * DAY + 60_000);
          const { body } = await user.post('/api/tasks', {
            title: item.title,
            priority: item.priority,
            tags: item.tags,
            due_at: due?.toISOString() ?? null,
          });
          if (item.done) await user.post(`/api/tasks/${body.id}/complete`);
          created.push({ ...item, id: body.id as string, due });
        }
        const dueBefore = f.dueBeforeDays === undefined ? undefined : new Date(now + f.dueBeforeDays * DAY);
        const expected = created.filter(
          (t) =>
            (!f.status || (f.status === 'completed') === t.done) &&
            (!f.priority || f.priority.includes(t.priority)) &&
            (!f.tag || t.tags.includes(f.tag)) &&
            (!f.q || t.title.split(' ').some((word) => word.startsWith(f.q as string))) &&
            (!dueBefore || (t.due !== null && t.due < dueBefore)) &&
            (f.overdue === undefined ||
              f.overdue === (!t.done && t.due !== null && t.due.getTime() < Date.now())),
        );

        const params = new URLSearchParams({ sort: sortKey, limit: '3' });
        if (f.status) params.set('status', f.status);
        if (f.priority) params.set('priority', f.priority.join(','));
        if (f.tag) params.set('tag', f.tag);
        if (f.q) params.set('q', f.q);
        if (dueBefore) params.set('due_before', dueBefore.toISOString());
        if (f.overdue !== undefined) params.set('overdue', String(f.overdue));
        const listed: { id: string; title: string; priority: Priority; due_at: string | null }[] = [];
        let cursor: string | null = null;
        do {
          if (cursor) params.set('cursor', cursor);
          const response = await user.get(`/api/tasks?${params}`);
          expect(response.status).toBe(200);
          listed.push(...response.body.items);
          cursor = response.body.next_cursor;
        } while (cursor);

        expect(listed.map((t) => t.id).sort()).toEqual(expected.map((t) => t.id).sort());
        const key = sortKey.replace('-', '');
        const value = (t: (typeof listed)[number]) =>
          key === 'due'
            ? t.due_at
              ? Date.parse(t.due_at)
              : Number.POSITIVE_INFINITY
            : key === 'priority'
              ? -PRIORITY_RANK[t.priority]
              : t.title.toLowerCase();
        const values = listed.map(value);
        const ordered = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(values).toEqual(sortKey.startsWith('-') ? ordered.reverse() : ordered);
      }),
      { numRuns: 25 },
    );
  });
});
