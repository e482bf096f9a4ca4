import type { ReminderJob } from '@todo/domain/reminders/jobs';
import type { Db } from '../db/connect.js';
import type { JobScheduler } from '../ports.js';
import type { Logger } from '../telemetry/logger.js';

/** Longest sleep between looks at the table: jobs may be added by another process. */
const MAX_SLEEP_MS = 1000;

export interface SqlJobSchedulerOptions {
  /**
   * Run as the backstop of another scheduler (Dapr jobs, distributed mode): fire only jobs overdue
   * by this much — those the other one lost, e.g. when it could not reach a restarting api and gave
   * up — and look less often. Firing marks the row, so a job the other scheduler fires late as
   * well still notifies once.
   */
  overdueAfterMs?: number;
}

/**
 * The timer over the `scheduled_jobs` table (embedded mode): the rows are written with the task
 * (job-rows.ts), so a timer survives restarts because it is only a row. On start-up, jobs that came
 * due while the process was down fire once; the fire handler marks a job fired in its own
 * transaction, so a job never fires twice.
 */
export class SqlJobScheduler implements JobScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  /** When the timer looks at the table next (0 while a look is running or none is planned). */
  private nextLookAt = 0;

  private readonly overdueAfterMs: number;
  private readonly maxSleepMs: number;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    options: SqlJobSchedulerOptions = {},
  ) {
    this.overdueAfterMs = options.overdueAfterMs ?? 0;
    this.maxSleepMs = this.overdueAfterMs > 0 ? 5 * MAX_SLEEP_MS : MAX_SLEEP_MS;
  }

  async schedule(jobs: ReminderJob[]): Promise<void> {
    // Only a job to fire before the planned look needs an earlier one; the others are found then.
    if (jobs.some((job) => job.dueAt.getTime() + this.overdueAfterMs < this.nextLookAt)) this.wake();
  }

  /** Nothing to stop: a cancelled job's row is gone, so the next look does not find it. */
  async cancel(): Promise<void> {}

  /** Runs `fire` with each job's name as it comes due (and at once for any that came due while down). */
  start(fire: (name: string) => Promise<unknown>): void {
    this.stopped = false;
    this.fire = fire;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private fire: (name: string) => Promise<unknown> = async () => undefined;

  private wake(): void {
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    this.nextLookAt = 0;
    this.running = this.runDue()
      .catch((error) => {
        this.logger.error({ err: error }, 'job scheduler: could not run due jobs; will retry');
        return this.maxSleepMs;
      })
      .then((sleepMs) => {
        this.running = undefined;
        if (this.stopped) return;
        this.nextLookAt = Date.now() + sleepMs;
        this.timer = setTimeout(() => this.wake(), sleepMs);
      });
  }

  /** Fires every due job; returns how long to sleep until the next one (bounded). */
  private async runDue(): Promise<number> {
    for (;;) {
      const due = await this.db
        .selectFrom('scheduled_jobs')
        .select(['name'])
        .where('fired_at', 'is', null)
        .where('due_at', '<=', new Date(Date.now() - this.overdueAfterMs))
        .orderBy('due_at')
        .limit(100)
        .execute();
      for (const job of due) {
        if (this.stopped) return this.maxSleepMs;
        try {
          await this.fire(job.name);
        } catch (error) {
          this.logger.error({ err: error, job: job.name }, 'job scheduler: job failed; will retry');
          return this.maxSleepMs;
        }
      }
      if (due.length < 100) break;
    }
    const next = await this.db
      .selectFrom('scheduled_jobs')
      .select('due_at')
      .where('fired_at', 'is', null)
      .orderBy('due_at')
      .limit(1)
      .executeTakeFirst();
    const untilNext = next ? next.due_at.getTime() + this.overdueAfterMs - Date.now() : this.maxSleepMs;
    return Math.max(0, Math.min(untilNext, this.maxSleepMs));
  }
}
