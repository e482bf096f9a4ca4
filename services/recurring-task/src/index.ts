import { APP_IDS, type TaskEvent } from '@todo/contracts';
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
}

/**
 * recurring-task: when an occurrence of a series is completed, creates the next one — exactly once,
 * since the database refuses a second task with the same series and occurrence index. Reopening
 * the completed occurrence takes back the one it made. The rule is read from the completed task, so
 * an edited rule or a deleted series takes effect from the next occurrence on.
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
    const task = fromTaskJson(event.payload.task);
    if (!task.recurrence || !task.seriesId) return;
    const owner = { userId: event.user_id, correlationId: event.correlation_id };
    if (event.event_type === 'task.completed' && task.completedAt) {
      const timeZone = await deps.writer.timeZoneOf(event.user_id);
      const next = nextOccurrenceTask(task, timeZone, task.completedAt, clock());
      if (next) {
        await inSpan('next occurrence write', { attributes: { 'task.series_id': task.seriesId } }, () =>
          deps.writer.createOccurrence(owner, next),
        );
      }
    } else if (event.event_type === 'task.reopened') {
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
