import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { SyncClient } from '../support/sync-client.js';

const stack = inject('stack');

/** A span as Zipkin's v2 API returns it (the fields asserted on). */
interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

async function traceOf(traceId: string): Promise<ZipkinSpan[]> {
  const response = await fetch(`${stack.zipkinUrl}/api/v2/trace/${traceId}`);
  if (response.status === 404) return [];
  expect(response.status).toBe(200);
  return (await response.json()) as ZipkinSpan[];
}

/**
 * The trace of one click, read back from the stack's trace backend (Zipkin): the api's request,
 * its database work and outbox write, the relay's publish, the sidecars' own spans (Dapr to
 * Kafka and back) and the consumers, each in its own process, all under the caller's trace id.
 */
describe('one trace from a task creation to every consumer, in Zipkin', () => {
  let user: ApiClient;
  let socket: SyncClient;

  beforeAll(async () => {
    expect(stack.zipkinUrl, 'the stack runs with tracing').toBeDefined();
    user = await new ApiClient(stack.gatewayUrl).signup('Europe/Berlin');
    socket = await SyncClient.open(stack.gatewayUrl, user.token as string);
  });
  afterAll(() => socket?.close());

  it('spans the api, Dapr, the relay publish and every consumer that acted', async () => {
    const traceId = randomBytes(16).toString('hex');
    const created = await user.post(
      '/api/tasks',
      { title: 'Traced from the click' },
      { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    );
    expect(created.status).toBe(201);
    // The live update reached the browser's socket: websocket-sync acted.
    await eventually(() =>
      expect(socket.of('task.sync').some((f) => f.task_id === created.body.id)).toBe(true),
    );

    // Spans reach Zipkin in batches (every 5 s from each process, Dapr's on its own schedule).
    const spans = await eventually(async () => {
      const found = await traceOf(traceId);
      const services = new Set(found.map((span) => span.localEndpoint?.serviceName));
      const names = new Set(found.map((span) => span.name));
      for (const service of ['api', 'api-service', 'audit', 'websocket-sync', 'recurring-task']) {
        expect(services, `service ${service} in ${[...services].join(', ')}`).toContain(service);
      }
      for (const name of [
        'outbox append',
        'publish task-events',
        'publish task-updates',
        'audit-service consume task-events',
        'websocket-sync-service consume task-updates',
        'recurring-task-service consume task-events',
        'websocket push',
      ]) {
        expect(names, `span ${name} in ${[...names].join(', ')}`).toContain(name);
      }
      return found;
    }, 45_000);

    const byId = new Map(spans.map((span) => [span.id, span]));
    // The request's server span and its queries on PostgreSQL, in the api's process.
    const api = spans.filter((span) => span.localEndpoint?.serviceName === 'api');
    expect(api.find((span) => span.kind === 'SERVER')?.name).toBe('post /api/tasks');
    expect(
      api.some(
        (span) => span.tags?.['db.system.name'] === 'postgresql' || span.tags?.['db.system'] === 'postgresql',
      ),
    ).toBe(true);
    // The relay's call to its sidecar: Dapr's own span is a child of the publish.
    const publish = spans.find((span) => span.name === 'publish task-events') as ZipkinSpan;
    const daprChildren = spans.filter(
      (span) => span.parentId === publish.id && span.localEndpoint?.serviceName === 'api-service',
    );
    expect(daprChildren.length, 'a sidecar span under the publish').toBeGreaterThan(0);
    // Every consumer continues from the publish of the event it received (the async hop).
    for (const consumer of spans.filter((span) => span.kind === 'CONSUMER')) {
      expect(byId.get(consumer.parentId ?? '')?.name, consumer.name).toMatch(/^publish /);
    }
  });
});
