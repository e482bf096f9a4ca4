import { ApiClient } from '../../tests/support/client.js';
import { verifyAddress } from '../../tests/support/email-verification.js';
import type { SmtpSink } from '../../tests/support/smtp.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one scenario's writes left behind, counted from what users can see. */
export interface Outcome {
  acknowledged: number;
  found: number;
  lost: number;
  duplicates: number;
  /** Per kind, for the report: e.g. "creates 212/212". */
  detail: string;
}

interface Counts {
  acknowledged: number;
  found: number;
  duplicates: number;
}

/**
 * The writes of a fault scenario, as users make them: creates (3 clients in a loop), completions
 * of recurring tasks (1 client), and reminders with e-mail that fire while the fault happens.
 * Only a write the server acknowledged (2xx) counts; afterwards every one must have exactly one
 * effect: the task exists and its creation is audited once, one next occurrence per completion,
 * one in-app notification and one e-mail per reminder.
 */
export class ChaosWorkload {
  private readonly created: string[] = [];
  private readonly completed: string[] = [];
  private readonly reminded: { taskId: string; title: string }[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly acknowledgedAt: number[] = [];
  failedWrites = 0;

  private constructor(
    private readonly writer: ApiClient,
    private readonly recurring: ApiClient,
    private readonly reminderUser: { client: ApiClient; email: string },
    private readonly pool: string[],
    private readonly smtp: SmtpSink,
  ) {}

  /** Users, a pool of recurring tasks to complete, and reminders firing over the next `seconds`. */
  static async prepare(
    baseUrl: string,
    label: string,
    smtp: SmtpSink,
    seconds: number,
  ): Promise<ChaosWorkload> {
    const base = new ApiClient(baseUrl);
    const [writer, recurring, reminderClient] = await Promise.all([
      base.signup(),
      base.signup(),
      base.signup(),
    ]);
    const { body: me } = await reminderClient.patch('/api/me', { email_notifications: true });
    // Reminder e-mails go only to a verified address.
    await verifyAddress(reminderClient, me.email, () => smtp.texts());
    const pool: string[] = [];
    for (let i = 0; i < 60; i++) {
      const { body } = await recurring.post('/api/tasks', {
        title: `${label} daily ${i}`,
        due_at: '2099-02-01T08:00:00Z',
        recurrence: 'FREQ=DAILY',
      });
      pool.push(body.id);
    }
    const workload = new ChaosWorkload(
      writer,
      recurring,
      { client: reminderClient, email: me.email },
      pool,
      smtp,
    );
    const firstFire = Date.now() + 3000;
    for (let i = 0; i < 10; i++) {
      const title = `${label} reminder ${i + 1} of 10`;
      const fireAt = firstFire + (i * seconds * 1000) / 10;
      const { status, body } = await reminderClient.post('/api/tasks', {
        title,
        due_at: new Date(fireAt + 60_000).toISOString(),
        reminders: ['PT1M'],
      });
      if (status === 201) workload.reminded.push({ taskId: body.id, title });
    }
    return workload;
  }

  start(): void {
    this.running = true;
    const createLoop = async (client: number) => {
      for (let i = 0; this.running; i++) {
        await this.attempt(async () => {
          const { status, body } = await this.writer.post('/api/tasks', { title: `chaos ${client}.${i}` });
          if (status !== 201) return false;
          this.created.push(body.id);
          return true;
        });
      }
    };
    const completeLoop = async () => {
      for (const id of this.pool) {
        if (!this.running) break;
        // Retried until acknowledged, so each pool task is completed once from the client's side.
        while (this.running) {
          const acknowledged = await this.attempt(async () => {
            const { status } = await this.recurring.post(`/api/tasks/${id}/complete`);
            return status === 200;
          });
          if (acknowledged) {
            this.completed.push(id);
            break;
          }
        }
        await sleep(150);
      }
    };
    this.loops = [createLoop(1), createLoop(2), createLoop(3), completeLoop()];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** One write; a refused or failed one (the server is down) waits a little and counts as not acknowledged. */
  private async attempt(write: () => Promise<boolean>): Promise<boolean> {
    try {
      if (await write()) {
        this.acknowledgedAt.push(Date.now());
        return true;
      }
    } catch {
      // Connection refused or reset while the process is down.
    }
    this.failedWrites++;
    await sleep(100);
    return false;
  }

  /** The longest time no write was acknowledged while the writers ran: how long users could not write. */
  longestWriteGapSeconds(): number {
    const times = [...this.acknowledgedAt].sort((a, b) => a - b);
    const gaps = times.slice(1).map((time, i) => time - (times[i] as number));
    return Math.round(Math.max(0, ...gaps) / 100) / 10;
  }

  /** Counts effects now; `complete` is true once nothing is missing. */
  async outcome(): Promise<Outcome & { complete: boolean }> {
    const kinds = {
      creates: await this.createdOutcome(),
      'next occurrences': await this.completedOutcome(),
      ...(await this.reminderOutcome()),
    };
    const all = Object.values(kinds);
    const sum = (key: keyof Counts) => all.reduce((total, counts) => total + counts[key], 0);
    const acknowledged = sum('acknowledged');
    const found = sum('found');
    return {
      acknowledged,
      found,
      lost: acknowledged - found,
      duplicates: sum('duplicates'),
      detail: Object.entries(kinds)
        .map(([kind, counts]) => `${kind} ${counts.found}/${counts.acknowledged}`)
        .join(', '),
      complete: found === acknowledged,
    };
  }

  private async createdOutcome(): Promise<Counts> {
    const tasks = new Set(
      (await this.writer.getAll<{ id: string }>('/api/tasks?limit=200')).map((t) => t.id),
    );
    const audits = await this.writer.getAll<{ task_id: string }>(
      '/api/audit/logs?action=task.created&limit=200',
    );
    const audited = countBy(audits.map((entry) => entry.task_id));
    return {
      acknowledged: this.created.length,
      found: this.created.filter((id) => tasks.has(id) && (audited.get(id) ?? 0) >= 1).length,
      duplicates: [...audited.values()].filter((count) => count > 1).length,
    };
  }

  private async completedOutcome(): Promise<Counts> {
    const tasks = await this.recurring.getAll<{ series_id: string | null; occurrence: number }>(
      '/api/tasks?limit=200',
    );
    const nexts = countBy(tasks.filter((task) => task.occurrence === 2).map((task) => task.series_id ?? ''));
    return {
      acknowledged: this.completed.length,
      found: this.completed.filter((id) => nexts.has(id)).length,
      duplicates: [...nexts.values()].filter((count) => count > 1).length,
    };
  }

  private async reminderOutcome(): Promise<Record<string, Counts>> {
    const notifications = countBy(
      (await this.reminderUser.client.getAll<{ task_id: string }>('/api/notifications?limit=200')).map(
        (item) => item.task_id,
      ),
    );
    const mails = countBy(
      (await this.smtp.messages())
        .filter((mail) => mail.to.includes(this.reminderUser.email))
        .map((mail) => mail.parsed.subject ?? ''),
    );
    const mailsFor = (title: string) =>
      [...mails.entries()].filter(([subject]) => subject.includes(title)).reduce((sum, [, n]) => sum + n, 0);
    return {
      notifications: {
        acknowledged: this.reminded.length,
        found: this.reminded.filter(({ taskId }) => notifications.has(taskId)).length,
        duplicates: this.reminded.filter(({ taskId }) => (notifications.get(taskId) ?? 0) > 1).length,
      },
      'e-mails': {
        acknowledged: this.reminded.length,
        found: this.reminded.filter(({ title }) => mailsFor(title) >= 1).length,
        duplicates: this.reminded.filter(({ title }) => mailsFor(title) > 1).length,
      },
    };
  }
}

function countBy(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
