import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { killInstance, restartInstance } from './control.js';
import { createSeries, expectCreationsAuditedOnce, occurrencesBySeries } from './effects.js';

const stack = inject('stack');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * kill -9 of a consumer process while events stream to it. Its sidecar keeps its partitions and
 * retries each delivery until the process is back (Dapr's Kafka consumer retries forever by
 * default), and the event-id claims absorb whatever was redelivered: nothing lost, nothing twice.
 */
describe('a consumer killed mid-stream', () => {
  let user: ApiClient;

  beforeAll(async () => {
    user = await new ApiClient(stack.gatewayUrl).signup('Europe/Berlin');
  });

  /** Writes `count` tasks one every `everyMs`, killing `instance` after a third and restarting it after two thirds. */
  async function writeThroughCrash(instance: string, count: number, write: (i: number) => Promise<string>) {
    const ids: string[] = [];
    let restartSeconds = 0;
    for (let i = 0; i < count; i++) {
      if (i === Math.floor(count / 3)) await killInstance(instance);
      if (i === Math.floor((2 * count) / 3)) restartSeconds = await restartInstance(instance);
      ids.push(await write(i));
      await sleep(100);
    }
    console.log(
      `${instance} killed and restarted mid-stream; ready again after ${restartSeconds.toFixed(1)} s`,
    );
    return ids;
  }

  it('audit: every task.created of the stream is logged exactly once', async () => {
    const ids = await writeThroughCrash('audit', 30, async (i) => {
      const { status, body } = await user.post('/api/tasks', { title: `Audited ${i}` });
      expect(status).toBe(201);
      return body.id;
    });
    await eventually(() => expectCreationsAuditedOnce(user, ids), 90_000);
  }, 180_000);

  it('recurring-task: every completion of the stream gets exactly one next occurrence', async () => {
    const firsts = await createSeries(user, 18, 'Take vitamins', 'FREQ=DAILY');
    await writeThroughCrash('recurring-task', firsts.length, async (i) => {
      const id = firsts[i] as string;
      expect((await user.post(`/api/tasks/${id}/complete`)).status).toBe(200);
      return id;
    });
    await eventually(async () => {
      const series = await occurrencesBySeries(user);
      for (const id of firsts) expect(series.get(id), id).toEqual([1, 2]);
    }, 90_000);
  }, 180_000);
});
