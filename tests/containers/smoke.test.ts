import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/client.js';
import { type MailText, verifyAddress } from '../support/email-verification.js';
import { eventually } from '../support/eventually.js';

/**
 * The distributed stack as containers (scripts/containers/stack.sh: the images of `npm run images`
 * in one podman pod), used from the host through the published api port only: what a user does,
 * through PostgreSQL, Kafka, the Dapr sidecars and scheduler and the SMTP catcher in containers.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STACK = `${ROOT}scripts/containers/stack.sh`;
const API = `http://127.0.0.1:${process.env.CONTAINERS_API_PORT ?? 3401}`;
const MAIL = `http://127.0.0.1:${process.env.CONTAINERS_MAIL_PORT ?? 3425}`;
const run = promisify(execFile);

const receivedMail = async () => (await (await fetch(`${MAIL}/messages`)).json()) as MailText[];

describe('the containers stack', () => {
  beforeAll(async () => {
    const started = Date.now();
    const { stderr } = await run('bash', [STACK, 'up'], { timeout: 600_000 });
    console.log(`${stderr.trim()}\ncontainers stack up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 620_000);
  afterAll(async () => {
    await run('bash', [STACK, 'down'], { timeout: 120_000 });
  }, 130_000);

  it('signs up, completes a recurring task with a reminder, sees the next occurrence and the e-mail', async () => {
    const user = await new ApiClient(API).signup('Europe/Berlin');
    const { body: me } = await user.patch('/api/me', { email_notifications: true });
    await verifyAddress(user, me.email, receivedMail);
    const dueAt = new Date(Date.now() + 5000);
    const created = await user.post('/api/tasks', {
      title: 'Water the plants',
      due_at: dueAt.toISOString(),
      recurrence: 'FREQ=DAILY',
      reminders: ['PT2S'],
    });
    expect(created.status).toBe(201);
    const first = created.body;

    // The reminder: a Dapr job in the scheduler container, fired back into the api, a
    // notification, and an e-mail from the notification container to the catcher.
    const mails = await eventually(async () => {
      const mine = (await receivedMail()).filter(
        (mail) => mail.to.includes(me.email) && mail.subject.startsWith('Reminder:'),
      );
      expect(mine).toHaveLength(1);
      return mine;
    }, 90_000);
    expect(mails[0]?.subject).toContain('Water the plants');
    const { body: notifications } = await user.get('/api/notifications');
    expect(notifications.items.map((item: { task_id: string }) => item.task_id)).toEqual([first.id]);

    // Completing it: task-events through Kafka to the recurring-task container, which creates the
    // next occurrence one day later.
    expect((await user.post(`/api/tasks/${first.id}/complete`)).status).toBe(200);
    const next = await eventually(async () => {
      const { body } = await user.get('/api/tasks?limit=50&sort=created');
      const series = body.items.filter((task: { series_id: string | null }) => task.series_id === first.id);
      expect(series).toHaveLength(2);
      return series.find((task: { id: string }) => task.id !== first.id);
    }, 90_000);
    // The same wall-clock time in the user's zone, one calendar day later.
    const berlin = (iso: string, days = 0) =>
      new Date(new Date(iso).getTime() + days * 86_400_000).toLocaleString('sv-SE', {
        timeZone: 'Europe/Berlin',
      });
    expect(berlin(next.due_at).slice(11)).toBe(berlin(first.due_at).slice(11));
    expect(berlin(next.due_at).slice(0, 10)).toBe(berlin(first.due_at, 1).slice(0, 10));
    expect(next.completed_at).toBeNull();
  });
});
