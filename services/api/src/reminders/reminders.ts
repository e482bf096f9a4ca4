import { newEnvelope } from '@todo/contracts';
import { type ReminderJob, reminderJobChanges, reminderJobsFor } from '@todo/domain';
import type { Db } from '@todo/platform/db/connect';
import type { UserDirectory } from '@todo/platform/identity/user-directory';
import { deleteJobRows, insertJobRows } from '@todo/platform/jobs/job-rows';
import { appendToOutbox } from '@todo/platform/outbox/append';
import type { JobScheduler } from '@todo/platform/ports';
import { reminderLateness, remindersFired } from '@todo/platform/telemetry/metrics';
import { findTask } from '../tasks/task-repository.js';
import type { WriteParticipant } from '../tasks/task-service.js';

/** A reminder that fires more than this after its time is reported as late (it was missed). */
const LATE_AFTER_MS = 60_000;

/** Keeps a task's reminder jobs (their rows and their timers) in step with the task, inside the write's transaction. */
export function reminderScheduling(
  scheduler: JobScheduler,
  clock: () => Date = () => new Date(),
): WriteParticipant {
  return async (trx, change, actor) => {
    const now = clock();
    const { cancel, schedule } = reminderJobChanges(
      reminderJobsFor(change.before, actor.timeZone, now),
      reminderJobsFor(change.after, actor.timeZone, now),
    );
    await deleteJobRows(trx, cancel);
    await insertJobRows(trx, schedule);
    await scheduler.cancel(cancel);
    await scheduler.schedule(schedule);
  };
}

export type FireOutcome = 'fired' | 'already_fired' | 'stale' | 'not_due';

/**
 * Fires a reminder job: marks it fired (once — a second firing finds it marked and does nothing),
 * re-checks that the task still wants this reminder (still open, same due date, same offset, and
 * the owner's zone unchanged for all-day tasks), and emits `reminder.due` through the outbox.
 * A job called before its time is left as it is (`not_due`): job names are predictable, and an
 * early call must neither notify early nor use up the real one.
 */
export async function fireReminder(
  db: Db,
  users: UserDirectory,
  name: string,
  now: Date = new Date(),
): Promise<FireOutcome> {
  const unfired = await db
    .selectFrom('scheduled_jobs')
    .select(['data', 'due_at'])
    .where('name', '=', name)
    .where('fired_at', 'is', null)
    .executeTakeFirst();
  if (!unfired) return 'already_fired';
  if (unfired.due_at > now) return 'not_due';
  const data = unfired.data as ReminderJob['data'];
  // Read before the transaction: on PGlite the transaction holds the only connection.
  const user = await users.find(data.user_id);
  const outcome = await db.transaction().execute(async (trx): Promise<FireOutcome> => {
    // Marking it fired is the claim: of two concurrent callbacks, one fires and one finds it marked.
    const job = await trx
      .updateTable('scheduled_jobs')
      .set({ fired_at: now })
      .where('name', '=', name)
      .where('fired_at', 'is', null)
      .where('due_at', '<=', now)
      .returning('due_at')
      .executeTakeFirst();
    if (!job) return 'already_fired';
    const task = await findTask(trx, data.user_id, data.task_id);
    const wanted =
      user && reminderJobsFor(task, user.timezone, new Date(0)).find((candidate) => candidate.name === name);
    if (!task || !wanted) return 'stale';
    const lateByMs = now.getTime() - job.due_at.getTime();
    const late = lateByMs > LATE_AFTER_MS;
    await appendToOutbox(trx, [
      {
        topic: 'reminders',
        event: {
          ...newEnvelope({
            eventType: 'reminder.due',
            userId: task.userId,
            taskId: task.id,
            correlationId: name,
          }),
          payload: {
            job_id: name,
            task_title: task.title,
            due_at: wanted.data.due_at,
            all_day: task.allDay,
            offset: wanted.data.offset,
            fire_at: wanted.data.fire_at,
            late,
          },
        },
      },
    ]);
    remindersFired.inc({ late: String(late) });
    reminderLateness.observe({ stage: 'fired' }, Math.max(0, lateByMs) / 1000);
    return 'fired';
  });
  return outcome;
}
