import type { ReminderJob } from '@todo/domain/reminders/jobs';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * The durable record of a job: its `scheduled_jobs` row, written in the transaction of the task
 * write that wants it (in both modes), so it commits or vanishes with the task. A timer (the
 * JobScheduler) only calls back when the job comes due; firing marks the row, which is what makes
 * a job fire once however often it is called back.
 */
export async function insertJobRows(trx: Transaction<Database>, jobs: ReminderJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await trx
    .insertInto('scheduled_jobs')
    .values(jobs.map((job) => ({ name: job.name, due_at: job.dueAt, data: JSON.stringify(job.data) })))
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** Cancels jobs not yet fired: a fired job's row stays, as the record that it fired. */
export async function deleteJobRows(trx: Transaction<Database>, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await trx.deleteFrom('scheduled_jobs').where('name', 'in', names).where('fired_at', 'is', null).execute();
}
