import { assertValidEvent, type DlqEnvelope, type TaskEvent } from '@todo/contracts';
import { PUBSUB_NAME } from '@todo/contracts/dapr';
import { type Db, openDatabase } from '@todo/platform/db/connect';
import type { Admin } from 'kafkajs';
import kafkajs from 'kafkajs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kafkaAdmin, missingTopics, provisionTopics } from '../../runtime/src/topics.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { occurrencesBySeries } from './effects.js';
import { consumeAll } from './kcat.js';

const { ConfigResourceTypes } = kafkajs;
const stack = inject('stack');

describe('delivery guarantees and topics in distributed mode', () => {
  let user: ApiClient;
  let db: Db;

  beforeAll(async () => {
    user = await new ApiClient(stack.gatewayUrl).signup('Europe/Berlin');
    db = openDatabase({ url: stack.databaseUrl });
  });
  afterAll(() => db?.destroy());

  const completedEventOf = async (taskId: string): Promise<TaskEvent> => {
    const row = await db
      .selectFrom('outbox')
      .select('event')
      .where('partition_key', '=', taskId)
      .where(sql<string>`event->>'event_type'`, '=', 'task.completed')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    return row.event as TaskEvent;
  };

  const occurrencesOf = async (seriesId: string) => (await occurrencesBySeries(user)).get(seriesId);

  /** Straight onto task-events through the api's sidecar, as the relay publishes (raw, keyed). */
  const publishRaw = async (event: TaskEvent, key: string) => {
    const response = await fetch(
      `${stack.apiSidecarUrl}/v1.0/publish/${PUBSUB_NAME}/task-events?metadata.rawPayload=true&metadata.partitionKey=${key}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'dapr-api-token': stack.daprApiToken },
        body: JSON.stringify(event),
      },
    );
    expect(response.status, await response.text()).toBe(204);
  };

  it('a duplicate on the topic (Dapr’s producer may send one on retry) has no second effect', async () => {
    const { body: task } = await user.post('/api/tasks', {
      title: 'Floss',
      due_at: '2099-05-01T20:00:00Z',
      recurrence: 'FREQ=DAILY',
    });
    await user.post(`/api/tasks/${task.id}/complete`);
    const completed = await completedEventOf(task.id);
    // The same event again, as the relay would publish it: same key, same event id.
    await publishRaw(completed, task.id);
    // A later event of the same task: one partition, so once audit has it, it has seen the duplicate.
    await user.patch(`/api/tasks/${task.id}`, { title: 'Floss well' });
    const entries = await eventually(async () => {
      const { body } = await user.get(`/api/audit/logs?task_id=${task.id}&limit=200`);
      expect(body.items.map((entry: { action: string }) => entry.action)).toContain('task.updated');
      return body.items as { event_id: string }[];
    }, 30_000);
    expect(entries.filter((entry) => entry.event_id === completed.event_id)).toHaveLength(1);

    const { body } = await user.get('/api/tasks?limit=200&sort=created');
    expect(body.items.filter((t: { series_id: string | null }) => t.series_id === task.id)).toHaveLength(2);
  });

  it('an event that fails 5 times goes to dlq-events (read by kcat) and the partition moves on', async () => {
    const { body: task } = await user.post('/api/tasks', {
      title: 'Poison',
      due_at: '2099-06-01T08:00:00Z',
      recurrence: 'FREQ=WEEKLY',
    });
    await user.post(`/api/tasks/${task.id}/complete`);
    await eventually(async () => expect(await occurrencesOf(task.id)).toEqual([1, 2]), 30_000);
    const completed = await completedEventOf(task.id);
    // The same completion for a user who does not exist: the api refuses the time zone lookup
    // every time, so recurring-task's five attempts fail.
    const poison: TaskEvent = { ...completed, event_id: crypto.randomUUID(), user_id: crypto.randomUUID() };
    await publishRaw(poison, task.id);

    const envelope = await eventually(async () => {
      const found = (await consumeAll('dlq-events')).find(
        (message) =>
          (message.value as DlqEnvelope).original_event_id === poison.event_id &&
          (message.value as DlqEnvelope).error_context.consumer_service === 'recurring-task-service',
      );
      expect(found).toBeDefined();
      return found as { key: string; value: DlqEnvelope };
    }, 60_000);
    assertValidEvent('dlq-events', envelope.value);
    expect(envelope.key).toBe(poison.event_id);
    expect(envelope.value.error_context.retry_count).toBe(5);
    expect(envelope.value.original_event).toEqual(poison);

    // The partition was not blocked: reopening the task (same key, after the poison) still makes
    // recurring-task take back the occurrence it created.
    expect((await user.post(`/api/tasks/${task.id}/reopen`)).status).toBe(200);
    await eventually(async () => expect(await occurrencesOf(task.id)).toEqual([1]), 30_000);
  });

  it('/readyz names a missing topic, and provisioning brings it back and reports drift', async () => {
    const admin = kafkaAdmin(stack.kafkaBrokers);
    await admin.connect();
    try {
      // dlq-events has no consumers, so removing it on the test broker disturbs no subscription.
      await admin.deleteTopics({ topics: ['dlq-events'] });
      await eventually(async () => expect(await missingTopics(admin)).toEqual(['dlq-events']), 30_000);
      const readyz = await fetch(`${stack.apiUrl}/readyz`);
      expect(readyz.status).toBe(503);
      expect(await readyz.json()).toMatchObject({ failures: ['kafka: topics missing: dlq-events'] });

      expect((await provisionTopics(admin)).created).toEqual(['dlq-events']);
      await eventually(async () => expect((await fetch(`${stack.apiUrl}/readyz`)).status).toBe(200), 30_000);

      await setDlqRetention(admin, '1000');
      const report = await provisionTopics(admin);
      expect(report.drift).toEqual(['dlq-events: retention.ms 1000, want 2592000000']);
      expect(report.created).toEqual([]);
    } finally {
      await setDlqRetention(admin, '2592000000');
      await admin.disconnect();
    }
  });
});

/** AlterConfigs replaces a topic's whole config (not incremental): compression goes along. */
function setDlqRetention(admin: Admin, retentionMs: string) {
  return admin.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: ConfigResourceTypes.TOPIC,
        name: 'dlq-events',
        configEntries: [
          { name: 'retention.ms', value: retentionMs },
          { name: 'compression.type', value: 'snappy' },
        ],
      },
    ],
  });
}
