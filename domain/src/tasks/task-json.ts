import type { TaskSnapshot } from '@todo/contracts';
import {
  DOMAIN_NAME,
  TASK_FIELDS,
  TASK_TIME_FIELDS,
  type Task,
  type TaskField,
  type TaskRecord,
} from './task.js';

const TIME_FIELDS = new Set<TaskField>(TASK_TIME_FIELDS);

/** The task in the wire's (and the table's) names; times stay Dates. */
export function toTaskRecord(task: Task): TaskRecord {
  const record: Partial<Record<TaskField, unknown>> = {};
  for (const field of TASK_FIELDS) record[field] = task[DOMAIN_NAME[field]];
  return record as TaskRecord;
}

/** The inverse of toTaskRecord, for a row of the `tasks` table (its other columns are ignored). */
export function fromTaskRecord(record: TaskRecord): Task {
  const task: Partial<Record<keyof Task, unknown>> = {};
  for (const field of TASK_FIELDS) task[DOMAIN_NAME[field]] = record[field];
  return task as Task;
}

/** The wire form of a task: snake_case, RFC 3339 UTC. Events carry the same form. */
export function toTaskJson(task: Task): TaskSnapshot {
  const json: Partial<Record<TaskField, unknown>> = {};
  for (const field of TASK_FIELDS) {
    const value = task[DOMAIN_NAME[field]];
    json[field] = value instanceof Date ? value.toISOString() : value;
  }
  return json as TaskSnapshot;
}

/** The inverse of toTaskJson, for consumers that receive a task in an event. */
export function fromTaskJson(snapshot: TaskSnapshot): Task {
  const task: Partial<Record<keyof Task, unknown>> = {};
  for (const field of TASK_FIELDS) {
    // A field added after 1.0 may be absent from an older producer's event: absent is null.
    const value = snapshot[field] ?? null;
    task[DOMAIN_NAME[field]] = TIME_FIELDS.has(field) && typeof value === 'string' ? new Date(value) : value;
  }
  return task as Task;
}
