import { APP_IDS, type TaskEvent, type TaskSnapshot } from '@todo/contracts';
import { fromTaskJson, type NextOccurrenceTask, nextOccurrenceTask } from '@todo/domain';
import { type ConsumerRuntime, createConsumer } from '@todo/platform/consumers/runtime';
import type { ServiceModule } from '@todo/platform/service';
import { inSpan } from '@todo/platform/telemetry/tracing';

/** The part of the task write path this service needs (in-process, or the api over Dapr). */
export interface TaskWriter {
  /** Creates the occurrence unless the series already has it (idempotent on series + occurrence). */
  createOccurrence(owner: { userId: string; correlationId: string }, next: NextOccurrenceTask): Promise<void>;
  /** Removes the open, untouched occurrence that followed `occurrence` (undo of a completion). */
  removeFollowingOccurrence(
    owner: { userId: string; correlationId: string },
    seriesId: string,
    occurrence: number,
  ): Promise<void>;
  timeZoneOf(userId: string): Promise<string>;
  /** The task as stored now, if it exists and is the user's. */
  findTask(userId: string, taskId: string): Promise<TaskSnapshot | null>;
}

/**
 * recurring-task: when an occurrence of a series is completed, creates the next one — exactly once,
 * since the database refuses a second task with the same series and occurrence index. Reopening
 * the completed occurrence takes back the one it made. The rule is read from the completed task, so
 * an edited rule or a deleted series takes effect from the next occurrence on — read from the
 * database, not from the event: an event names the task, it does not get to say what the next
 * occurrence copies, nor that the task was completed.
 */
export function createRecurringTaskService(deps: {
  writer: TaskWriter;
  consumerRuntime: ConsumerRuntime;
  clock?: () => Date;
}): ServiceModule {
  const clock = deps.clock ?? (() => new Date());
  // Only completing or reopening an occurrence of a series makes or takes back an occurrence.
  const accepts = (event: TaskEvent) =>
    (event.event_type === 'task.completed' || event.event_type === 'task.reopened') &&
    event.payload.task.recurrence !== null &&
    event.payload.task.series_id !== null;
  const handle = async (event: TaskEvent) => {
    const owner = { userId: event.user_id, correlationId: event.correlation_id };
    if (event.event_type === 'task.completed') {
      // An event for a user who does not exist fails here, each attempt, and ends in the DLQ.
      const timeZone = await deps.writer.timeZoneOf(event.user_id);
      const stored = await deps.writer.findTask(event.user_id, event.task_id);
      // Deleted, reopened since (its reopening event follows), or never this user's: nothing to make.
      if (stored?.status !== 'completed') return;
      const task = fromTaskJson(stored);
      if (!task.recurrence || !task.seriesId || !task.completedAt) return;
      const next = nextOccurrenceTask(task, timeZone, task.completedAt, clock());
      if (next) {
        await inSpan('next occurrence write', { attributes: { 'task.series_id': task.seriesId } }, () =>
          deps.writer.createOccurrence(owner, next),
        );
      }
    } else if (event.event_type === 'task.reopened') {
      // Removes only an untouched open occurrence of this user's series, whatever the event says.
      const task = fromTaskJson(event.payload.task);
      if (!task.seriesId) return;
      await deps.writer.removeFollowingOccurrence(owner, task.seriesId, task.occurrence);
    }
  };
  return {
    name: APP_IDS.recurringTask,
    subscriptions: [
      createConsumer(
        { service: APP_IDS.recurringTask, topic: 'task-events', accepts, handle },
        deps.consumerRuntime,
      ),
    ],
  };
}
