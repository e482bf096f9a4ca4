import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { expectCreationsAuditedOnce } from './effects.js';

const run = promisify(execFile);
const stack = inject('stack');
const KAFKA = fileURLToPath(new URL('../../scripts/infra/kafka.sh', import.meta.url));

describe('Kafka outage', () => {
  let user: ApiClient;

  beforeAll(async () => {
    user = await new ApiClient(stack.gatewayUrl).signup('Europe/Berlin');
  });

  it('writes accepted while the broker is down are all delivered once it is back, each once', async () => {
    const create = async (title: string) => {
      const { status, body } = await user.post('/api/tasks', { title });
      expect(status).toBe(201);
      return body.id as string;
    };
    const ids = [await create('before 1'), await create('before 2')];
    await run('bash', [KAFKA, 'stop']);
    try {
      // The write path does not need the broker: the events wait in the outbox.
      for (let i = 0; i < 5; i++) ids.push(await create(`during ${i}`));
    } finally {
      await run('bash', [KAFKA, 'start']);
    }
    for (let i = 0; i < 2; i++) ids.push(await create(`after ${i}`));

    // Publishing resumes once the sidecar's circuit breaker half-opens (30 s) and the relay retries.
    await eventually(() => expectCreationsAuditedOnce(user, ids), 150_000);
  }, 240_000);
});
