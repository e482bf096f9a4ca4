import { expect } from 'vitest';
import type { ApiClient } from '../support/client.js';

/** What users can see of the events: the tests' checks that each effect happened exactly once. */

/** Creates `count` recurring tasks (the first occurrence of each series); their ids. */
export async function createSeries(user: ApiClient, count: number, title: string, rule: string) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { body } = await user.post('/api/tasks', {
      title: `${title} ${i}`,
      due_at: '2099-03-01T08:00:00Z',
      recurrence: rule,
    });
    ids.push(body.id);
  }
  return ids;
}

/** The occurrence numbers of each recurring series among the user's tasks, by series id (sorted). */
export async function occurrencesBySeries(user: ApiClient): Promise<Map<string, number[]>> {
  const tasks = await user.getAll<{ series_id: string | null; occurrence: number }>('/api/tasks?limit=200');
  const series = new Map<string, number[]>();
  for (const task of tasks) {
    if (task.series_id) series.set(task.series_id, [...(series.get(task.series_id) ?? []), task.occurrence]);
  }
  for (const occurrences of series.values()) occurrences.sort((a, b) => a - b);
  return series;
}

/** Each task's creation is in its owner's audit log exactly once. */
export async function expectCreationsAuditedOnce(user: ApiClient, taskIds: string[]): Promise<void> {
  for (const id of taskIds) {
    const { body } = await user.get(`/api/audit/logs?task_id=${id}`);
    const created = body.items.filter((entry: { action: string }) => entry.action === 'task.created');
    expect(created, id).toHaveLength(1);
  }
}
