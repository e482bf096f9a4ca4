import type { TaskEvent } from '@todo/contracts';
import { PUBSUB_NAME } from '@todo/contracts/dapr';
import { type Db, openDatabase } from '@todo/platform/db/connect';
import type { Admin } from 'kafkajs';
import kafkajs from 'kafkajs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kafkaAdmin, missingTopics, provisionTopics } from '../../runtime/src/topics.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';

const { ConfigResourceTypes } = kafkajs;
const stack = inject('stack');

describe('delivery guarantees and topics in distributed mode', () => {
  let user: ApiClient;
  let db: Db;

  beforeAll(async () => {
    user = await new ApiClient(stack.gatewayUrl).signup('Europe/Berlin');
    db = openDatabase({ kind: 'postgres', url: stack.databaseUrl });
  });
  afterAll(() => db?.destroy());

  it('a duplicate on the topic (Dapr’s producer may send one on retry) has no second effect', async () => {
    const { body: task } = await user.post('/api/tasks', {
      title: 'Floss',
      due_at: '2099-05-01T20:00:00Z',
      recurrence: 'FREQ=DAILY',
    });
    await user.post(`/api/tasks/${task.id}/complete`);
    const { event } = await db
      .selectFrom('outbox')
      .select('event')
      .where('partition_key', '=', task.id)
      .where(sql<string>`event->>'event_type'`, '=', 'task.completed')
      .executeTakeFirstOrThrow();
    const completed = event as TaskEvent;

    // The same event again, as the relay would publish it: same key, same event id.
    const published = await fetch(
      `${stack.apiSidecarUrl}/v1.0/publish/${PUBSUB_NAME}/task-events?metadata.rawPayload=true&metadata.partitionKey=${task.id}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(completed) },
    );
    expect(published.status).toBe(204);
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
