import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SqlJobScheduler } from '../jobs/sql-scheduler.js';
import type { Job, JobScheduler } from '../ports.js';
import type { DaprClient } from './client.js';

/**
 * Reminders as Dapr jobs: the scheduler calls the app's `POST /job/{name}` when one comes due.
 * The `scheduled_jobs` row is still written in the caller's transaction (through the SQL
 * scheduler, never started here): the fire handler marks it fired, which is what makes a job that
 * Dapr delivers twice notify once. The Dapr call runs inside the transaction, so a refused job
 * fails the write instead of leaving a reminder that never fires.
 */
/**
 * Dapr's default gives up on a job after 3 failed callbacks 1 s apart — a reminder due while the
 * api restarts would be lost. Retry for a minute instead; the api's missed-job backstop
 * (runtime/src/service.ts) fires whatever is still unfired after that.
 */
const CALLBACK_RETRIES = { constant: { interval: '5s', maxRetries: 12 } };

export class DaprJobScheduler implements JobScheduler {
  constructor(
    private readonly dapr: DaprClient,
    private readonly rows: SqlJobScheduler,
  ) {}

  async schedule(jobs: Job[], trx?: Transaction<Database>): Promise<void> {
    await this.rows.schedule(jobs, trx);
    for (const job of jobs) {
      await this.dapr.ok(`/v1.0-alpha1/jobs/${encodeURIComponent(job.name)}`, {
        method: 'POST',
        json: {
          dueTime: job.dueAt.toISOString(),
          data: job.data,
          overwrite: true,
          failurePolicy: CALLBACK_RETRIES,
        },
      });
    }
  }

  async cancel(names: string[], trx?: Transaction<Database>): Promise<void> {
    await this.rows.cancel(names, trx);
    for (const name of names) {
      const response = await this.dapr.fetch(`/v1.0-alpha1/jobs/${encodeURIComponent(name)}`, {
        method: 'DELETE',
      });
      // Gone already (fired, or never made it): the row's deletion is what counts.
      if (!response.ok && response.status !== 404) {
        throw new Error(`dapr job delete ${name}: ${response.status} ${await response.text()}`);
      }
    }
  }
}
