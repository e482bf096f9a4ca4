import type { ApiClient } from '../support/client.js';

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
