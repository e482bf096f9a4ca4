import type { ReminderJob } from '@todo/domain/reminders/jobs';
import type { JobScheduler } from '../ports.js';
import type { DaprClient } from './client.js';

/**
 * Dapr's default gives up on a job after 3 failed callbacks 1 s apart — a reminder due while the
 * api restarts would be lost. Retry for a minute instead; the api's missed-job backstop
 * (runtime/src/service.ts) fires whatever is still unfired after that.
 */
const CALLBACK_RETRIES = { constant: { interval: '5s', maxRetries: 12 } };

/**
 * Reminders as Dapr jobs: the scheduler calls the app's `POST /job/{name}` when one comes due.
 * The job's `scheduled_jobs` row, written with the task, is what makes a job that Dapr delivers
 * twice notify once (firing marks it). These calls run inside the task's transaction, so a refused
 * job fails the write instead of leaving a reminder that never fires.
 */
export class DaprJobScheduler implements JobScheduler {
  constructor(private readonly dapr: DaprClient) {}

  async schedule(jobs: ReminderJob[]): Promise<void> {
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

  async cancel(names: string[]): Promise<void> {
    for (const name of names) {
      const response = await this.dapr.fetch(`/v1.0-alpha1/jobs/${encodeURIComponent(name)}`, {
        method: 'DELETE',
      });
      // Gone already (fired, or never made it): the row's deletion, with the task, is what counts.
      if (!response.ok && response.status !== 404) {
        throw new Error(`dapr job delete ${name}: ${response.status} ${await response.text()}`);
      }
    }
  }
}
