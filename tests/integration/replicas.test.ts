import { APP_IDS } from '@todo/contracts/dapr';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kafkaAdmin } from '../../runtime/src/topics.js';
import { ApiClient } from '../support/client.js';
import { VERIFICATION_SUBJECT, verifyAddress } from '../support/email-verification.js';
import { eventually } from '../support/eventually.js';
import { SyncClient } from '../support/sync-client.js';
import { receivedMail } from './control.js';
import { createSeries, occurrencesBySeries } from './effects.js';

const stack = inject('stack');
const replicasOf = (name: string) => stack.instances.filter((instance) => instance.name === name);

/** A service process's events_consumed_total for one outcome, read from its own /metrics. */
async function consumed(metricsUrl: string, outcome: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('events_consumed_total{') && line.includes(`outcome="${outcome}"`))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/**
 * Two processes of one consumer share its Kafka consumer group (one group per app id), each with
 * its own sidecar; every effect still happens once. websocket-sync is the exception by design:
 * each replica has a group of its own, so each reaches its own clients.
 */
describe('replicas in distributed mode', () => {
  let user: ApiClient;

  beforeAll(async () => {
    user = await new ApiClient(stack.gatewayUrl).signup('Europe/Berlin');
  });

  it('two recurring-task replicas split task-events and create each next occurrence exactly once', async () => {
    const admin = kafkaAdmin(stack.kafkaBrokers);
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([APP_IDS.recurringTask]);
      expect(groups[0]?.members).toHaveLength(2);
    } finally {
      await admin.disconnect();
    }
    const replicas = replicasOf('recurring-task');
    expect(replicas).toHaveLength(2);
    const before = await Promise.all(replicas.map((replica) => consumed(replica.metricsUrl, 'processed')));

    const firsts = await createSeries(user, 16, 'Water plant', 'FREQ=WEEKLY');
    await Promise.all(firsts.map((id) => user.post(`/api/tasks/${id}/complete`)));

    await eventually(async () => {
      const series = await occurrencesBySeries(user);
      for (const id of firsts) expect(series.get(id), id).toEqual([1, 2]);
    }, 60_000);
    // Both processes did part of the work (16 task ids over 6 partitions split between two members).
    const after = await Promise.all(replicas.map((replica) => consumed(replica.metricsUrl, 'processed')));
    expect(after[0]).toBeGreaterThan(before[0] as number);
    expect(after[1]).toBeGreaterThan(before[1] as number);
  });

  it('with two notification replicas each reminder sends exactly one e-mail through SMTP', async () => {
    const ann = await new ApiClient(stack.gatewayUrl).signup('Europe/Berlin');
    const { body: me } = await ann.patch('/api/me', { email_notifications: true });
    await verifyAddress(ann, me.email, receivedMail);
    const mine = async () =>
      (await receivedMail()).filter(
        (mail) => mail.to.includes(me.email) && mail.subject !== VERIFICATION_SUBJECT,
      );
    const dueAt = new Date(Date.now() + 5000);
    const { body: task } = await ann.post('/api/tasks', {
      title: 'Pay the rent',
      due_at: dueAt.toISOString(),
      reminders: ['PT3S', 'PT1S'],
    });

    const mails = await eventually(async () => {
      const mails = await mine();
      expect(mails).toHaveLength(2);
      return mails;
    }, 60_000);
    expect(mails.every((mail) => mail.subject.includes('Pay the rent'))).toBe(true);
    const { body } = await ann.get('/api/notifications');
    expect(body.items.map((item: { task_id: string }) => item.task_id)).toEqual([task.id, task.id]);
    // Both reminders share the task's partition, so the later mail arriving means the earlier one's
    // delivery had long settled: still exactly two.
    expect(await mine()).toHaveLength(2);
  });

  describe('two websocket-sync replicas', () => {
    const clients: SyncClient[] = [];
    afterAll(() => Promise.all(clients.map((client) => client.close())));

    it('each reaches the clients connected to it', async () => {
      const replicas = replicasOf('websocket-sync');
      expect(replicas).toHaveLength(2);
      for (const replica of replicas) clients.push(await SyncClient.open(replica.url, user.token as string));

      const { body: task } = await user.post('/api/tasks', { title: 'Seen on both devices' });
      for (const client of clients) {
        const frame = await client.waitFor(
          (candidate) => candidate.type === 'task.sync' && candidate.task_id === task.id,
        );
        expect(frame.task).toMatchObject({ id: task.id, title: 'Seen on both devices' });
      }
    });
  });
});
